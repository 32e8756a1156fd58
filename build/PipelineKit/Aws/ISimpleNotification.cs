namespace PipelineKit.Aws;

/// <summary>
/// The SNS operations the kit uses: reading back a topic's policy (Verify) and publishing the security check's diff to
/// the pipeline's topic. One instance acts in one account and region. Shaped like the official
/// AWSSDK.SimpleNotificationService operations. https://docs.aws.amazon.com/sns/latest/api/API_Operations.html
/// </summary>
public interface ISimpleNotification
{
    /// <summary>GetTopicAttributes: every attribute (Policy, KmsMasterKeyId, ...); null when the topic does not exist (NotFound).</summary>
    Task<IReadOnlyDictionary<string, string>?> GetTopicAttributesAsync(string topicArn, CancellationToken ct = default);

    /// <summary>Publish; returns the message id. SNS takes a subject of at most 100 characters (a longer one is cut).</summary>
    Task<string> PublishAsync(string topicArn, string subject, string message, CancellationToken ct = default);
}
