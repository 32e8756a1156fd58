namespace PipelineKit.Tests.Integration;

using System.Diagnostics;
using System.Text.Json;
using PipelineKit.Aws;
using PipelineKit.Sandbox;

/// <summary>One emulator for the integration tests. Tests isolate themselves by pipeline name:
/// every stack, bucket and role name starts with it.</summary>
public sealed class MotoFixture : IAsyncLifetime
{
    private readonly Lazy<RepositorySnapshot> repository = new(RepositorySnapshot.Create);

    public MotoServer Server { get; private set; } = null!;

    public string Url => Server.Url;

    /// <summary>The repository root the collection's workspaces work in (KitWorkspace inRepository): a snapshot of the
    /// working tree made for this emulator's collection at first use, so no two collections share its artifacts folder.</summary>
    public string RepositoryRoot => repository.Value.Root;

    public async Task InitializeAsync() => Server = await MotoServer.StartAsync();

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        if (repository.IsValueCreated) repository.Value.Dispose();
    }

    /// <summary>The kit's client factory with every service at the emulator.</summary>
    public AwsClientFactory Clients(AwsCallLog? callLog = null) => new(new AwsEndpoints(_ => null, Url), callLog ?? new AwsCallLog());

    /// <summary>The AWS CLI against the emulator: a client independent of the kit. With <paramref name="account"/>,
    /// acts in that account through OrganizationAccountAccessRole, as a person checking would.</summary>
    public async Task<JsonElement> Cli(string? account, params string[] arguments)
    {
        var environment = new Dictionary<string, string>
        {
            ["AWS_ACCESS_KEY_ID"] = "testing",
            ["AWS_SECRET_ACCESS_KEY"] = "testing",
            ["AWS_DEFAULT_REGION"] = "us-east-1",
        };
        if (account is not null && account != "123456789012")
        {
            var assumed = await Run(environment, "sts", "assume-role", "--role-arn", $"arn:aws:iam::{account}:role/OrganizationAccountAccessRole",
                "--role-session-name", "verify", "--region", "us-east-1");
            var credentials = assumed.GetProperty("Credentials");
            environment["AWS_ACCESS_KEY_ID"] = credentials.GetProperty("AccessKeyId").GetString()!;
            environment["AWS_SECRET_ACCESS_KEY"] = credentials.GetProperty("SecretAccessKey").GetString()!;
            environment["AWS_SESSION_TOKEN"] = credentials.GetProperty("SessionToken").GetString()!;
        }

        return await Run(environment, arguments);
    }

    private async Task<JsonElement> Run(Dictionary<string, string> environment, params string[] arguments)
    {
        var start = new ProcessStartInfo("aws") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        start.ArgumentList.Add("--endpoint-url");
        start.ArgumentList.Add(Url);
        start.ArgumentList.Add("--output");
        start.ArgumentList.Add("json");
        foreach (var (key, value) in environment) start.Environment[key] = value;
        start.Environment.Remove("AWS_PROFILE");

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"aws {string.Join(' ', arguments)} failed: {await stderr}");
        }

        var text = await stdout;
        return string.IsNullOrWhiteSpace(text) ? default : JsonDocument.Parse(text).RootElement.Clone();
    }
}

/// <summary>The emulator-backed tests, in collections with an emulator (and a repository snapshot) each: xUnit runs the
/// collections side by side, a collection's tests one at a time. Most of the emulator's time is spent waiting (moto answers
/// one request at a time), so four collections keep two cores busy.</summary>
[CollectionDefinition("moto")]
public sealed class MotoCollection : ICollectionFixture<MotoFixture>;

/// <summary>Whole-target runs of the foundation: bootstrap, Plan, target chains, a lost stack.</summary>
[CollectionDefinition(Name)]
public sealed class MotoBootstrapCollection : ICollectionFixture<MotoFixture>
{
    public const string Name = "moto-bootstrap";
}

/// <summary>Releases through the pipeline, run locally: the sandbox's release and its permission check.</summary>
[CollectionDefinition(Name)]
public sealed class MotoReleaseCollection : ICollectionFixture<MotoFixture>
{
    public const string Name = "moto-release";
}

/// <summary>The permission trace's delivery, and Destroy.</summary>
[CollectionDefinition(Name)]
public sealed class MotoTraceCollection : ICollectionFixture<MotoFixture>
{
    public const string Name = "moto-trace";
}
