namespace PipelineKit.LocalPipeline;

using System.Text.Json.Nodes;

/// <summary>
/// Reads the <c>AWS::CodeBuild::Project</c>s that the pipeline's build actions name (by their Name property, as
/// CodePipeline finds a project by name): buildspec, service role, environment variables, timeout and key. A build action
/// naming a project the template does not declare is refused: the local run builds only what the stack would create.
/// Defaults follow the CloudFormation AWS::CodeBuild::Project reference (TimeoutInMinutes 60, variable Type PLAINTEXT)
/// and the CodeBuild buildspec reference (no BuildSpec: buildspec.yml at the source's root). A project name outside
/// CodeBuild's pattern (CodeBuild API reference, CreateProject: <c>[A-Za-z0-9][A-Za-z0-9\-_]{1,254}</c>) is refused: the
/// local run makes the project's build directory of it.
/// </summary>
internal static partial class BuildProjectReader
{
    /// <summary>Whether CodeBuild accepts <paramref name="name"/> as a project (or report group) name.</summary>
    public static bool IsProjectName(string name) => ProjectName().IsMatch(name);

    [System.Text.RegularExpressions.GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9\-_]{1,254}$")]
    private static partial System.Text.RegularExpressions.Regex ProjectName();

    public const int DefaultTimeoutInMinutes = 60;
    public const string DefaultBuildSpec = "buildspec.yml";

    public static IReadOnlyDictionary<string, BuildProjectDefinition> Read(
        JsonObject resources, IReadOnlyList<StageDefinition> stages, TemplateIntrinsics intrinsics, TemplateRefusals refusals)
    {
        var declared = Declared(resources, intrinsics);
        var projects = new Dictionary<string, BuildProjectDefinition>(StringComparer.Ordinal);
        foreach (var action in stages.SelectMany(s => s.Actions).Where(a => a.Type == ActionType.CodeBuild))
        {
            if (!action.Configuration.TryGetValue("ProjectName", out var name) || projects.ContainsKey(name)) continue;
            if (!IsProjectName(name))
            {
                refusals.Add(TemplateRefusals.At(action.Stage, action.Name, "Configuration.ProjectName"),
                    $"{name} is not a project name CodeBuild accepts (a letter or digit, then 1 to 254 letters, digits, '-' or '_').");
                continue;
            }

            if (!declared.TryGetValue(name, out var project))
            {
                var known = declared.Count == 0 ? "none" : string.Join(", ", declared.Keys.Order(StringComparer.Ordinal));
                refusals.Add(TemplateRefusals.At(action.Stage, action.Name, "Configuration.ProjectName"),
                    $"names project {name}, which the template does not declare (its CodeBuild projects: {known}).");
                continue;
            }

            if (ReadProject(name, project, $"Project {name} (named by {TemplateRefusals.At(action.Stage, action.Name)})", intrinsics, refusals) is { } definition)
                projects[name] = definition;
        }

        return projects;
    }

    /// <summary>The template's projects by name; a name the runner cannot resolve leaves the project out quietly
    /// (it is refused only if an action names it, as an unknown project).</summary>
    private static Dictionary<string, (string LogicalId, JsonObject Properties)> Declared(JsonObject resources, TemplateIntrinsics intrinsics)
    {
        var quiet = new TemplateIntrinsics(resources, intrinsics.Account, intrinsics.Region, new TemplateRefusals());
        var declared = new Dictionary<string, (string, JsonObject)>(StringComparer.Ordinal);
        foreach (var (logicalId, node) in resources)
        {
            if (node is not JsonObject { } resource || (string?)resource["Type"] != "AWS::CodeBuild::Project") continue;
            var properties = resource["Properties"] as JsonObject ?? [];
            if (quiet.Resolve(properties["Name"], "", "") is { Length: > 0 } name) declared.TryAdd(name, (logicalId, properties));
        }

        return declared;
    }

    private static BuildProjectDefinition? ReadProject(
        string name, (string LogicalId, JsonObject Properties) project, string where, TemplateIntrinsics intrinsics, TemplateRefusals refusals)
    {
        var (logicalId, properties) = project;
        var path = $"Resources.{logicalId}.Properties";
        var before = refusals.Count;

        var buildSpec = intrinsics.Resolve(properties["Source"]?["BuildSpec"], $"{where}, Source.BuildSpec", $"{path}.Source.BuildSpec");
        var role = intrinsics.Resolve(properties["ServiceRole"], $"{where}, ServiceRole", $"{path}.ServiceRole");
        if (role is null && properties["ServiceRole"] is null) refusals.Add($"{where}, ServiceRole", "the project has no service role.");

        var timeoutText = intrinsics.Resolve(properties["TimeoutInMinutes"], $"{where}, TimeoutInMinutes", $"{path}.TimeoutInMinutes");
        var timeout = timeoutText is null ? DefaultTimeoutInMinutes : TemplateNumbers.Integer(timeoutText);
        if (timeout is null) refusals.Add($"{where}, TimeoutInMinutes", $"{timeoutText} is not a whole number of minutes.");

        var key = intrinsics.Resolve(properties["EncryptionKey"], $"{where}, EncryptionKey", $"{path}.EncryptionKey");
        var variables = Variables(properties["Environment"]?["EnvironmentVariables"], where, $"{path}.Environment.EnvironmentVariables", intrinsics, refusals);

        if (refusals.Count > before || role is null) return null;
        return new BuildProjectDefinition(
            name,
            string.IsNullOrEmpty(buildSpec) ? DefaultBuildSpec : buildSpec,
            role.StartsWith("arn:", StringComparison.Ordinal) ? role : $"arn:{intrinsics.Partition}:iam::{intrinsics.Account}:role/{role}",
            variables,
            timeout!.Value,
            key);
    }

    private static List<BuildVariable> Variables(JsonNode? node, string where, string path, TemplateIntrinsics intrinsics, TemplateRefusals refusals)
    {
        var variables = new List<BuildVariable>();
        if (node is null) return variables;
        if (node is not JsonArray items)
        {
            refusals.Add($"{where}, Environment.EnvironmentVariables", "is not a list.");
            return variables;
        }

        for (var i = 0; i < items.Count; i++)
        {
            var at = $"{where}, Environment.EnvironmentVariables[{i}]";
            var name = intrinsics.Resolve(items[i]?["Name"], at, $"{path}[{i}].Name");
            var value = intrinsics.Resolve(items[i]?["Value"], at, $"{path}[{i}].Value");
            var type = intrinsics.Resolve(items[i]?["Type"], at, $"{path}[{i}].Type") ?? "PLAINTEXT";
            if (name is null || value is null)
            {
                if (items[i]?["Name"] is null || items[i]?["Value"] is null) refusals.Add(at, "a variable needs a Name and a Value.");
                continue;
            }

            if (!ActionEnvironmentVariables.Types.Contains(type, StringComparer.Ordinal))
                refusals.Add(at, $"type {type} is not one CodeBuild takes ({string.Join(", ", ActionEnvironmentVariables.Types)}).");
            variables.Add(new BuildVariable(name, value, type));
        }

        return variables;
    }
}
