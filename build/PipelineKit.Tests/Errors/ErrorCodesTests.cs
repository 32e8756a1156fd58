namespace PipelineKit.Tests.Errors;

using System.Text.RegularExpressions;
using PipelineKit.Accounts;
using PipelineKit.Configuration;
using PipelineKit.Deployment;
using PipelineKit.Errors;
using PipelineKit.Pipeline;
using PipelineKit.Reporting;

/// <summary>The failure-code registry against the code that throws: every code the kit can report is listed once,
/// with its class, and every listed code is one the kit reports.</summary>
public sealed class ErrorCodesTests
{
    private static readonly StackLocation Where = new("123456789012", "us-east-1");

    [Fact]
    public void Codes_AreUnique_AndDescribed()
    {
        var duplicates = ErrorCodes.All.GroupBy(k => k.Code, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).Select(g => g.Key);

        Assert.Empty(duplicates);
        Assert.All(ErrorCodes.All, k => Assert.Matches("^[A-Z][A-Za-z]+$", k.Code));
        Assert.All(ErrorCodes.All, k => Assert.False(string.IsNullOrWhiteSpace(k.Description), k.Code));
    }

    [Fact]
    public void EveryDeploymentErrorCode_IsRegistered_AsADeploymentFailure()
    {
        Assert.All(Enum.GetNames<DeploymentErrorCode>(), name => Assert.Equal(FailureClass.Deployment, ErrorCodes.Find(name)?.Failure));
    }

    [Fact]
    public void EveryAccountAccessError_IsRegistered_AsAnAccountAccessFailure()
    {
        Assert.All(Enum.GetNames<AccountAccessError>(), name => Assert.Equal(FailureClass.AccountAccess, ErrorCodes.Find(name)?.Failure));
    }

    [Fact]
    public void ConfigurationExceptionCode_IsRegistered_AsAConfigurationFailure()
    {
        Assert.Equal(FailureClass.Configuration, ErrorCodes.Find(ConfigurationException.ErrorCode)?.Failure);
    }

    [Fact]
    public void EveryCodeTheKitThrowsByName_IsRegistered()
    {
        var thrown = StringCodes().ToList();

        Assert.Contains("PipelineRunFailed", thrown);
        Assert.All(thrown, code => Assert.True(ErrorCodes.Find(code) is not null, $"\"{code}\" is thrown but not listed in ErrorCodes."));
    }

    [Fact]
    public void EveryRegisteredCode_IsReportedSomewhere()
    {
        var source = string.Join("\n", KitSource.Files().Where(f => f.Path != "Errors/ErrorCodes.cs").Select(f => f.Text));
        var used = Enum.GetNames<DeploymentErrorCode>()
            .Concat(Enum.GetNames<AccountAccessError>())
            .Append(ConfigurationException.ErrorCode)
            .Concat(StringCodes())
            .ToHashSet(StringComparer.Ordinal);

        var unused = ErrorCodes.All.Where(k => !used.Contains(k.Code) && !source.Contains($"ErrorCodes.{k.Code}", StringComparison.Ordinal));

        Assert.Empty(unused);
    }

    [Fact]
    public void EveryKitFailure_ExposesItsCode_ThroughTheBase()
    {
        KitException[] failures =
        [
            new ConfigurationException([new ConfigurationError("pipeline.json", "name", "is missing.")]),
            new AccountAccessException(AccountAccessError.WrongAccount, "wrong account"),
            new DeploymentException(DeploymentErrorCode.StackFailed, "s", Where, "rolled back", "fix it"),
            new PipelineRunFailedException("PipelineRunStopped", "stopped. Next: run it again."),
            new KitRunFailedException(ErrorCodes.StacksFailed, "1 stack(s) failed"),
        ];

        Assert.Equal(["InvalidConfiguration", "WrongAccount", "StackFailed", "PipelineRunStopped", "StacksFailed"], failures.Select(f => f.Code));
        Assert.Equal(
            [FailureClass.Configuration, FailureClass.AccountAccess, FailureClass.Deployment, FailureClass.Deployment, FailureClass.Deployment],
            failures.Select(f => f.Failure));
    }

    [Fact]
    public void DeploymentException_TypedCodeAndStringCode_AreTheSameCode()
    {
        var error = new DeploymentException(DeploymentErrorCode.NeedsOperator, "s", Where, "UPDATE_ROLLBACK_FAILED", "continue the rollback");

        Assert.Equal(DeploymentErrorCode.NeedsOperator, error.Code);
        Assert.Equal("NeedsOperator", ((KitException)error).Code);
        Assert.Equal("continue the rollback", ((KitException)error).NextStep);
    }

    [Fact]
    public void PipelineRunFailedException_NextStep_IsTheSentenceAfterNext()
    {
        var error = new PipelineRunFailedException("PipelineNotFound", "Pipeline p does not exist in us-east-1 (x). Next: run ./build.sh CreatePipeline.");

        Assert.Equal("run ./build.sh CreatePipeline.", error.NextStep);
    }

    [Fact]
    public void KitRunFailedException_FromAPart_KeepsItsCodeNextStepAndException()
    {
        var cause = new PipelineRunFailedException("PipelineRunFailed", "Pipeline p: execution e Failed. Next: read the details.", "e", "Build");

        var error = new KitRunFailedException(cause);

        Assert.Equal(("PipelineRunFailed", cause.Message, "read the details."), (error.Code, error.Message, error.NextStep));
        Assert.Same(cause, error.InnerException);
    }

    [Fact]
    public void AccountAccessException_Combined_IsSeveral_AndKeepsEachFailure()
    {
        var combined = AccountAccessException.Combine(
            [new(AccountAccessError.AccessDenied, "denied in 222222222222"), new(AccountAccessError.WrongAccount, "wrong in 333333333333")]);

        Assert.Equal(("Several", FailureClass.AccountAccess), (combined.Code, combined.Failure));
        Assert.IsType<AggregateException>(combined.InnerException);
    }

    /// <summary>Codes passed as string literals: PipelineFollower names its failures' codes inline.</summary>
    private static IEnumerable<string> StringCodes() => KitSource.Files()
        .SelectMany(f => Regex.Matches(f.Text, @"new PipelineRunFailedException\(\s*""(?<code>\w+)""").Select(m => m.Groups["code"].Value))
        .Distinct();
}
