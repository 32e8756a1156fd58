namespace PipelineKit.Tests.Reporting;

using PipelineKit.Reporting;

public sealed class ConsoleCapabilitiesTests
{
    private static Func<string, string?> Env(params (string Name, string Value)[] vars) =>
        name => vars.FirstOrDefault(v => v.Name == name).Value;

    [Fact]
    public void IsInteractive_WhenTerminalAndNoCi_IsTrue() =>
        Assert.True(ConsoleCapabilities.IsInteractive(false, Env(("TERM", "xterm-256color"))));

    [Fact]
    public void IsInteractive_WhenOutputRedirected_IsFalse() =>
        Assert.False(ConsoleCapabilities.IsInteractive(true, Env(("TERM", "xterm"))));

    [Fact]
    public void IsInteractive_WhenTermIsDumb_IsFalse() =>
        Assert.False(ConsoleCapabilities.IsInteractive(false, Env(("TERM", "dumb"))));

    [Theory]
    [InlineData("true")]
    [InlineData("1")]
    public void IsInteractive_WhenCiIsSet_IsFalse(string ci) =>
        Assert.False(ConsoleCapabilities.IsInteractive(false, Env(("TERM", "xterm"), ("CI", ci))));

    [Fact]
    public void IsInteractive_WhenTermUnsetAndCiEmpty_IsTrue() =>
        Assert.True(ConsoleCapabilities.IsInteractive(false, Env(("CI", ""))));
}
