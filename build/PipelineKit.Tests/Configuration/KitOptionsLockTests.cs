namespace PipelineKit.Tests.Configuration;

public sealed class KitOptionsLockTests
{
    private static KitOptions Read(params string[] options) =>
        KitOptions.FromCommandLine(Path.GetTempPath(), ["/tools/Cake.dll", "build.cake", "--target=BootstrapAll", .. options]);

    [Fact]
    public void RunLock_WaitsThirtyMinutes_AndBreaksNothing_ByDefault()
    {
        var options = Read();

        Assert.Equal(TimeSpan.FromMinutes(30), options.LockWait);
        Assert.False(options.BreakLock);
    }

    [Fact]
    public void RunLock_ReadsTheWait_AndBreakLock()
    {
        var options = Read("--lock-wait", "0", "--break-lock");

        Assert.Equal(TimeSpan.Zero, options.LockWait);
        Assert.True(options.BreakLock);
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("1441")]
    [InlineData("soon")]
    public void RunLock_RefusesAWaitThatIsNotMinutesFromZeroToADay(string minutes)
    {
        var error = Assert.Throws<ArgumentException>(() => Read("--lock-wait", minutes));

        Assert.Contains("--lock-wait", error.Message, StringComparison.Ordinal);
        Assert.Contains("from 0 to 1440", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RunLock_RefusesATypoInBreakLock_NamingTheOption()
    {
        var error = Assert.Throws<ArgumentException>(() => Read("--brake-lock"));

        Assert.Contains("did you mean --break-lock?", error.Message, StringComparison.Ordinal);
    }
}
