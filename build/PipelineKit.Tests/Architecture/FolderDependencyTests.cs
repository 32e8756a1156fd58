namespace PipelineKit.Tests.Architecture;

using System.Text.RegularExpressions;

/// <summary>
/// Each folder of build/PipelineKit is one namespace, PipelineKit.&lt;Folder&gt;; the root files (KitHost, KitOptions, Interruption,
/// TestRunner) are the namespace PipelineKit itself. A folder depends on another when one of its files names it:
/// <c>using PipelineKit.X;</c>, <c>using static PipelineKit.X.T;</c>, <c>PipelineKit.X.T</c> or <c>X.T</c>, or, for
/// the root, any type the root files declare (every namespace of the kit sees the root's types without a using).
/// </summary>
public class FolderDependencyTests
{
    public const string Root = "(root)";

    /// <summary>The intended layering, bottom first. A folder may use only folders of a lower layer.</summary>
    public static readonly string[][] Layers =
    [
        ["Errors", "Messages"],
        ["Configuration", "Sandbox"],
        ["Naming"],
        ["Aws"],
        ["Accounts"],
        ["Deployment", "Locking", "Permissions"],
        ["Orchestration", "Reporting"],
        ["SampleApp", "Verification"],
        ["Teardown"],
        ["Pipeline", "Planning"],
        ["LocalPipeline"],
        [Root],
    ];

    [Fact]
    public void KitFolders_DependOnEachOther_WithoutACycle()
    {
        var graph = FolderGraph.Read(KitDirectory());

        var cycle = graph.FindCycle();

        Assert.True(cycle is null, cycle is null ? "" : $"The kit's folders form a cycle: {string.Join(" -> ", cycle)}.\n{graph.Describe(cycle)}");
    }

    [Fact]
    public void EveryFolder_UsesOnlyFoldersOfALowerLayer()
    {
        var graph = FolderGraph.Read(KitDirectory());
        var rank = Layers.SelectMany((layer, i) => layer.Select(folder => (folder, i))).ToDictionary(p => p.folder, p => p.i);

        var unplaced = graph.Folders.Where(f => !rank.ContainsKey(f)).ToList();
        var upward = graph.Edges
            .Where(e => rank.ContainsKey(e.From) && rank.ContainsKey(e.To) && rank[e.From] <= rank[e.To])
            .Select(e => $"{e.From} -> {e.To} (layer {rank[e.From]} uses layer {rank[e.To]}) in {string.Join(", ", e.Files)}")
            .ToList();

        Assert.True(unplaced.Count == 0, $"Folders not in {nameof(Layers)}; give each its layer: {string.Join(", ", unplaced)}");
        Assert.True(upward.Count == 0, "Edges that do not point down the layering:\n" + string.Join("\n", upward));
    }

    [Fact]
    public void FindCycle_OnTwoFoldersUsingEachOther_NamesTheCycle()
    {
        var graph = new FolderGraph(
            ["Naming", "Aws", "Deployment"],
            [new("Aws", "Deployment", ["Aws/ICloudFormation.cs"]), new("Deployment", "Aws", ["Deployment/StackDeployer.cs"]),
             new("Deployment", "Naming", ["Deployment/StackDeployer.cs"])]);

        Assert.Equal(new[] { "Aws", "Deployment", "Aws" }, graph.FindCycle());
        Assert.Contains("Aws/ICloudFormation.cs", graph.Describe(graph.FindCycle()!), StringComparison.Ordinal);
    }

    [Fact]
    public void FindCycle_OnALayeredGraph_FindsNone()
    {
        var graph = new FolderGraph(
            ["Naming", "Aws", "Deployment"],
            [new("Aws", "Naming", ["a.cs"]), new("Deployment", "Aws", ["d.cs"]), new("Deployment", "Naming", ["d.cs"])]);

        Assert.Null(graph.FindCycle());
    }

    [Theory]
    [InlineData("using PipelineKit.Deployment;", "Deployment")]
    [InlineData("using static PipelineKit.Deployment.StackDeployer;", "Deployment")]
    [InlineData("var s = PipelineKit.Deployment.StackOutcome.Created;", "Deployment")]
    [InlineData("var s = global::PipelineKit.Deployment.StackOutcome.Created;", "Deployment")]
    [InlineData("var s = Deployment.StackOutcome.Created;", "Deployment")]
    [InlineData("throw new KitRunFailedException(\"x\");", Root)]
    public void References_InUsingsAndQualifiedNames_AreFound(string line, string expected)
    {
        var folders = new[] { "Aws", "Deployment" };

        var found = FolderGraph.References($"namespace PipelineKit.Aws;\n\n{line}\n", folders, rootTypes: ["KitRunFailedException"]);

        Assert.Equal(new[] { expected }, found);
    }

    [Theory]
    [InlineData("// see PipelineKit.Deployment.StackDeployer")]
    [InlineData("/// <summary>Deployment.StackOutcome, reported.</summary>")]
    [InlineData("var s = config.Deployment.Name;")]
    [InlineData("var s = DeploymentName;")]
    [InlineData("var code = \"Deployment.StackFailed\";")]
    public void References_InCommentsAndMemberAccess_AreNotDependencies(string line)
    {
        var found = FolderGraph.References($"namespace PipelineKit.Aws;\n\n{line}\n", ["Aws", "Deployment"], rootTypes: ["KitRunFailedException"]);

        Assert.Empty(found);
    }

    private static DirectoryInfo KitDirectory()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "PipelineKit.slnx"))) dir = dir.Parent;
        return dir is null
            ? throw new InvalidOperationException($"No PipelineKit.slnx above {AppContext.BaseDirectory}.")
            : new DirectoryInfo(Path.Combine(dir.FullName, "build", "PipelineKit"));
    }
}

/// <summary>One folder's use of another, with the files (relative to build/PipelineKit) that make it.</summary>
public sealed record FolderEdge(string From, string To, IReadOnlyList<string> Files);

/// <summary>Which folders of the kit use which, read from the source text.</summary>
public sealed class FolderGraph(IReadOnlyList<string> folders, IReadOnlyList<FolderEdge> edges)
{
    private static readonly Regex TypeDeclaration = new(@"^(?:public|internal)\s[\w\s]*?\b(?:class|record|struct|interface|enum)\s+(?<name>[A-Z]\w*)", RegexOptions.Multiline);

    public IReadOnlyList<string> Folders { get; } = folders;

    public IReadOnlyList<FolderEdge> Edges { get; } = edges;

    public static FolderGraph Read(DirectoryInfo kit)
    {
        var subfolders = kit.GetDirectories().Select(d => d.Name).Where(n => n is not ("bin" or "obj")).Order(StringComparer.Ordinal).ToList();
        var files = kit.GetFiles("*.cs", SearchOption.AllDirectories)
            .Select(f => (Path: Path.GetRelativePath(kit.FullName, f.FullName).Replace('\\', '/'), Text: File.ReadAllText(f.FullName)))
            .Select(f => (f.Path, f.Text, Folder: f.Path.Contains('/', StringComparison.Ordinal) ? f.Path[..f.Path.IndexOf('/', StringComparison.Ordinal)] : FolderDependencyTests.Root))
            .Where(f => f.Folder is not ("bin" or "obj"))
            .OrderBy(f => f.Path, StringComparer.Ordinal)
            .ToList();
        var rootTypes = files.Where(f => f.Folder == FolderDependencyTests.Root)
            .SelectMany(f => TypeDeclaration.Matches(f.Text).Select(m => m.Groups["name"].Value))
            .ToHashSet(StringComparer.Ordinal);

        var edges = files
            .SelectMany(f => References(f.Text, subfolders, rootTypes).Where(to => to != f.Folder).Select(to => (f.Folder, To: to, f.Path)))
            .GroupBy(e => (e.Folder, e.To))
            .Select(g => new FolderEdge(g.Key.Folder, g.Key.To, g.Select(e => e.Path).Distinct().ToList()))
            .ToList();
        return new FolderGraph([.. subfolders, FolderDependencyTests.Root], edges);
    }

    /// <summary>The folders (or <see cref="FolderDependencyTests.Root"/>) that one file's code names.</summary>
    public static IReadOnlyList<string> References(string text, IReadOnlyCollection<string> folders, IReadOnlyCollection<string> rootTypes)
    {
        var code = Code(text);
        var names = string.Join("|", folders.Select(Regex.Escape));
        // "PipelineKit.X" anywhere (usings, static usings, aliases, full names), or "X.T" not preceded by a member access.
        var qualified = new Regex($@"\bPipelineKit\.(?<ns>{names})\b|(?<![\w.])(?<ns>{names})\.(?=[A-Z])");
        var found = qualified.Matches(code).Select(m => m.Groups["ns"].Value).ToList();
        if (rootTypes.Count > 0)
        {
            var root = new Regex($@"(?<![\w.])(?:{string.Join("|", rootTypes.Select(Regex.Escape))})\b");
            if (root.IsMatch(code)) found.Add(FolderDependencyTests.Root);
        }

        return found.Distinct().ToList();
    }

    /// <summary>One cycle as the folders it passes through, first folder repeated at the end; null when the graph has none.</summary>
    public IReadOnlyList<string>? FindCycle()
    {
        var next = Edges.GroupBy(e => e.From).ToDictionary(g => g.Key, g => g.Select(e => e.To).Order(StringComparer.Ordinal).ToList());
        var done = new HashSet<string>(StringComparer.Ordinal);
        var path = new List<string>();

        List<string>? Visit(string folder)
        {
            var at = path.IndexOf(folder);
            if (at >= 0) return [.. path[at..], folder];
            if (!done.Add(folder)) return null;
            path.Add(folder);
            foreach (var to in next.GetValueOrDefault(folder) ?? [])
            {
                if (Visit(to) is { } cycle) return cycle;
            }

            path.RemoveAt(path.Count - 1);
            return null;
        }

        foreach (var folder in Folders)
        {
            if (Visit(folder) is { } cycle) return cycle;
        }

        return null;
    }

    /// <summary>The files that make each edge of <paramref name="cycle"/>.</summary>
    public string Describe(IReadOnlyList<string> cycle) => string.Join("\n", cycle.Zip(cycle.Skip(1))
        .Select(step => $"{step.First} -> {step.Second}: {string.Join(", ", Edges.Single(e => e.From == step.First && e.To == step.Second).Files)}"));

    /// <summary>The text without comments (a folder named in prose is not a dependency), without the file's own
    /// namespace declaration, and without plain string literals (a message code such as "Sandbox.Started" is text).
    /// Interpolated and verbatim strings stay: their holes are code.</summary>
    private static string Code(string text) => PlainString.Replace(string.Join("\n", text.Split('\n')
        .Select(line => line.TrimStart())
        .Where(line => !line.StartsWith("//", StringComparison.Ordinal) && !line.StartsWith("namespace ", StringComparison.Ordinal))), "\"\"");

    private static readonly Regex PlainString = new(@"(?<![$@""'\\])""(?:[^""\\\n]|\\.)*""");
}
