namespace PipelineKit.Tests.Integration;

using Amazon.Runtime;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using PipelineKit.Aws;
using PipelineKit.Configuration;
using PipelineKit.Naming;
using PipelineKit.Permissions;
using PipelineKit.Reporting;
using PipelineKit.Verification;

/// <summary>What a scenario's calls came to: how many were traced, allowed by the kit's deployed policies, outside them
/// (the user's own credentials on resources without a policy of the kit's), and the denials, each naming the call, who
/// made it and the decisive or missing grant.</summary>
public sealed record TraceResult(int Traced, int Allowed, int Outside, IReadOnlyList<string> Denied)
{
    public override string ToString() => $"{Traced} traced, {Allowed} allowed by the kit's policies, {Outside} outside them, {Denied.Count} denied";
}

/// <summary>
/// The permission proof of the integration tests. The emulator does not evaluate IAM: every call the kit made is mapped to
/// the IAM requests it needs (<see cref="CallAccess"/>), its credentials to the principal they act as (sts:GetCallerIdentity
/// on the emulator), and each request is decided by the kit's evaluator over the policies read back from the emulator.
/// </summary>
public sealed class PermissionTrace(MotoFixture moto, PipelineConfig config, string outputsPath)
{
    private const string Build = "123456789012";
    private readonly Dictionary<AWSCredentials, string> callers = new(ReferenceEqualityComparer.Instance);
    private readonly AwsClientFactory clients = moto.Clients();
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Lazy<Task<AWSCredentials>>> accounts = new(StringComparer.Ordinal);

    public static PipelineConfig Load(KitWorkspace workspace) =>
        PipelineConfigLoader.Parse(File.ReadAllText(workspace.ConfigPath), workspace.ConfigPath, new ConfigContext(_ => true));

    /// <summary>The policies as deployed, the ones Verify reads (<see cref="PolicySnapshotPlan"/>): every role of the pipeline's
    /// accounts named after it, the kit's buckets and keys, the notification topic's policy.</summary>
    public async Task<DeployedPermissions> ReadAsync()
    {
        var outputs = OutputsFile.Read(outputsPath);
        var reader = new DeployedPolicyReader(new PolicySources(
            async (account, _) => clients.Iam(await CredentialsFor(account)),
            async (account, region, _) => clients.S3(await CredentialsFor(account), region),
            async (account, region, _) => clients.Kms(await CredentialsFor(account), region)));
        var snapshot = await reader.ReadAsync(PolicySnapshotPlan.For(config, outputs.Values.Select(o => o.Outputs)));
        var topics = await PolicySnapshotPlan.TopicPoliciesAsync(config, clients.Sns(await CredentialsFor(Build), config.Build.Region));
        return new DeployedPermissions(snapshot with { TopicPolicies = topics });
    }

    /// <summary>The IAM requests the kit's calls needed, each as the principal its credentials act as.</summary>
    public async Task<IReadOnlyList<AccessRequest>> RequestsAsync(IEnumerable<TracedCall> calls)
    {
        var requests = new List<AccessRequest>();
        foreach (var call in calls)
        {
            var principal = AccessPrincipal.FromCallerArn(await CallerOf(call.Credentials));
            requests.AddRange(CallAccess.For(call, principal, Bucket));
        }

        return requests;
    }

    public static TraceResult Decide(IEnumerable<AccessRequest> requests, DeployedPermissions permissions)
    {
        int traced = 0, allowed = 0, outside = 0;
        var denied = new List<string>();
        foreach (var request in requests)
        {
            traced++;
            var check = permissions.Check(request);
            if (!check.Decision.Allowed) denied.Add($"{request.Principal.DisplayName}: {check.Decision.Explanation}");
            else if (check.Ownership == Ownership.Kit) allowed++;
            else outside++;
        }

        return new TraceResult(traced, allowed, outside, denied);
    }

    /// <summary>Keys of a role session on the emulator, for a profile the kit then runs with.</summary>
    public async Task<Credentials> AssumeAsync(string roleArn)
    {
        using var sts = new AmazonSecurityTokenServiceClient(new BasicAWSCredentials("testing", "testing"),
            new AmazonSecurityTokenServiceConfig { ServiceURL = moto.Url, AuthenticationRegion = "us-east-1" });
        var response = await sts.AssumeRoleAsync(new AssumeRoleRequest { RoleArn = roleArn, RoleSessionName = "trace" });
        return response.Credentials;
    }

    /// <summary>Kit buckets are the build account's; each is encrypted by default with its region's artifact key.</summary>
    private BucketFacts Bucket(string name)
    {
        var region = config.Regions.FirstOrDefault(r => KitNames.ArtifactBucket(config, r) == name)
            ?? (name == KitNames.SourceBucket(config) ? config.Build.Region : null);
        if (region is null) return new BucketFacts(Build, null, []);
        var key = OutputsFile.Read(outputsPath).Values
            .FirstOrDefault(o => o.Region == region && o.Account == Build && o.Outputs.ContainsKey("ArtifactKeyArn"))?.Outputs["ArtifactKeyArn"];
        return new BucketFacts(Build, key, [KitNames.ArtifactKeyAlias(config.Name)]);
    }

    private async Task<string> CallerOf(AWSCredentials credentials)
    {
        if (callers.TryGetValue(credentials, out var arn)) return arn;
        using var sts = new AmazonSecurityTokenServiceClient(credentials,
            new AmazonSecurityTokenServiceConfig { ServiceURL = moto.Url, AuthenticationRegion = "us-east-1" });
        arn = (await sts.GetCallerIdentityAsync(new GetCallerIdentityRequest())).Arn;
        // moto names its default credentials arn:aws:sts::ACCOUNT:user/moto; AWS names a user arn:aws:iam::ACCOUNT:user/NAME.
        if (arn.Split(':') is [_, _, "sts", _, var account, var resource] && resource.StartsWith("user/", StringComparison.Ordinal))
        {
            arn = $"arn:aws:iam::{account}:{resource}";
        }

        callers[credentials] = arn;
        return arn;
    }

    /// <summary>The build account as the emulator's default credentials; a target account through the role the tests'
    /// administrator uses there, as a person checking would.</summary>
    private Task<AWSCredentials> CredentialsFor(string account) =>
        accounts.GetOrAdd(account, a => new Lazy<Task<AWSCredentials>>(async () =>
        {
            if (a == Build) return new BasicAWSCredentials("testing", "testing");
            var session = await AssumeAsync($"arn:aws:iam::{a}:role/OrganizationAccountAccessRole");
            return new SessionAWSCredentials(session.AccessKeyId, session.SecretAccessKey, session.SessionToken);
        })).Value;
}
