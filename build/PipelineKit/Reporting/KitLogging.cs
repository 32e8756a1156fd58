namespace PipelineKit.Reporting;

using System.Globalization;
using System.Text.RegularExpressions;
using Amazon.Runtime;
using Serilog;
using Serilog.Core;
using Serilog.Events;
using Serilog.Filters;

/// <summary>
/// The kit's logger: the console for people, a file for the record.
/// <para>Credentials are never passed to the logger: the kit logs account ids, regions, stack names and
/// AWS error codes, never keys, session tokens or credential objects. As a second line of defence the
/// logger masks properties named like secrets, AWS access key ids inside text, and any AWS credentials
/// object that is destructured.</para>
/// </summary>
public static partial class KitLogging
{
    private const string FileTemplate =
        "{Timestamp:yyyy-MM-dd HH:mm:ss.fff zzz} [{Level:u3}] {Message:lj} {Properties:j}{NewLine}{Exception}";

    /// <summary>
    /// A logger writing to the console and to <c>&lt;logDirectory&gt;/kit-&lt;yyyyMMdd-HHmmss&gt;.log</c> (UTC).
    /// Console: when <paramref name="interactive"/>, only warnings and errors that are not deployment events,
    /// because the live view owns the screen and shows those; otherwise Information and up, one plain line
    /// each; never the kit's messages (<see cref="LogFileMessages"/>), which the console view shows.
    /// File: Debug and up, with all properties. Dispose the logger to flush the file.
    /// </summary>
    public static Logger Create(string logDirectory, bool interactive)
        => Create(logDirectory, interactive, TimeProvider.System, console: null);

    /// <summary><see cref="Create(string, bool)"/> with the clock (for the file name) and the console writer
    /// given; a null <paramref name="console"/> means the process's console.</summary>
    public static Logger Create(string logDirectory, bool interactive, TimeProvider time, TextWriter? console)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(logDirectory);
        ArgumentNullException.ThrowIfNull(time);
        var path = LogFilePath(logDirectory, time.GetUtcNow());

        var configuration = new LoggerConfiguration()
            .MinimumLevel.Debug()
            .Destructure.With(new CredentialsDestructuringPolicy())
            .Enrich.With(new SecretMaskingEnricher())
            .WriteTo.File(path, LogEventLevel.Debug, FileTemplate, CultureInfo.InvariantCulture);

        var consoleLevel = interactive ? LogEventLevel.Warning : LogEventLevel.Information;
        configuration = configuration.WriteTo.Logger(sub =>
        {
            sub.MinimumLevel.Is(consoleLevel);
            // The console view shows the kit's messages already; the log file gets them with their codes.
            sub.Filter.ByExcluding(Matching.FromSource<LogFileMessages>());
            if (interactive) sub.Filter.ByExcluding(Matching.FromSource<PlainLineView>());
            if (console is null) sub.WriteTo.Console(new PlainLineFormatter(), consoleLevel);
            else sub.WriteTo.Sink(new TextWriterLineSink(console, new PlainLineFormatter()), consoleLevel);
        });
        return configuration.CreateLogger();
    }

    /// <summary>A new file per run; two runs started in the same second get distinct names.</summary>
    internal static string LogFilePath(string logDirectory, DateTimeOffset now)
    {
        Directory.CreateDirectory(logDirectory);
        var stem = "kit-" + now.UtcDateTime.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        var path = Path.Combine(logDirectory, stem + ".log");
        for (var n = 2; File.Exists(path); n++) path = Path.Combine(logDirectory, $"{stem}-{n}.log");
        return path;
    }

    /// <summary>Masks properties named like secrets and access key ids anywhere in string values.</summary>
    internal sealed partial class SecretMaskingEnricher : ILogEventEnricher
    {
        private const string Mask = "***";

        public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
        {
            List<LogEventProperty>? replacements = null;
            foreach (var (name, value) in logEvent.Properties)
            {
                LogEventPropertyValue? masked = IsSecretName(name) ? new ScalarValue(Mask)
                    : value is ScalarValue { Value: string text } && AccessKeyId().IsMatch(text)
                        ? new ScalarValue(AccessKeyId().Replace(text, Mask))
                        : null;
                if (masked is not null) (replacements ??= []).Add(new LogEventProperty(name, masked));
            }
            if (replacements is null) return;
            foreach (var property in replacements) logEvent.AddOrUpdateProperty(property);
        }

        private static bool IsSecretName(string name) =>
            name.Contains("secret", StringComparison.OrdinalIgnoreCase) ||
            name.Contains("password", StringComparison.OrdinalIgnoreCase) ||
            name.Contains("sessiontoken", StringComparison.OrdinalIgnoreCase) ||
            name.Equals("credentials", StringComparison.OrdinalIgnoreCase);

        // Long-term (AKIA) and temporary (ASIA) access key ids.
        [GeneratedRegex(@"\b(AKIA|ASIA)[A-Z0-9]{16}\b")]
        private static partial Regex AccessKeyId();
    }

    /// <summary>An AWS credentials object given to the logger renders as a mask, never its fields.</summary>
    internal sealed class CredentialsDestructuringPolicy : IDestructuringPolicy
    {
        public bool TryDestructure(object value, ILogEventPropertyValueFactory propertyValueFactory, out LogEventPropertyValue result)
        {
            if (value is AWSCredentials or ImmutableCredentials)
            {
                result = new ScalarValue("***");
                return true;
            }
            result = null!;
            return false;
        }
    }
}
