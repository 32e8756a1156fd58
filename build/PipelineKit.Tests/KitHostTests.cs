namespace PipelineKit.Tests;

using PipelineKit.Configuration;
using PipelineKit.Errors;

/// <summary>KitHost without AWS: what it does before the first target runs.</summary>
public sealed class KitHostTests
{
    [Fact]
    public void Create_WithAWrongOption_IsAConfigurationError_WithTheOptionParsersMessage()
    {
        var options = new Dictionary<string, string> { ["parallelism"] = "lots" };

        var error = Assert.Throws<ConfigurationException>(() =>
            KitHost.Create(Path.GetTempPath(), k => options.GetValueOrDefault(k), _ => null, new StringWriter(), TimeProvider.System));

        Assert.Equal("--parallelism must be a whole number from 1 to 64, not \"lots\".", error.Message);
        Assert.IsType<ArgumentException>(error.InnerException);
        Assert.Equal(ExitCodes.Configuration, ExitCodes.For(error));
    }

    [Fact]
    public void Create_FromACommandLineWithATypo_IsAConfigurationError()
    {
        var error = Assert.Throws<ConfigurationException>(() =>
            KitHost.Create(Path.GetTempPath(), ["Cake.dll", "build.cake", "--target=Package", "--paralelism=2"], _ => null));

        Assert.Contains("did you mean --parallelism?", error.Message, StringComparison.Ordinal);
    }
}
