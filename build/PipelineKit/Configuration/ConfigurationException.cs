namespace PipelineKit.Configuration;

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
public sealed class ConfigurationException : Exception
{
    /// <summary>Stable code for scripts and logs.</summary>
    public const string ErrorCode = "InvalidConfiguration";

    public ConfigurationException(IReadOnlyList<ConfigurationError> errors)
        : base(string.Join(Environment.NewLine, errors.Select(e => e.ToString())))
    {
        if (errors.Count == 0)
        {
            throw new ArgumentException("A configuration exception needs at least one error.", nameof(errors));
        }

        Errors = errors;
    }

    public string Code => ErrorCode;

    public IReadOnlyList<ConfigurationError> Errors { get; }
}
