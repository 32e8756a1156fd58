namespace PipelineKit.Orchestration;

using System.Globalization;
using System.Text;
using PipelineKit.Configuration;

/// <summary>
/// The build account's grants to the target accounts, as the foundation stacks receive them, and AWS's size limits on
/// them, checked before any AWS call: CloudFormation would refuse an oversized parameter, S3 or KMS an oversized policy,
/// only at the build account's stacks, after the target roles exist.
/// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html
/// https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-policies.html
/// https://docs.aws.amazon.com/kms/latest/developerguide/resource-limits.html
/// </summary>
public static class GrantLimits
{
    /// <summary>CloudFormation's limit on one parameter value.</summary>
    public const int ParameterValueLimitBytes = 4096;

    /// <summary>S3's limit on a bucket policy.</summary>
    public const int BucketPolicyLimitBytes = 20 * 1024;

    /// <summary>KMS's limit on a key policy.</summary>
    public const int KeyPolicyLimitBytes = 32 * 1024;

    /// <summary>The artifact bucket's policy without the account list, as foundation.yaml renders it at its largest
    /// (a 20-character pipeline name, the longest region names, a CodeCommit source role of the longest name): 2,480
    /// bytes measured, rounded up.</summary>
    public const int BucketPolicyBaseBytes = 3000;

    /// <summary>The artifact key's policy without the account list, measured the same way: 930 bytes, rounded up.</summary>
    public const int KeyPolicyBaseBytes = 1500;

    /// <summary>What one account adds to each policy: its id, quoted, and a comma.</summary>
    public const int PolicyBytesPerAccount = 15;

    /// <summary>The only grant parameters, and the only ones that may grow: TargetAccountIds (empty when an organization
    /// bounds the grants) and OrganizationId.</summary>
    public static IReadOnlyDictionary<string, string> TargetParameters(PipelineConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["TargetAccountIds"] = config.OrganizationId is null ? string.Join(",", config.TargetAccounts.Select(a => a.AccountId)) : "",
            ["OrganizationId"] = config.OrganizationId ?? "",
        };
    }

    /// <summary>The accounts each grant policy lists: every target account, or none when it names the organization.</summary>
    public static int ListedAccounts(PipelineConfig config) => config.OrganizationId is null ? config.TargetAccounts.Count : 0;

    /// <summary>An upper bound of the artifact bucket's policy size.</summary>
    public static int EstimatedBucketPolicyBytes(PipelineConfig config) => BucketPolicyBaseBytes + PolicyBytesPerAccount * ListedAccounts(config);

    /// <summary>An upper bound of the artifact key's policy size.</summary>
    public static int EstimatedKeyPolicyBytes(PipelineConfig config) => KeyPolicyBaseBytes + PolicyBytesPerAccount * ListedAccounts(config);

    /// <summary>Refuses a configuration whose grants would exceed a limit, naming the limit and the fix.</summary>
    public static void Check(PipelineConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var count = config.TargetAccounts.Count;
        const string Fix = "set \"organizationId\" to the AWS Organization of the target accounts (the grants then name it, whatever the number of accounts), or split the environments across pipelines";
        var errors = new List<ConfigurationError>();
        foreach (var (name, value) in TargetParameters(config))
        {
            var bytes = Encoding.UTF8.GetByteCount(value);
            if (bytes > ParameterValueLimitBytes)
            {
                errors.Add(Error(config, $"{count} target accounts make the foundation's {name} parameter {Bytes(bytes)} bytes, over CloudFormation's {Bytes(ParameterValueLimitBytes)}-byte parameter value limit; {Fix}"));
            }
        }

        void Policy(string what, int bytes, int limit)
        {
            if (bytes > limit)
            {
                errors.Add(Error(config, $"{count} target accounts make the artifact {what} policy about {Bytes(bytes)} bytes, over the {Bytes(limit)}-byte {what} policy limit; {Fix}"));
            }
        }

        Policy("bucket", EstimatedBucketPolicyBytes(config), BucketPolicyLimitBytes);
        Policy("key", EstimatedKeyPolicyBytes(config), KeyPolicyLimitBytes);
        if (errors.Count > 0) throw new ConfigurationException(errors);
    }

    private static ConfigurationError Error(PipelineConfig config, string message) => new(config.SourceFile, "environments", message);

    private static string Bytes(int bytes) => bytes.ToString("N0", CultureInfo.InvariantCulture);
}
