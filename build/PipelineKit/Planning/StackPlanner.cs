namespace PipelineKit.Planning;

using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using PipelineKit.Aws;
using PipelineKit.Deployment;
using PipelineKit.Naming;

/// <summary>
/// Answers a stack graph's deploy calls with what would happen: each stack is previewed (nothing is mutated but a change
/// set created, described and deleted), its plan recorded, and the graph goes on with the stack as it would be. A stack
/// that does not exist yet has no outputs: its template's outputs stand in as placeholders shaped like what they name,
/// so that stacks built from them can still be planned ("unknown-until-deployed").
/// </summary>
public sealed class StackPlanner(StackDeployer deployer) : IStackDeployer
{
    public const string Unknown = "unknown-until-deployed";

    private readonly ConcurrentDictionary<string, StackPlan> plans = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, StackPlan> Plans => plans;

    public async Task<StackResult> DeployAsync(ICloudFormation cfn, StackRef stack, StackDeployment desired, CancellationToken ct = default)
    {
        StackPreviewResult preview;
        try
        {
            preview = await deployer.PreviewAsync(cfn, stack, desired, ct).ConfigureAwait(false);
        }
        catch (DeploymentException e)
        {
            plans[stack.Key] = StackPlans.Failed(stack, $"{e.Reason} {e.NextStep}");
            throw;
        }

        plans[stack.Key] = StackPlans.From(stack, desired, preview);
        var deployed = preview.Kind is PreviewKind.Update or PreviewKind.Unchanged ? preview.Existing!.Outputs : new Dictionary<string, string>();
        var outputs = Placeholders(desired.TemplateBody, stack.Location).Concat(deployed)
            .GroupBy(o => o.Key).ToDictionary(g => g.Key, g => g.Last().Value, StringComparer.Ordinal);
        return new StackResult(stack.StackName, stack.Location, StackOutcome.Unchanged, preview.Existing?.Status, outputs, TimeSpan.Zero,
            DeployedParameters: desired.Parameters);
    }

    public Task<StackDescription?> ReadSettledAsync(ICloudFormation cfn, StackRef stack, CancellationToken ct = default) =>
        deployer.ReadSettledAsync(cfn, stack, ct);

    /// <summary>An ARN-shaped stand-in per output, so that code which parses an ARN (the CDK's imports) still accepts it.</summary>
    internal static Dictionary<string, string> Placeholders(string templateBody, StackLocation at) =>
        (TemplateReader.Read(templateBody)["Outputs"] as JsonObject ?? []).ToDictionary(
            o => o.Key,
            o => o.Key switch
            {
                _ when o.Key.Contains("Key", StringComparison.Ordinal) && o.Key.EndsWith("Arn", StringComparison.Ordinal) =>
                    Partitions.Arn("kms", at.Region, at.AccountId, $"key/{Unknown}"),
                _ when o.Key.Contains("Bucket", StringComparison.Ordinal) && o.Key.EndsWith("Arn", StringComparison.Ordinal) =>
                    Partitions.BucketArn(Partitions.Of(at.Region), $"{Unknown}-{at.AccountId}-{at.Region}"),
                _ when o.Key.Contains("Role", StringComparison.Ordinal) && o.Key.EndsWith("Arn", StringComparison.Ordinal) =>
                    $"arn:{Partitions.Of(at.Region)}:iam::{at.AccountId}:role/{Unknown}",
                _ when o.Key.EndsWith("Arn", StringComparison.Ordinal) => Partitions.Arn(Unknown, at.Region, at.AccountId, o.Key),
                _ => Unknown,
            },
            StringComparer.Ordinal);
}
