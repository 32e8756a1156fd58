namespace PipelineKit.LocalPipeline;

/// <summary>
/// What the local runner runs of each action: the six <see cref="ActionType"/>s, and per type the configuration
/// fields it implements (any other is refused by name: running an action while ignoring part of its configuration
/// would not be the run CodePipeline makes) and those CodePipeline requires. Field names follow the CodePipeline
/// action structure reference for the S3, CodeStarSourceConnection, CodeCommit, CodeBuild, CloudFormation and Manual
/// approval providers.
/// </summary>
internal static class ActionRules
{
    public const string ChangeSetReplace = "CHANGE_SET_REPLACE";
    public const string ChangeSetExecute = "CHANGE_SET_EXECUTE";

    private static readonly Dictionary<ActionType, TypeRule> Rules = new()
    {
        [ActionType.S3Source] = new(["S3Bucket", "S3ObjectKey", "PollForSourceChanges"], ["S3Bucket", "S3ObjectKey"]),
        [ActionType.CodeStarSource] = new(
            ["ConnectionArn", "FullRepositoryId", "BranchName", "OutputArtifactFormat", "DetectChanges"],
            ["ConnectionArn", "FullRepositoryId", "BranchName"]),
        [ActionType.CodeCommitSource] = new(
            ["RepositoryName", "BranchName", "PollForSourceChanges", "OutputArtifactFormat"], ["RepositoryName", "BranchName"]),
        [ActionType.CodeBuild] = new(["ProjectName", "EnvironmentVariables", "PrimarySource", "BatchEnabled"], ["ProjectName"]),
        [ActionType.CloudFormation] = new(
            ["ActionMode", "StackName", "ChangeSetName", "TemplatePath", "TemplateConfiguration", "ParameterOverrides",
             "Capabilities", "RoleArn", "OutputFileName"],
            ["ActionMode", "StackName", "ChangeSetName"]),
        [ActionType.ManualApproval] = new(["CustomData", "ExternalEntityLink", "NotificationArn"], []),
    };

    /// <summary>The action-level properties the runner reads (TimeoutInMinutes included: CodePipeline's own limit).</summary>
    public static readonly IReadOnlySet<string> ActionProperties = new HashSet<string>(StringComparer.Ordinal)
    {
        "Name", "ActionTypeId", "Configuration", "InputArtifacts", "OutputArtifacts", "Namespace", "Region", "RoleArn",
        "RunOrder", "TimeoutInMinutes",
    };

    public static IEnumerable<ActionType> Supported => Rules.Keys;

    /// <summary>Checks the action's type and configuration; every problem goes to <paramref name="refusals"/>.</summary>
    /// <param name="declared">The configuration fields the template declares, those whose value was refused included
    /// (a field already refused is not reported missing as well).</param>
    public static void Check(ActionDefinition action, IReadOnlySet<string> declared, TemplateRefusals refusals)
    {
        if (!Rules.TryGetValue(action.Type, out var rule))
        {
            refusals.Add(TemplateRefusals.At(action.Stage, action.Name, "ActionTypeId"),
                $"action type {action.Type} is not run by the local runner (it runs {string.Join(", ", Supported)}).");
            return;
        }

        foreach (var field in declared.Where(k => !rule.Fields.Contains(k, StringComparer.Ordinal)).Order(StringComparer.Ordinal))
        {
            refusals.Add(Field(action, field),
                $"{action.Type} field {field} is not implemented by the local runner (it implements {string.Join(", ", rule.Fields)}).");
        }

        foreach (var field in rule.Required.Where(f => !declared.Contains(f)))
            refusals.Add(Field(action, field), $"{action.Type} requires {field}.");

        if (action.Type == ActionType.CodeBuild) CheckBuild(action, refusals);
        if (action.Type == ActionType.CloudFormation) CheckCloudFormation(action, declared, refusals);
    }

    private static void CheckBuild(ActionDefinition action, TemplateRefusals refusals)
    {
        var configuration = action.Configuration;
        if (configuration.TryGetValue("BatchEnabled", out var batch) && !string.Equals(batch, "false", StringComparison.OrdinalIgnoreCase))
            refusals.Add(Field(action, "BatchEnabled"), $"is {batch}: the local runner runs single builds, not batch builds.");

        if (configuration.TryGetValue("EnvironmentVariables", out var variables))
        {
            try
            {
                ActionEnvironmentVariables.Parse(variables);
            }
            catch (FormatException e)
            {
                refusals.Add(Field(action, "EnvironmentVariables"), e.Message);
            }
        }

        // The CodeBuild action reference: PrimarySource names one of the action's input artifacts.
        if (configuration.TryGetValue("PrimarySource", out var primary) && !action.InputArtifacts.Contains(primary, StringComparer.Ordinal))
            refusals.Add(Field(action, "PrimarySource"), $"names {primary}, which is not an input artifact of the action.");
    }

    private static void CheckCloudFormation(ActionDefinition action, IReadOnlySet<string> declared, TemplateRefusals refusals)
    {
        var configuration = action.Configuration;
        if (configuration.TryGetValue("ActionMode", out var mode) && mode is not (ChangeSetReplace or ChangeSetExecute))
        {
            refusals.Add(Field(action, "ActionMode"),
                $"{mode} is not run by the local runner (it runs {ChangeSetReplace} and {ChangeSetExecute}).");
        }

        // The CloudFormation action reference: creating a change set needs the template and the role CloudFormation
        // acts with; the template and its configuration are read from one of the action's input artifacts.
        if (mode == ChangeSetReplace)
        {
            foreach (var field in new[] { "TemplatePath", "RoleArn" }.Where(f => !declared.Contains(f)))
                refusals.Add(Field(action, field), $"{ChangeSetReplace} requires {field}.");
        }

        foreach (var field in new[] { "TemplatePath", "TemplateConfiguration" })
        {
            if (!configuration.TryGetValue(field, out var artifactPath)) continue;
            var separator = artifactPath.IndexOf("::", StringComparison.Ordinal);
            if (separator <= 0)
            {
                refusals.Add(Field(action, field), $"{artifactPath} is not ArtifactName::path.");
                continue;
            }

            var artifact = artifactPath[..separator];
            if (!action.InputArtifacts.Contains(artifact, StringComparer.Ordinal))
                refusals.Add(Field(action, field), $"reads artifact {artifact}, which is not an input artifact of the action.");
        }
    }

    private static string Field(ActionDefinition action, string field) => TemplateRefusals.At(action.Stage, action.Name, $"Configuration.{field}");

    private sealed record TypeRule(string[] Fields, string[] Required);
}
