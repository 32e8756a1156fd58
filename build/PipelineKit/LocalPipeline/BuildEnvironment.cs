namespace PipelineKit.LocalPipeline;

using System.Collections;
using System.Text.Json;
using Amazon.Runtime;
using PipelineKit.Errors;

/// <summary>
/// A local build's environment, each layer overriding the one before: this process's environment without its AWS
/// credentials, profile and endpoints; CodeBuild's own variables; the buildspec's env/variables; the project's variables;
/// the action's EnvironmentVariables; last the project role's credentials and the emulator's endpoint. The buildspec, the
/// project and the action follow the precedence the CodeBuild buildspec reference gives (env/variables: "the value in the
/// start build operation call takes highest precedence, the build project definition next, the buildspec declaration
/// lowest"; CodePipeline passes the action's variables in the start build call). Only PLAINTEXT variables are taken;
/// PARAMETER_STORE and SECRETS_MANAGER are refused by name.
/// </summary>
public static class BuildEnvironment
{
    /// <summary>Variables of this process a build does not inherit: they would make the SDKs and CLI act as someone
    /// else than the project's role, or elsewhere than the emulator.</summary>
    public static bool IsDropped(string name) => name is "AWS_ACCESS_KEY_ID" or "AWS_SECRET_ACCESS_KEY" or "AWS_SESSION_TOKEN"
        or "AWS_SECURITY_TOKEN" or "AWS_PROFILE" or "AWS_DEFAULT_PROFILE" or "AWS_ROLE_ARN" or "AWS_ROLE_SESSION_NAME"
        or "AWS_WEB_IDENTITY_TOKEN_FILE" or "AWS_CREDENTIAL_EXPIRATION" or "AWS_SHARED_CREDENTIALS_FILE" or "AWS_CONFIG_FILE"
        || name.StartsWith("AWS_CONTAINER_", StringComparison.Ordinal)
        || name.StartsWith("AWS_ENDPOINT_URL", StringComparison.Ordinal);

    public static Dictionary<string, string> Compose(
        IDictionary processEnvironment,
        IEnumerable<KeyValuePair<string, string>> codeBuild,
        IEnumerable<KeyValuePair<string, string>> buildspec,
        IEnumerable<BuildVariable> project,
        IEnumerable<BuildVariable> action,
        ImmutableCredentials role,
        string endpointUrl)
    {
        ArgumentNullException.ThrowIfNull(processEnvironment);
        ArgumentNullException.ThrowIfNull(role);
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in processEnvironment)
        {
            if (entry.Key is string name && !IsDropped(name)) env[name] = entry.Value as string ?? "";
        }

        foreach (var (name, value) in codeBuild.Concat(buildspec)) env[name] = value;
        foreach (var variable in project.Concat(action)) env[variable.Name] = variable.Value;
        env["AWS_ACCESS_KEY_ID"] = role.AccessKey;
        env["AWS_SECRET_ACCESS_KEY"] = role.SecretKey;
        if (!string.IsNullOrEmpty(role.Token)) env["AWS_SESSION_TOKEN"] = role.Token;
        env["AWS_ENDPOINT_URL"] = endpointUrl;
        return env;
    }

    /// <summary>The action's EnvironmentVariables configuration (a JSON array of name, value, type), PLAINTEXT only.</summary>
    /// <param name="owner">Names the action in messages.</param>
    public static IReadOnlyList<BuildVariable> ActionVariables(string? json, string owner)
    {
        if (string.IsNullOrWhiteSpace(json)) return [];
        try
        {
            using var doc = JsonDocument.Parse(json);
            var variables = doc.RootElement.EnumerateArray().Select(e => new BuildVariable(
                e.GetProperty("name").GetString() ?? "",
                e.TryGetProperty("value", out var v) ? v.GetString() ?? "" : "",
                e.TryGetProperty("type", out var t) ? t.GetString() ?? "PLAINTEXT" : "PLAINTEXT")).ToList();
            CheckPlaintext(variables, $"{owner}'s EnvironmentVariables");
            return variables;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or KeyNotFoundException)
        {
            throw new LocalPipelineException(ErrorCodes.LocalPipelineRefused.Code,
                $"{owner}'s EnvironmentVariables is not a JSON array of {{name, value, type}}: {e.Message}", null, e);
        }
    }

    /// <summary>Refuses, by name, every variable whose type is not PLAINTEXT: the local run reads neither Parameter
    /// Store nor Secrets Manager.</summary>
    public static void CheckPlaintext(IEnumerable<BuildVariable> variables, string owner)
    {
        ArgumentNullException.ThrowIfNull(variables);
        foreach (var variable in variables.Where(v => !string.Equals(v.Type, "PLAINTEXT", StringComparison.Ordinal)))
        {
            throw new LocalPipelineException(ErrorCodes.LocalPipelineRefused.Code,
                $"{owner}: variable {variable.Name} is of type {variable.Type}; the local run takes PLAINTEXT variables only.");
        }
    }
}
