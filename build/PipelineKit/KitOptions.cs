namespace PipelineKit;

using System.Globalization;

/// <summary>The command-line options every target shares, read once. Lookups are injected so tests feed them directly.</summary>
public sealed record KitOptions(
    string RepositoryRoot,
    string ConfigPath,
    bool Sandbox,
    string? Profile,
    int Parallelism,
    bool Direct = false,
    bool Exclusive = false)
{
    public const int DefaultParallelism = 8;

    public string ArtifactsDirectory => Path.Combine(RepositoryRoot, "artifacts");

    /// <summary>Reads --config, --sandbox, --profile, --parallelism, --direct and Cake's --exclusive. Throws <see cref="ArgumentException"/> naming the option.</summary>
    public static KitOptions Parse(string repositoryRoot, Func<string, string?> argument)
    {
        var root = Path.GetFullPath(repositoryRoot);
        var config = argument("config");
        var parallelismText = argument("parallelism");
        var parallelism = DefaultParallelism;
        if (parallelismText is not null &&
            (!int.TryParse(parallelismText, NumberStyles.None, CultureInfo.InvariantCulture, out parallelism) || parallelism is < 1 or > 64))
        {
            throw new ArgumentException($"--parallelism: \"{parallelismText}\" is not a whole number from 1 to 64.");
        }

        var sandbox = Flag(argument("sandbox"));
        if (sandbox && config is not null)
        {
            throw new ArgumentException("--sandbox uses the bundled sandbox configuration; leave out --config.");
        }

        return new KitOptions(
            root,
            Path.GetFullPath(config ?? "pipeline.json", root),
            sandbox,
            argument("profile") is { Length: > 0 } profile && profile != "true" ? profile : null,
            parallelism,
            Flag(argument("direct")),
            Flag(argument("exclusive")));
    }

    private static bool Flag(string? value) => value is not null && !string.Equals(value, "false", StringComparison.OrdinalIgnoreCase);
}
