namespace PipelineKit.SampleApp;

using System.Text.Json;
using Amazon.S3.Model;
using Amazon.S3;
using PipelineKit.Naming;
using PipelineKit.Aws;
using PipelineKit.Configuration;
using PipelineKit.Deployment;
using PipelineKit.Errors;
using PipelineKit.Messages;
using PipelineKit.Orchestration;

/// <summary>
/// Deploys the packaged sample app straight to every environment, in pipeline order, through the role chain
/// the pipeline itself uses: the build account puts the code in the environment region's artifact bucket,
/// assumes the target account's pipeline action role, and creates the change set with the target's
/// CloudFormation execution role as service role. A stack that deploys proves the chain.
/// Stacks are named NAME-ENV-app: the action role may act only on these stacks. The build-account side runs as the
/// NAME-deployer role (primary stack), the principal the action roles trust for this. After each environment's stack is
/// deployed, <c>smokeTest</c> (when given) checks it, as the pipeline's smoke-test action does: a failure fails that
/// environment, so the next one is not deployed.
/// </summary>
public sealed class SampleAppPlan(
    PipelineConfig config,
    SamplePackage package,
    Func<string, CancellationToken, Task<IAmazonS3>> buildS3At,
    Func<StackLocation, string, CancellationToken, Task<ICloudFormation>> cloudFormationAs,
    StackDeployer deployer,
    IKitMessages? messages = null,
    Func<EnvironmentSettings, StackResult, CancellationToken, Task>? smokeTest = null)
{
    public const string KeyPrefix = "app:";

    /// <summary>An environment's app among a run's results and in outputs.json: "app:ENV", or "app:ENV:ACCOUNT" for each account
    /// of an organizational unit's environment, which has one app stack per account.</summary>
    public static string Key(EnvironmentSettings environment) =>
        KeyPrefix + environment.Name + (environment.IsOfOrganizationalUnit ? ":" + environment.Account : "");

    public static string StackName(PipelineConfig config, EnvironmentSettings environment) => KitNames.AppStack(config.Name, environment.Name);

    /// <summary>Whether credentials acting as <paramref name="callerArn"/> (sts:GetCallerIdentity) are a session of the
    /// build account's NAME-deployer role, the principal besides the pipeline's own role that the target action roles
    /// trust (target-roles.yaml).</summary>
    public static bool IsDeployerSession(PipelineConfig config, string callerArn)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(callerArn);
        // arn:PARTITION:sts::ACCOUNT:assumed-role/ROLE/SESSION
        var parts = callerArn.Split(':', 6);
        return parts.Length == 6 && parts[0] == "arn" && parts[2] == "sts" && parts[4] == config.Build.Account &&
            parts[5].StartsWith($"assumed-role/{KitNames.DeployerRole(config.Name)}/", StringComparison.Ordinal);
    }

    /// <summary>One node per environment; each waits for the one before it, as pipeline stages do, and for
    /// <paramref name="after"/> (e.g. the foundation stacks deployed in the same run).</summary>
    public IReadOnlyList<StackNode> Nodes(IReadOnlyList<string> after)
    {
        var nodes = new List<StackNode>();
        string? previous = null;
        foreach (var environment in config.Environments)
        {
            var dependsOn = previous is null ? after : [.. after, previous];
            nodes.Add(Node(environment, dependsOn));
            previous = Key(environment);
        }

        return nodes;
    }

    private StackNode Node(EnvironmentSettings environment, IReadOnlyList<string> dependsOn)
    {
        var location = new StackLocation(environment.Account, environment.Region);
        var stackRef = new StackRef(Key(environment), StackName(config, environment), location);
        return new StackNode(stackRef, dependsOn, async (_, ct) =>
        {
            var (parameters, tags) = ReadParameterFile(package.ParameterFiles[environment.Name]);
            // Read once: the release recorded after the deployment is the template deployed, whatever the package directory holds by then.
            var template = File.ReadAllText(package.TemplatePath);
            var s3 = await buildS3At(environment.Region, ct).ConfigureAwait(false);
            try
            {
                // Lambda then deploys exactly the version checked here, not whatever the key holds later.
                var stored = await PutCodeAsync(s3, parameters, package.ZipPath, ct).ConfigureAwait(false);
                if (stored.Replaced)
                {
                    messages?.Report(MessageCodes.SampleAppCodeReplaced, ReplacedNotice(parameters));
                }

                if (stored.VersionId is { } version)
                {
                    parameters["CodeObjectVersion"] = version;
                }
            }
            catch (AmazonS3Exception e)
            {
                throw new DeploymentException(DeploymentErrorCode.AwsError, stackRef.StackName, location,
                    $"uploading the code to s3://{parameters["CodeBucket"]}/{parameters["CodeKey"]} failed: {e.Message}",
                    "Run BootstrapAll first: it creates the artifact bucket in every environment's region.", awsErrorCode: e.ErrorCode, inner: e);
            }

            var actionRole = KitNames.PipelineActionRoleArn(config.Partition, config.Name, environment.Account);
            var executionRole = KitNames.ExecutionRoleArn(config.Partition, config.Name, environment.Account);
            var cfn = await cloudFormationAs(location, actionRole, ct).ConfigureAwait(false);
            var result = await deployer.DeployAsync(cfn, stackRef, new StackDeployment(
                stackRef.StackName, location, template, parameters, tags,
                TerminationProtection: false, StackDeployment.NamedIam, RoleArn: executionRole), ct).ConfigureAwait(false);
            if (!result.Succeeded) return result;
            try
            {
                if (smokeTest is not null) await smokeTest(environment, result, ct).ConfigureAwait(false);
            }
            catch (KitException e)
            {
                // The stack is deployed; the environment is not good: the run stops here, the stack's outputs are kept.
                return result with { Outcome = StackOutcome.Failed, Error = e.Message, NextStep = e.NextStep };
            }

            // A deployment that passed is what Rollback --direct may come back to.
            await ReleaseHistory.RecordAsync(s3, parameters["CodeBucket"], environment.Name,
                new Release(package.AppVersion, parameters, tags, template), ct).ConfigureAwait(false);
            return result;
        });
    }

    /// <summary>Puts the function's zip at the CodeBucket/CodeKey a parameter file names, unless it is there already
    /// (the key is content-addressed, and the object's SHA-256 is checked).</summary>
    public static Task<StoredObject> PutCodeAsync(IAmazonS3 s3, IReadOnlyDictionary<string, string> parameters, string zipPath, CancellationToken ct) =>
        ArtifactObjects.PutIfAbsentAsync(s3, new PutObjectRequest
        {
            BucketName = parameters["CodeBucket"],
            Key = parameters["CodeKey"],
            FilePath = zipPath,
            ContentType = "application/zip",
        }, ct);

    /// <summary>What to say when a content-addressed key held other bytes: someone who may write the bucket replaced them.</summary>
    public static string ReplacedNotice(IReadOnlyDictionary<string, string> parameters) =>
        $"Sample app: s3://{parameters["CodeBucket"]}/{parameters["CodeKey"]} held other bytes than its name says; uploaded the packaged zip " +
        "again. Check who may write that bucket.";

    /// <summary>A parameter file as Package writes it (CloudFormation's template configuration file format).</summary>
    public static (Dictionary<string, string> Parameters, Dictionary<string, string> Tags) ReadParameterFile(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        static Dictionary<string, string> Read(JsonElement root, string name) =>
            root.TryGetProperty(name, out var section)
                ? section.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? "", StringComparer.Ordinal)
                : new Dictionary<string, string>(StringComparer.Ordinal);
        return (Read(document.RootElement, "Parameters"), Read(document.RootElement, "Tags"));
    }
}
