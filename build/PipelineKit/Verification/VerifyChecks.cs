namespace PipelineKit.Verification;

/// <summary>The rows of Verify's matrix, each one question about what is deployed, in the order they are printed.</summary>
public static class VerifyChecks
{
    public const string Accounts = "account reachable, the right one";
    public const string FoundationStacks = "stacks: foundation";
    public const string TargetRolesStack = "stack: target roles";
    public const string UnitStackSets = "stack sets: target roles of units";
    public const string SourceAccountStack = "stack: source account";
    public const string PipelineStack = "stack: pipeline";
    public const string Drift = "stacks: no drift (CloudFormation)";
    public const string AssumeActionRole = "pipeline role may assume action role";
    public const string ReadArtifacts = "action/exec roles read+decrypt artifacts";
    public const string ChangeSets = "action role may run app change sets";
    public const string CreateApp = "exec role may create the app";
    public const string BuildWrites = "build may write its artifacts";
    public const string OtherCalls = "other calls AWS makes for the pipeline";
    public const string NothingOutside = "nothing outside the pipeline trusted";
    public const string Boundaries = "roles carry their boundary";
    public const string Escalation = "no path to an unbounded role write";
    public const string Simulation = "IAM policy simulator agrees";
    public const string Connection = "CodeStar connection AVAILABLE";

    public static IReadOnlyList<string> InOrder { get; } =
    [
        Accounts, FoundationStacks, TargetRolesStack, UnitStackSets, SourceAccountStack, PipelineStack, Drift, AssumeActionRole, ReadArtifacts, ChangeSets, CreateApp,
        BuildWrites, OtherCalls, NothingOutside, Boundaries, Escalation, Simulation, Connection,
    ];

    /// <summary>The rows decided by the kit's policy evaluator over the policies read back.</summary>
    public static IReadOnlyList<string> Permission { get; } =
        [AssumeActionRole, ReadArtifacts, ChangeSets, CreateApp, BuildWrites, OtherCalls, NothingOutside, Boundaries, Escalation];
}
