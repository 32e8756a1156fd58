namespace PipelineKit.SampleApp;

using PipelineKit.Configuration;
using PipelineKit.Errors;
using PipelineKit.Reporting;

/// <summary>
/// What the sample app's smoke test runs against in one environment: the deployed GET /hello URL (the stack's ApiUrl) and
/// the version just deployed, or, where there is no URL (the emulator creates no HTTP API), the environment the stack
/// gives the function, for the handler hosted in process. The names are the smoke test's variables
/// (sample-app/tests/HelloService.SmokeTests, SmokeSettings).
/// </summary>
/// <param name="Source">Where the values came from, for the report.</param>
public sealed record SmokeTarget(
    string Environment,
    string ExpectedVersion,
    string? ApiUrl,
    IReadOnlyDictionary<string, string> FunctionEnvironment,
    string Source)
{
    public const string ApiUrlVariable = "SMOKE_API_URL";
    public const string ExpectedVersionVariable = "SMOKE_EXPECTED_VERSION";
    public const string EnvironmentVariable = "SMOKE_ENVIRONMENT";
    public const string FunctionEnvironmentPrefix = "SMOKE_FUNCTION_ENV_";

    /// <summary>The function's environment variables the template sets, and the stack output that gives each.</summary>
    public static readonly IReadOnlyDictionary<string, string> FunctionVariableOutputs = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["ENVIRONMENT_NAME"] = "EnvironmentName",
        ["APP_VERSION"] = "AppVersion",
    };

    public const string ApiUrlOutput = "ApiUrl";

    /// <summary>The environment --environment names.</summary>
    public static EnvironmentSettings Find(PipelineConfig config, string? environmentName)
    {
        ArgumentNullException.ThrowIfNull(config);
        var environment = config.Environments.FirstOrDefault(e => e.Name == environmentName);
        if (environment is not null) return environment;
        throw new ConfigurationException([new ConfigurationError(null, "--environment", environmentName is null
            ? "is required: the environment whose deployment to smoke-test"
            : $"\"{environmentName}\" is not an environment of {Path.GetFileName(config.SourceFile)} ({string.Join(", ", config.Environments.Select(e => e.Name))})")]);
    }

    /// <summary>From the pipeline's smoke-test action (its EnvironmentVariables: the execute action's output variables and the
    /// source revision); null when SMOKE_EXPECTED_VERSION is not set (not run by the pipeline).</summary>
    public static SmokeTarget? FromVariables(string environment, Func<string, string?> variables)
    {
        ArgumentNullException.ThrowIfNull(variables);
        if (NonEmpty(variables(ExpectedVersionVariable)) is not { } expected) return null;
        var function = FunctionVariableOutputs.Keys
            .Select(name => (Name: name, Value: variables(FunctionEnvironmentPrefix + name)))
            .Where(v => v.Value is not null)
            .ToDictionary(v => v.Name, v => v.Value!, StringComparer.Ordinal);
        return new SmokeTarget(environment, expected, NonEmpty(variables(ApiUrlVariable)), function,
            "the pipeline's variables (the deploy action's outputs, the source revision)");
    }

    /// <summary>From the app stack's outputs; the version expected is <paramref name="expectedVersion"/>, or else the one the
    /// stack gives the function (what is deployed there).</summary>
    public static SmokeTarget FromOutputs(string environment, IReadOnlyDictionary<string, string> outputs, string? expectedVersion, string source)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        var function = FunctionVariableOutputs
            .Where(v => outputs.ContainsKey(v.Value))
            .ToDictionary(v => v.Key, v => outputs[v.Value], StringComparer.Ordinal);
        var expected = NonEmpty(expectedVersion) ?? function.GetValueOrDefault("APP_VERSION") ?? throw new KitRunFailedException(
            ErrorCodes.SmokeTestFailed, $"Smoke test of {environment}: {source} names no AppVersion (a stack deployed before the kit stamped versions); " +
            "deploy it again: ./build.sh DeploySampleApp.");
        return new SmokeTarget(environment, expected, NonEmpty(outputs.GetValueOrDefault(ApiUrlOutput)), function, source);
    }

    /// <summary>The smoke test's variables: every one set, empty when absent, so none leaks in from the kit's own environment.</summary>
    public IReadOnlyDictionary<string, string> Variables()
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [EnvironmentVariable] = Environment,
            [ExpectedVersionVariable] = ExpectedVersion,
            [ApiUrlVariable] = ApiUrl ?? "",
        };
        foreach (var name in FunctionVariableOutputs.Keys) variables[FunctionEnvironmentPrefix + name] = FunctionEnvironment.GetValueOrDefault(name, "");
        return variables;
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
