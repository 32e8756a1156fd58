namespace PipelineKit.Configuration;

/// <summary>
/// Splits a deploy stage whose actions would pass CodePipeline's limit of 50 actions per stage, as an organizational
/// unit's environment with many accounts makes it: each account costs its change set, its execution and its smoke test, a
/// security-checked environment its check and approval, an approval one action, once per environment. The first part keeps
/// the stage's name, the next are NAME-2, NAME-3..., in order, so the accounts deploy in waves of parts.
/// https://docs.aws.amazon.com/codepipeline/latest/userguide/limits.html
/// </summary>
public static class DeployStagePlan
{
    /// <summary>CodePipeline's limit of actions in one stage.</summary>
    public const int MaxActionsPerStage = 50;

    /// <summary>Actions of one environment in one account: CreateChangeSet, ExecuteChangeSet, SmokeTest.</summary>
    public const int ActionsPerDeployment = 3;

    public static IReadOnlyList<DeployStage> Split(string name, int? wave, IReadOnlyList<EnvironmentSettings> environments)
    {
        ArgumentNullException.ThrowIfNull(environments);
        var stages = new List<DeployStage>();
        var part = new List<EnvironmentSettings>();
        var approvals = new List<EnvironmentSettings>();
        var approved = new HashSet<string>(StringComparer.Ordinal);
        var count = 0;
        foreach (var environment in environments)
        {
            var approval = environment.Approval && !approved.Contains(environment.Name);
            var cost = ActionsPerDeployment + (environment.HasSecurityCheck ? 2 : 0) + (approval ? 1 : 0);
            if (part.Count > 0 && count + cost > MaxActionsPerStage)
            {
                stages.Add(Part(name, wave, stages.Count, part, approvals));
                (part, approvals, count) = ([], [], 0);
            }

            part.Add(environment);
            if (approval)
            {
                approvals.Add(environment);
                approved.Add(environment.Name);
            }

            count += cost;
        }

        if (part.Count > 0) stages.Add(Part(name, wave, stages.Count, part, approvals));
        return stages;
    }

    private static DeployStage Part(string name, int? wave, int index, List<EnvironmentSettings> environments, List<EnvironmentSettings> approvals) =>
        new(index == 0 ? name : $"{name}-{index + 1}", wave, environments.ToArray()) { Approvals = approvals.ToArray() };
}
