namespace PipelineKit.Pipeline.Parts;

using Amazon.CDK;
using Amazon.CDK.AWS.CodePipeline;
using Amazon.CDK.AWS.CodePipeline.Actions;
using PipelineKit.Configuration;
using PipelineKit.Naming;

/// <summary>One deploy stage per environment, or per wave: each environment's change set is created from the build
/// output, checked for security changes (<see cref="SecurityGate"/>), approved where configured, then executed, in the
/// environment's account and region, then smoke-tested (<see cref="SmokeTests"/>) in the run order after its execution.</summary>
internal sealed class DeployStages(
    PipelineConfig config, Artifact_ buildOutput, ImportedTargetRoles roles, Approvals approvals, SecurityGate? gate, SmokeTests smokeTests)
{
    /// <summary>Where the build stage's artifact keeps the sample app's template and parameter files (buildspecs/buildspec.yml).</summary>
    public const string AppTemplatePath = "sample-app/template.yaml";

    public static string AppParametersPath(EnvironmentSettings environment) => $"sample-app/params-{environment.Name}.json";

    public void AddTo(Amazon.CDK.AWS.CodePipeline.Pipeline pipeline)
    {
        foreach (var deployStage in config.DeployStages)
        {
            var stageIndex = (int)pipeline.StageCount;
            var actions = Actions(deployStage, stageIndex);
            pipeline.AddStage(new StageOptions { StageName = deployStage.Name, Actions = actions.ToArray() });
            if (config.RollbackOnFailure) RollBackOnFailure(pipeline, stageIndex);
        }

        approvals.ApplyTimeouts(pipeline);
    }

    /// <summary>A failed stage re-runs with the artifacts and variables of the last execution that succeeded in it (V2
    /// pipelines only). CDK 2.160's StageOptions has no OnFailure, so it is set on the CfnPipeline.
    /// https://docs.aws.amazon.com/codepipeline/latest/userguide/stage-rollback-auto.html</summary>
    private static void RollBackOnFailure(Amazon.CDK.AWS.CodePipeline.Pipeline pipeline, int stageIndex) =>
        ((CfnPipeline)pipeline.Node.DefaultChild!).AddPropertyOverride($"Stages.{stageIndex}.OnFailure",
            new Dictionary<string, object> { ["Result"] = "ROLLBACK" });

    private List<IAction> Actions(DeployStage deployStage, int stageIndex)
    {
        // In a wave every environment's actions share one stage: all change sets first, then the security checks with
        // their approvals, then the approvals, then all executions, so the wave deploys together and only after every approval.
        var inWave = deployStage.Wave is not null;
        string Approval(EnvironmentSettings environment) => inWave ? $"Approve-{environment.Name}" : "Approve";
        // An organizational unit's environment deploys to each of its accounts: one action of each kind per account.
        string Named(string action, EnvironmentSettings environment) =>
            (inWave ? $"{action}-{environment.Name}" : action) + (environment.IsOfOrganizationalUnit ? $"-{environment.Account}" : "");
        var gated = gate is null ? [] : deployStage.Environments.Where(e => e.HasSecurityCheck).ToList();
        var approvalOrder = gated.Count > 0 ? 3 : 2;
        var actions = new List<IAction>();
        foreach (var environment in deployStage.Environments)
        {
            actions.Add(CreateChangeSet(environment, Named("CreateChangeSet", environment)));
        }

        foreach (var environment in gated)
        {
            actions.AddRange(gate!.Actions(environment, runOrder: 2));
        }

        foreach (var environment in deployStage.Approvals)
        {
            actions.Add(approvals.Approve(environment, Approval(environment), stageIndex, actions.Count, approvalOrder,
                withSecuritySummary: gated.Contains(environment)));
        }

        var smokeOrders = new List<(EnvironmentSettings Environment, int RunOrder)>();
        foreach (var environment in deployStage.Environments)
        {
            var approvedHere = deployStage.Approvals.Any(a => a.Name == environment.Name);
            var runOrder = inWave || approvedHere ? approvalOrder + 1 : gated.Contains(environment) ? 3 : 2;
            actions.Add(ExecuteChangeSet(environment, Named("ExecuteChangeSet", environment), runOrder));
            smokeOrders.Add((environment, runOrder + 1));
        }

        // After every execution of the stage: a wave's smoke tests run once the whole wave is deployed.
        actions.AddRange(smokeOrders.Select(s => smokeTests.Action(s.Environment, s.RunOrder)));
        return actions;
    }

    private CloudFormationCreateReplaceChangeSetAction CreateChangeSet(EnvironmentSettings environment, string actionName)
    {
        var (action, execution) = roles.Of(environment);
        return new CloudFormationCreateReplaceChangeSetAction(new CloudFormationCreateReplaceChangeSetActionProps
        {
            ActionName = actionName,
            RunOrder = 1,
            StackName = KitNames.AppStack(config.Name, environment.Name),
            ChangeSetName = KitNames.PipelineChangeSet(config.Name, environment.Name),
            AdminPermissions = false,
            TemplatePath = buildOutput.AtPath(AppTemplatePath),
            TemplateConfiguration = buildOutput.AtPath(AppParametersPath(environment)),
            CfnCapabilities = [CfnCapabilities.NAMED_IAM, CfnCapabilities.AUTO_EXPAND],
            Account = environment.Account,
            Region = environment.Region,
            Role = action,
            DeploymentRole = execution,
        });
    }

    private CloudFormationExecuteChangeSetAction ExecuteChangeSet(EnvironmentSettings environment, string actionName, int runOrder) =>
        new(new CloudFormationExecuteChangeSetActionProps
        {
            ActionName = actionName,
            RunOrder = runOrder,
            StackName = KitNames.AppStack(config.Name, environment.Name),
            ChangeSetName = KitNames.PipelineChangeSet(config.Name, environment.Name),
            Account = environment.Account,
            Region = environment.Region,
            Role = roles.Of(environment).Action,
            // The stack's outputs become the action's variables (#{Deploy_<env>.ApiUrl}), read by the smoke test.
            VariablesNamespace = KitNames.DeployNamespace(environment),
        });
}
