namespace PipelineKit.Reporting;

using System.Globalization;
using Serilog.Events;
using Serilog.Formatting;
using Serilog.Formatting.Display;

/// <summary>
/// One stable, grep-able line per log event for CI logs:
/// <c>2026-11-22T01:02:03Z [primary] 123456789012/us-east-1 started</c>.
/// Time is always UTC so that logs from machines in different zones line up; warnings and errors carry
/// a WRN/ERR tag after the time so that a grep for them is one word.
/// </summary>
internal sealed class PlainLineFormatter : ITextFormatter
{
    // ":lj" renders string properties without quotes, which keeps the lines readable.
    private readonly MessageTemplateTextFormatter _message = new("{Message:lj}{NewLine}{Exception}", CultureInfo.InvariantCulture);

    public void Format(LogEvent logEvent, TextWriter output)
    {
        output.Write(logEvent.Timestamp.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
        output.Write(' ');
        if (logEvent.Level >= LogEventLevel.Error) output.Write("ERR ");
        else if (logEvent.Level == LogEventLevel.Warning) output.Write("WRN ");
        _message.Format(logEvent, output);
    }
}
