namespace PipelineKit.Tests.Messages;

using PipelineKit.Messages;
using PipelineKit.Testing;

public sealed class MessageLineWriterTests
{
    [Fact]
    public void EachLineWritten_IsOneMessageOfTheKind()
    {
        var recorded = new RecordingMessages();
        using (var writer = new MessageLineWriter(recorded, MessageCodes.PipelineProgress))
        {
            writer.WriteLine("Pipeline p: following execution e");
            writer.Write("  Build ");
            writer.Write("InProgress\r\n");
            writer.Write("unfinished");
        }

        Assert.Equal(["Pipeline p: following execution e", "  Build InProgress", "unfinished"], recorded.Messages.Select(m => m.Text));
        Assert.All(recorded.Messages, m => Assert.Equal("Pipeline.Progress", m.Code));
    }
}
