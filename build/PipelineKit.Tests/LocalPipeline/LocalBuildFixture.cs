namespace PipelineKit.Tests.LocalPipeline;

using System.IO.Compression;
using Amazon.Runtime;
using PipelineKit.LocalPipeline;
using PipelineKit.Testing;

/// <summary>An artifact store in a temporary folder: every artifact is a zip file, its key the file's path.</summary>
public sealed class FakeArtifactStore(string directory) : IArtifactStore
{
    public List<(string AccessKey, string Operation)> Calls { get; } = [];

    public Task<ArtifactLocation> PutAsync(AWSCredentials credentials, ArtifactStoreDefinition store, string executionId, string artifactName,
        string zipFile, CancellationToken ct)
    {
        Calls.Add((credentials.GetCredentials().AccessKey, "put " + artifactName));
        var key = Path.Combine(directory, "store", executionId, artifactName + ".zip");
        Directory.CreateDirectory(Path.GetDirectoryName(key)!);
        File.Copy(zipFile, key, overwrite: true);
        return Task.FromResult(new ArtifactLocation(artifactName, store.Region, store.Bucket, key, store.KeyArn));
    }

    public Task GetAsync(AWSCredentials credentials, ArtifactLocation location, string zipFile, CancellationToken ct)
    {
        Calls.Add((credentials.GetCredentials().AccessKey, "get " + location.Name));
        File.Copy(location.Key, zipFile, overwrite: true);
        return Task.CompletedTask;
    }
}

/// <summary>The kit's commands as a build calls them: recorded, and answered by a handler per target.</summary>
public sealed class RecordingKitCommands : IKitCommands
{
    public List<(IReadOnlyList<string> Arguments, string Directory, IReadOnlyDictionary<string, string> Environment)> Calls { get; } = [];

    /// <summary>Per target: what the command does in the build's directory; returns its exit code.</summary>
    public Dictionary<string, Func<string, Action<string>, int>> Handlers { get; } = new(StringComparer.Ordinal);

    public Task<int> RunAsync(IReadOnlyList<string> arguments, string workingDirectory, IReadOnlyDictionary<string, string> environment,
        Action<string> output, CancellationToken ct)
    {
        Calls.Add((arguments.ToArray(), workingDirectory, new Dictionary<string, string>(environment)));
        return Task.FromResult(arguments.Count > 0 && Handlers.TryGetValue(arguments[0], out var handler) ? handler(workingDirectory, output) : 0);
    }
}

/// <summary>One local build action with its source, project, store and fakes, in a temporary folder.</summary>
public sealed class LocalBuildFixture : IDisposable
{
    public const string RoleAccessKey = "AKIAROLEOFPROJECT";
    public const string RoleSecret = "role-secret-never-logged";

    public LocalBuildFixture()
    {
        Root = Path.Combine(Path.GetTempPath(), "lp-build-" + Guid.NewGuid().ToString("N"));
        Source = Path.Combine(Root, "checkout");
        Directory.CreateDirectory(Source);
        Store = new FakeArtifactStore(Root);
    }

    public string Root { get; }

    /// <summary>The source the build's input artifact is zipped from.</summary>
    public string Source { get; }

    public FakeArtifactStore Store { get; }

    public RecordingKitCommands Kit { get; } = new();

    public RecordingMessages Messages { get; } = new();

    public List<string> LogLines { get; } = [];

    public string WorkRoot => Path.Combine(Root, "work");

    /// <summary>The build's source directory, kept between runs.</summary>
    public string BuildSource => Path.Combine(WorkRoot, "builds", "proj", "Build", "src");

    public List<string> RolesAssumed { get; } = [];

    public void Write(string relativePath, string text)
    {
        var path = Path.Combine(Source, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    public CodeBuildAction Executor(bool fullBuild = true) => new(Store, Kit, (role, _) =>
    {
        RolesAssumed.Add(role);
        return Task.FromResult(new ImmutableCredentials(RoleAccessKey, RoleSecret, "role-token"));
    }, "http://127.0.0.1:5999", WorkRoot, Messages, fullBuild);

    /// <param name="buildSpec">The project's buildspec: inline YAML or a path in the source.</param>
    public ActionRun Run(string buildSpec, IReadOnlyDictionary<string, string>? configuration = null, int timeoutMinutes = 60,
        IReadOnlyList<string>? outputs = null, string? revision = null)
    {
        var input = Path.Combine(Root, "input.zip");
        File.Delete(input);
        ZipFile.CreateFromDirectory(Source, input);
        var config = new Dictionary<string, string>(configuration ?? new Dictionary<string, string>()) { ["ProjectName"] = "proj" };
        var action = new ActionDefinition("Build", "Build", ActionType.CodeBuild, 1, "eu-west-1",
            "arn:aws:iam::111111111111:role/pipeline", null, config, ["SourceOutput"], outputs ?? ["BuildOutput"]);
        var project = new BuildProjectDefinition("proj", buildSpec, "arn:aws:iam::111111111111:role/proj-build",
            [new BuildVariable("FROM_PROJECT", "project-value")], timeoutMinutes, null);
        var pipeline = new PipelineDefinition("demo-pipeline", "111111111111", "eu-west-1", "arn:aws:iam::111111111111:role/pipeline",
            new Dictionary<string, ArtifactStoreDefinition> { ["eu-west-1"] = new("eu-west-1", "artifacts-bucket", "arn:aws:kms:eu-west-1:111111111111:key/k") },
            [], new Dictionary<string, BuildProjectDefinition> { ["proj"] = project });
        return new ActionRun(pipeline, action, "exec-1", config,
            [new ArtifactLocation("SourceOutput", "eu-west-1", "artifacts-bucket", input, null)],
            new BasicAWSCredentials("AKIAPIPELINE", "pipeline-secret"), revision, line => { lock (LogLines) LogLines.Add(line); });
    }

    /// <summary>The entries of an output artifact the build put, with their text.</summary>
    public static Dictionary<string, string> Entries(ArtifactLocation location)
    {
        using var zip = ZipFile.OpenRead(location.Key);
        return zip.Entries.ToDictionary(e => e.FullName, e => new StreamReader(e.Open()).ReadToEnd());
    }

    /// <summary>The repository's own buildspecs folder.</summary>
    public static string RepositoryBuildspec(string name)
        => Path.Combine(KitSource.Directory().Parent!.Parent!.FullName, "buildspecs", name);

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { }
    }
}
