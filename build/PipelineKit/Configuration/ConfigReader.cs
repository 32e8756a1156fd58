namespace PipelineKit.Configuration;

using System.Text.Json;

/// <summary>
/// One pass over pipeline.json, shared by the section readers: typed reads of a property that report what is wrong
/// under the property's JSON path, the fields several sections take (account, region, profile), and every problem
/// found so far. Nothing stops at the first problem, so a user fixes the file in one pass.
/// </summary>
internal sealed class ConfigReader(string sourceName, ConfigContext context)
{
    private readonly List<ConfigurationError> errors = [];

    /// <summary>The file as errors name it.</summary>
    public string SourceName => sourceName;

    public ConfigContext Context => context;

    /// <summary>The pipeline's name once read (null until then or when it is missing): names the kit derives use it.</summary>
    public string? PipelineName { get; set; }

    /// <summary>build.account once read (null until then or when it is missing).</summary>
    public string? BuildAccount { get; set; }

    /// <summary>build.region once read (null until then or when it is missing): its partition is the configuration's.</summary>
    public string? BuildRegion { get; set; }

    /// <summary>The partition of build.region, which every region and ARN of the file must share; aws while it is unknown
    /// (a missing build.region is reported on its own).</summary>
    public string Partition => BuildRegion is null ? KnownRegions.Commercial : KnownRegions.PartitionOf(BuildRegion);

    public IReadOnlyList<ConfigurationError> Errors => errors;

    public void Error(string path, string problem) => errors.Add(new ConfigurationError(sourceName, path, problem));

    /// <summary>A problem with a command-line argument (<c>--profile</c>), which is not in the file.</summary>
    public void ArgumentError(string option, string problem) => errors.Add(new ConfigurationError(null, option, problem));

    public bool HasErrorAt(string path) => errors.Any(e => e.Path == path);

    /// <summary>Reports properties of <paramref name="obj"/> that are not <paramref name="accepted"/>, or appear twice.</summary>
    public void CheckProperties(JsonElement obj, string path, IReadOnlyList<string> accepted)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in obj.EnumerateObject())
        {
            if (!seen.Add(property.Name))
            {
                Error(Join(path, property.Name), "appears more than once");
            }
            else if (!accepted.Contains(property.Name, StringComparer.Ordinal))
            {
                var hint = DidYouMean.ClosestMatch(property.Name, accepted.Where(a => a != "$schema")) is { } near
                    ? $"; did you mean {near}?"
                    : $"; allowed here: {string.Join(", ", accepted.Where(a => a != "$schema"))}";
                Error(Join(path, property.Name), $"unknown property{hint}");
            }
        }
    }

    public string? RequiredString(JsonElement obj, string path, string name) =>
        Property(obj, path, name, required: true, JsonValueKind.String, "a string")?.GetString();

    public string? OptionalString(JsonElement obj, string path, string name) =>
        Property(obj, path, name, required: false, JsonValueKind.String, "a string")?.GetString();

    public bool? OptionalBoolean(JsonElement obj, string path, string name) =>
        Property(obj, path, name, required: false, JsonValueKind.True, "a boolean (true or false)")?.GetBoolean();

    public JsonElement? RequiredObject(JsonElement obj, string path, string name) =>
        Property(obj, path, name, required: true, JsonValueKind.Object, "an object");

    public JsonElement? OptionalObject(JsonElement obj, string path, string name) =>
        Property(obj, path, name, required: false, JsonValueKind.Object, "an object");

    public JsonElement? RequiredArray(JsonElement obj, string path, string name) =>
        Property(obj, path, name, required: true, JsonValueKind.Array, "an array");

    public int? OptionalInteger(JsonElement obj, string path, string name)
    {
        var value = Property(obj, path, name, required: false, JsonValueKind.Number, "an integer");
        if (value is not { } number)
        {
            return null;
        }

        if (!number.TryGetInt32(out var result))
        {
            Error(Join(path, name), $"expected an integer, got {number.GetRawText()}");
            return null;
        }

        return result;
    }

    /// <summary>Items that are not strings are reported and come back as null, keeping indexes aligned.</summary>
    public List<string?>? OptionalStringArray(JsonElement obj, string path, string name)
    {
        var array = Property(obj, path, name, required: false, JsonValueKind.Array, "an array of strings");
        if (array is not { } items)
        {
            return null;
        }

        var result = new List<string?>();
        var index = 0;
        foreach (var item in items.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.String)
            {
                result.Add(item.GetString());
            }
            else
            {
                Error($"{Join(path, name)}[{index}]", $"expected a string, got {Describe(item.ValueKind)}");
                result.Add(null);
            }

            index++;
        }

        return result;
    }

    /// <summary>The required <c>account</c> of the object at <paramref name="path"/>: a 12-digit id, in quotes.</summary>
    public string? AccountId(JsonElement obj, string path)
    {
        var fieldPath = Join(path, "account");
        if (!obj.TryGetProperty("account", out var value))
        {
            Error(fieldPath, "is required (the 12-digit AWS account id, in quotes)");
            return null;
        }

        if (value.ValueKind == JsonValueKind.Number)
        {
            Error(fieldPath, $"expected a string, got a number; write the account id in quotes (\"{value.GetRawText()}\") so leading zeros survive");
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            Error(fieldPath, $"expected a string, got {Describe(value.ValueKind)}");
            return null;
        }

        var account = value.GetString()!;
        if (!ConfigPatterns.AccountId().IsMatch(account))
        {
            Error(fieldPath, $"\"{account}\" is not a 12-digit AWS account id");
            return null;
        }

        return account;
    }

    /// <summary>The required <c>region</c> of the object at <paramref name="path"/>: one of <see cref="KnownRegions"/>.</summary>
    public string? Region(JsonElement obj, string path)
    {
        var region = RequiredString(obj, path, "region");
        if (region is null)
        {
            return null;
        }

        if (KnownRegions.Contains(region))
        {
            return region;
        }

        var hint = DidYouMean.ClosestMatch(region, KnownRegions.All) is { } near ? $"; did you mean {near}?" : "";
        Error(Join(path, "region"), $"\"{region}\" is not a known AWS region{hint}");
        return null;
    }

    /// <summary>True when <paramref name="arn"/> (of a known partition) is in the configuration's <see cref="Partition"/>;
    /// otherwise reports it at <paramref name="path"/>: an ARN of another partition names nothing the pipeline can reach.</summary>
    public bool InPartition(string path, string arn)
    {
        if (BuildRegion is null || KnownRegions.PartitionOfArn(arn) is not { } partition || partition == Partition)
        {
            return true;
        }

        Error(path, $"\"{arn}\" is in partition {partition}, but build.region {BuildRegion} is in partition {Partition}, and " +
            $"accounts, roles and ARNs do not cross partitions: give an ARN that begins with arn:{Partition}:");
        return false;
    }

    /// <summary>The optional <c>profile</c> of the object at <paramref name="path"/>, which must exist on this machine
    /// when <paramref name="mustExist"/>.</summary>
    public string? Profile(JsonElement obj, string path, bool mustExist = true)
    {
        var profile = OptionalString(obj, path, "profile");
        if (profile is null)
        {
            return null;
        }

        if (profile.Length == 0)
        {
            Error(Join(path, "profile"), "must not be empty; leave the field out to use the default credentials");
            return null;
        }

        if (mustExist && !context.ProfileExists(profile))
        {
            Error(Join(path, "profile"), ProfileNotFound(profile));
        }

        return profile;
    }

    public static string ProfileNotFound(string profile) =>
        $"profile \"{profile}\" was not found in the shared AWS config or credentials files; create it (aws configure --profile {profile}) or remove it";

    public static string Join(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";

    public static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };

    private JsonElement? Property(JsonElement obj, string path, string name, bool required, JsonValueKind kind, string expected)
    {
        if (!obj.TryGetProperty(name, out var value))
        {
            if (required)
            {
                Error(Join(path, name), "is required");
            }

            return null;
        }

        var matches = kind == JsonValueKind.True
            ? value.ValueKind is JsonValueKind.True or JsonValueKind.False
            : value.ValueKind == kind;
        if (!matches)
        {
            Error(Join(path, name), $"expected {expected}, got {Describe(value.ValueKind)}");
            return null;
        }

        return value;
    }
}
