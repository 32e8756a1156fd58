namespace PipelineKit.Tests.Pipeline;

using PipelineKit.Configuration;
using PipelineKit.Orchestration;
using PipelineKit.Pipeline;

/// <summary>The synthesized template is used again only while every input of the synthesis is the same.</summary>
public sealed class SynthesisCacheTests : IDisposable
{
    private readonly string outDir = Directory.CreateTempSubdirectory("pipelinekit-synth-cache-").FullName;
    private readonly Dictionary<string, string> environment = new(StringComparer.Ordinal);
    private int synthesized;

    public void Dispose() => Directory.Delete(outDir, recursive: true);

    private static PipelineConfig Config(string json = PipelineTemplates.SingleJson) =>
        PipelineConfigLoader.Parse(json, "single.pipeline.json", ConfigContext.WithoutProfiles);

    private static FoundationOutputs Outputs(PipelineConfig config, string notificationsKey = "arn:aws:kms:eu-central-1:123456789012:key/n") =>
        FoundationOutputs.FromNames(config, config.Regions.ToDictionary(r => r, r => PipelineTemplates.KeyArn(config, r)), notificationsKey);

    private string Body(PipelineConfig config, FoundationOutputs outputs) =>
        SynthesisCache.TemplateBody(config, outputs, outDir, k => environment.GetValueOrDefault(k), () => $"template {++synthesized}");

    [Fact]
    public void SameInputs_AreSynthesizedOnce_AndTheKeptTemplateIsReturned()
    {
        var config = Config();

        var first = Body(config, Outputs(config));
        var again = Body(Config(), Outputs(Config()));

        Assert.Equal("template 1", first);
        Assert.Equal(first, again);
        Assert.Equal(1, synthesized);
    }

    public static TheoryData<string, string> ConfigChanges => new()
    {
        { "an environment's approval timeout", "\"approvalTimeoutMinutes\": 120" },
        { "the source's branch (a field of the source kind only)", "\"branch\": \"release\"" },
        { "the source's repository", "\"repository\": \"solo-org/other-service\"" },
        { "self-update", "\"selfUpdate\": false" },
    };

    [Theory]
    [MemberData(nameof(ConfigChanges))]
    public void AChangedConfiguration_IsSynthesizedAfresh(string change, string replacement)
    {
        var config = Config();
        Body(config, Outputs(config));
        var field = replacement[..(replacement.IndexOf(':', StringComparison.Ordinal) + 1)];
        var start = PipelineTemplates.SingleJson.IndexOf(field, StringComparison.Ordinal);
        var end = PipelineTemplates.SingleJson.IndexOfAny([',', '\n', '}'], start + field.Length + 1);
        var changedJson = PipelineTemplates.SingleJson[..start] + replacement + PipelineTemplates.SingleJson[end..];
        var changed = Config(changedJson);

        var body = Body(changed, Outputs(changed));

        Assert.True(body == "template 2", $"{change}: the kept template was used");
    }

    [Fact]
    public void ChangedFoundationOutputs_AreSynthesizedAfresh()
    {
        var config = Config();
        var outputs = Outputs(config);
        Body(config, outputs);

        Body(config, Outputs(config, notificationsKey: "arn:aws:kms:eu-central-1:123456789012:key/other"));
        var keys = config.Regions.ToDictionary(r => r, r => PipelineTemplates.KeyArn(config, r) + "-rotated");
        Body(config, FoundationOutputs.FromNames(config, keys, outputs.NotificationsKeyArn));
        var roles = new Dictionary<string, TargetAccountRoles>(outputs.TargetRoles.ToDictionary())
        {
            ["210987654321"] = new("210987654321", "arn:aws:iam::210987654321:role/other-action", "arn:aws:iam::210987654321:role/other-execution"),
        };
        Body(config, outputs with { TargetRoles = roles });

        Assert.Equal(4, synthesized);
    }

    [Fact]
    public void ACdkEnvironmentVariable_IsPartOfTheKey()
    {
        var config = Config();
        Body(config, Outputs(config));

        environment["CDK_CONTEXT_JSON"] = "{\"@aws-cdk/core:newStyleStackSynthesis\":true}";
        Body(config, Outputs(config));

        Assert.Equal(2, synthesized);
    }

    [Fact]
    public void TheKitsAndTheCdksAssemblies_ArePartOfTheKey()
    {
        var config = Config();
        var key = SynthesisCache.KeyText(config, Outputs(config), _ => null);

        Assert.Contains(typeof(SynthesisCache).Assembly.ManifestModule.ModuleVersionId.ToString(), key, StringComparison.Ordinal);
        Assert.Contains(typeof(Amazon.CDK.App).Assembly.ManifestModule.ModuleVersionId.ToString(), key, StringComparison.Ordinal);
    }

    [Fact]
    public void AnUnreadableCacheEntry_IsSynthesizedAfresh()
    {
        var config = Config();
        Body(config, Outputs(config));
        foreach (var file in Directory.GetFiles(outDir, "*.json", SearchOption.AllDirectories)) File.WriteAllText(file, "{\"key\": \"");

        Assert.Equal("template 2", Body(config, Outputs(config)));
    }
}
