namespace PipelineKit.Configuration;

using PipelineKit.Errors;

/// <summary>One problem in the configuration: the file, the JSON path of the field and what is wrong.</summary>
/// <param name="File">The file as the user named it; null for command-line arguments.</param>
/// <param name="Path">JSON path of the field (<c>environments[1].account</c>); empty for the whole document.</param>
public sealed record ConfigurationError(string? File, string Path, string Problem)
{
    public override string ToString()
    {
        var where = string.Join(": ", new[] { File, Path }.Where(s => !string.IsNullOrEmpty(s)));
        return where.Length == 0 ? Problem : $"{where}: {Problem}";
    }
}

/// <summary>
/// The configuration is invalid. Carries every problem found, not just the first, so a user
/// fixes the file in one pass. Thrown before any AWS call.
/// </summary>
public sealed class ConfigurationException : KitException
{
    /// <summary>Stable code for scripts and logs (<see cref="ErrorCodes.InvalidConfiguration"/>).</summary>
    public const string ErrorCode = "InvalidConfiguration";

    /// <param name="inner">What found the problem, when it was another exception (a command-line option's parser).</param>
    public ConfigurationException(IReadOnlyList<ConfigurationError> errors, Exception? inner = null)
        : base(ErrorCode, string.Join(Environment.NewLine, errors.Select(e => e.ToString())),
            "Correct each field named above and run the same command again.", inner)
    {
        if (errors.Count == 0)
        {
            throw new ArgumentException("A configuration exception needs at least one error.", nameof(errors));
        }

        Errors = errors;
    }

    public IReadOnlyList<ConfigurationError> Errors { get; }
}
