namespace PipelineKit.Tests.Teardown;

using PipelineKit.Aws;
using PipelineKit.Messages;
using PipelineKit.Teardown;
using PipelineKit.Testing;

public sealed class DestroyReportTests
{
    [Fact]
    public void Summary_CountsWhatEachBucketHeld_InTheSingularForOne()
    {
        var messages = new RecordingMessages();
        var (one, many, none) = (new BucketTarget("one", "us-east-1"), new BucketTarget("many", "us-west-2"), new BucketTarget("none", "eu-west-1"));
        var inventory = new TeardownInventory([], new Dictionary<string, StackDescription?>(), [one, many, none], [], "sandbox");

        new DestroyReport(messages, "sandbox", "123456789012").Summary(inventory, [],
            [new BucketOutcome(one, 1), new BucketOutcome(many, 2050), new BucketOutcome(none, 0)], [],
            new DestroySettings(Confirmed: true, KeepData: false, KeyDeletionDays: 30), stacksGone: true);

        var lines = Assert.Single(messages.Messages, m => m.Kind == MessageCodes.DestroySummary).Text.Split(Environment.NewLine);
        Assert.Equal(
            [
                "  bucket  one                                          123456789012  us-east-1    emptied (1 object version or delete marker) and deleted",
                "  bucket  many                                         123456789012  us-west-2    emptied (2,050 object versions and delete markers) and deleted",
                "  bucket  none                                         123456789012  eu-west-1    emptied (0 object versions and delete markers) and deleted",
            ],
            lines[1..4]);
    }
}
