namespace PipelineKit.Aws;

using Amazon.Runtime;

/// <summary>
/// Decides each call of a factory's clients before it is sent (<see cref="AwsClientFactory.Gate"/>): the emulator evaluates
/// no IAM, so a local run puts the kit's own policy evaluator in front of it. <see cref="Admit"/> throws the service's
/// AmazonServiceException to refuse a call (it then fails as AWS would fail it, without reaching the emulator);
/// <see cref="Answered"/> is told each answer, so a gate can learn which keys an sts:AssumeRole handed out.
/// </summary>
public interface IAwsCallGate
{
    /// <summary>Returns to let the call go; throws an <see cref="AmazonServiceException"/> to refuse it.</summary>
    void Admit(TracedCall call);

    /// <summary>The call was answered (after its retries): the request as sent and the service's response.</summary>
    void Answered(TracedCall call, AmazonWebServiceRequest request, AmazonWebServiceResponse response);
}
