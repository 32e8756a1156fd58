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

    /// <summary>What one organizational unit adds to each policy at most: its path at Organizations' deepest nesting (five
    /// units) with the longest ids, quoted, with "*" and a comma.</summary>
    public const int PolicyBytesPerUnit = 450;

    /// <summary>The only grant parameters, and the only ones that may grow. TargetAccountIds: the environments' accounts
    /// (aws:PrincipalAccount), empty when an organization bounds them. OrganizationId: the whole organization
    /// (aws:PrincipalOrgID), set only when organizationId is and no environment names an organizational unit.
    /// TargetOrganizationPaths: each unit's path and every account below it (aws:PrincipalOrgPaths), known once the units
    /// are resolved. With units, the grants never name the whole organization: the units, and the accounts named one by one.</summary>
    public static IReadOnlyDictionary<string, string> TargetParameters(PipelineConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["TargetAccountIds"] = ByWholeOrganization(config) ? "" : string.Join(",", ListedAccountIds(config)),
            ["OrganizationId"] = ByWholeOrganization(config) ? config.OrganizationId! : "",
            ["TargetOrganizationPaths"] = string.Join(",", config.OrganizationalUnits.Select(u =>
                config.OrganizationalUnitPaths.TryGetValue(u, out var path) ? path + "*"
                    : throw new InvalidOperationException($"Organizational unit {u} is not resolved; the grants name its path."))),
        };
    }

    /// <summary>The grants name the organization (legacy organizationId without units) instead of the accounts.</summary>
    private static bool ByWholeOrganization(PipelineConfig config) => config.OrganizationId is not null && !config.HasOrganizationalUnits;

    /// <summary>The accounts the environments name one by one (not those of a unit), in first-use order.</summary>
    private static IEnumerable<string> ListedAccountIds(PipelineConfig config) =>
        config.Environments.Where(e => !e.IsOfOrganizationalUnit).Select(e => e.Account).Distinct(StringComparer.Ordinal);

    /// <summary>The accounts each grant policy lists: every target account named one by one, or none when it names the organization.</summary>
    public static int ListedAccounts(PipelineConfig config) => ByWholeOrganization(config) ? 0 : ListedAccountIds(config).Count();

    private static int UnitBytes(PipelineConfig config) => PolicyBytesPerUnit * config.OrganizationalUnits.Count;

    /// <summary>An upper bound of the artifact bucket's policy size.</summary>
    public static int EstimatedBucketPolicyBytes(PipelineConfig config) => BucketPolicyBaseBytes + PolicyBytesPerAccount * ListedAccounts(config) + UnitBytes(config);

    /// <summary>An upper bound of the artifact key's policy size.</summary>
    public static int EstimatedKeyPolicyBytes(PipelineConfig config) => KeyPolicyBaseBytes + PolicyBytesPerAccount * ListedAccounts(config) + UnitBytes(config);

    /// <summary>Refuses a configuration whose grants would exceed a limit, naming the limit and the fix.</summary>
    public static void Check(PipelineConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var count = config.TargetAccounts.Count;
        const string Fix = "name the accounts' organizational unit instead (\"organizationalUnit\"; the grants then name its path, whatever the number of accounts), or set \"organizationId\" to the AWS Organization of the target accounts (the grants then name it), or split the environments across pipelines";
        var errors = new List<ConfigurationError>();
        // Before the units are resolved their paths are unknown: only the account list can be measured yet.
        var parameters = config.IsResolved ? TargetParameters(config) : new Dictionary<string, string> { ["TargetAccountIds"] = string.Join(",", ListedAccountIds(config)) };
        foreach (var (name, value) in parameters)
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
