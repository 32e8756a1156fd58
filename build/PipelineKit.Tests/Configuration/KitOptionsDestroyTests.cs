namespace PipelineKit.Tests.Configuration;

public sealed class KitOptionsDestroyTests
{
    private static KitOptions Read(params string[] options) =>
        KitOptions.FromCommandLine(Path.GetTempPath(), ["/tools/Cake.dll", "build.cake", "--target=Destroy", .. options]);

    [Fact]
    public void Destroy_IsUnconfirmed_KeepsNothing_AndGivesKeysThirtyDays_ByDefault()
    {
        var options = Read();

        Assert.False(options.Yes);
        Assert.False(options.KeepData);
        Assert.Equal(30, options.KeyDeletionDays);
    }

    [Fact]
    public void Destroy_ReadsYes_KeepData_AndTheKeyDeletionWindow()
    {
        var options = Read("--yes", "--keep-data", "--key-deletion-days", "7");

        Assert.True(options.Yes);
        Assert.True(options.KeepData);
        Assert.Equal(7, options.KeyDeletionDays);
    }

    [Theory]
    [InlineData("6")]
    [InlineData("31")]
    [InlineData("week")]
    public void Destroy_RefusesAKeyDeletionWindowOutsideKmsLimits(string days)
    {
        var error = Assert.Throws<ArgumentException>(() => Read("--key-deletion-days", days));

        Assert.Contains("from 7 to 30", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--yse", "did you mean --yes?")]
    [InlineData("--keep-dta", "did you mean --keep-data?")]
    public void Destroy_RefusesATypoInItsOptions_NamingTheClosest(string option, string expected)
    {
        var error = Assert.Throws<ArgumentException>(() => Read(option));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
