namespace PipelineKit.LocalPipeline;

using System.Collections;
using System.Text.Json;
using Amazon.Runtime;
using PipelineKit.Errors;

/// <summary>
/// A local build's environment, each layer overriding the one before: the few variables of this process a build needs to
/// find its tools (<see cref="IsInherited"/>); CodeBuild's own variables; the buildspec's env/variables; the project's
/// variables; the action's EnvironmentVariables; last the project role's credentials, the emulator's endpoint and the
/// isolation (<see cref="BuildIsolation"/>). The buildspec, the project and the action follow the precedence the CodeBuild
/// buildspec reference gives (env/variables: "the value in the start build operation call takes highest precedence, the
/// build project definition next, the buildspec declaration lowest"; CodePipeline passes the action's variables in the
/// start build call). Only PLAINTEXT variables are taken; PARAMETER_STORE and SECRETS_MANAGER are refused by name.
/// </summary>
/// <remarks>A CodeBuild container starts with the image's environment and the build's variables, nothing of the person
/// who started it: the inherited part is an allowlist, so a token of this shell (GITHUB_TOKEN, NPM_TOKEN, ...) never
/// reaches a build, and the AWS configuration of this machine (~/.aws, a profile, real endpoints) is out of its reach.</remarks>
public static class BuildEnvironment
{
    private static readonly HashSet<string> InheritedNames = new(StringComparer.Ordinal)
    {
        "PATH", "HOME", "USER", "LOGNAME", "SHELL", "LANG", "LANGUAGE", "TERM", "TZ", "TMPDIR", "PYENV_ROOT", "PYENV_VERSION", "CI",
    };

    private static readonly string[] InheritedPrefixes = ["LC_", "DOTNET_", "NUGET_", "MSBUILD", "JSII_"];

    /// <summary>Variables no layer may hand a build: a profile would send the SDKs and CLI to this machine's
    /// configuration, and AWS_IGNORE_CONFIGURED_ENDPOINT_URLS would send the aws CLI to real AWS instead of the emulator.</summary>
    private static readonly string[] NeverPassed = ["AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"];

    /// <summary>Whether a build inherits this process's variable: what finds the tools (PATH, HOME for dotnet's NuGet
    /// cache, the locale, DOTNET_*, NUGET_*, MSBUILD*, JSII_*, pyenv's) and nothing else.</summary>
    public static bool IsInherited(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return InheritedNames.Contains(name) || InheritedPrefixes.Any(p => name.StartsWith(p, StringComparison.Ordinal));
    }

    public static Dictionary<string, string> Compose(
        IDictionary processEnvironment,
        IEnumerable<KeyValuePair<string, string>> codeBuild,
        IEnumerable<KeyValuePair<string, string>> buildspec,
        IEnumerable<BuildVariable> project,
        IEnumerable<BuildVariable> action,
        ImmutableCredentials role,
        string endpointUrl,
        BuildIsolation isolation)
    {
        ArgumentNullException.ThrowIfNull(processEnvironment);
        ArgumentNullException.ThrowIfNull(role);
        ArgumentNullException.ThrowIfNull(isolation);
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in processEnvironment)
        {
            if (entry.Key is string name && IsInherited(name)) env[name] = entry.Value as string ?? "";
        }

        foreach (var (name, value) in codeBuild.Concat(buildspec)) env[name] = value;
        foreach (var variable in project.Concat(action)) env[variable.Name] = variable.Value;
        foreach (var name in NeverPassed) env.Remove(name);
        env["AWS_ACCESS_KEY_ID"] = role.AccessKey;
        env["AWS_SECRET_ACCESS_KEY"] = role.SecretKey;
        if (!string.IsNullOrEmpty(role.Token)) env["AWS_SESSION_TOKEN"] = role.Token;
        else env.Remove("AWS_SESSION_TOKEN");
        env["AWS_ENDPOINT_URL"] = endpointUrl;
        // Empty files, not unset: without the variables the SDKs and the CLI fall back to ~/.aws.
        env["AWS_CONFIG_FILE"] = isolation.AwsConfigFile;
        env["AWS_SHARED_CREDENTIALS_FILE"] = isolation.AwsCredentialsFile;
        env["AWS_EC2_METADATA_DISABLED"] = "true";
        env["GIT_CEILING_DIRECTORIES"] = isolation.BuildsRoot;
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
