namespace PipelineKit.Tests.LocalPipeline;

using PipelineKit.LocalPipeline;

public sealed class StageRollbackNoticeTests
{
    private static PipelineDefinition Pipeline(params StageDefinition[] stages) =>
        new("hello-pipeline", "123456789012", "us-east-1", "arn:aws:iam::123456789012:role/r", new Dictionary<string, ArtifactStoreDefinition>(), stages,
            new Dictionary<string, BuildProjectDefinition>());

    [Fact]
    public void For_StagesThatRollBackOnFailure_SaysTheLocalRunDoesNot_AndWhatToDoInstead()
    {
        var notice = StageRollbackNotice.For(Pipeline(new("Build", []), new("Deploy-dev", [], "ROLLBACK"), new("Deploy-test", [], "ROLLBACK")));

        Assert.Equal("Local run: Deploy-dev, Deploy-test roll back automatically on failure in AWS (OnFailure ROLLBACK); the local run does not " +
            "emulate that: a failed stage stays failed and its environment keeps what the failed run deployed. To put an environment back: " +
            "./build.sh Rollback --sandbox --environment NAME --direct (redeploys its previous DeploySampleApp --direct).", notice);
    }

    [Fact]
    public void For_NoStageThatRollsBack_SaysNothing()
    {
        Assert.Null(StageRollbackNotice.For(Pipeline(new("Build", []), new("Deploy-dev", [], "FAIL"))));
    }
}
