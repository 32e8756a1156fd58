namespace PipelineKit.Reporting;

using System.Text;
using PipelineKit.Deployment;

/// <summary>
/// The terminal view: one line per stack, redrawn in place with plain ANSI escapes (cursor up, erase
/// below). The kit runs inside Cake, which loads its own Spectre.Console; referencing another would
/// conflict at run time, so this view draws by hand.
/// Failing resource events are printed once above the table and stay on screen.
/// Thread-safe: events arrive from several deploying stacks at once and from the refresh timer;
/// one lock guards the state and the writer.
/// </summary>
public sealed class LiveConsoleView : IDeploymentObserver, IDisposable
{
    private const string Reset = "\u001b[0m";
    private const string Green = "\u001b[32m";
    private const string Red = "\u001b[31m";
    private const string Yellow = "\u001b[33m";
    private const string Grey = "\u001b[90m";
    private const string HideCursor = "\u001b[?25l";
    private const string ShowCursor = "\u001b[?25h";

    private readonly Lock _gate = new();
    private readonly TextWriter _output;
    private readonly TimeProvider _time;
    private readonly int? _width;
    private readonly TimeSpan _interval;
    private readonly ITimer _timer;
    private readonly List<Row> _rows = [];
    private readonly Dictionary<string, Row> _rowsByKey = new(StringComparer.Ordinal);
    private readonly HashSet<string> _printedFailures = new(StringComparer.Ordinal);
    private readonly List<string> _pendingPermanent = [];
    private int _linesOnScreen;
    private long _lastDraw;
    private bool _drawnOnce;
    private bool _dirty;
    private bool _disposed;

    /// <param name="output">The terminal (Console.Out); tests pass a StringWriter.</param>
    /// <param name="time">Clock for elapsed times and the refresh timer.</param>
    /// <param name="width">Terminal columns (<see cref="ConsoleCapabilities.WindowWidth"/>); table lines are
    /// cut to fit, because a wrapped line would break the cursor arithmetic. Null: no cutting.</param>
    /// <param name="refreshInterval">Shortest gap between two redraws; 100 ms when not given.</param>
    public LiveConsoleView(TextWriter output, TimeProvider time, int? width = null, TimeSpan? refreshInterval = null)
    {
        _output = output ?? throw new ArgumentNullException(nameof(output));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _width = width is > 1 ? width : null;
        _interval = refreshInterval ?? TimeSpan.FromMilliseconds(100);
        _lastDraw = _time.GetTimestamp();
        _timer = _time.CreateTimer(_ => Tick(), null, _interval, _interval);
    }

    public void On(DeploymentEvent deploymentEvent)
    {
        ArgumentNullException.ThrowIfNull(deploymentEvent);
        lock (_gate)
        {
            if (_disposed) return;
            var row = RowFor(deploymentEvent.Stack);
            switch (deploymentEvent)
            {
                case StackQueued:
                    row.State = RowState.Queued;
                    row.Text = "queued";
                    break;
                case StackStarted:
                    row.State = RowState.Running;
                    row.Text = "starting";
                    row.StartedAt = _time.GetUtcNow();
                    break;
                case StackProgress progress:
                    MarkRunning(row);
                    row.Text = progress.Status is { } status ? $"{progress.Message} ({status})" : progress.Message;
                    break;
                case StackResourceEvent { Event: var resource }:
                    MarkRunning(row);
                    row.Text = $"{resource.LogicalResourceId} {resource.ResourceStatus}";
                    if (ReportText.IsFailure(resource) && _printedFailures.Add(resource.EventId))
                    {
                        _pendingPermanent.Add(
                            $"✗ {row.Ref.Key} {row.Ref.Location} {resource.LogicalResourceId} {resource.ResourceStatus}: " +
                            (resource.ResourceStatusReason ?? "(no reason given)"));
                    }
                    break;
                case StackFinished finished:
                    var result = finished.Result;
                    row.State = result.Succeeded ? RowState.Succeeded
                        : result.Outcome == StackOutcome.NotStarted ? RowState.NotStarted
                        : RowState.Failed;
                    row.Text = result.Status is { } final
                        ? $"{ReportText.Outcome(result.Outcome)} {final}"
                        : ReportText.Outcome(result.Outcome);
                    row.FinalElapsed = result.Outcome == StackOutcome.NotStarted ? null : result.Elapsed;
                    break;
            }
            _dirty = true;
            // Failures and finished stacks are drawn at once; chatty progress waits for the next slot.
            var urgent = _pendingPermanent.Count > 0 || deploymentEvent is StackFinished;
            if (urgent || _time.GetElapsedTime(_lastDraw) >= _interval) Draw();
        }
    }

    /// <summary>Stops the timer and draws the final frame, which stays on screen; shows the cursor again.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            _timer.Dispose();
            Draw();
            if (_drawnOnce) _output.Write(ShowCursor);
            _output.Flush();
        }
    }

    private void Tick()
    {
        lock (_gate)
        {
            if (_disposed) return;
            // Running rows show a ticking elapsed time, so they need a redraw even without events.
            if (_dirty || _rows.Exists(r => r.State == RowState.Running)) Draw();
        }
    }

    private Row RowFor(StackRef stack)
    {
        if (!_rowsByKey.TryGetValue(stack.Key, out var row))
        {
            row = new Row(stack);
            _rowsByKey.Add(stack.Key, row);
            _rows.Add(row);
        }
        return row;
    }

    private void MarkRunning(Row row)
    {
        if (row.State is RowState.Queued)
        {
            row.State = RowState.Running;
            row.StartedAt ??= _time.GetUtcNow();
        }
    }

    private void Draw()
    {
        if (_rows.Count == 0 && _pendingPermanent.Count == 0) return;
        var frame = new StringBuilder();
        if (!_drawnOnce) frame.Append(HideCursor);
        // Back to the first table line and erase everything below it: the table only grows, but this
        // also clears anything another writer left there.
        if (_linesOnScreen > 0) frame.Append("\u001b[").Append(_linesOnScreen).Append('A');
        frame.Append("\r\u001b[J");

        foreach (var line in _pendingPermanent)
            frame.Append(Red).Append(line).Append(Reset).Append('\n');
        _pendingPermanent.Clear();

        var now = _time.GetUtcNow();
        var keyWidth = _rows.Max(r => r.Ref.Key.Length);
        var placeWidth = _rows.Max(r => r.Ref.Location.ToString().Length);
        foreach (var row in _rows)
        {
            var elapsed = row.FinalElapsed ?? (row.StartedAt is { } started ? now - started : (TimeSpan?)null);
            var line = $"{Icon(row.State)} {row.Ref.Key.PadRight(keyWidth)}  {row.Ref.Location.ToString().PadRight(placeWidth)}  " +
                       $"{(elapsed is { } e ? ReportText.Elapsed(e) : "  -  "),5}  {row.Text}";
            frame.Append(Color(row.State)).Append(Fit(line)).Append(Reset).Append('\n');
        }

        _output.Write(frame.ToString());
        _output.Flush();
        _linesOnScreen = _rows.Count;
        _lastDraw = _time.GetTimestamp();
        _drawnOnce = true;
        _dirty = false;
    }

    /// <summary>Cuts a line one column short of the width: writing into the last column makes some
    /// terminals wrap, which would throw the cursor-up count off.</summary>
    private string Fit(string line)
    {
        if (_width is not { } width || line.Length < width) return line;
        return width > 2 ? line[..(width - 2)] + "…" : line[..(width - 1)];
    }

    private static string Icon(RowState state) => state switch
    {
        RowState.Succeeded => "✓",
        RowState.Failed => "✗",
        RowState.Running => "…",
        _ => "·",
    };

    private static string Color(RowState state) => state switch
    {
        RowState.Succeeded => Green,
        RowState.Failed => Red,
        RowState.Running => Yellow,
        _ => Grey,
    };

    private enum RowState { Queued, Running, Succeeded, Failed, NotStarted }

    private sealed class Row(StackRef stackRef)
    {
        public StackRef Ref { get; } = stackRef;
        public RowState State { get; set; } = RowState.Queued;
        public string Text { get; set; } = "queued";
        public DateTimeOffset? StartedAt { get; set; }
        public TimeSpan? FinalElapsed { get; set; }
    }
}
