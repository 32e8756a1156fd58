namespace PipelineKit.Tests.Integration;

/// <summary>What the launcher answers when two runs work on one stack, or a call is retried, as CloudFormation does:
/// moto made a second stack of the same name for a second CREATE, and applied a repeated ExecuteChangeSet again.</summary>
[Collection("moto")]
public class ConcurrentChangeSetMotoTests(MotoFixture moto)
{
    private const string Template = """{"Resources":{"H":{"Type":"AWS::CloudFormation::WaitConditionHandle"}}}""";

    [Fact]
    public async Task ASecondCreateChangeSet_JoinsTheStackUnderReview_AndIsRefusedOnceTheStackExists()
    {
        await CreateAsync("ccs-one", "first");
        await CreateAsync("ccs-one", "second");
        var stacks = await moto.Cli(null, "cloudformation", "list-stacks");
        Assert.Single(stacks.GetProperty("StackSummaries").EnumerateArray(), s => s.GetProperty("StackName").GetString() == "ccs-one");

        await moto.Cli(null, "cloudformation", "execute-change-set", "--stack-name", "ccs-one", "--change-set-name", "first");
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => CreateAsync("ccs-one", "third"));

        Assert.Contains("(AlreadyExistsException)", error.Message);
    }

    [Fact]
    public async Task ExecutingAChangeSet_RemovesTheOthers_AndARepeatIsRefusedUnlessItCarriesTheSameToken()
    {
        await CreateAsync("ccs-two", "first");
        await CreateAsync("ccs-two", "second");

        await Execute("token-1");
        await Execute("token-1");
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => Execute("token-2"));

        Assert.Contains("(InvalidChangeSetStatus)", error.Message);
        var left = await moto.Cli(null, "cloudformation", "list-change-sets", "--stack-name", "ccs-two");
        var summary = Assert.Single(left.GetProperty("Summaries").EnumerateArray());
        Assert.Equal(("first", "EXECUTE_COMPLETE"),
            (summary.GetProperty("ChangeSetName").GetString(), summary.GetProperty("ExecutionStatus").GetString()));
        var events = await moto.Cli(null, "cloudformation", "describe-stack-events", "--stack-name", "ccs-two");
        Assert.Single(events.GetProperty("StackEvents").EnumerateArray(),
            e => e.GetProperty("LogicalResourceId").GetString() == "ccs-two" && e.GetProperty("ResourceStatus").GetString() == "CREATE_COMPLETE");

        Task Execute(string token) => moto.Cli(null, "cloudformation", "execute-change-set", "--stack-name", "ccs-two",
            "--change-set-name", "first", "--client-request-token", token);
    }

    [Fact]
    public async Task AStackCreatedAgainAfterADeletion_GetsAChangeSetOfItsOwn_NotTheDeletedStacksOfTheSameName()
    {
        await CreateAsync("ccs-three", "same");
        await moto.Cli(null, "cloudformation", "execute-change-set", "--stack-name", "ccs-three", "--change-set-name", "same");
        await moto.Cli(null, "cloudformation", "delete-stack", "--stack-name", "ccs-three");

        await CreateAsync("ccs-three", "same");
        await moto.Cli(null, "cloudformation", "execute-change-set", "--stack-name", "ccs-three", "--change-set-name", "same");

        var stacks = await moto.Cli(null, "cloudformation", "describe-stacks", "--stack-name", "ccs-three");
        Assert.Equal("CREATE_COMPLETE", stacks.GetProperty("Stacks")[0].GetProperty("StackStatus").GetString());
    }

    private Task<System.Text.Json.JsonElement> CreateAsync(string stack, string changeSet) =>
        moto.Cli(null, "cloudformation", "create-change-set", "--stack-name", stack, "--change-set-name", changeSet,
            "--change-set-type", "CREATE", "--template-body", Template);
}
