namespace PipelineKit;

using System.Globalization;

/// <summary>The command-line options every target shares, read once. Lookups are injected so tests feed them directly.</summary>
/// <param name="Target">Cake's --target, as build.sh passes it: the target the user named,
/// after whose run the host reports the one summary of the targets Cake ran before it (<see cref="TargetChain"/>).</param>
public sealed record KitOptions(
    string RepositoryRoot,
    string ConfigPath,
    bool Sandbox,
    string? Profile,
    int Parallelism,
    bool Direct = false,
    bool Exclusive = false,
    bool Yes = false,
    bool KeepData = false,
    int KeyDeletionDays = 30,
    string? Environment = null,
    int LockWaitMinutes = KitOptions.DefaultLockWaitMinutes,
    bool BreakLock = false,
    bool AutoApprove = false,
    bool FullBuild = false,
    string? Target = null,
    bool Coverage = false)
{
    public const int DefaultLockWaitMinutes = 30;
    public const int MaxLockWaitMinutes = 24 * 60;

    /// <summary>How long a mutating target waits for another run's lock (--lock-wait MINUTES; 0: stop at once, naming the holder).</summary>
    public TimeSpan LockWait => TimeSpan.FromMinutes(LockWaitMinutes);

    /// <summary>Stacks in flight by default: a stack has one call on the wire at a time, so this is half the request limit
    /// (<see cref="Aws.AwsRequestLimit.DefaultMaxInFlight"/>) and a default run never waits on it, the run lock's renewal
    /// and the other calls of a run included; hundreds of accounts take half the waves 8 did.</summary>
    public const int DefaultParallelism = 16;
    public const int MaxParallelism = 64;

    /// <summary>Set by build.sh and build.ps1 to the directory they were started from, before they move to the kit's folder.</summary>
    public const string CallerDirectoryVariable = "PIPELINEKIT_CALLER_DIR";

    public string ArtifactsDirectory => Path.Combine(RepositoryRoot, "artifacts");

    /// <summary>Reads --config, --sandbox, --profile, --parallelism, --direct, Destroy's --yes, --keep-data and --key-deletion-days, SecurityCheck's --environment, the run lock's --lock-wait and --break-lock, the local pipeline run's --auto-approve and --full-build, Test's --coverage, and Cake's --exclusive. Throws <see cref="ArgumentException"/> naming the option.</summary>
    /// <param name="callerDirectory">The directory the user ran the build script from (<see cref="CallerDirectoryVariable"/>):
    /// a relative --config is the user's path, so it is resolved there, not in the kit's folder the script moves to.
    /// Null when the kit is run from where the user is (dotnet cake build.cake): the repository root.</param>
    public static KitOptions Parse(string repositoryRoot, Func<string, string?> argument, string? callerDirectory = null)
    {
        var root = Path.GetFullPath(repositoryRoot);
        var userDirectory = string.IsNullOrEmpty(callerDirectory) ? root : Path.GetFullPath(callerDirectory);
        var config = argument("config");
        var parallelismText = argument("parallelism");
        var parallelism = DefaultParallelism;
        if (parallelismText is not null &&
            (!int.TryParse(parallelismText, NumberStyles.None, CultureInfo.InvariantCulture, out parallelism) || parallelism is < 1 or > MaxParallelism))
        {
            throw new ArgumentException($"--parallelism must be a whole number from 1 to {MaxParallelism}, not \"{parallelismText}\".");
        }

        var sandbox = Flag(argument("sandbox"));
        if (sandbox && config is not null)
        {
            throw new ArgumentException("--sandbox uses the bundled sandbox configuration; leave out --config.");
        }

        var keyDaysText = argument("key-deletion-days");
        var keyDays = 30;
        if (keyDaysText is not null &&
            (!int.TryParse(keyDaysText, NumberStyles.None, CultureInfo.InvariantCulture, out keyDays) || keyDays is < 7 or > 30))
        {
            throw new ArgumentException($"--key-deletion-days: \"{keyDaysText}\" is not a whole number from 7 to 30 (KMS's pending window).");
        }

        var lockWaitText = argument("lock-wait");
        var lockWait = DefaultLockWaitMinutes;
        if (lockWaitText is not null &&
            (!int.TryParse(lockWaitText, NumberStyles.None, CultureInfo.InvariantCulture, out lockWait) || lockWait > MaxLockWaitMinutes))
        {
            throw new ArgumentException($"--lock-wait: \"{lockWaitText}\" is not a whole number of minutes from 0 to {MaxLockWaitMinutes} (0: do not wait for another run's lock).");
        }

        return new KitOptions(
            root,
            config is null ? Path.Combine(root, "pipeline.json") : Path.GetFullPath(config, userDirectory),
            sandbox,
            argument("profile") is { Length: > 0 } profile && profile != "true" ? profile : null,
            parallelism,
            Flag(argument("direct")),
            Flag(argument("exclusive")),
            Flag(argument("yes")),
            Flag(argument("keep-data")),
            keyDays,
            argument("environment") is { Length: > 0 } environment && environment != "true" ? environment : null,
            lockWait,
            Flag(argument("break-lock")),
            Flag(argument("auto-approve")),
            Flag(argument("full-build")),
            argument("target") is { Length: > 0 } target && target != "true" ? target : null,
            Flag(argument("coverage")));
    }

    /// <summary>Options that take a value, and flags, that the kit reads.</summary>
    private static readonly string[] KitValueOptions = ["config", "profile", "parallelism", "key-deletion-days", "environment", "lock-wait"];
    private static readonly string[] KitFlags = ["sandbox", "direct", "exclusive", "yes", "keep-data", "break-lock", "auto-approve", "full-build", "coverage", "quick"];

    /// <summary>Cake's own options (<c>dotnet cake --help</c>), which Cake handles before the script runs.</summary>
    private static readonly string[] CakeValueOptions = ["target", "verbosity"];
    private static readonly string[] CakeFlags =
        ["help", "bootstrap", "skip-bootstrap", "debug", "description", "descriptions", "showdescription", "showdescriptions", "tree", "showtree",
         "dryrun", "noop", "whatif", "version", "ver", "info", "invalidate-script-cache", "no-report"];
    private static readonly Dictionary<string, string> ShortNames = new(StringComparer.Ordinal)
    {
        ["e"] = "exclusive", ["v"] = "verbosity", ["d"] = "debug", ["h"] = "help",
    };

    /// <summary>
    /// Reads the options from the process's whole command line (inside build.cake: <c>System.Environment.GetCommandLineArgs()</c>).
    /// Cake keeps its own options from the script (<c>--exclusive</c> among them) and hands unknown ones on without a word,
    /// so a typo such as <c>--sandbx</c> would otherwise run against real AWS. Here every option must be the kit's or Cake's:
    /// anything else, or a value option without its value, is refused naming the option, before anything runs.
    /// Accepts <c>--name value</c>, <c>--name=value</c> and Cake's one-letter forms (<c>-e</c>).
    /// </summary>
    public static KitOptions FromCommandLine(string repositoryRoot, IReadOnlyList<string> commandLine, string? callerDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(commandLine);
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        // The program and the script come first; options start at the first word with a dash.
        var i = 0;
        while (i < commandLine.Count && !commandLine[i].StartsWith('-')) i++;
        for (; i < commandLine.Count; i++)
        {
            var word = commandLine[i];
            if (!word.StartsWith('-'))
            {
                throw new ArgumentException($"Unexpected argument \"{word}\": options are --name value or --name=value (./build.sh --help lists them).");
            }

            var single = !word.StartsWith("--", StringComparison.Ordinal);
            var body = word.TrimStart('-');
            var equals = body.IndexOf('=', StringComparison.Ordinal);
            var name = (equals < 0 ? body : body[..equals]).ToLowerInvariant();
            var value = equals < 0 ? null : body[(equals + 1)..];
            if (single && ShortNames.TryGetValue(name, out var longName)) name = longName;

            if (KitValueOptions.Contains(name) || CakeValueOptions.Contains(name))
            {
                // A negative number is a value, not an option: --parallelism -3 is then refused for its range, not as missing.
                if (value is null && i + 1 < commandLine.Count && (!commandLine[i + 1].StartsWith('-') || IsNegativeNumber(commandLine[i + 1])))
                {
                    value = commandLine[++i];
                }

                if (string.IsNullOrWhiteSpace(value)) throw new ArgumentException($"--{name} needs a value, e.g. --{name}{Example(name)}.");
            }
            else if (!KitFlags.Contains(name) && !CakeFlags.Contains(name))
            {
                var known = KitValueOptions.Concat(KitFlags).Concat(CakeValueOptions).Concat(CakeFlags);
                var hint = Configuration.DidYouMean.ClosestMatch(name, known) is { } near ? $"; did you mean --{near}?" : "";
                throw new ArgumentException(
                    $"{word} is not an option of the kit or of Cake{hint} The kit's options: --{string.Join(", --", KitValueOptions.Concat(KitFlags))}.");
            }

            if (KitValueOptions.Contains(name) || KitFlags.Contains(name) || name == "target") values[name] = value ?? "true";
        }

        return Parse(repositoryRoot, name => values.GetValueOrDefault(name), callerDirectory);
    }

    private static string Example(string name) => name switch
    {
        "config" => " other.pipeline.json",
        "profile" => " build",
        "parallelism" => " 4",
        "key-deletion-days" => " 30",
        "lock-wait" => " 10",
        "target" => " BootstrapAll",
        _ => " Normal",
    };

    private static bool IsNegativeNumber(string word) =>
        word.Length > 1 && word[0] == '-' && word[1..].All(c => c is >= '0' and <= '9' or '.');

    private static bool Flag(string? value) => value is not null && !string.Equals(value, "false", StringComparison.OrdinalIgnoreCase);

    /// <summary>A wrong option is a configuration error like a wrong field, with the same exit code; the message is the option parser's.</summary>
    public static KitOptions OrConfigurationError(Func<KitOptions> parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        try
        {
            return parse();
        }
        catch (ArgumentException e)
        {
            throw new Configuration.ConfigurationException([new Configuration.ConfigurationError(null, "", e.Message)], e);
        }
    }
}
