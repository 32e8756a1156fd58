namespace PipelineKit.Messages;

/// <summary>How much a message matters. The console shows every level as the text alone; the log file records it.</summary>
public enum MessageLevel
{
    Info,
    Warning,
    Error,
}

/// <summary>
/// One kind of message the kit shows: a stable code, its level and what it is for. Every kind is a field of
/// <see cref="MessageCodes"/>, the one place they are made; a <see cref="Message"/> cannot be made without one.
/// </summary>
public sealed class MessageKind
{
    internal MessageKind(string code, MessageLevel level, string description, bool separate = false)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(code);
        ArgumentException.ThrowIfNullOrWhiteSpace(description);
        Code = code;
        Level = level;
        Description = description;
        Separate = separate;
    }

    /// <summary>Stable: scripts and log searches may match on it. <c>Area.Event</c>, e.g. <c>Sandbox.Started</c>.</summary>
    public string Code { get; }

    public MessageLevel Level { get; }

    /// <summary>One line: when the kit shows it.</summary>
    public string Description { get; }

    /// <summary>The console sets it off from what came before with a blank line: it closes a run (the summary, the
    /// test counts).</summary>
    public bool Separate { get; }

    public override string ToString() => Code;
}

/// <summary>One thing the kit tells its user: <see cref="Text"/> is exactly what the console shows (one line, or a block of
/// lines such as the run's summary); <see cref="Kind"/> gives it its code and level.</summary>
public sealed record Message(MessageKind Kind, string Text)
{
    public string Code => Kind.Code;

    public MessageLevel Level => Kind.Level;
}
