namespace PipelineKit.Tests.Integration;

using System.Text.Json.Nodes;
using PipelineKit.Aws;
using PipelineKit.Configuration;
using PipelineKit.Deployment;
using PipelineKit.Naming;
using PipelineKit.Orchestration;
using PipelineKit.Permissions;
using PipelineKit.Reporting;
using Xunit.Abstractions;

/// <summary>
/// The permission chain, proven on the emulator with the kit's own evaluator (moto evaluates no IAM): one delivery is run
/// once (BootstrapAll, its re-run, PublishSampleApp as the build project's role, DeploySampleApp --direct three times:
/// first, after someone replaced the code, and unchanged; Rollback --direct of one environment; the security check as its role; and a pipeline change deployed by the self-update role), every call it made and every call AWS makes for the pipeline is
/// decided against the policies read back from the emulator, every negative check must be denied, and no role may reach a
/// write on a role without the boundary. Then each known defect is put back into the deployed policies, one at a time,
/// and the same checks must fail, naming it.
/// </summary>
[Collection(MotoTraceCollection.Name)]
public class PermissionTraceTests(MotoFixture moto, ITestOutputHelper output)
{
    private const string Name = "it-trace";
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static Delivery? delivery;

    [Fact]
    public async Task EveryCallTheKitMade_IsAllowedByTheDeployedPolicies()
    {
        var run = await DeliveryAsync();

        foreach (var (step, result) in run.Steps)
        {
            var decided = PermissionTrace.Decide(result, run.Permissions);
            output.WriteLine($"{step}: {decided}");
            foreach (var denied in decided.Denied) output.WriteLine($"  {denied}");
        }

        Assert.All(run.Steps, s => Assert.Empty(PermissionTrace.Decide(s.Requests, run.Permissions).Denied));
        // The run went through the roles the checks are about, not only through the emulator's administrator.
        var principals = run.Steps.SelectMany(s => s.Requests).Select(r => r.Principal.IdentityArn).ToHashSet(StringComparer.Ordinal);
        Assert.Contains(KitNames.RoleArn("aws", "123456789012", KitNames.DeployerRole(Name)), principals);
        Assert.Contains(KitNames.RoleArn("aws", "123456789012", KitNames.BuildRole(Name)), principals);
        Assert.Contains(KitNames.RoleArn("aws", "123456789012", KitNames.UpdateRole(Name)), principals);
        Assert.Contains(KitNames.PipelineActionRoleArn("aws", Name, "444444444444"), principals);
        Assert.Contains(KitNames.RoleArn("aws", "123456789012", KitNames.SecurityCheckRole(Name)), principals);
        Assert.Contains(KitNames.ChangeSetReaderRoleArn("aws", Name, "222222222222"), principals);
    }

    [Fact]
    public async Task EveryCallAwsMakesForThePipeline_IsAllowed_AndEveryNegativeCheckIsDenied()
    {
        var run = await DeliveryAsync();

        var calls = run.PipelineCalls;
        var failures = PipelineCallFailures(calls, run.Permissions);

        output.WriteLine($"AWS on the pipeline's behalf: {calls.Count(c => !c.MustDeny)} calls; negative checks: {calls.Count(c => c.MustDeny)}");
        foreach (var failure in failures) output.WriteLine(failure);
        Assert.Empty(failures);
        Assert.Contains(calls, c => c.MustDeny);
    }

    [Fact]
    public async Task NoRole_HasAPathToWritingARoleWithoutTheBoundary()
    {
        var run = await DeliveryAsync();

        var paths = EscalationSearch.Find(run.Permissions);

        output.WriteLine($"roles searched: {run.Permissions.Snapshot.Roles.Count}; paths to an unbounded role write: {paths.Count}");
        Assert.Empty(paths.Select(p => p.ToString()));
    }

    public static TheoryData<string, string> Defects => new()
    {
        // issue: trust by prefix; any build-account role named it-trace-* could deploy to prod.
        { "action role trusts role/NAME-*", "it-trace-evil" },
        // issue: PowerUserAccess alone denies iam:CreateRole, so the sample app cannot deploy.
        { "execution role without the bounded-roles policy", "iam:CreateRole" },
        // issue: --direct on an existing stack calls ListChangeSets.
        { "action role without ListChangeSets", "cloudformation:ListChangeSets" },
        // issue: StringNotEqualsIfExists also denies an upload without the header.
        { "bucket policy denies uploads without the encryption header", "s3:PutObject" },
        // issue: the self-update role could attach AdministratorAccess to itself.
        { "update role may write the pipeline roles' policies", "iam:PutRolePolicy" },
        // issue: CreateChangeSet without cloudformation:RoleArn reuses a stack's earlier role.
        { "action role creates change sets as any role", "cloudformation:CreateChangeSet" },
        // issue: kms:TagResource on '*' let the update role take over a key; the build account's boundary now stops it too,
        // so both are put back.
        { "update role may tag any key, under a boundary that allows everything", "kms:TagResource" },
        // The smoke test rule's grant without aws:SourceArn: any rule of the account could post to the pipeline's channels.
        { "topic policy lets EventBridge publish without naming the rule", "Any other EventBridge rule" },
        // The grants to the target roles have principal "*": without the account bound, a role of that name anywhere reads the
        // artifacts; without the exact role names, any role of a target account decrypts them.
        { "bucket policy grants the target roles' names in any account", "an account that is not a target" },
        { "key policy grants every role of the target accounts", "Any other role of a target account" },
        // The pipeline stack's rules may target the pipeline's topic and the pipeline only: without the bound, a changed
        // pipeline stack could forward the account's pipeline events to another account's bus.
        { "pipeline stack may point its rules at any target", "point the smoke-test rule at another account's bus" },
    };

    [Theory]
    [MemberData(nameof(Defects))]
    public async Task AKnownDefectPutBack_IsCaught_NamingTheGrant(string defect, string named)
    {
        var run = await DeliveryAsync();
        var broken = new DeployedPermissions(InjectedDefects.Apply(defect, run.Permissions.Snapshot, Name));

        var failures = run.Steps.SelectMany(s => PermissionTrace.Decide(s.Requests, broken).Denied)
            .Concat(PipelineCallFailures(run.PipelineCalls, broken))
            .Concat(EscalationSearch.Find(broken).Select(p => "escalation: " + p))
            .ToList();

        foreach (var failure in failures) output.WriteLine(failure);
        Assert.Contains(failures, f => f.Contains(named, StringComparison.Ordinal));
    }

    private static IEnumerable<string> PipelineCallFailures(IEnumerable<ExpectedCall> calls, DeployedPermissions permissions) =>
        calls.Select(c => (Call: c, Decision: permissions.Check(c.Request).Decision))
            .Where(c => c.Decision.Allowed == c.Call.MustDeny)
            .Select(c => $"{(c.Call.MustDeny ? "must be denied but is allowed" : "denied")}: {c.Call.Request.Principal.DisplayName}: " +
                $"{c.Decision.Explanation} ({c.Call.Why}; {c.Call.Doc})");

    private sealed record Step(string Name, IReadOnlyList<AccessRequest> Requests)
    {
        public void Deconstruct(out string name, out IReadOnlyList<AccessRequest> requests) => (name, requests) = (Name, Requests);
    }

    private sealed record Delivery(IReadOnlyList<Step> Steps, DeployedPermissions Permissions, IReadOnlyList<ExpectedCall> PipelineCalls);

    private async Task<Delivery> DeliveryAsync()
    {
        await Gate.WaitAsync();
        try
        {
            return delivery ??= await RunDeliveryAsync();
        }
        finally
        {
            Gate.Release();
        }
    }

    private async Task<Delivery> RunDeliveryAsync()
    {
        using var workspace = new KitWorkspace(moto, Name, inRepository: true);
        workspace.Config["selfUpdate"] = true;
        workspace.Config["notifications"] = new JsonObject
        {
            ["emails"] = new JsonArray("team@example.com"),
            ["slack"] = new JsonObject { ["workspaceId"] = "T0123ABCD", ["channelId"] = "C0123ABCD" },
        };
        workspace.Config["source"] = new JsonObject
        {
            // No roleArn: the kit names the role it deploys in the source account (it-trace-source-action).
            ["type"] = "CodeCommit", ["repository"] = "hello", ["branch"] = "main", ["account"] = "555555555555",
        };
        var outputsPath = Path.Combine(workspace.Root, "artifacts", "outputs.json");
        var steps = new List<(string Name, IReadOnlyList<TracedCall> Calls)>();

        // The repository is the user's: the kit checks that it exists before it deploys the source account's stack.
        await moto.Cli("555555555555", "codecommit", "create-repository", "--repository-name", "hello", "--region", "us-east-1");
        var (bootstrap, created) = await workspace.Run(KitTarget.BootstrapAll);
        steps.Add(("BootstrapAll", bootstrap.CallLog.Traced));
        Assert.Equal(StackOutcome.Created, created[FoundationPlan.SourceKey].Outcome);
        var config = PermissionTrace.Load(workspace);
        var trace = new PermissionTrace(moto, config, outputsPath);
        var (again, unchanged) = await workspace.Run(KitTarget.BootstrapAll);
        steps.Add(("BootstrapAll again", again.CallLog.Traced));
        Assert.Equal(StackOutcome.Unchanged, unchanged[FoundationPlan.SourceKey].Outcome);
        // In the pipeline's CodeBuild projects the kit runs as the project's role.
        await RunAs(workspace, trace, KitNames.BuildRole(Name), () => steps.Add(("PublishSampleApp as the build role", workspace.Publish().CallLog.Traced)));
        steps.Add(("DeploySampleApp --direct", (await workspace.Run(KitTarget.DeploySampleApp, "direct", "true")).Host.CallLog.Traced));
        // Someone with write access replaces the code under its content-addressed key: the next run puts the right bytes
        // back and updates every stack to that object version (an update: ListChangeSets, a change set, its execution).
        var tampered = await TamperWithTheCodeAsync(config);
        steps.Add(("DeploySampleApp --direct after the code was replaced", (await workspace.Run(KitTarget.DeploySampleApp, "direct", "true")).Host.CallLog.Traced));
        Assert.Contains("held other bytes than its name says", workspace.Console.ToString());
        steps.Add(("DeploySampleApp --direct again", (await workspace.Run(KitTarget.DeploySampleApp, "direct", "true")).Host.CallLog.Traced));
        Assert.NotEmpty(tampered);
        // The record of direct deployments (direct-releases/ENV.json, written by the deployer role above) takes prod back
        // to the first deployment, through the same chain.
        steps.Add(("Rollback --environment prod --direct", workspace.Rollback("environment", "prod", "direct", "true").CallLog.Traced));
        Assert.Contains("Rollback of prod --direct: version ", workspace.Console.ToString());

        // The security gate: the check reads the change set the pipeline's CreateChangeSet made, through the reader role.
        await CreatePipelineChangeSetAsync(trace, "dev", "222222222222", "us-east-1");
        await RunAs(workspace, trace, KitNames.SecurityCheckRole(Name), () => steps.Add(("SecurityCheck as the check role", workspace.SecurityCheck("dev").CallLog.Traced)));
        Assert.Contains("Security changes of change set it-trace-dev-app-pipeline on stack it-trace-dev-app", workspace.Console.ToString());
        Assert.Contains("new action logs:DeleteLogGroup", workspace.Console.ToString());

        workspace.Config["environments"]![3]!["approvalTimeoutMinutes"] = 60;
        await RunAs(workspace, trace, KitNames.UpdateRole(Name), async () =>
            steps.Add(("CreatePipeline --exclusive as the update role, with a change", (await workspace.Run(KitTarget.CreatePipeline, "exclusive", "true")).Host.CallLog.Traced)));

        var permissions = await trace.ReadAsync();
        var checkedSteps = new List<Step>();
        foreach (var (name, calls) in steps)
        {
            checkedSteps.Add(new Step(name, await trace.RequestsAsync(calls)));
        }

        var outputs = OutputsFile.Read(outputsPath);
        var keys = config.Regions.ToDictionary(r => r, r => outputs.Values.First(o => o.Region == r && o.Outputs.ContainsKey("ArtifactKeyArn")).Outputs["ArtifactKeyArn"]);
        var notifications = outputs.Values.First(o => o.Outputs.ContainsKey("NotificationsKeyArn")).Outputs["NotificationsKeyArn"];
        return new Delivery(checkedSteps, permissions, PipelineCalls.Expand(config, keys, notifications));
    }

    /// <summary>What the pipeline's CHANGE_SET_REPLACE does, as the account's action role: a change set of the app stack with
    /// its deployed template and parameters.</summary>
    private async Task CreatePipelineChangeSetAsync(PermissionTrace trace, string environment, string account, string region)
    {
        using var clients = moto.Clients();
        var session = await trace.AssumeAsync(KitNames.PipelineActionRoleArn("aws", Name, account));
        var cfn = clients.CloudFormation(new Amazon.Runtime.SessionAWSCredentials(session.AccessKeyId, session.SecretAccessKey, session.SessionToken), region);
        var stack = KitNames.AppStack(Name, environment);
        var deployed = await cfn.DescribeStackAsync(stack) ?? throw new InvalidOperationException($"{stack} is not deployed");
        await cfn.CreateChangeSetAsync(new PipelineKit.Aws.CreateChangeSetRequest(stack, KitNames.PipelineChangeSet(Name, environment),
            PipelineKit.Aws.ChangeSetType.Update, Widened(await cfn.GetTemplateBodyAsync(stack)), null, deployed.Parameters, deployed.Tags,
            ["CAPABILITY_NAMED_IAM", "CAPABILITY_AUTO_EXPAND"], "trace-security-check", RoleArn: KitNames.ExecutionRoleArn("aws", Name, account)));
    }

    /// <summary>The sample app's template with one more action for the function's role: the check must send the diff.</summary>
    private static string Widened(string template)
    {
        const string last = "                  - logs:PutLogEvents\n";
        Assert.Contains(last, template);
        return template.Replace(last, last + "                  - logs:DeleteLogGroup\n", StringComparison.Ordinal);
    }

    /// <summary>Overwrites the app's zip in every region's artifact bucket with other bytes, uploaded with their own
    /// SHA-256 as the kit uploads; returns the keys.</summary>
    private async Task<IReadOnlyList<string>> TamperWithTheCodeAsync(PipelineConfig config)
    {
        using var clients = moto.Clients();
        var keys = new List<string>();
        foreach (var region in config.Regions)
        {
            var s3 = clients.S3(new Amazon.Runtime.BasicAWSCredentials("testing", "testing"), region);
            var bucket = KitNames.ArtifactBucket(config, region);
            var listed = await s3.ListObjectsV2Async(new Amazon.S3.Model.ListObjectsV2Request { BucketName = bucket, Prefix = KitNames.SampleCodePrefix });
            foreach (var key in listed.S3Objects.Select(o => o.Key).Where(k => k.EndsWith(".zip", StringComparison.Ordinal)))
            {
                await s3.PutObjectAsync(new Amazon.S3.Model.PutObjectRequest
                {
                    BucketName = bucket, Key = key, ContentBody = "not the packaged zip", ChecksumAlgorithm = Amazon.S3.ChecksumAlgorithm.SHA256,
                });
                keys.Add($"{bucket}/{key}");
            }
        }

        return keys;
    }

    private static async Task RunAs(KitWorkspace workspace, PermissionTrace trace, string roleName, Action run) =>
        await RunAs(workspace, trace, roleName, () => { run(); return Task.CompletedTask; });

    private static async Task RunAs(KitWorkspace workspace, PermissionTrace trace, string roleName, Func<Task> run)
    {
        var session = await trace.AssumeAsync(KitNames.RoleArn("aws", "123456789012", roleName));
        workspace.AddProfile(roleName, session.AccessKeyId, session.SecretAccessKey, session.SessionToken);
        var profile = workspace.Config["build"]!["profile"];
        workspace.Config["build"]!["profile"] = "workstation-only";
        workspace.Environment["CODEBUILD_BUILD_ID"] = $"{roleName}:0001";
        workspace.Environment["AWS_PROFILE"] = roleName;
        try
        {
            await run();
        }
        finally
        {
            workspace.Config["build"]!["profile"] = profile?.DeepClone();
            workspace.Environment.Remove("CODEBUILD_BUILD_ID");
            workspace.Environment.Remove("AWS_PROFILE");
        }
    }
}
