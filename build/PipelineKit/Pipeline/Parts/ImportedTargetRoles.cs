namespace PipelineKit.Pipeline.Parts;

using Amazon.CDK.AWS.IAM;
using Constructs;
using PipelineKit.Configuration;
using PipelineKit.Orchestration;

/// <summary>The roles the deploy actions use in a target account, imported the first time an environment there
/// needs them.</summary>
internal sealed class ImportedTargetRoles(Construct scope, FoundationOutputs outputs)
{
    private readonly Dictionary<string, (IRole Action, IRole Execution)> imported = new(StringComparer.Ordinal);

    public (IRole Action, IRole Execution) Of(EnvironmentSettings environment)
    {
        if (!imported.TryGetValue(environment.Account, out var roles))
        {
            var arns = outputs.TargetRoles[environment.Account];
            // Immutable: the roles live in the target account and are owned by its target-roles stack.
            roles = (
                Role.FromRoleArn(scope, $"PipelineActionRole-{environment.Account}", arns.PipelineActionRoleArn, new FromRoleArnOptions { Mutable = false }),
                Role.FromRoleArn(scope, $"ExecutionRole-{environment.Account}", arns.ExecutionRoleArn, new FromRoleArnOptions { Mutable = false }));
            imported[environment.Account] = roles;
        }

        return roles;
    }
}
