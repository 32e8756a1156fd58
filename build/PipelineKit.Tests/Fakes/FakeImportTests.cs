namespace PipelineKit.Tests.Fakes;

using Amazon.Runtime;
using PipelineKit.Aws;
using PipelineKit.Deployment;
using PipelineKit.Testing;

/// <summary>FakeCloudFormation.md, "Import": IMPORT change sets refuse what does not exist and adopt what does.</summary>
public class FakeImportTests
{
    private static readonly StackLocation At = new("123456789012", "us-east-1");
    private readonly FakeResources world = new();
    private readonly FakeCloudFormation cfn;

    public FakeImportTests() => cfn = new FakeCloudFormation(new VirtualTime()) { Resources = world };

    private static CreateChangeSetRequest Import(string stack, string bucket) =>
        new(stack, "imp", ChangeSetType.Import, "{}", null, new Dictionary<string, string>(), new Dictionary<string, string>(), [], "t",
            ResourcesToImport: [new ResourceToImport("AWS::S3::Bucket", "Bucket", new Dictionary<string, string> { ["BucketName"] = bucket })]);

    private async Task<StackDescription> Settled(string stack)
    {
        StackDescription? d;
        do d = await cfn.DescribeStackAsync(stack);
        while (d!.Status.IsInProgress);
        return d;
    }

    [Fact]
    public async Task AnImportOfABucketThatDoesNotExist_IsAValidationError()
    {
        var error = await Assert.ThrowsAsync<AmazonServiceException>(() => cfn.CreateChangeSetAsync(Import("s", "missing")));

        Assert.Equal("ValidationError", error.ErrorCode);
        Assert.Equal("Resource Bucket (AWS::S3::Bucket missing) does not exist.", error.Message);
    }

    [Fact]
    public async Task AnImportOfAnotherAccountsBucket_IsAValidationError()
    {
        world.AddBucket("theirs", "999999999999");

        await Assert.ThrowsAsync<AmazonServiceException>(() => cfn.CreateChangeSetAsync(Import("s", "theirs")));
    }

    [Fact]
    public async Task AnExecutedImport_AdoptsTheBucket_AndSettlesInImportComplete_AndASecondStackCannotTakeIt()
    {
        world.AddBucket("kept", At.AccountId);
        await cfn.CreateChangeSetAsync(Import("s", "kept"));
        ChangeSetDescription changeSet;
        do changeSet = await cfn.DescribeChangeSetAsync("s", "imp");
        while (changeSet.Status.IsPending);

        await cfn.ExecuteChangeSetAsync("s", "imp", "x");
        var stack = await Settled("s");

        Assert.Equal(["Import Bucket kept"], changeSet.Changes.Select(c => $"{c.Action} {c.LogicalResourceId} {c.PhysicalResourceId}"));
        Assert.Equal(StackStatus.ImportComplete, stack.Status);
        Assert.Equal(stack.StackId, world.OwnerOf("AWS::S3::Bucket", "kept"));
        var error = await Assert.ThrowsAsync<AmazonServiceException>(() => cfn.CreateChangeSetAsync(Import("other", "kept")));
        Assert.Contains("already belongs to stack", error.Message);
    }
}
