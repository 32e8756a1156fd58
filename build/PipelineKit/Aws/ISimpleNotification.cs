namespace PipelineKit.Aws;

/// <summary>
/// The SNS operation the kit uses to read back a topic's policy (Verify), and nothing else. One instance acts in one
/// account and region. Shaped like the official AWSSDK.SimpleNotificationService operation.
/// https://docs.aws.amazon.com/sns/latest/api/API_GetTopicAttributes.html
/// </summary>
public interface ISimpleNotification
{
    /// <summary>GetTopicAttributes: every attribute (Policy, KmsMasterKeyId, ...); null when the topic does not exist (NotFound).</summary>
    Task<IReadOnlyDictionary<string, string>?> GetTopicAttributesAsync(string topicArn, CancellationToken ct = default);
}
