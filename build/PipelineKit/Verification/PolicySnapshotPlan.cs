namespace PipelineKit.Verification;

using PipelineKit.Aws;
using PipelineKit.Configuration;
using PipelineKit.Naming;
using PipelineKit.Permissions;

/// <summary>
/// Which deployed policies decide the pipeline's permissions, for a configuration and the foundation stacks' outputs:
/// every role named after the pipeline in the build and target accounts (the pipeline stack's, the target roles, the
/// roles the app stacks create under the pipeline's path), the artifact bucket of every region and the source bucket,
/// the artifact and notification keys, and the notification topic's policy. Verify and the permission tests read the same.
/// </summary>
public static class PolicySnapshotPlan
{
    /// <param name="stackOutputs">The outputs of the deployed foundation stacks; the key ARNs come from there (ArtifactKeyArn,
    /// NotificationsKeyArn).</param>
    /// <param name="accounts">The accounts to read roles in; by default the build account and every target account.</param>
    public static PolicySnapshotRequest For(
        PipelineConfig config, IEnumerable<IReadOnlyDictionary<string, string>> stackOutputs, IReadOnlyCollection<string>? accounts = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(stackOutputs);
        var build = config.Build.Account;
        var keys = stackOutputs.SelectMany(o => o).Where(o => o.Key is "ArtifactKeyArn" or "NotificationsKeyArn")
            .Select(o => o.Value).Distinct(StringComparer.Ordinal).ToArray();
        var buckets = config.Regions.Select(r => new PolicyBucket(build, r, KitNames.ArtifactBucket(config, r)))
            .Append(new PolicyBucket(build, config.Build.Region, KitNames.SourceBucket(config))).ToArray();
        var roleAccounts = accounts ?? RoleAccounts(config);
        return new PolicySnapshotRequest(roleAccounts.ToArray(), $"{config.Name}-", [], buckets, keys);
    }

    /// <summary>The accounts that hold roles of the pipeline: the build account, every target account and a CodeCommit
    /// source's account (the source-account stack's roles).</summary>
    public static string[] RoleAccounts(PipelineConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return config.TargetAccounts.Select(a => a.AccountId).Prepend(config.Build.Account)
            .Concat(config.SourceAccount is { } source ? [source] : []).Distinct(StringComparer.Ordinal).ToArray();
    }

    /// <summary>The notification topic's policy by topic ARN; empty when the topic does not exist or has none.</summary>
    public static async Task<IReadOnlyDictionary<string, NamedPolicyDocument>> TopicPoliciesAsync(
        PipelineConfig config, ISimpleNotification sns, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(sns);
        var topic = KitNames.NotificationsTopicArn(config);
        var attributes = await sns.GetTopicAttributesAsync(topic, ct).ConfigureAwait(false);
        return attributes is not null && attributes.TryGetValue("Policy", out var policy) && policy.Length > 0
            ? new Dictionary<string, NamedPolicyDocument>(StringComparer.Ordinal) { [topic] = new($"topic policy of {topic}", policy) }
            : new Dictionary<string, NamedPolicyDocument>(StringComparer.Ordinal);
    }
}
