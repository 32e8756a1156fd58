namespace PipelineKit.Tests.Integration;

using System.Text.Json.Nodes;
using PipelineKit.Orchestration;

/// <summary>A throw-away repository root with a pipeline.json and a credentials file, and a KitHost over it
/// that talks to the emulator through AWS_ENDPOINT_URL, as a user's machine would.</summary>
public sealed class KitWorkspace : IDisposable
{
    private readonly Dictionary<string, string> environment;

    /// <param name="inRepository">Use the collection's snapshot of the repository (<see cref="MotoFixture.RepositoryRoot"/>)
    /// as root, for targets that build its sample app or upload it as the source; the workspace's own files then go to a
    /// temporary folder beside it.</param>
    public KitWorkspace(MotoFixture moto, string name, bool inRepository = false)
        : this(moto.Url, name, inRepository ? moto.RepositoryRoot : null)
    {
    }

    /// <param name="endpointUrl">Where every AWS call goes: the emulator, or for runs that must make no call at all,
    /// an address nothing answers on.</param>
    public KitWorkspace(string endpointUrl, string name, string? repositoryRoot = null)
    {
        Name = name;
        Scratch = Directory.CreateTempSubdirectory("pipelinekit-it-").FullName;
        Root = repositoryRoot ?? Scratch;
        var credentials = CredentialsPath;
        File.WriteAllText(credentials, string.Join('\n',
            "[kit-build]", "aws_access_key_id = testing", "aws_secret_access_key = testing", "",
            "[kit-wrong-account]", "aws_access_key_id = testing", "aws_secret_access_key = testing", ""));
        environment = new Dictionary<string, string>
        {
            ["AWS_ENDPOINT_URL"] = endpointUrl,
            ["AWS_SHARED_CREDENTIALS_FILE"] = credentials,
        };
        Config = Standard(name);
    }

    public string Name { get; }

    public string Root { get; }

    private string Scratch { get; }

    public string ConfigPath => Path.Combine(Scratch, "pipeline.json");

    private string CredentialsPath => Path.Combine(Scratch, "credentials");

    /// <summary>Adds a profile with a role session's keys, so the kit runs as that role (as it would in its CodeBuild project).</summary>
    public void AddProfile(string profile, string accessKeyId, string secretAccessKey, string sessionToken) =>
        File.AppendAllText(CredentialsPath, string.Join('\n',
            $"[{profile}]", $"aws_access_key_id = {accessKeyId}", $"aws_secret_access_key = {secretAccessKey}",
            $"aws_session_token = {sessionToken}", ""));

    /// <summary>1 build account and 3 target accounts over 3 regions; one target account in two regions.</summary>
    public JsonObject Config { get; set; }

    public StringWriter Console { get; } = new();

    /// <summary>Runs with --sandbox (the bundled sandbox configuration, no --config), still against the test's emulator.</summary>
    public bool Sandbox { get; init; }

    /// <summary>The environment the kit sees (AWS_ENDPOINT_URL and the credentials file are set; tests may add to it).</summary>
    public IDictionary<string, string> Environment => environment;

    public static JsonObject Standard(string name) => new()
    {
        ["name"] = name,
        ["build"] = new JsonObject { ["account"] = "123456789012", ["region"] = "us-east-1", ["profile"] = "kit-build" },
        ["environments"] = new JsonArray(
            new JsonObject { ["name"] = "dev", ["account"] = "222222222222", ["region"] = "us-east-1" },
            new JsonObject { ["name"] = "test", ["account"] = "333333333333", ["region"] = "us-west-2" },
            new JsonObject { ["name"] = "test-eu", ["account"] = "333333333333", ["region"] = "eu-west-1" },
            new JsonObject { ["name"] = "prod", ["account"] = "444444444444", ["region"] = "eu-west-1", ["approval"] = true }),
        // The emulator's default credentials act as this user; it runs DeploySampleApp --direct through the deployer role.
        ["deployers"] = new JsonArray("arn:aws:iam::123456789012:user/moto"),
    };

    public KitHost Host(params string[] arguments) => Host(arguments.AsEnumerable());

    private KitHost Host(IEnumerable<string> arguments)
    {
        File.WriteAllText(ConfigPath, Config.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
        var options = Sandbox ? new Dictionary<string, string> { ["sandbox"] = "true" } : new Dictionary<string, string> { ["config"] = ConfigPath };
        var list = arguments.ToArray();
        for (var i = 0; i < list.Length; i += 2) options[list[i]] = list[i + 1];
        return KitHost.Create(Root, k => options.GetValueOrDefault(k), k => environment.GetValueOrDefault(k), Console, TimeProvider.System);
    }

    /// <summary>Runs one target with a fresh host, as one ./build.sh invocation would.</summary>
    public async Task<(KitHost Host, Dictionary<string, PipelineKit.Deployment.StackResult> Results)> Run(KitTarget target, params string[] arguments)
    {
        var host = Host(arguments);
        try
        {
            var results = await host.RunAsync(target);
            return (host, results.ToDictionary(r => r.Ref.Key, r => r.Result));
        }
        finally
        {
            host.Dispose();
        }
    }

    /// <summary>Runs <paramref name="tasks"/> with one host, as Cake runs <c>./build.sh --target NAMED</c>: the named target's
    /// prerequisites first, each a task of its own, then the teardown's <see cref="KitHost.Finish"/>.</summary>
    public async Task<KitHost> RunAsCake(KitTarget named, params KitTarget[] tasks)
    {
        var host = Host("target", named.ToString());
        try
        {
            foreach (var task in tasks) await host.RunAsync(task);
            host.Finish();
            return host;
        }
        finally
        {
            host.Dispose();
        }
    }

    /// <summary>Runs Plan with a fresh host, as one ./build.sh Plan would; the host keeps its call log and exit code.</summary>
    public async Task<(KitHost Host, PipelineKit.Planning.PlanReport Report)> Plan(params string[] arguments)
    {
        var host = Host(arguments);
        try
        {
            return (host, await host.PlanAsync());
        }
        finally
        {
            host.Dispose();
        }
    }

    /// <summary>Runs PublishSampleApp with a fresh host, as one ./build.sh PublishSampleApp would.</summary>
    /// <summary>SecurityCheck --environment NAME with a fresh host; returns the disposed host for its call log.</summary>
    public KitHost SecurityCheck(string environmentName)
    {
        var host = Host("environment", environmentName);
        try
        {
            host.SecurityCheck();
            return host;
        }
        finally
        {
            host.Dispose();
        }
    }

    /// <summary>Rollback with a fresh host, as one ./build.sh Rollback would; returns the disposed host for its call log.</summary>
    public KitHost Rollback(params string[] arguments)
    {
        var host = Host(arguments);
        try
        {
            host.Rollback();
            return host;
        }
        finally
        {
            host.Dispose();
        }
    }

    public KitHost Publish(params string[] arguments)
    {
        var host = Host(arguments);
        try
        {
            host.PublishSampleApp();
            return host;
        }
        finally
        {
            host.Dispose();
        }
    }

    /// <summary>Runs Destroy with a fresh host, as one ./build.sh Destroy would; the error is what the run threw.</summary>
    public (KitHost Host, PipelineKit.Teardown.DestroyOutcome? Outcome, Exception? Error) Destroy(params string[] arguments)
    {
        var host = Host(arguments);
        try
        {
            return (host, host.DestroyAsync().GetAwaiter().GetResult(), null);
        }
        catch (Exception e)
        {
            return (host, null, e);
        }
        finally
        {
            host.Dispose();
        }
    }

    public void Dispose()
    {
        try { Directory.Delete(Scratch, recursive: true); } catch (IOException) { }
    }
}
