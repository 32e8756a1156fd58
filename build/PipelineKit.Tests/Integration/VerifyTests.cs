namespace PipelineKit.Tests.Integration;

using System.Text.Json.Nodes;
using PipelineKit.Orchestration;
using PipelineKit.Verification;
using Xunit.Abstractions;

/// <summary>
/// Verify on the emulator: what BootstrapAll deployed passes, reading only; then each fault, put into the emulator the way
/// a hand edit in the console would (through the AWS CLI, not into a snapshot), fails Verify in the right cell, naming
/// the grant, and is put back. One bootstrap for the class; each case is one Verify run.
/// </summary>
[Collection("moto")]
public sealed class VerifyTests(MotoFixture moto, VerifyTests.Bootstrapped bootstrap, ITestOutputHelper output) : IClassFixture<VerifyTests.Bootstrapped>
{
    private const string Name = "it-verify";
    private const string Build = "123456789012";
    private const string Dev = "222222222222";

    [Fact]
    public async Task WhatBootstrapAllDeployed_Verifies_WithoutAMutatingCall()
    {
        var workspace = await bootstrap.ReadyAsync(moto);

        var (report, calls, mutating) = await VerifyAsync(workspace);

        Assert.True(report.Passed, string.Join("\n", report.Findings.Where(f => f.Status == CheckStatus.Fail).Select(f => f.Text)));
        Assert.Empty(mutating);
        Assert.NotEmpty(calls);
        Assert.All(report.Findings.Where(f => f.Check == VerifyChecks.Drift), f => Assert.Equal(DriftChecks.NotOffered, f.Reason));
        Assert.All(report.Findings.Where(f => f.Check == VerifyChecks.Simulation), f => Assert.Equal(SimulationChecks.NotOnEmulator, f.Reason));
        Assert.All(VerifyChecks.Permission, row => Assert.Contains(report.Findings, f => f.Check == row && f.Status == CheckStatus.Pass));
        Assert.True(File.Exists(Path.Combine(workspace.Root, "artifacts", "verify.json")));
    }

    public static TheoryData<string> Faults => new()
    {
        "key policy missing a target account",
        "trust policy naming the wrong principal",
        "bucket policy denying the action role",
        "execution role without its boundary",
    };

    [Theory]
    [MemberData(nameof(Faults))]
    public async Task AFaultInTheEmulator_FailsVerify_NamingTheGrant(string fault)
    {
        var workspace = await bootstrap.ReadyAsync(moto);
        var faults = new EmulatorFaults(moto, Name);
        var (restore, check, named) = await faults.InjectAsync(fault);
        try
        {
            var (report, _, mutating) = await VerifyAsync(workspace);

            var failures = report.Findings.Where(f => f.Status == CheckStatus.Fail).ToList();
            Assert.False(report.Passed);
            Assert.Empty(mutating);
            Assert.Contains(failures, f => f.Check == check && f.Account == Dev && f.Text.Contains(named, StringComparison.Ordinal));
            Assert.Contains(VerifyMatrix.Render(report), line => line.StartsWith(check, StringComparison.Ordinal) && line.Contains("FAIL", StringComparison.Ordinal));
        }
        finally
        {
            await restore();
        }
    }

    /// <summary>One ./build.sh Verify: the report as verify.json holds it, and the AWS calls the run made.</summary>
    private async Task<(VerifyReport Report, IReadOnlyList<PipelineKit.Aws.AwsCall> Calls, IReadOnlyList<PipelineKit.Aws.AwsCall> Mutating)> VerifyAsync(
        KitWorkspace workspace)
    {
        using var host = workspace.Host();
        var failure = await Record.ExceptionAsync(() => Task.Run(host.Verify));
        var report = VerifyReportFile.Read(VerifyTarget.ReportPath(host.Options.ArtifactsDirectory));
        foreach (var line in VerifyMatrix.Render(report)) output.WriteLine(line);
        Assert.Equal(report.Passed ? null : "VerifyFailed", (failure as PipelineKit.Errors.KitException)?.Code);
        Assert.Equal(report.Passed, failure is null);
        return (report, host.CallLog.Calls, host.CallLog.MutatingCalls);
    }

    /// <summary>The pipeline BootstrapAll deployed once for the class: the standard workspace (three target accounts over
    /// three regions, a deployer) with self-update on.</summary>
    public sealed class Bootstrapped : BootstrappedOnce
    {
        protected override KitWorkspace Create(MotoFixture moto)
        {
            var created = new KitWorkspace(moto, Name);
            created.Config["selfUpdate"] = true;
            return created;
        }
    }
}

/// <summary>The faults put into the emulator through the AWS CLI, as someone editing the account by hand would; each
/// comes with what puts it back, the row it must fail in the dev account's column, and the text the failure names.</summary>
internal sealed class EmulatorFaults(MotoFixture moto, string name)
{
    private const string Build = "123456789012";
    private const string Dev = "222222222222";

    public Task<(Func<Task> Restore, string Check, string Named)> InjectAsync(string fault) => fault switch
    {
        "key policy missing a target account" => KeyPolicyWithoutDevAsync(),
        "trust policy naming the wrong principal" => TrustNamingTheBuildRoleAsync(),
        "bucket policy denying the action role" => BucketPolicyDenyingTheActionRoleAsync(),
        "execution role without its boundary" => ExecutionRoleWithoutBoundaryAsync(),
        _ => throw new ArgumentOutOfRangeException(nameof(fault), fault, null),
    };

    /// <summary>The dev account drops out of the primary region's artifact key policy: its roles can no longer decrypt.</summary>
    private async Task<(Func<Task>, string, string)> KeyPolicyWithoutDevAsync()
    {
        var stack = (await moto.Cli(null, "cloudformation", "describe-stacks", "--stack-name", $"pipelinekit-{name}-primary", "--region", "us-east-1"))
            .GetProperty("Stacks")[0];
        var key = stack.GetProperty("Outputs").EnumerateArray().First(o => o.GetProperty("OutputKey").GetString() == "ArtifactKeyArn")
            .GetProperty("OutputValue").GetString()!;
        var original = (await moto.Cli(null, "kms", "get-key-policy", "--key-id", key, "--policy-name", "default", "--region", "us-east-1"))
            .GetProperty("Policy").GetString()!;
        var document = JsonNode.Parse(original)!.AsObject();
        // The grant names the target accounts in its aws:PrincipalAccount condition (its principal is "*").
        foreach (var condition in document["Statement"]!.AsArray().Select(s => s!["Condition"]?["StringEquals"]).OfType<JsonObject>())
        {
            if (condition["aws:PrincipalAccount"] is JsonArray accounts)
            {
                foreach (var dev in accounts.Where(a => a!.GetValue<string>() == Dev).ToList()) accounts.Remove(dev);
            }
        }

        Assert.DoesNotContain(Dev, document.ToJsonString(), StringComparison.Ordinal);
        await PutKeyPolicyAsync(key, document.ToJsonString());
        return (() => PutKeyPolicyAsync(key, original), VerifyChecks.ReadArtifacts, $"key policy of {key}");
    }

    /// <summary>The dev account's action role trusts the pipeline's build role instead of its service role.</summary>
    private async Task<(Func<Task>, string, string)> TrustNamingTheBuildRoleAsync()
    {
        var role = $"{name}-pipeline-action";
        var original = (await moto.Cli(Dev, "iam", "get-role", "--role-name", role)).GetProperty("Role").GetProperty("AssumeRolePolicyDocument").GetRawText();
        var wrong = original.Replace($":role/{name}-pipeline-role\"", $":role/{name}-pipeline-build\"", StringComparison.Ordinal);
        Assert.NotEqual(original, wrong);
        await moto.Cli(Dev, "iam", "update-assume-role-policy", "--role-name", role, "--policy-document", wrong);
        return (() => moto.Cli(Dev, "iam", "update-assume-role-policy", "--role-name", role, "--policy-document", original),
            VerifyChecks.AssumeActionRole, $"trust policy of role {role}");
    }

    /// <summary>The primary region's artifact bucket denies the dev account's action role its reads.</summary>
    private async Task<(Func<Task>, string, string)> BucketPolicyDenyingTheActionRoleAsync()
    {
        var bucket = $"{name}-artifacts-{Build}-us-east-1";
        var original = (await moto.Cli(null, "s3api", "get-bucket-policy", "--bucket", bucket)).GetProperty("Policy").GetString()!;
        var document = JsonNode.Parse(original)!.AsObject();
        document["Statement"]!.AsArray().Add(new JsonObject
        {
            ["Sid"] = "InjectedDenyActionRole",
            ["Effect"] = "Deny",
            ["Principal"] = new JsonObject { ["AWS"] = $"arn:aws:iam::{Dev}:role/{name}-pipeline-action" },
            ["Action"] = "s3:GetObject*",
            ["Resource"] = $"arn:aws:s3:::{bucket}/*",
        });
        await moto.Cli(null, "s3api", "put-bucket-policy", "--bucket", bucket, "--policy", document.ToJsonString());
        return (() => moto.Cli(null, "s3api", "put-bucket-policy", "--bucket", bucket, "--policy", original),
            VerifyChecks.ReadArtifacts, "InjectedDenyActionRole");
    }

    /// <summary>The dev account's execution role loses the boundary that caps the roles it may create and change.</summary>
    private async Task<(Func<Task>, string, string)> ExecutionRoleWithoutBoundaryAsync()
    {
        var role = $"{name}-cfn-execution";
        var boundary = $"arn:aws:iam::{Dev}:policy/{name}-permissions-boundary";
        await moto.Cli(Dev, "iam", "delete-role-permissions-boundary", "--role-name", role);
        return (() => moto.Cli(Dev, "iam", "put-role-permissions-boundary", "--role-name", role, "--permissions-boundary", boundary),
            VerifyChecks.Boundaries, $"carries no permissions boundary; it needs {boundary}");
    }

    private Task PutKeyPolicyAsync(string key, string policy) =>
        moto.Cli(null, "kms", "put-key-policy", "--key-id", key, "--policy-name", "default", "--policy", policy, "--region", "us-east-1");
}
