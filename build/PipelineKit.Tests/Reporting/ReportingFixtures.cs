namespace PipelineKit.Tests.Reporting;

using System.Text.RegularExpressions;
using PipelineKit.Aws;
using PipelineKit.Deployment;
using PipelineKit.Reporting;

/// <summary>A clock the test moves by hand; its timers never fire on their own.</summary>
internal sealed class ManualTime(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    public override long GetTimestamp() => _now.UtcTicks;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public void Advance(TimeSpan by) => _now += by;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) => new NoTimer();

    private sealed class NoTimer : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period) => true;
        public void Dispose() { }
        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}

internal static partial class Fixture
{
    public static readonly DateTimeOffset T0 = new(2026, 11, 22, 1, 2, 3, TimeSpan.Zero);

    public static readonly StackRef Primary = new("primary", "hello-primary", new StackLocation("123456789012", "us-east-1"));
    public static readonly StackRef Regional = new("regional:us-west-2", "hello-regional-us-west-2", new StackLocation("123456789012", "us-west-2"));
    public static readonly StackRef DevRoles = new("roles:dev", "hello-roles-dev", new StackLocation("222222222222", "us-east-1"));
    public static readonly StackRef ProdRoles = new("roles:prod", "hello-roles-prod", new StackLocation("444444444444", "eu-west-1"));

    public static StackResult Result(StackRef stack, StackOutcome outcome, StackStatus? status, int seconds,
        IReadOnlyDictionary<string, string>? outputs = null, string? error = null, string? nextStep = null) =>
        new(stack.StackName, stack.Location, outcome, status, outputs ?? new Dictionary<string, string>(),
            TimeSpan.FromSeconds(seconds), error, nextStep);

    public static StackEvent Event(StackRef stack, string id, string logicalId, string type, string status, string? reason = null) =>
        new(id, stack.StackName, logicalId, null, type, T0, status, reason, null);

    public static string StripAnsi(string text) => Ansi().Replace(text, "");

    [GeneratedRegex(@"\u001b\[[0-9;?]*[A-Za-z]")]
    private static partial Regex Ansi();
}
