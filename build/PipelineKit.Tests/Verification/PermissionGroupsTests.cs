namespace PipelineKit.Tests.Verification;

using PipelineKit.Configuration;
using PipelineKit.Permissions;
using PipelineKit.Tests.Configuration;
using PipelineKit.Verification;

/// <summary>Each call AWS makes for the pipeline lands in the row that asks about it, in its environment's account.</summary>
public sealed class PermissionGroupsTests
{
    private static readonly PipelineConfig Sandbox = SandboxConfigs.Accounts();

    private static IReadOnlyList<ScopedCall> Calls => CallsOf(Sandbox);

    private static IReadOnlyList<ScopedCall> CallsOf(PipelineConfig config) => PipelineCalls.ExpandScoped(PipelineCalls.Entries, config,
        Sandbox.Regions.ToDictionary(r => r, r => $"arn:aws:kms:{r}:123456789012:key/00000000-0000-4000-8000-00000000000{r.Length % 10}"),
        "arn:aws:kms:us-east-1:123456789012:key/11111111-0000-4000-8000-000000000001");

    [Fact]
    public void EveryPermissionRow_HasCallsOfTheSandboxPipeline_InTheAccountsItAsksAbout()
    {
        var rows = Calls.GroupBy(c => PermissionGroups.RowOf(c.Call, Sandbox))
            .ToDictionary(g => g.Key, g => g.Select(c => PermissionGroups.AccountOf(c.Environment, Sandbox)).ToHashSet());

        string[] targets = ["222222222222", "333333333333", "444444444444"];
        Assert.Equal(targets, rows[VerifyChecks.AssumeActionRole].Order());
        Assert.Equal(targets, rows[VerifyChecks.ReadArtifacts].Order());
        Assert.Equal(targets, rows[VerifyChecks.ChangeSets].Order());
        Assert.Equal(targets, rows[VerifyChecks.CreateApp].Order());
        Assert.Equal(["123456789012"], rows[VerifyChecks.BuildWrites]);
        Assert.Contains("123456789012", rows[VerifyChecks.OtherCalls]);
        Assert.Equal(["123456789012", .. targets], rows[VerifyChecks.NothingOutside].Order());
    }

    /// <summary><paramref name="resource"/> is part of the resource; with a trailing $, its end.</summary>
    [Theory]
    [InlineData("role:sandbox-pipeline-role", "sts:AssumeRole", ":role/sandbox-pipeline-action$", VerifyChecks.AssumeActionRole)]
    [InlineData("role:sandbox-pipeline-action", "kms:Decrypt", "arn:aws:kms:", VerifyChecks.ReadArtifacts)]
    [InlineData("role:sandbox-cfn-execution", "s3:GetObjectVersion", "sample-app/", VerifyChecks.ReadArtifacts)]
    [InlineData("role:sandbox-pipeline-action", "iam:PassRole", ":role/sandbox-cfn-execution", VerifyChecks.ChangeSets)]
    [InlineData("role:sandbox-cfn-execution", "iam:CreateRole", ":role/sandbox/", VerifyChecks.CreateApp)]
    [InlineData("service:cloudformation.amazonaws.com", "sts:AssumeRole", ":role/sandbox-cfn-execution", VerifyChecks.CreateApp)]
    [InlineData("role:sandbox-pipeline-build", "s3:PutObject", "BuildOutpu", VerifyChecks.BuildWrites)]
    [InlineData("service:codebuild.amazonaws.com", "sts:AssumeRole", ":role/sandbox-pipeline-build", VerifyChecks.BuildWrites)]
    [InlineData("role:sandbox-pipeline-role", "sts:AssumeRole", ":role/sandbox-source-action$", VerifyChecks.OtherCalls)]
    [InlineData("role:sandbox-source-action", "s3:PutObject", "/sandbox-pipeline/Source/", VerifyChecks.OtherCalls)]
    [InlineData("role:sandbox-source-action", "codecommit:GetBranch", ":pipelinekit-sandbox$", VerifyChecks.OtherCalls)]
    public void RowOf_AllowedCalls(string by, string action, string resource, string row) => AssertRow(Sandbox, by, action, resource, row);

    [Fact]
    public void RowOf_TheS3SourceRead_IsAnOtherCall() =>
        AssertRow(Sandbox with { Source = new S3Source() }, "role:sandbox-pipeline-actions", "s3:GetObject", "source.zip", VerifyChecks.OtherCalls);

    private static void AssertRow(PipelineConfig config, string by, string action, string resource, string row)
    {
        bool Names(string arn) => resource.EndsWith('$') ? arn.EndsWith(resource[..^1], StringComparison.Ordinal) : arn.Contains(resource, StringComparison.Ordinal);
        var matching = CallsOf(config).Where(c => !c.Call.MustDeny && c.Call.Request.Action == action && Names(c.Call.Request.Resource) &&
            (by.StartsWith("service:", StringComparison.Ordinal)
                ? c.Call.Request.Principal.Arn == by["service:".Length..]
                : c.Call.Request.Principal.IdentityArn.EndsWith(":role/" + by["role:".Length..], StringComparison.Ordinal))).ToList();

        Assert.NotEmpty(matching);
        Assert.All(matching, c => Assert.Equal(row, PermissionGroups.RowOf(c.Call, config)));
    }

    [Fact]
    public void RowOf_EveryMustDenyEntry_IsNothingOutsideThePipeline() =>
        Assert.All(Calls.Where(c => c.Call.MustDeny), c => Assert.Equal(VerifyChecks.NothingOutside, PermissionGroups.RowOf(c.Call, Sandbox)));

    [Fact]
    public void Columns_AreTheBuildAccount_ThenEachTargetAccountWithItsEnvironments_ThenTheSourceAccount() =>
        Assert.Equal(
            [new VerifyColumn("123456789012", "build"), new("222222222222", "dev"), new("333333333333", "test+test-eu"), new("444444444444", "prod"),
             new("555555555555", "source")],
            VerifyColumn.For(Sandbox));
}
