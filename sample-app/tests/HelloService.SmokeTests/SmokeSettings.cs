namespace HelloService.SmokeTests;

/// <summary>
/// What the smoke test checks, from the variables ./build.sh SmokeTest sets: the environment it runs against
/// (SMOKE_ENVIRONMENT), the version that was just deployed there (SMOKE_EXPECTED_VERSION), and either the deployed
/// GET /hello URL (SMOKE_API_URL) or, where there is none, the environment the stack gives the function
/// (SMOKE_FUNCTION_ENV_&lt;NAME&gt;, e.g. SMOKE_FUNCTION_ENV_APP_VERSION), for the handler hosted in process.
/// </summary>
public sealed record SmokeSettings(string Environment, string ExpectedVersion, Uri? ApiUrl, Func<string, string?> FunctionEnvironment)
{
    public const string EnvironmentVariable = "SMOKE_ENVIRONMENT";
    public const string ExpectedVersionVariable = "SMOKE_EXPECTED_VERSION";
    public const string ApiUrlVariable = "SMOKE_API_URL";
    public const string FunctionEnvironmentPrefix = "SMOKE_FUNCTION_ENV_";

    /// <summary>Null when SMOKE_ENVIRONMENT is not set: the test is not run by the kit.</summary>
    public static SmokeSettings? FromEnvironment(Func<string, string?> variables)
    {
        ArgumentNullException.ThrowIfNull(variables);
        if (NonEmpty(variables(EnvironmentVariable)) is not { } environment) return null;
        var expected = NonEmpty(variables(ExpectedVersionVariable))
            ?? throw new InvalidOperationException($"{ExpectedVersionVariable} is not set: the smoke test needs the version that was just deployed.");
        Uri? url = null;
        if (NonEmpty(variables(ApiUrlVariable)) is { } text && !Uri.TryCreate(text, UriKind.Absolute, out url))
        {
            throw new InvalidOperationException($"{ApiUrlVariable} is '{text}', not an absolute URL.");
        }

        return new SmokeSettings(environment, expected, url, name => variables(FunctionEnvironmentPrefix + name));
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
