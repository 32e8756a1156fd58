using System.Text.Json.Nodes;
using PipelineKit.Configuration;
using PipelineKit.Pipeline;
using PipelineKit.Orchestration;
using PipelineKit.Tests.Configuration;

namespace PipelineKit.Tests.Pipeline;

/// <summary>The three configurations the pipeline tests cover (an S3 source, a CodeStar connection, a CodeCommit source in
/// another account), each synthesized once per test run
/// (a synth costs seconds, mostly node start-up) and shared by every test class in the collection.</summary>
public sealed class PipelineTemplates : IDisposable
{
    public const string Single = "single";
    public const string Sandbox = "sandbox";
    public const string Six = "six";

    /// <summary>An organizational unit's environment of 20 accounts with an approval, beside an account environment; not in
    /// <see cref="All"/> (its shape is the fan-out's, checked by its own tests).</summary>
    public const string Unit = "unit";

    /// <summary>GovCloud (partition aws-us-gov): two regions, a CodeCommit source in another account, self-update and a
    /// deployer; not in <see cref="All"/> (checked by its own tests).</summary>
    public const string GovCloud = "govcloud";

    private readonly Dictionary<string, Lazy<SynthesizedCase>> cases;
    private readonly string root = Path.Combine(Path.GetTempPath(), "pipelinekit-synth-" + Guid.NewGuid().ToString("N")[..8]);

    public PipelineTemplates()
    {
        cases = new Dictionary<string, Lazy<SynthesizedCase>>(StringComparer.Ordinal)
        {
            [Single] = Case(Single, ConfigFor(Single)),
            // The sandbox's environments, each an account (SandboxConfigs), with the default S3 source: the one S3 source among
            // the three. The bundled sandbox's CodeCommit source in another account and its unit are synthesized as "six"'s and
            // "unit"'s are, and run in the sandbox's emulator test.
            [Sandbox] = Case(Sandbox, SandboxConfigs.Accounts() with { Source = new S3Source() }),
            [Six] = Case(Six, ConfigFor(Six)),
            [Unit] = Case(Unit, ConfigFor(Unit)),
            [GovCloud] = Case(GovCloud, ConfigFor(GovCloud)),
        };
    }

    public static IReadOnlyList<string> All { get; } = [Single, Sandbox, Six];

    public static TheoryData<string> Names => [.. All];

    public SynthesizedCase this[string name] => cases[name].Value;

    public void Dispose()
    {
        if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
    }

    /// <summary>Key ARNs are not deterministic; tests use a recognisable fake per region.</summary>
    public static string KeyArn(PipelineConfig config, string region) =>
        $"arn:{config.Partition}:kms:{region}:{config.Build.Account}:key/00000000-0000-4000-8000-{Math.Abs(StringComparer.Ordinal.GetHashCode(region)) % 1000000000000:D12}";

    public static string NotificationsKeyArn(PipelineConfig config) =>
        $"arn:{config.Partition}:kms:{config.Build.Region}:{config.Build.Account}:key/11111111-0000-4000-8000-000000000001";

    /// <summary>One environment with approval (its own timeout), a CodeStar connection source, self-update and Slack, and
    /// no automatic rollback.</summary>
    public const string SingleJson =
        """
        {
          "name": "solo",
          "build": { "account": "123456789012", "region": "eu-central-1" },
          "environments": [ { "name": "prod", "account": "210987654321", "region": "eu-central-1", "approval": true, "approvalTimeoutMinutes": 240 } ],
          "source": {
            "type": "CodeStarConnection",
            "connectionArn": "arn:aws:codestar-connections:eu-central-1:123456789012:connection/0a1b2c3d-4e5f-6789-abcd-ef0123456789",
            "repository": "solo-org/solo-service",
            "branch": "main"
          },
          "selfUpdate": true,
          "rollbackOnFailure": false,
          "notifications": { "slack": { "workspaceId": "T0123ABCD", "channelId": "C0123ABCD" } }
        }
        """;

    /// <summary>Six environments in four accounts and four regions, deployed in three waves, with a CodeCommit source
    /// in a separate source account and a pipeline-wide approval timeout; dev without a security gate, prod-eu's always
    /// waiting.</summary>
    public const string SixJson =
        """
        {
          "name": "six",
          "build": { "account": "123456789012", "region": "us-east-1" },
          "approvalTimeoutMinutes": 720,
          "environments": [
            { "name": "dev",     "account": "222222222222", "region": "us-east-1",      "wave": 1, "securityApproval": "never" },
            { "name": "qa",      "account": "222222222222", "region": "us-west-2",      "wave": 1 },
            { "name": "staging", "account": "333333333333", "region": "us-east-1",      "wave": 2, "approval": true },
            { "name": "prod-us", "account": "444444444444", "region": "us-east-1",      "wave": 3, "approval": true, "approvalTimeoutMinutes": 60 },
            { "name": "prod-eu", "account": "444444444444", "region": "eu-west-1",      "wave": 3, "securityApproval": "always" },
            { "name": "prod-ap", "account": "555555555555", "region": "ap-southeast-2", "wave": 3, "approval": true }
          ],
          "source": {
            "type": "CodeCommit",
            "repository": "six-service",
            "branch": "main",
            "account": "999999999999",
            "roleArn": "arn:aws:iam::999999999999:role/six-source"
          },
          "notifications": { "emails": ["team@example.com", "oncall@example.com"] }
        }
        """;

    public const string UnitId = "ou-ab12-cd34ef56";

    public static IReadOnlyList<string> UnitAccounts { get; } =
        [.. Enumerable.Range(0, 20).Select(i => (500000000000L + i).ToString(System.Globalization.CultureInfo.InvariantCulture))];

    public const string UnitJson =
        """
        {
          "name": "fleet",
          "build": { "account": "123456789012", "region": "us-east-1" },
          "organizationId": "o-a1b2c3d4e5",
          "environments": [
            { "name": "dev",  "account": "222222222222", "region": "us-east-1" },
            { "name": "prod", "organizationalUnit": "ou-ab12-cd34ef56", "region": "us-east-1", "approval": true, "securityApproval": "never" }
          ],
          "notifications": { "emails": ["team@example.com"] }
        }
        """;

    public const string GovCloudJson =
        """
        {
          "name": "gov",
          "build": { "account": "123456789012", "region": "us-gov-west-1" },
          "environments": [
            { "name": "dev",  "account": "222222222222", "region": "us-gov-west-1" },
            { "name": "prod", "account": "444444444444", "region": "us-gov-east-1", "approval": true }
          ],
          "source": { "type": "CodeCommit", "repository": "gov-service", "branch": "main", "account": "999999999999" },
          "selfUpdate": true,
          "deployers": ["arn:aws-us-gov:iam::123456789012:role/release"],
          "notifications": { "emails": ["team@example.com"] }
        }
        """;

    public static PipelineConfig ConfigFor(string name) => name switch
    {
        GovCloud => PipelineConfigLoader.Parse(GovCloudJson, "govcloud.pipeline.json", ConfigContext.WithoutProfiles),
        Single => PipelineConfigLoader.Parse(SingleJson, "single.pipeline.json", ConfigContext.WithoutProfiles),
        Six => PipelineConfigLoader.Parse(SixJson, "six.pipeline.json", ConfigContext.WithoutProfiles),
        Unit => PipelineConfigLoader.Parse(UnitJson, "unit.pipeline.json", ConfigContext.WithoutProfiles).WithUnitAccounts(
            new Dictionary<string, IReadOnlyList<string>> { [UnitId] = UnitAccounts },
            new Dictionary<string, string> { [UnitId] = $"o-a1b2c3d4e5/r-ab12/{UnitId}/" }),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
    };

    private Lazy<SynthesizedCase> Case(string name, PipelineConfig config) => new(() =>
    {
        var outputs = FoundationOutputs.FromNames(config, config.Regions.ToDictionary(r => r, r => KeyArn(config, r)), NotificationsKeyArn(config));
        var synthesized = PipelineSynthesizer.Synthesize(config, outputs, Path.Combine(root, name));
        return new SynthesizedCase(config, outputs, synthesized);
    }, LazyThreadSafetyMode.ExecutionAndPublication);
}

public sealed record SynthesizedCase(PipelineConfig Config, FoundationOutputs Outputs, SynthesizedPipeline Pipeline)
{
    private readonly Lazy<Amazon.CDK.Assertions.Template> template = new(() => Amazon.CDK.Assertions.Template.FromString(Pipeline.TemplateBody));
    private readonly Lazy<JsonObject> json = new(() => JsonNode.Parse(Pipeline.TemplateBody)!.AsObject());

    /// <summary>Runs Amazon.CDK.Assertions checks on the template. Every CDK call, the matchers included, must be
    /// made inside <paramref name="assertions"/>: it holds the kit's CDK gate, since JSII is not thread-safe and the
    /// integration tests synthesize on other threads (see <see cref="CdkRuntime"/>).</summary>
    public void Check(Action<Amazon.CDK.Assertions.Template> assertions) => CdkRuntime.Run(() => assertions(template.Value));

    /// <summary>The template as JSON, for walking structures the matchers do not express (order, every statement).</summary>
    public JsonObject Json => json.Value;

    public IEnumerable<(string LogicalId, JsonObject Resource)> Resources(string type) =>
        Json["Resources"]!.AsObject()
            .Where(r => (string?)r.Value!["Type"] == type)
            .Select(r => (r.Key, r.Value!.AsObject()));

    public JsonArray Stages => (JsonArray)Resources("AWS::CodePipeline::Pipeline").Single().Resource["Properties"]!["Stages"]!;
}

/// <summary>Every test class over the synthesized pipelines shares one set of synths.</summary>
[CollectionDefinition(Name)]
public sealed class SynthesizedPipelinesCollection : ICollectionFixture<PipelineTemplates>
{
    public const string Name = "Synthesized pipelines";
}
