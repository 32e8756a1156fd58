namespace PipelineKit.Reliability.Runner;

using System.Text;

/// <summary>
/// The process's console, routed per asynchronous flow: a kit run in this process (<see cref="InProcessRun"/>) sets
/// <see cref="Current"/> to its own buffer, so what the kit writes to the console itself (its log's console sink: the
/// per-stack lines) lands with that run's output instead of in the report.
/// </summary>
internal sealed class RoutedConsole(TextWriter original) : TextWriter
{
    private static readonly object Gate = new();
    private static bool installed;

    public static AsyncLocal<TextWriter?> Current { get; } = new();

    public override Encoding Encoding => original.Encoding;

    public static void Install()
    {
        lock (Gate)
        {
            if (installed) return;
            Console.SetOut(new RoutedConsole(Console.Out));
            installed = true;
        }
    }

    private TextWriter Target => Current.Value ?? original;

    public override void Write(char value) => Target.Write(value);

    public override void Write(string? value) => Target.Write(value);

    public override void WriteLine(string? value) => Target.WriteLine(value);

    public override void WriteLine() => Target.WriteLine();

    public override void Flush() => Target.Flush();
}
