namespace PipelineKit.Tests.Verification;

using PipelineKit.Aws;
using PipelineKit.Deployment;
using PipelineKit.Verification;

/// <summary>What Verify says about a deployed stack that is not what the kit would deploy: one difference at a time,
/// each naming the parameter, tag or template line, the deployed value and the configured one.</summary>
public sealed class StackComparisonTests
{
    private const string Template = "Resources:\n  Key:\n    Type: AWS::KMS::Key\n";

    private static readonly StackDeployment Desired = new("pipelinekit-hello-primary", new StackLocation("123456789012", "us-east-1"), Template,
        new Dictionary<string, string> { ["PipelineName"] = "hello", ["TargetAccountIds"] = "222222222222,333333333333" },
        new Dictionary<string, string> { ["pipelinekit:pipeline"] = "hello" }, TerminationProtection: true, StackDeployment.NamedIam);

    [Fact]
    public void Differences_OfTheStackAsTheKitDeploysIt_AreNone_ParametersLeftAtTheirDefaultNotCounting()
    {
        var deployed = Deployed(new() { ["PipelineName"] = "hello", ["TargetAccountIds"] = "222222222222,333333333333", ["Unset"] = "" });

        Assert.Empty(StackComparison.Differences(Desired, deployed, Template.Replace("\n", "\r\n", StringComparison.Ordinal) + "  \n"));
    }

    [Fact]
    public void Differences_NameEachParameter_WithTheDeployedAndTheConfiguredValue()
    {
        var deployed = Deployed(new() { ["TargetAccountIds"] = "222222222222" });

        Assert.Equal(
            [
                "parameter PipelineName is missing: configured \"hello\"",
                "parameter TargetAccountIds differs: deployed \"222222222222\", configured \"222222222222,333333333333\"",
            ],
            StackComparison.Differences(Desired, deployed, Template));
    }

    [Fact]
    public void Differences_NameTags_TheTemplateLine_AndTerminationProtection()
    {
        var deployed = Deployed(Desired.Parameters.ToDictionary(), tags: new() { ["pipelinekit:pipeline"] = "hello", ["owner"] = "someone" },
            protection: false);

        Assert.Equal(
            [
                "tag owner is deployed, but the kit sets no such tag",
                "template differs from the kit's at line 3: deployed \"Type: AWS::S3::Bucket\", kit \"Type: AWS::KMS::Key\"",
                "termination protection is off, the kit keeps it on",
            ],
            StackComparison.Differences(Desired, deployed, "Resources:\n  Key:\n    Type: AWS::S3::Bucket\n"));
    }

    [Theory]
    [InlineData("CREATE_COMPLETE", true)]
    [InlineData("UPDATE_COMPLETE", true)]
    [InlineData("IMPORT_COMPLETE", true)]
    [InlineData("UPDATE_ROLLBACK_COMPLETE", false)]
    [InlineData("ROLLBACK_COMPLETE", false)]
    [InlineData("UPDATE_IN_PROGRESS", false)]
    [InlineData("REVIEW_IN_PROGRESS", false)]
    [InlineData("DELETE_COMPLETE", false)]
    public void IsGood_OnlyForASettledSuccess(string status, bool good) => Assert.Equal(good, StackComparison.IsGood(new StackStatus(status)));

    private static StackDescription Deployed(Dictionary<string, string> parameters, Dictionary<string, string>? tags = null, bool protection = true) =>
        new("arn:aws:cloudformation:us-east-1:123456789012:stack/pipelinekit-hello-primary/1", "pipelinekit-hello-primary", StackStatus.CreateComplete,
            null, parameters, new Dictionary<string, string>(), tags ?? Desired.Tags.ToDictionary(), protection);
}
