namespace PipelineKit.SampleApp;

using System.Text;
using System.Text.Json;
using PipelineKit.Configuration;

/// <summary>Where an environment's CloudFormation stack finds the function's zip (the template's CodeBucket, CodeKey, CodeObjectVersion).</summary>
public sealed record SampleCodeLocation(string Bucket, string Key, string? ObjectVersion = null);

/// <summary>
/// The per-environment parameter files of the sample app's stack, in the format of the CodePipeline CloudFormation
/// action's TemplateConfiguration: {"Parameters": {...}, "Tags": {...}}
/// (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/continuous-delivery-codepipeline-cfn-artifacts.html).
/// Keys are written in a fixed order, indented, with '\n' line ends, so the same inputs give the same bytes.
/// </summary>
public static class SampleParameterFiles
{
    public static string FileName(EnvironmentSettings environment) => $"params-{environment.Name}.json";

    /// <summary>The parameter file's name of the version the function reports (the template's AppVersion).</summary>
    public const string AppVersionParameter = "AppVersion";

    public static string Render(PipelineConfig config, EnvironmentSettings environment, SampleCodeLocation code, string appVersion)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(appVersion);
        var parameters = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            [AppVersionParameter] = appVersion,
            ["CodeBucket"] = code.Bucket,
            ["CodeKey"] = code.Key,
            ["EnvironmentName"] = environment.Name,
            ["PipelineName"] = config.Name,
        };
        if (!string.IsNullOrEmpty(code.ObjectVersion)) parameters["CodeObjectVersion"] = code.ObjectVersion;

        var tags = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["pipelinekit:environment"] = environment.Name,
            ["pipelinekit:pipeline"] = config.Name,
        };

        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, NewLine = "\n" }))
        {
            json.WriteStartObject();
            WriteObject(json, "Parameters", parameters);
            WriteObject(json, "Tags", tags);
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    private static void WriteObject(Utf8JsonWriter json, string name, SortedDictionary<string, string> values)
    {
        json.WriteStartObject(name);
        foreach (var (key, value) in values) json.WriteString(key, value);
        json.WriteEndObject();
    }
}
