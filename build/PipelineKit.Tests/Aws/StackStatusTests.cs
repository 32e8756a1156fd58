namespace PipelineKit.Tests.Aws;

using PipelineKit.Aws;

public class StackStatusTests
{
    // status, in progress, can be updated, delete before create, needs operator, success
    public static TheoryData<string, bool, bool, bool, bool, bool> Table => new()
    {
        { "CREATE_IN_PROGRESS", true, false, false, false, false },
        { "CREATE_FAILED", false, false, true, false, false },
        { "CREATE_COMPLETE", false, true, false, false, true },
        { "ROLLBACK_IN_PROGRESS", true, false, false, false, false },
        { "ROLLBACK_FAILED", false, false, false, true, false },
        { "ROLLBACK_COMPLETE", false, false, true, false, false },
        { "DELETE_IN_PROGRESS", true, false, false, false, false },
        { "DELETE_FAILED", false, false, false, true, false },
        { "DELETE_COMPLETE", false, false, false, false, true },
        { "UPDATE_IN_PROGRESS", true, false, false, false, false },
        { "UPDATE_COMPLETE_CLEANUP_IN_PROGRESS", true, false, false, false, false },
        { "UPDATE_COMPLETE", false, true, false, false, true },
        { "UPDATE_FAILED", false, true, false, false, false },
        { "UPDATE_ROLLBACK_IN_PROGRESS", true, false, false, false, false },
        { "UPDATE_ROLLBACK_FAILED", false, false, false, true, false },
        { "UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS", true, false, false, false, false },
        { "UPDATE_ROLLBACK_COMPLETE", false, true, false, false, false },
        { "REVIEW_IN_PROGRESS", false, false, false, false, false },
        { "IMPORT_IN_PROGRESS", true, false, false, false, false },
        { "IMPORT_COMPLETE", false, true, false, false, true },
        { "IMPORT_ROLLBACK_IN_PROGRESS", true, false, false, false, false },
        { "IMPORT_ROLLBACK_FAILED", false, false, false, true, false },
        { "IMPORT_ROLLBACK_COMPLETE", false, true, false, false, false },
    };

    [Theory]
    [MemberData(nameof(Table))]
    public void Predicates_ClassifyEveryDocumentedStatus(string value, bool inProgress, bool canUpdate, bool deleteFirst, bool operatorNeeded, bool success)
    {
        var status = new StackStatus(value);

        Assert.Equal(inProgress, status.IsInProgress);
        Assert.Equal(canUpdate, status.CanBeUpdated);
        Assert.Equal(deleteFirst, status.NeedsDeleteBeforeCreate);
        Assert.Equal(operatorNeeded, status.NeedsOperator);
        Assert.Equal(success, status.IsSuccess);
        Assert.Equal(value == "REVIEW_IN_PROGRESS", status.NeedsCreateChangeSet);
    }

    [Fact]
    public void Table_CoversEveryStatusTheKitKnows()
    {
        var tabled = Table.Select(row => (string)row[0]).ToHashSet();

        Assert.Equal(StackStatus.All.Select(s => s.Value).ToHashSet(), tabled);
    }

    [Fact]
    public void UnknownStatus_IsNeverUpdatable()
    {
        var status = new StackStatus("SOMETHING_NEW");

        Assert.False(status.CanBeUpdated);
        Assert.False(status.IsInProgress);
        Assert.True(status.IsTerminalFailure);
    }
}
