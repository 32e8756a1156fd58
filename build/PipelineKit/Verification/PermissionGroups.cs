namespace PipelineKit.Verification;

using PipelineKit.Configuration;
using PipelineKit.Naming;
using PipelineKit.Permissions;

/// <summary>
/// Which row of the matrix a call AWS makes for the pipeline (permissions/pipeline-calls.json) answers, and in which
/// account's column: a call made for one environment belongs to that environment's account, any other to the build account.
/// </summary>
internal static class PermissionGroups
{
    public static string RowOf(ExpectedCall call, PipelineConfig config)
    {
        ArgumentNullException.ThrowIfNull(call);
        if (call.MustDeny) return VerifyChecks.NothingOutside;
        var name = config.Name;
        var request = call.Request;
        var caller = RoleName(request.Principal.RoleArn);
        var assumed = request.Action == "sts:AssumeRole" ? RoleName(request.Resource) : null;
        var reads = request.Action.StartsWith("s3:Get", StringComparison.Ordinal) || request.Action == "kms:Decrypt";
        var action = KitNames.PipelineActionRole(name);
        var execution = KitNames.ExecutionRole(name);
        var build = KitNames.BuildRole(name);

        if (caller == KitNames.PipelineRole(name) && assumed == action) return VerifyChecks.AssumeActionRole;
        if ((caller == action || caller == execution) && reads) return VerifyChecks.ReadArtifacts;
        if (caller == action && (request.Action.StartsWith("cloudformation:", StringComparison.Ordinal) || request.Action == "iam:PassRole"))
        {
            return VerifyChecks.ChangeSets;
        }

        if (caller == execution || assumed == execution) return VerifyChecks.CreateApp;
        return caller == build || assumed == build ? VerifyChecks.BuildWrites : VerifyChecks.OtherCalls;
    }

    public static string AccountOf(string? environment, PipelineConfig config) =>
        environment is null ? config.Build.Account : config.Environments.First(e => e.Name == environment).Account;

    /// <summary>The role's name without its path: arn:PARTITION:iam::ACCOUNT:role/[PATH/]NAME; null for anything else.</summary>
    private static string? RoleName(string? arn) =>
        arn is not null && arn.Split(':', 6) is [_, _, "iam", _, _, var resource] && resource.StartsWith("role/", StringComparison.Ordinal)
            ? resource[(resource.LastIndexOf('/') + 1)..]
            : null;
}
