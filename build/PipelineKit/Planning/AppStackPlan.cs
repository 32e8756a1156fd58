namespace PipelineKit.Planning;

using PipelineKit.Accounts;
using PipelineKit.Aws;
using PipelineKit.Configuration;
using PipelineKit.Deployment;
using PipelineKit.Naming;
using PipelineKit.Orchestration;
using PipelineKit.SampleApp;

/// <summary>
/// The sample app's stack in every environment, as Plan sees it without packaging or publishing anything: the
/// repository's template, the parameters the configuration decides (pipeline, environment) and, for the code, what the
/// deployed stack uses: a plan shows what the configuration and template would change, not a release of new code. A stack
/// not deployed yet is listed from its template; its code location is unknown until published.
/// </summary>
public sealed class AppStackPlan(PipelineConfig config, string templateBody, Func<StackLocation, CancellationToken, Task<ICloudFormation>> cloudFormationAt)
{
    public const string Unpublished = "unknown-until-published";

    private static readonly string[] CodeParameters = ["CodeBucket", "CodeKey", "CodeObjectVersion"];

    /// <summary>The app stacks are planned where the repository has the sample app's template (a checkout of this kit);
    /// elsewhere there are none to plan (null).</summary>
    public static async Task<AppStackPlan?> ForCheckoutAsync(
        string repositoryRoot, PipelineConfig config, IAccountSessions sessions, IAwsClientFactory clients, CancellationToken ct)
    {
        var template = Path.Combine(repositoryRoot, SamplePackager.TemplateSourcePath);
        if (!File.Exists(template)) return null;
        return new AppStackPlan(config, await File.ReadAllTextAsync(template, ct).ConfigureAwait(false), async (location, token) =>
        {
            var session = await sessions.ForAccountAsync(location.AccountId, token).ConfigureAwait(false);
            return clients.CloudFormation(session.Credentials, location.Region);
        });
    }

    /// <summary>One node per environment, none depending on another: planning needs no stack's outputs.</summary>
    public IReadOnlyList<StackNode> Nodes(IStackDeployer planner) => [.. config.Environments.Select(e => Node(e, planner))];

    private StackNode Node(EnvironmentSettings environment, IStackDeployer planner)
    {
        var location = new StackLocation(environment.Account, environment.Region);
        var stackRef = new StackRef(SampleAppPlan.Key(environment), SampleAppPlan.StackName(config, environment), location);
        return new StackNode(stackRef, [], async (_, ct) =>
        {
            var cfn = await cloudFormationAt(location, ct).ConfigureAwait(false);
            var deployed = await planner.ReadSettledAsync(cfn, stackRef, ct).ConfigureAwait(false);
            var parameters = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["PipelineName"] = config.Name,
                ["EnvironmentName"] = environment.Name,
            };
            foreach (var name in CodeParameters)
            {
                if (deployed?.Parameters.TryGetValue(name, out var value) == true) parameters[name] = value;
                else if (deployed is null && name != "CodeObjectVersion") parameters[name] = Unpublished;
            }

            var tags = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["pipelinekit:environment"] = environment.Name,
                ["pipelinekit:pipeline"] = config.Name,
            };
            return await planner.DeployAsync(cfn, stackRef, new StackDeployment(stackRef.StackName, location, templateBody, parameters, tags,
                TerminationProtection: false, StackDeployment.NamedIam, RoleArn: KitNames.ExecutionRoleArn(config.Partition, config.Name, environment.Account)), ct)
                .ConfigureAwait(false);
        });
    }
}
