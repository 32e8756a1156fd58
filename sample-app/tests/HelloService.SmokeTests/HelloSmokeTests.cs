namespace HelloService.SmokeTests;

using System.Text.Json;
using Xunit.Abstractions;

/// <summary>
/// The smoke test the pipeline runs after each environment's deployment: GET /hello answers 200, for the environment it
/// was deployed to, with the version that was just deployed. A failure names what differs, so the stage's log says why.
/// </summary>
public sealed class HelloSmokeTests(ITestOutputHelper output)
{
    [SmokeFact]
    public async Task GetHello_AnswersForTheDeployedEnvironmentWithTheDeployedVersion()
    {
        var settings = SmokeSettings.FromEnvironment(Environment.GetEnvironmentVariable)!;
        var endpoint = HelloEndpoint.For(settings);
        output.WriteLine($"Smoke test of {settings.Environment}: {endpoint.Description}; expecting version {settings.ExpectedVersion}.");

        var answer = await endpoint.GetHelloAsync(CancellationToken.None);

        output.WriteLine($"Answer: {answer.Status} {answer.Body}");
        var problems = SmokeCheck.Problems(settings, answer);
        if (problems.Count > 0) Assert.Fail($"Smoke test of {settings.Environment} against {endpoint.Description}: {string.Join(" ", problems)}");
    }
}

/// <summary>What is wrong with an answer of GET /hello, one sentence each; nothing when it is the one expected.</summary>
public static class SmokeCheck
{
    public static IReadOnlyList<string> Problems(SmokeSettings settings, HelloAnswer answer)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(answer);
        if (answer.Status != 200) return [$"GET /hello answered HTTP {answer.Status}, not 200: {answer.Body}"];

        string? environment, version;
        try
        {
            using var body = JsonDocument.Parse(answer.Body);
            environment = Text(body.RootElement, "environment");
            version = Text(body.RootElement, "version");
        }
        catch (JsonException)
        {
            return [$"GET /hello answered 200 with a body that is not JSON: {answer.Body}"];
        }

        var problems = new List<string>();
        if (!string.Equals(environment, settings.Environment, StringComparison.Ordinal))
        {
            problems.Add($"GET /hello reports environment '{environment}', expected '{settings.Environment}': the URL serves another environment.");
        }

        if (!string.Equals(version, settings.ExpectedVersion, StringComparison.Ordinal))
        {
            problems.Add($"GET /hello reports version '{version}', expected '{settings.ExpectedVersion}' (the version just deployed): " +
                "the running code is not the deployed revision.");
        }

        return problems;
    }

    private static string? Text(JsonElement body, string name) =>
        body.ValueKind == JsonValueKind.Object && body.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}
