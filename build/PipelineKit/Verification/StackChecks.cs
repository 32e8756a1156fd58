namespace PipelineKit.Verification;

using Amazon.Runtime;
using PipelineKit.Aws;
using PipelineKit.Deployment;
using PipelineKit.Orchestration;

/// <summary>A stack of the foundation graph as deployed: where it is and how CloudFormation describes it.</summary>
public sealed record DeployedStack(StackRef Ref, StackDescription Description);

/// <summary>
/// Every stack the configuration implies (the foundation graph of BootstrapAll, each stack once: policy:X is X's stack)
/// exists, is settled in a good state and is deployed from the template, parameters and tags the kit would deploy now.
/// The pipeline's template is synthesized as CreatePipeline does, so it is compared whole too. The units' stack sets are
/// <see cref="StackSetChecks"/>'.
/// </summary>
internal sealed class StackChecks(VerifyContext context)
{
    public async Task<(IReadOnlyList<CheckFinding> Findings, IReadOnlyList<DeployedStack> Stacks)> RunAsync(
        IReadOnlySet<string> reachable, CancellationToken ct)
    {
        var nodes = context.Plan.For(KitTarget.BootstrapAll, new Dictionary<string, StackResult>())
            .Where(n => !n.Key.StartsWith(FoundationPlan.PolicyPrefix, StringComparison.Ordinal))
            .Where(n => !n.Key.StartsWith(FoundationPlan.UnitRolesPrefix, StringComparison.Ordinal)).ToList();
        // In the graph's order: the build account's stacks, then the target roles and the source account's stack (the source
        // stack reads the primary's outputs), then the pipeline, which waits for all of them.
        var inputs = new Dictionary<string, StackResult>(StringComparer.Ordinal);
        var all = new List<(IReadOnlyList<CheckFinding> Findings, DeployedStack? Stack)>();
        foreach (var level in nodes.GroupBy(n => n.Key == FoundationPlan.PipelineKey ? 2 : CheckOf(n.Key) == VerifyChecks.FoundationStacks ? 0 : 1).OrderBy(g => g.Key))
        {
            var checkedLevel = await Task.WhenAll(level.Select(n => CheckAsync(n, inputs, reachable, ct))).ConfigureAwait(false);
            foreach (var stack in checkedLevel.Select(r => r.Stack).OfType<DeployedStack>())
            {
                inputs[stack.Ref.Key] = new StackResult(stack.Ref.StackName, stack.Ref.Location, StackOutcome.Unchanged, stack.Description.Status,
                    stack.Description.Outputs, TimeSpan.Zero);
            }

            all.AddRange(checkedLevel);
        }

        return (all.SelectMany(r => r.Findings).ToList(), all.Select(r => r.Stack).OfType<DeployedStack>().ToList());
    }

    public static string CheckOf(string key) =>
        key == FoundationPlan.PipelineKey ? VerifyChecks.PipelineStack
        : key.StartsWith(FoundationPlan.RolesPrefix, StringComparison.Ordinal) ? VerifyChecks.TargetRolesStack
        : key == FoundationPlan.SourceKey ? VerifyChecks.SourceAccountStack
        : VerifyChecks.FoundationStacks;

    private async Task<(IReadOnlyList<CheckFinding> Findings, DeployedStack? Stack)> CheckAsync(
        StackNode node, IReadOnlyDictionary<string, StackResult> inputs, IReadOnlySet<string> reachable, CancellationToken ct)
    {
        var check = CheckOf(node.Key);
        var (account, region) = (node.Ref.Location.AccountId, node.Ref.Location.Region);
        var subject = $"{node.Ref.StackName} ({region})";
        if (!reachable.Contains(account)) return ([AccountChecks.Unreachable(check, account)], null);
        DeployedStack? deployed = null;
        try
        {
            var cfn = context.Clients.CloudFormation(await context.CredentialsAsync(account, ct).ConfigureAwait(false), region);
            var stack = await cfn.DescribeStackAsync(node.Ref.StackName, ct).ConfigureAwait(false);
            if (stack is null)
            {
                return ([CheckFinding.Fail(check, account, subject, $"does not exist; run ./build.sh {FoundationPlan.TargetOf(node.Key)} (or BootstrapAll)")], null);
            }

            deployed = new DeployedStack(node.Ref, stack);
            if (!StackComparison.IsGood(stack.Status))
            {
                var reason = stack.StatusReason is { Length: > 0 } why ? $" ({why})" : "";
                return ([CheckFinding.Fail(check, account, subject, $"is in {stack.Status}{reason}, not settled after a successful operation")], deployed);
            }

            // The units' stack sets are StackSetChecks' row, and the pipeline reads nothing from them (their roles have
            // deterministic names): they are no prerequisite to compare it.
            var missing = node.DependsOn.Where(k => !inputs.ContainsKey(k) && !k.StartsWith(FoundationPlan.UnitRolesPrefix, StringComparison.Ordinal)).ToList();
            if (missing.Count > 0)
            {
                return ([CheckFinding.Skip(check, account, subject, $"exists in {stack.Status}; not compared: its prerequisites ({string.Join(", ", missing)}) could not be read")], deployed);
            }

            var differences = StackComparison.Differences(Desired(node.Key, inputs), stack,
                await cfn.GetTemplateBodyAsync(node.Ref.StackName, ct).ConfigureAwait(false));
            return (differences.Count == 0
                ? [CheckFinding.Pass(check, account, $"{subject} {stack.Status}, as the kit deploys it")]
                : differences.Select(d => CheckFinding.Fail(check, account, subject, d)).ToList(), deployed);
        }
        catch (AmazonServiceException e)
        {
            return ([CheckFinding.Fail(check, account, subject, $"could not be read: {e.ErrorCode}: {e.Message}")], deployed);
        }
        catch (DesiredUnknownException e)
        {
            return ([CheckFinding.Fail(check, account, subject, $"cannot say what the kit would deploy: {e.Message}")], deployed);
        }
    }

    /// <summary>What the kit would deploy. A prerequisite without its outputs, or a pipeline the CDK cannot synthesize here
    /// (no node on PATH), leaves the stack uncompared: a failed cell saying why, not a run that stops.</summary>
    private StackDeployment Desired(string key, IReadOnlyDictionary<string, StackResult> inputs)
    {
        try
        {
            return context.Plan.Desired(key, inputs);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new DesiredUnknownException(e.Message, e);
        }
    }

    private sealed class DesiredUnknownException(string message, Exception inner) : Exception(message, inner);
}
