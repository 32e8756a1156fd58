namespace PipelineKit.Aws;

using PipelineKit.Messages;

/// <summary>Shows each retry of an AWS call as one line (<see cref="MessageCodes.AwsRetrying"/>): the kit's host hands
/// <see cref="Report"/> to its <see cref="AwsClientFactory"/>.</summary>
public sealed class AwsRetryMessages(IKitMessages messages)
{
    public void Report(AwsRetry retry)
    {
        ArgumentNullException.ThrowIfNull(retry);
        messages.Report(MessageCodes.AwsRetrying, retry.ToString());
    }
}
