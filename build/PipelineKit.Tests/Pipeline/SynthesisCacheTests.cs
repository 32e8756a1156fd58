namespace PipelineKit.Tests.Pipeline;

using PipelineKit.Configuration;
using PipelineKit.Orchestration;
using PipelineKit.Pipeline;

/// <summary>The synthesized template is used again only while every input of the synthesis is the same; the foundation's
/// key ids are not among them (they are filled into the kept template).</summary>
public sealed class SynthesisCacheTests : IDisposable
{
    private readonly string outDir = Directory.CreateTempSubdirectory("pipelinekit-synth-cache-").FullName;
    private readonly Dictionary<string, string> environment = new(StringComparer.Ordinal);
    private int synthesized;

    public void Dispose() => Directory.Delete(outDir, recursive: true);

    private static PipelineConfig Config(string json = PipelineTemplates.SingleJson) =>
        PipelineConfigLoader.Parse(json, "single.pipeline.json", ConfigContext.WithoutProfiles);

    private static FoundationOutputs Outputs(PipelineConfig config, string? notificationsKey = null) =>
        FoundationOutputs.FromNames(config, config.Regions.ToDictionary(r => r, r => PipelineTemplates.KeyArn(config, r)),
            notificationsKey ?? PipelineTemplates.NotificationsKeyArn(config));

    /// <summary>A stand-in synthesis: a numbered template naming the keys it was given, as a template does.</summary>
    private string Body(PipelineConfig config, FoundationOutputs outputs) =>
        SynthesisCache.TemplateBody(config, outputs, outDir, k => environment.GetValueOrDefault(k),
            o => $"template {++synthesized} {o.NotificationsKeyArn} {string.Join(" ", o.ArtifactStores.Values.Select(s => s.KeyArn))}");

    [Fact]
    public void SameInputs_AreSynthesizedOnce_AndTheKeptTemplateIsReturned()
    {
        var config = Config();

        var first = Body(config, Outputs(config));
        var again = Body(Config(), Outputs(Config()));

        Assert.StartsWith("template 1 ", first, StringComparison.Ordinal);
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

        Assert.True(body.StartsWith("template 2 ", StringComparison.Ordinal), $"{change}: the kept template was used");
    }

    [Fact]
    public void NewKeys_UseTheKeptTemplate_WithTheirIdsFilledIn()
    {
        var config = Config();
        var outputs = Outputs(config);
        var first = Body(config, outputs);
        var rotated = config.Regions.ToDictionary(r => r, r => PipelineTemplates.KeyArn(config, r).Replace("00000000-", "0000abcd-", StringComparison.Ordinal));
        var notifications = PipelineTemplates.NotificationsKeyArn(config).Replace("11111111-", "2222ffff-", StringComparison.Ordinal);

        var second = Body(config, FoundationOutputs.FromNames(config, rotated, notifications));

        Assert.Equal(1, synthesized);
        Assert.Contains(outputs.NotificationsKeyArn, first, StringComparison.Ordinal);
        Assert.All(outputs.ArtifactStores.Values, s => Assert.Contains(s.KeyArn, first, StringComparison.Ordinal));
        Assert.Contains(notifications, second, StringComparison.Ordinal);
        Assert.All(rotated.Values, arn => Assert.Contains(arn, second, StringComparison.Ordinal));
        Assert.DoesNotContain(outputs.NotificationsKeyArn, second, StringComparison.Ordinal);
    }

    [Fact]
    public void AKeyOfAnotherShape_IsSynthesizedWithItsOwnArn_NotFilledIn()
    {
        var config = Config();
        Body(config, Outputs(config));
        var elsewhere = $"arn:aws:kms:{config.Build.Region}:999999999999:key/11111111-0000-4000-8000-000000000001";

        var body = Body(config, Outputs(config, elsewhere));

        Assert.StartsWith("template 2 " + elsewhere, body, StringComparison.Ordinal);
    }

    [Fact]
    public void OtherTargetRoles_AreSynthesizedWithTheirOwnArns()
    {
        var config = Config();
        var outputs = Outputs(config);
        Body(config, outputs);
        var roles = new Dictionary<string, TargetAccountRoles>(outputs.TargetRoles.ToDictionary())
        {
            ["210987654321"] = new("210987654321", "arn:aws:iam::210987654321:role/other-action", "arn:aws:iam::210987654321:role/other-execution"),
        };

        Body(config, outputs with { TargetRoles = roles });

        Assert.Equal(2, synthesized);
    }

    /// <summary>The CDK itself: the template synthesized with stand-in key ids and filled in is, character for character,
    /// the one synthesized with the deployed keys.</summary>
    [Fact]
    public void TheFilledInTemplate_IsTheTemplateSynthesizedWithTheDeployedKeys()
    {
        var config = Config();
        var outputs = Outputs(config);

        var direct = PipelineSynthesizer.Synthesize(config, outputs, Path.Combine(outDir, "direct")).TemplateBody;
        var filled = SynthesisCache.TemplateBody(config, outputs, Path.Combine(outDir, "cached"), _ => null);

        Assert.Equal(direct, filled);
        Assert.Contains(outputs.NotificationsKeyArn, filled, StringComparison.Ordinal);
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

        Assert.StartsWith("template 2 ", Body(config, Outputs(config)), StringComparison.Ordinal);
    }
}
