namespace PipelineKit.Tests.Configuration;

using System.Text.Json;
using PipelineKit.Configuration;

/// <summary>pipeline.schema.json is what editors complete from; it must say exactly what the loader accepts.</summary>
public sealed class PipelineSchemaTests
{
    private static readonly JsonElement Schema =
        JsonDocument.Parse(File.ReadAllText(ConfigJson.RepositoryFile("pipeline.schema.json"))).RootElement;

    [Fact]
    public void Schema_DescribesExactlyThePropertiesTheLoaderAccepts()
    {
        var fromSchema = new SortedDictionary<string, string>(StringComparer.Ordinal);
        Walk(Schema, "", fromSchema);

        var fromLoader = new SortedDictionary<string, string>(
            PipelineConfigLoader.AcceptedProperties.ToDictionary(
                p => p.Key,
                p => string.Join(", ", p.Value.Order(StringComparer.Ordinal))),
            StringComparer.Ordinal);

        Assert.Equal(fromLoader, fromSchema);
    }

    [Fact]
    public void Schema_EveryObjectIsClosedAndEveryPropertyDescribed()
    {
        var problems = new List<string>();
        CheckClosedAndDescribed(Schema, "(root)", problems);

        Assert.Empty(problems);
    }

    [Fact]
    public void Schema_RegionsAreTheLoadersKnownRegions()
    {
        var regions = Definition("region").GetProperty("enum").EnumerateArray().Select(r => r.GetString()!);

        Assert.Equal(KnownRegions.All, regions);
    }

    [Fact]
    public void Schema_DefaultsAndSourceTypesMatchTheLoader()
    {
        var root = Schema.GetProperty("properties");
        var source = root.GetProperty("source").GetProperty("properties");
        var execution = root.GetProperty("cloudFormationExecution").GetProperty("properties");

        Assert.Equal(RootSection.DefaultAssumeRoleName, root.GetProperty("assumeRoleName").GetProperty("default").GetString());
        Assert.Equal(RootSection.DefaultArtifactRetentionDays, root.GetProperty("artifactRetentionDays").GetProperty("default").GetInt32());
        Assert.Equal(SourceKinds.Default.Type, source.GetProperty("type").GetProperty("default").GetString());
        Assert.Equal(SourceKinds.Types, source.GetProperty("type").GetProperty("enum").EnumerateArray().Select(t => t.GetString()!));
        Assert.Equal(S3Source.DefaultObjectKey, source.GetProperty("objectKey").GetProperty("default").GetString());
        Assert.Equal(
            [ExecutionSection.DefaultManagedPolicyArnIn(KnownRegions.Commercial)],
            execution.GetProperty("managedPolicyArns").GetProperty("default").EnumerateArray().Select(a => a.GetString()!));
        Assert.Equal(RootSection.MaxNameLength, root.GetProperty("name").GetProperty("maxLength").GetInt32());
        var securityApproval = root.GetProperty("environments").GetProperty("items").GetProperty("properties").GetProperty("securityApproval");
        Assert.Equal(EnvironmentsSection.SecurityApprovals, securityApproval.GetProperty("enum").EnumerateArray().Select(v => v.GetString()!));
        Assert.Equal("broadening", securityApproval.GetProperty("default").GetString());
    }

    [Fact]
    public void Schema_SourceTypesAndTheirFields_AreTheRegisteredSourceKinds()
    {
        var source = Schema.GetProperty("properties").GetProperty("source");
        var fromSchema = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var rule in source.GetProperty("allOf").EnumerateArray())
        {
            var condition = rule.GetProperty("if");
            var type = condition.GetProperty("properties").GetProperty("type").GetProperty("const").GetString()!;
            var then = rule.GetProperty("then");
            fromSchema.Add(type, Describe(
                then.TryGetProperty("required", out var required) ? Strings(required) : [],
                Strings(then.GetProperty("propertyNames").GetProperty("enum")),
                appliesWithoutType: !condition.TryGetProperty("required", out var needs) || !Strings(needs).Contains("type")));
        }

        // Without a "type" the source is the default kind, so only that kind's rule may apply to a source without one.
        var fromRegistry = SourceKinds.All.ToDictionary(
            k => k.Type,
            k => Describe(k.Required, ["type", .. k.Properties], appliesWithoutType: k == SourceKinds.Default),
            StringComparer.Ordinal);

        Assert.Equal(SourceKinds.Types, source.GetProperty("properties").GetProperty("type").GetProperty("enum").EnumerateArray().Select(t => t.GetString()!));
        Assert.Equal(SourceKinds.Types, fromSchema.Keys);
        Assert.Equal(fromRegistry, fromSchema);

        static string Describe(IEnumerable<string> required, IEnumerable<string> fields, bool appliesWithoutType) =>
            $"required: {string.Join(", ", required)}; fields: {string.Join(", ", fields)}; applies without a type: {appliesWithoutType}";

        static string[] Strings(JsonElement array) => array.EnumerateArray().Select(s => s.GetString()!).ToArray();
    }

    [Fact]
    public void RootPipelineJson_PointsEditorsAtTheSchema()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(ConfigJson.RepositoryFile("pipeline.json")));

        Assert.Equal("./pipeline.schema.json", document.RootElement.GetProperty("$schema").GetString());
    }

    private static JsonElement Definition(string name) => Schema.GetProperty("$defs").GetProperty(name);

    private static JsonElement Resolve(JsonElement node) =>
        node.TryGetProperty("$ref", out var reference)
            ? Definition(reference.GetString()!.Replace("#/$defs/", "", StringComparison.Ordinal))
            : node;

    /// <summary>Collects, per object, its property names, keyed like the loader: dotted paths, [] for array items.</summary>
    private static void Walk(JsonElement node, string path, IDictionary<string, string> objects)
    {
        node = Resolve(node);
        if (node.TryGetProperty("properties", out var properties))
        {
            objects[path] = string.Join(", ", properties.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
            foreach (var property in properties.EnumerateObject())
            {
                Walk(property.Value, path.Length == 0 ? property.Name : $"{path}.{property.Name}", objects);
            }
        }

        if (node.TryGetProperty("items", out var items))
        {
            Walk(items, $"{path}[]", objects);
        }
    }

    private static void CheckClosedAndDescribed(JsonElement node, string path, List<string> problems)
    {
        node = Resolve(node);
        if (node.TryGetProperty("properties", out var properties))
        {
            if (!node.TryGetProperty("additionalProperties", out var additional) || additional.ValueKind != JsonValueKind.False)
            {
                problems.Add($"{path}: additionalProperties is not false");
            }

            foreach (var property in properties.EnumerateObject())
            {
                var resolved = Resolve(property.Value);
                if (!property.Value.TryGetProperty("description", out _) && !resolved.TryGetProperty("description", out _))
                {
                    problems.Add($"{path}.{property.Name}: no description");
                }

                CheckClosedAndDescribed(property.Value, $"{path}.{property.Name}", problems);
            }
        }

        if (node.TryGetProperty("items", out var items))
        {
            CheckClosedAndDescribed(items, $"{path}[]", problems);
        }
    }
}
