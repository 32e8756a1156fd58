namespace PipelineKit;

using Amazon.Runtime;
using PipelineKit.Aws;
using PipelineKit.Errors;
using PipelineKit.LocalPipeline;
using PipelineKit.Messages;

/// <summary>
/// The kit's own targets as a local build runs them (<c>./build.sh Target ...</c> in a buildspec): in process, by a host of
/// their own on the build's directory and environment: the build role's credentials (from AWS_ACCESS_KEY_ID, ... as
/// CodeBuild sets them), the run's emulator and configuration, and the local run's CodePipeline API, so the security gate's
/// approval reaches the run. (The local CodeBuild action leaves the kit's own suite, Test, to --full-build.)
/// </summary>
/// <param name="endpointUrl">The run's emulator: every nested host's endpoint, whatever the build's environment says.</param>
internal sealed class InProcessKitCommands(KitOptions outer, ICodePipeline pipeline, string endpointUrl, TimeProvider time, IAwsCallGate? gate = null)
    : IKitCommands
{
    /// <summary>The targets a buildspec may run locally; any other is refused by name.</summary>
    public static readonly IReadOnlyList<string> Targets = ["Test", "Package", "PublishSampleApp", "SecurityCheck", "SmokeTest", "CreatePipeline", "Verify"];

    public async Task<int> RunAsync(IReadOnlyList<string> arguments, string workingDirectory, IReadOnlyDictionary<string, string> environment,
        Action<string> output, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(output);
        var target = arguments.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal)) ?? "BootstrapAll";
        if (!Targets.Contains(target))
        {
            output($"./build.sh {target}: the local run runs {string.Join(", ", Targets)} of the kit's targets; not {target}.");
            return ExitCodes.Configuration;
        }

        var values = Options(arguments.Where(a => a != target).ToList());
        if (outer.Sandbox) values["sandbox"] = "true";
        else values["config"] = outer.ConfigPath;
        var options = KitOptions.Parse(workingDirectory, name => values.GetValueOrDefault(name));
        using var console = new LineWriter(output);
        var credentials = new SessionAWSCredentials(environment.GetValueOrDefault("AWS_ACCESS_KEY_ID"),
            environment.GetValueOrDefault("AWS_SECRET_ACCESS_KEY"), environment.GetValueOrDefault("AWS_SESSION_TOKEN"));
        try
        {
            await Task.Run(() =>
            {
                using var host = KitHost.CreateNested(options, name => environment.GetValueOrDefault(name), console, time,
                    new NestedRun(credentials, pipeline, endpointUrl, gate));
                Run(host, target);
            }, ct).ConfigureAwait(false);
            return 0;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            output($"{e.GetType().Name}: {e.Message}");
            return ExitCodes.For(e);
        }
    }

    private static void Run(KitHost host, string target)
    {
        switch (target)
        {
            case "Test": host.Test(); break;
            case "Package": host.Package(); break;
            case "PublishSampleApp": host.PublishSampleApp(); break;
            case "SecurityCheck": host.SecurityCheck(); break;
            case "SmokeTest": host.SmokeTest(); break;
            case "Verify": host.Verify(); break;
            default: host.Run(Enum.Parse<Orchestration.KitTarget>(target)); break;
        }
    }

    /// <summary>"--environment dev --yes" as option name to value ("true" for a flag).</summary>
    private static Dictionary<string, string> Options(IReadOnlyList<string> words)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < words.Count; i++)
        {
            if (!words[i].StartsWith("--", StringComparison.Ordinal)) continue;
            var word = words[i][2..];
            var equals = word.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0) values[word[..equals]] = word[(equals + 1)..];
            else if (i + 1 < words.Count && !words[i + 1].StartsWith("--", StringComparison.Ordinal)) values[word] = words[++i];
            else values[word] = "true";
        }

        return values;
    }

    /// <summary>A console that hands every finished line to the build's output.</summary>
    private sealed class LineWriter(Action<string> output) : TextWriter
    {
        private readonly System.Text.StringBuilder line = new();

        public override System.Text.Encoding Encoding => System.Text.Encoding.UTF8;

        public override void Write(char value)
        {
            lock (line)
            {
                if (value == '\n')
                {
                    output(line.ToString().TrimEnd('\r'));
                    line.Clear();
                }
                else
                {
                    line.Append(value);
                }
            }
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing && line.Length > 0) output(line.ToString());
            base.Dispose(disposing);
        }
    }
}

/// <summary>A host run inside a local build: the build role's credentials, the local run's CodePipeline API, the run's emulator,
/// which every service of the nested host uses (a buildspec line that unsets or changes AWS_ENDPOINT_URL cannot send it to AWS),
/// and its permission check (every call of the nested host's clients is put to it).</summary>
internal sealed record NestedRun(AWSCredentials Credentials, ICodePipeline Pipeline, string EndpointUrl, IAwsCallGate? Gate = null);
