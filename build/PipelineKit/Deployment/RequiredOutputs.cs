namespace PipelineKit.Deployment;

using PipelineKit.Aws;

/// <summary>
/// The outputs a deployment's dependents read from the stack (<see cref="StackDeployment.RequiredOutputs"/>). A stack that
/// lacks one is not "unchanged", whatever its template says: it is redeployed, and when CloudFormation then finds nothing
/// to change, or the deployment still leaves it out, the deployment fails here, naming the output, rather than a
/// dependent failing later on a value that is not there.
/// </summary>
internal static class RequiredOutputs
{
    public static IReadOnlyList<string> MissingFrom(StackDescription stack, StackDeployment desired) =>
        desired.RequiredOutputs.Where(name => !stack.Outputs.ContainsKey(name)).ToList();

    /// <param name="cloudFormationFoundNoChanges">True when the change set to add them had no changes; false after a
    /// deployment that still left them out.</param>
    public static void Require(StackContext context, StackDescription stack, StackDeployment desired, bool cloudFormationFoundNoChanges)
    {
        var missing = MissingFrom(stack, desired);
        if (missing.Count == 0) return;
        var names = string.Join(", ", missing);
        var why = cloudFormationFoundNoChanges
            ? $"and CloudFormation found nothing to change in it, so updating cannot add {(missing.Count == 1 ? "it" : "them")}"
            : "after the deployment";
        throw context.Fail(DeploymentErrorCode.NeedsOperator,
            $"the stack has no output {names}, which the kit reads from it, {why}.",
            $"Check the Outputs of the deployed template (aws cloudformation get-template --stack-name {context.Name} " +
            $"--region {context.Stack.Location.Region}, with credentials for account {context.Stack.Location.AccountId}): an output " +
            "whose Condition is false for this stack is not created. If the template is the kit's own, report this as a kit bug.",
            stack.Status);
    }
}
