namespace PipelineKit.Tests.Permissions;

using PipelineKit.Configuration;
using PipelineKit.Permissions;
using PipelineKit.Tests.Configuration;

public class PipelineCallsTests
{
    /// <summary>CodeCommit in a source account (role with a path), self-update, Slack, two accounts and two regions.</summary>
    private const string RichJson =
        """
        {
          "name": "rich",
          "build": { "account": "123456789012", "region": "eu-west-1" },
          "environments": [
            { "name": "dev",  "account": "222222222222", "region": "eu-west-1" },
            { "name": "prod", "account": "444444444444", "region": "eu-central-1", "approval": true }
          ],
          "source": {
            "type": "CodeCommit", "repository": "rich-service", "branch": "main",
            "account": "999999999999", "roleArn": "arn:aws:iam::999999999999:role/source/rich-source"
          },
          "selfUpdate": true,
          "notifications": { "slack": { "workspaceId": "T0123ABCD", "channelId": "C0123ABCD" } }
        }
        """;

    private const string NotificationsKey = "arn:aws:kms:us-east-1:123456789012:key/11111111-0000-4000-8000-000000000001";

    private static PipelineConfig Sandbox => SandboxConfigs.Accounts();

    /// <summary>The sandbox with the default S3 source instead of its CodeCommit source in a fourth account.</summary>
    private static PipelineConfig SandboxWithS3 => Sandbox with { Source = new S3Source() };

    private static PipelineConfig Rich => PipelineConfigLoader.Parse(RichJson, "rich.pipeline.json", ConfigContext.WithoutProfiles);

    private static Dictionary<string, string> Keys(PipelineConfig config) =>
        config.Regions.ToDictionary(r => r, r => $"arn:aws:kms:{r}:{config.Build.Account}:key/0000{r.Length:D4}-0000-4000-8000-000000000000");

    private static IReadOnlyList<ScopedCall> Scoped(PipelineConfig config) =>
        PipelineCalls.ExpandScoped(PipelineCalls.Entries, config, Keys(config), NotificationsKey);

    private static IEnumerable<string> Strings(ExpectedCall call) =>
        new[] { call.Request.Principal.Arn, call.Request.Principal.IdentityArn, call.Request.Action, call.Request.Resource,
                call.Request.ResourceAccount, call.Why, call.Doc }
            .Concat(call.Request.Context.Keys).Concat(call.Request.Context.Values.SelectMany(v => v));

    [Fact]
    public void SandboxWithAnS3Source_ExpandsToTheExpectedCallsPerEnvironment()
    {
        var calls = Scoped(SandboxWithS3);

        // The same deploy calls in every environment; the approval's two (publish, encrypt) only in prod.
        // With the security gate (every environment's default): the reader's three reads, assuming it, and the approval.
        Assert.Equal(new Dictionary<string, int> { ["dev"] = 33, ["test"] = 33, ["test-eu"] = 33, ["prod"] = 35 },
            Count(calls, c => !c.Call.MustDeny && c.Environment is not null, c => c.Environment!));
        // Among the must-denies, per environment: the smoke-test role may not read the account through its change-set reader, nor
        // another role of the account decrypt the artifacts.
        Assert.Equal(new Dictionary<string, int> { ["dev"] = 25, ["test"] = 25, ["test-eu"] = 25, ["prod"] = 26 },
            Count(calls, c => c.Call.MustDeny && c.Environment is not null, c => c.Environment!));
        Assert.Equal(new Dictionary<string, int> { ["us-west-2"] = 4, ["eu-west-1"] = 4 },
            Count(calls, c => !c.Call.MustDeny && c.Environment is null && c.Region is not null, c => c.Region!));
        // The build role's four for the run lock (PublishSampleApp) among them, and that it may not delete the lock; the smoke
        // test's thirteen (starting and following it, its role's source and logs, creating its role, project and log group) and
        // its report group's four;
        // the smoke test rule's six (EventBridge publishing through the key, creating the rule) and the build's twelve
        // report group calls (the app's TRX, both coverage groups); EventBridge for another rule and the build in
        // another project's report group must be denied.
        Assert.Equal(70 + 13 + 4 + 6 + 12, calls.Count(c => !c.Call.MustDeny && c.Region is null));
        // And a role named as the action role in an account that is not a target may not read the artifacts, nor the build
        // role write the record of direct deployments; nor may the pipeline stack point the smoke test rule anywhere but the
        // pipeline's topic (another account's bus; targets the request does not name).
        Assert.Equal(17 + 2 + 1 + 1 + 1 + 2, calls.Count(c => c.Call.MustDeny && c.Region is null));
    }

    [Fact]
    public void Sandbox_WithItsCodeCommitSource_TradesTheS3SourcesCallsForTheSourceAccounts()
    {
        var s3 = Scoped(SandboxWithS3);
        var calls = Scoped(Sandbox);

        // The same calls per environment and region; the S3 source's six (the pipeline's role reading the object and writing the
        // artifact) give way to the CodeCommit source's sixteen: the source role assumed, its repository reads and its write of
        // the Source artifact with the build account's key, and the forwarding of the branch's changes that starts the pipeline.
        Assert.Equal(s3.Count(c => c.Region is not null || c.Environment is not null), calls.Count(c => c.Region is not null || c.Environment is not null));
        Assert.Equal(s3.Count(c => !c.Call.MustDeny && c.Region is null && c.Environment is null) - 6 + 16,
            calls.Count(c => !c.Call.MustDeny && c.Region is null && c.Environment is null));
        // The source role may not push, nor write beyond the Source folder; the forwarding roles reach no further (five denials).
        Assert.Equal(s3.Count(c => c.Call.MustDeny) + 5, calls.Count(c => c.Call.MustDeny));
        Assert.Contains(calls, c => c.Call.Request.Principal.IdentityArn == "arn:aws:iam::555555555555:role/sandbox-source-action" &&
                                    c.Call.Request.Action == "s3:PutObject" &&
                                    c.Call.Request.Resource.StartsWith("arn:aws:s3:::sandbox-artifacts-123456789012-us-east-1/sandbox-pipeline/Source/", StringComparison.Ordinal));
    }

    [Fact]
    public void CodeCommitSelfUpdateSlack_ExpandsToTheExpectedCalls()
    {
        var calls = Scoped(Rich);

        Assert.Equal(new Dictionary<string, int> { ["dev"] = 33, ["prod"] = 35 },
            Count(calls, c => !c.Call.MustDeny && c.Environment is not null, c => c.Environment!));
        Assert.Equal(new Dictionary<string, int> { ["eu-central-1"] = 5 },
            Count(calls, c => !c.Call.MustDeny && c.Environment is null && c.Region is not null, c => c.Region!));
        // The run lock: four calls each for the build role (PublishSampleApp) and the update role (CreatePipeline).
        // And the smoke test's thirteen, the smoke test rule's six and the report groups' twelve, as in the sandbox.
        // The source's changes: the forwarding role assumed, the source-changed role assumed and starting the pipeline,
        // and the six calls that create that rule and role; the roles must not reach beyond (three denials).
        Assert.Equal(95 + 4 + 4 + 13 + 4 + 6 + 12 + 3 + 6, calls.Count(c => !c.Call.MustDeny && c.Region is null));
        Assert.Equal(27 + 2 * 25 + 1 + 1 + 2 + 2 + 1 + 3 + 2 + 2, calls.Count(c => c.Call.MustDeny));
    }

    [Fact]
    public void Expand_LeavesNoPlaceholder()
    {
        foreach (var config in new[] { Sandbox, SandboxWithS3, Rich })
        {
            var leftovers = PipelineCalls.Expand(config, Keys(config), NotificationsKey)
                .SelectMany(Strings).Where(s => s.Contains('{', StringComparison.Ordinal)).ToArray();
            Assert.Empty(leftovers);
        }
    }

    [Fact]
    public void EveryEntry_CitesAnAwsDocumentationPage()
    {
        Assert.All(PipelineCalls.Entries, e => Assert.StartsWith("https://docs.aws.amazon.com/", e.Doc, StringComparison.Ordinal));
        Assert.All(PipelineCalls.Expand(Rich, Keys(Rich), NotificationsKey),
            c => Assert.StartsWith("https://docs.aws.amazon.com/", c.Doc, StringComparison.Ordinal));
    }

    [Fact]
    public void When_KeepsOnlyWhatTheConfigurationUses()
    {
        var sandbox = PipelineCalls.Expand(SandboxWithS3, Keys(SandboxWithS3), NotificationsKey);
        var rich = PipelineCalls.Expand(Rich, Keys(Rich), NotificationsKey);

        // S3 source: no CodeCommit, connection, self-update or Slack calls.
        Assert.DoesNotContain(sandbox, c => c.Request.Action.StartsWith("codecommit:", StringComparison.Ordinal));
        Assert.DoesNotContain(sandbox, c => c.Request.Action.StartsWith("chatbot:", StringComparison.Ordinal));
        Assert.DoesNotContain(sandbox, c => c.Request.Principal.IdentityArn.EndsWith("-pipeline-update", StringComparison.Ordinal));
        Assert.Contains(sandbox, c => c.Request.Resource == "arn:aws:s3:::sandbox-source-123456789012-us-east-1/source.zip");

        // CodeCommit: the source role acts, the S3 source is never read (only the run lock beside it); self-update and Slack are there.
        Assert.DoesNotContain(rich, c => !c.MustDeny && c.Request.Resource.Contains("rich-source-123456789012", StringComparison.Ordinal)
                                         && !c.Request.Resource.EndsWith("/" + PipelineKit.Naming.KitNames.RunLockKey, StringComparison.Ordinal));
        Assert.Contains(rich, c => c.Request.Principal.IdentityArn == "arn:aws:iam::999999999999:role/source/rich-source" &&
                                   c.Request.Action == "codecommit:GetBranch");
        Assert.Contains(rich, c => c.Request.Action == "chatbot:CreateSlackChannelConfiguration");
        Assert.Contains(rich, c => c.Request.Principal.IdentityArn == "arn:aws:iam::123456789012:role/rich-pipeline-update");

        // Approval: the publish happens once per environment with approval, prod only.
        var publishes = Scoped(Sandbox).Where(c => c.Call.Request.Action == "sns:Publish" && c.Environment is not null);
        Assert.Equal(new[] { "prod" }, publishes.Select(c => c.Environment));
    }

    [Fact]
    public void EverySourceKind_HasTheCallsOfItsSourceAction()
    {
        // A kind whose calls are not written down would be deployed with policies nothing checks.
        var conditions = PipelineCalls.Entries.Select(e => e.When).ToHashSet(StringComparer.Ordinal);

        Assert.All(SourceKinds.All, kind => Assert.Contains(kind.TraceCondition, conditions));
    }

    [Fact]
    public void Expand_NamesPrincipalsAndResourceAccountsAsIamSeesThem()
    {
        var rich = PipelineCalls.Expand(Rich, Keys(Rich), NotificationsKey);

        var sourceWrite = rich.Single(c => !c.MustDeny && c.Request.Action == "s3:PutObject" &&
                                           c.Request.Principal.IdentityArn.EndsWith("/source/rich-source", StringComparison.Ordinal));
        Assert.Equal("999999999999", sourceWrite.Request.Principal.Account);
        Assert.Equal("123456789012", sourceWrite.Request.ResourceAccount);
        Assert.Equal("arn:aws:s3:::rich-artifacts-123456789012-eu-west-1/rich-pipeline/Source/x7Kq2Zp", sourceWrite.Request.Resource);

        var api = rich.First(c => c.Request.Action == "apigateway:POST" && c.Request.Principal.Account == "444444444444");
        Assert.Equal("444444444444", api.Request.ResourceAccount);

        var assume = rich.First(c => c.Request.Principal.Kind == PrincipalKind.Service && c.Request.Action == "sts:AssumeRole");
        Assert.Equal("codepipeline.amazonaws.com", assume.Request.Principal.Arn);
        Assert.Equal(["arn:aws:codepipeline:eu-west-1:123456789012:rich-pipeline"], assume.Request.Context["aws:SourceArn"]);

        var changeSet = rich.Single(c => !c.MustDeny && c.Request.Action == "cloudformation:CreateChangeSet" && c.Request.ResourceAccount == "444444444444");
        Assert.StartsWith("arn:aws:cloudformation:eu-central-1:444444444444:stack/rich-prod-app/", changeSet.Request.Resource, StringComparison.Ordinal);
        Assert.Equal(["rich-prod-app-pipeline"], changeSet.Request.Context["cloudformation:ChangeSetName"]);
        Assert.Equal(["arn:aws:iam::444444444444:role/rich-cfn-execution"], changeSet.Request.Context["cloudformation:RoleArn"]);
    }

    [Fact]
    public void Parse_MalformedEntry_NamesItsIndex()
    {
        var good = Entry("""{"by":"service:codebuild.amazonaws.com","action":"sts:AssumeRole","resource":"arn:aws:iam::{build}:role/{name}-x"}""");
        var badForEach = Entry("""{"by":"service:codebuild.amazonaws.com","action":"sts:AssumeRole","resource":"*","forEach":"account"}""");

        var error = Assert.Throws<FormatException>(() => PipelineCalls.Parse(Calls(good, badForEach)));

        Assert.Contains("calls[1]", error.Message, StringComparison.Ordinal);
        Assert.Contains("\"forEach\" must be null or one of", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"by":"service:x.amazonaws.com","action":"a:B","resource":"arn:aws:s3:::{bucketName}"}""", "placeholder {bucketName} is unknown")]
    [InlineData("""{"by":"service:x.amazonaws.com","action":"a:B","resource":"arn:aws:s3:::{bucket}"}""", "placeholder {bucket} needs a \"forEach\"")]
    [InlineData("""{"by":"service:x.amazonaws.com","action":"a:B","resource":"{appStack}","forEach":"region"}""", "placeholder {appStack} needs \"forEach\": \"environment\"")]
    [InlineData("""{"by":"service:x.amazonaws.com","action":"a:B","resource":"*","when":"always"}""", "\"when\" must be null or one of")]
    [InlineData("""{"by":"user:bob","action":"a:B","resource":"*"}""", "\"by\" must be service:")]
    [InlineData("""{"by":"service:x.amazonaws.com","action":"a:B","resource":"*","foreach":"region"}""", "unknown field \"foreach\"")]
    public void Parse_BadEntry_SaysWhatIsWrong(string entry, string expected)
    {
        var error = Assert.Throws<FormatException>(() => PipelineCalls.Parse(Calls(Entry(entry))));

        Assert.Contains("calls[0]", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Expand_PlaceholderTheConfigurationLacks_NamesTheEntry()
    {
        // {connectionArn} exists only for a CodeStar connection source; without a "when" the S3 sandbox cannot fill it.
        var entries = PipelineCalls.Parse(Calls(
            Entry("""{"by":"role:{build}:{name}-pipeline-actions","action":"codestar-connections:UseConnection","resource":"{connectionArn}"}""")));

        var error = Assert.Throws<InvalidOperationException>(() => PipelineCalls.ExpandScoped(entries, Sandbox, Keys(Sandbox), NotificationsKey));

        Assert.Contains("calls[0]", error.Message, StringComparison.Ordinal);
        Assert.Contains("{connectionArn}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Expand_WithoutARegionsKey_Throws()
    {
        var keys = Keys(Sandbox);
        keys.Remove("eu-west-1");

        var error = Assert.Throws<ArgumentException>(() => PipelineCalls.Expand(Sandbox, keys, NotificationsKey));

        Assert.Contains("eu-west-1", error.Message, StringComparison.Ordinal);
    }

    private static Dictionary<string, int> Count(IEnumerable<ScopedCall> calls, Func<ScopedCall, bool> which, Func<ScopedCall, string> by) =>
        calls.Where(which).GroupBy(by).ToDictionary(g => g.Key, g => g.Count());

    /// <summary>An entry with the fields every test leaves alone filled in.</summary>
    private static string Entry(string json) =>
        json.TrimEnd('}') + ""","why":"w","doc":"https://docs.aws.amazon.com/x.html"}""";

    private static string Calls(params string[] entries) => $$"""{"calls":[{{string.Join(",", entries)}}],"mustDeny":[]}""";

    [Fact]
    public void AUnitsAccounts_CallWithTheUnitsPath_SoTheGrantByPathIsEvaluated()
    {
        var config = Sandbox with
        {
            OrganizationId = "o-a1b2c3d4e5",
            Environments =
            [
                new EnvironmentSettings("dev", "", "us-east-1", SecurityApproval: SecurityApproval.Never, OrganizationalUnit: "ou-ab12-11111111"),
                new EnvironmentSettings("prod", "444444444444", "us-east-1"),
            ],
        };
        var resolved = config.WithUnitAccounts(
            new Dictionary<string, IReadOnlyList<string>> { ["ou-ab12-11111111"] = ["555555555555"] },
            new Dictionary<string, string> { ["ou-ab12-11111111"] = "o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/" });

        var calls = Scoped(resolved).Select(c => c.Call.Request.Principal).ToArray();

        Assert.Contains(calls, p => p.Account == "555555555555");
        Assert.All(calls.Where(p => p.Account == "555555555555"), p => Assert.Equal(["o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/"], p.OrganizationPaths!));
        Assert.All(calls.Where(p => p.Account != "555555555555"), p => Assert.Null(p.OrganizationPaths));
    }
}
