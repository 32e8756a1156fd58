namespace HelloService.SmokeTests;

/// <summary>A test that runs only when ./build.sh SmokeTest runs it (SMOKE_ENVIRONMENT set); skipped in a plain dotnet test.</summary>
public sealed class SmokeFactAttribute : FactAttribute
{
    public SmokeFactAttribute()
    {
        if (string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(SmokeSettings.EnvironmentVariable)))
        {
            Skip = $"a smoke test of a deployed environment: run it with ./build.sh SmokeTest --environment NAME ({SmokeSettings.EnvironmentVariable} is not set).";
        }
    }
}
