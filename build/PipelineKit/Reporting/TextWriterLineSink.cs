namespace PipelineKit.Reporting;

using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting;

/// <summary>Writes each log event as whole lines under one lock, so lines from parallel stacks never
/// interleave, and flushes so that a CI log shows them as they happen.</summary>
internal sealed class TextWriterLineSink(TextWriter output, ITextFormatter formatter) : ILogEventSink
{
    private readonly Lock _gate = new();

    public void Emit(LogEvent logEvent)
    {
        var line = new StringWriter();
        formatter.Format(logEvent, line);
        lock (_gate)
        {
            output.Write(line.ToString());
            output.Flush();
        }
    }
}
