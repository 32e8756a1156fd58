namespace PipelineKit.Tests.Errors;

using System.Text.RegularExpressions;
using PipelineKit.Accounts;
using PipelineKit.Configuration;
using PipelineKit.Deployment;
using PipelineKit.Errors;
using PipelineKit.Pipeline;
using PipelineKit.Reporting;

/// <summary>The exit code per class of failure, as README.md documents it.</summary>
public sealed class ExitCodesTests
{
    public static TheoryData<Exception, int> Failures => new()
    {
        { new ConfigurationException([new ConfigurationError(null, "", "--parallelism must be a whole number from 1 to 64, not \"x\".")]), 3 },
        { new AccountAccessException(AccountAccessError.NoValidCredentials, "expired"), 4 },
        { new KitRunFailedException(ErrorCodes.DeployerRoleRefused, "may not assume it"), 4 },
        { new DeploymentException(DeploymentErrorCode.Timeout, "s", new StackLocation("123456789012", "us-east-1"), "waited", "re-run"), 5 },
        { new KitRunFailedException(ErrorCodes.StacksFailed, "BootstrapAll failed: 1 stack(s) failed, 0 not started."), 5 },
        { new KitRunFailedException(new PipelineRunFailedException("PipelineRunFailed", "Failed. Next: fix it.")), 5 },
        { new KitRunFailedException(ErrorCodes.Interrupted, "The operation was canceled."), 130 },
        { new KitRunFailedException(ErrorCodes.SampleAppBuildFailed, "dotnet test failed"), 1 },
        { new KitRunFailedException(ErrorCodes.TestsFailed, "dotnet test exited with code 1"), 1 },
        { new InvalidOperationException("unexpected"), 1 },
        { new OperationCanceledException(), 1 },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public void For_AFailure_IsTheExitCodeOfItsClass(Exception failure, int expected)
    {
        Assert.Equal(expected, ExitCodes.For(failure));
    }

    [Fact]
    public void For_AKitFailureWrappedByCake_LooksThroughTheWrapper()
    {
        var wrapped = new Exception("task failed", new AccountAccessException(AccountAccessError.WrongAccount, "wrong account"));

        Assert.Equal(ExitCodes.AccountAccess, ExitCodes.For(wrapped));
    }

    [Fact]
    public void EveryFailureClass_HasItsOwnExitCode_NeitherSuccessNorPending()
    {
        var codes = Enum.GetValues<FailureClass>().Select(ExitCodes.For).ToList();

        Assert.Equal(codes.Count, codes.Distinct().Count());
        Assert.DoesNotContain(ExitCodes.Success, codes);
        Assert.DoesNotContain(ExitCodes.ChangesPending, codes);
    }

    [Fact]
    public void Readme_DocumentsEveryExitCode()
    {
        var readme = File.ReadAllText(Path.Combine(KitSource.Directory().Parent!.Parent!.FullName, "README.md"));
        var table = readme[readme.IndexOf("### Exit codes", StringComparison.Ordinal)..];
        var documented = Regex.Matches(table, @"^\| (?<code>\d+) \|", RegexOptions.Multiline).Select(m => int.Parse(m.Groups["code"].Value)).ToList();

        Assert.Equal(
            [ExitCodes.Success, ExitCodes.Failed, ExitCodes.ChangesPending, ExitCodes.Configuration, ExitCodes.AccountAccess, ExitCodes.Deployment, ExitCodes.Interrupted],
            documented);
    }
}
