namespace PipelineKit.Tests.SampleApp;

using PipelineKit.Configuration;
using PipelineKit.SampleApp;
using PipelineKit.Tests.Configuration;

public sealed class SampleParameterFilesTests : IDisposable
{
    private const string Sha = "ab0de7a29e8c70304e53cf4c12e0bb85841b9aa339c0d3460443ca77c0e43d0f";

    private readonly PipelineConfig config = ConfigJson.Parse(ConfigJson.Valid());
    private readonly string folder = Directory.CreateTempSubdirectory("pipelinekit-params-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void Render_WritesTemplateConfigurationWithSortedParametersAndTags()
    {
        var prod = config.Environments[2];

        var text = SampleParameterFiles.Render(config, prod, new SampleCodeLocation("bucket-eu", "sample-app/hello-service-1.zip"), "3f2a9c1");

        Assert.Equal("""
            {
              "Parameters": {
                "AppVersion": "3f2a9c1",
                "CodeBucket": "bucket-eu",
                "CodeKey": "sample-app/hello-service-1.zip",
                "EnvironmentName": "prod",
                "PipelineName": "hello"
              },
              "Tags": {
                "pipelinekit:environment": "prod",
                "pipelinekit:pipeline": "hello"
              }
            }

            """.ReplaceLineEndings("\n"), text);
    }

    [Fact]
    public void Render_WithObjectVersion_AddsCodeObjectVersion()
    {
        var text = SampleParameterFiles.Render(config, config.Environments[0], new SampleCodeLocation("b", "k", "v1"), "3f2a9c1");

        Assert.Contains("\"CodeObjectVersion\": \"v1\"", text, StringComparison.Ordinal);
    }

    [Fact]
    public void ArtifactBucketLocation_IsTheArtifactBucketOfTheEnvironmentsRegionAndAKeyNamedAfterTheZipHash()
    {
        var location = SamplePackager.ArtifactBucketLocation(config, config.Environments[1], Sha);

        Assert.Equal(new SampleCodeLocation("hello-artifacts-123456789012-us-west-2", $"sample-app/hello-service-{Sha}.zip"), location);
    }

    [Fact]
    public void WriteParameterFiles_WritesOneFilePerEnvironmentInPipelineOrder()
    {
        var files = SamplePackager.WriteParameterFiles(folder, config, "3f2a9c1", environment => SamplePackager.ArtifactBucketLocation(config, environment, Sha));

        Assert.Equal(["dev", "test", "prod"], files.Keys);
        Assert.Equal(
            ["params-dev.json", "params-prod.json", "params-test.json"],
            Directory.GetFiles(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        var dev = File.ReadAllText(files["dev"]);
        Assert.Contains("\"CodeBucket\": \"hello-artifacts-123456789012-us-east-1\"", dev, StringComparison.Ordinal);
        Assert.Contains("\"EnvironmentName\": \"dev\"", dev, StringComparison.Ordinal);
        Assert.False(File.ReadAllBytes(files["dev"]).AsSpan().StartsWith(new byte[] { 0xEF, 0xBB, 0xBF }), "no BOM");
    }

    [Fact]
    public void WriteParameterFiles_Twice_GivesIdenticalBytes()
    {
        var first = File.ReadAllBytes(SamplePackager.WriteParameterFiles(folder, config, "3f2a9c1", e => new SampleCodeLocation("b", "k"))["prod"]);
        var second = File.ReadAllBytes(SamplePackager.WriteParameterFiles(folder, config, "3f2a9c1", e => new SampleCodeLocation("b", "k"))["prod"]);

        Assert.Equal(first, second);
    }
}
