namespace PipelineKit.Teardown;

using System.Globalization;
using PipelineKit.Deployment;
using PipelineKit.Messages;

/// <summary>What Destroy prints: the plan before anything is deleted, and the summary after. Plain ASCII, one line per
/// stack, bucket and key, so it reads the same in a terminal and a CI log.</summary>
public sealed class DestroyReport(IKitMessages messages, string pipelineName, string buildAccount)
{
    private readonly List<string> lines = [];

    private void Line(string text) => lines.Add(text);

    public void NothingLeft() =>
        messages.Report(MessageCodes.DestroyNothingLeft, $"Destroy: nothing of pipeline {pipelineName} is left: no stack, no bucket, no key that is not pending deletion.");

    public void Plan(TeardownInventory inventory, DestroySettings settings)
    {
        Line($"Destroy: pipeline {pipelineName}. Found:");
        var sourceStack = inventory.Existing.Any(s => s.Key == Orchestration.FoundationPlan.SourceKey) ? " and the source account's stack" : "";
        Line($"  stacks (app stacks first, then the pipeline, the target roles{sourceStack}, the build account's stacks):");
        foreach (var stack in inventory.Existing)
        {
            var description = inventory.Stacks[stack.Key]!;
            Line($"    {stack.Ref.StackName,-44} {stack.Ref.Location.AccountId}  {stack.Ref.Location.Region,-12} {description.Status}" +
                (description.TerminationProtection ? ", termination protection on" : ""));
        }

        if (inventory.Sets.Count > 0)
        {
            Line("  stack sets of organizational units (after the app stacks and the pipeline: each unit's instances, and the roles in its accounts, then the set):");
            foreach (var set in inventory.Sets)
            {
                Line($"    {set.StackSetName,-44} {buildAccount}  {set.Description.Status}, organizational unit {set.OrganizationalUnitId}");
            }
        }

        var bucketAction = settings.KeepData ? "kept (--keep-data)" : "every version and delete marker deleted, then the bucket";
        Line($"  buckets ({bucketAction}):");
        foreach (var bucket in inventory.Buckets) Line($"    {bucket.Name,-44} {buildAccount}  {bucket.Region}");

        Line("  KMS keys:");
        foreach (var key in inventory.Keys)
        {
            var fate = key.ByCloudFormation ? "CloudFormation schedules its deletion with the stack (the template does not retain it)"
                : settings.KeepData ? "kept (--keep-data)"
                : $"retained by the template: after its stack, {key.Alias} freed and deletion scheduled ({settings.KeyDeletionDays}-day window)";
            Line($"    {key.Key.Arn}  {key.Purpose}: {fate}");
        }

        Flush(MessageCodes.DestroyPlan);
    }

    public void Foreign(TeardownInventory inventory)
    {
        foreach (var stack in inventory.Foreign)
        {
            Line($"Destroy refuses: {stack.Ref.StackName} ({stack.Ref.Location}) has the kit's name but not the tag " +
                $"{StackDeletion.PipelineTag}={pipelineName}; it was not made by this pipeline. Nothing was deleted.");
        }

        foreach (var set in inventory.ForeignSets)
        {
            Line($"Destroy refuses: stack set {set.StackSetName} has the kit's name but is not the kit's (service-managed, with the tag " +
                $"{StackDeletion.PipelineTag}={pipelineName}, its roles trusting this build account); it was not made by this pipeline. Nothing was deleted.");
        }

        Flush(MessageCodes.DestroyRefused);
    }

    public void NotConfirmed() =>
        messages.Report(MessageCodes.DestroyNotConfirmed, "Destroy deletes nothing without --yes. Nothing was deleted. Re-run with --yes to delete everything listed above.");

    public void Summary(TeardownInventory inventory, IReadOnlyList<(StackRef Ref, StackResult Result)> stacks,
        IReadOnlyList<BucketOutcome> buckets, IReadOnlyList<KeyOutcome> keys, DestroySettings settings, bool stacksGone)
    {
        Line($"Destroy: {pipelineName}");
        foreach (var (stackRef, result) in stacks)
        {
            var what = result.Outcome == StackOutcome.Deleted ? (result.Status is null ? "gone already" : "deleted") : ReportOutcome(result);
            if (TeardownGraph.IsUnitSet(stackRef.Key))
            {
                var accounts = result.Outputs.GetValueOrDefault(StackSetDeletion.AccountsOutput) is { Length: > 0 } list ? $", with its instances in {list}" : "";
                Line($"  stack set {stackRef.StackName,-42} {stackRef.Location.AccountId}  {stackRef.Location.Region,-12} {what}{(result.Status is null ? "" : accounts)}");
                continue;
            }

            Line($"  stack   {stackRef.StackName,-44} {stackRef.Location.AccountId}  {stackRef.Location.Region,-12} {what}");
        }

        foreach (var bucket in buckets)
        {
            var what = bucket.Error ?? (bucket.Deleted is { } n ? $"emptied ({Versions(n)}) and deleted" : "gone already");
            Line($"  bucket  {bucket.Target.Name,-44} {buildAccount}  {bucket.Target.Region,-12} {what}");
        }

        foreach (var key in keys)
        {
            var until = key.DeletionDate is { } date ? $" until {date.UtcDateTime:yyyy-MM-dd HH:mm} UTC" : "";
            Line($"  key     {key.Target.Key.Arn} {key.State}{until}: {key.Note}");
        }

        Retained(inventory, buckets, keys, settings, stacksGone);
        Flush(MessageCodes.DestroySummary);
    }

    /// <summary>The closing line: only "Retained: nothing" when every bucket and key is really gone or pending deletion.</summary>
    private void Retained(TeardownInventory inventory, IReadOnlyList<BucketOutcome> buckets, IReadOnlyList<KeyOutcome> keys,
        DestroySettings settings, bool stacksGone)
    {
        if (!stacksGone)
        {
            Line("Buckets and keys are untouched while a stack that uses them remains. Fix what the failures above say and re-run Destroy --yes.");
            return;
        }

        var failed = buckets.Where(b => b.Error is not null).Select(b => b.Target.Name)
            .Concat(keys.Where(k => k.State == "failed").Select(k => k.Target.Key.Arn)).ToList();
        var keptKeys = keys.Where(k => !k.Target.ByCloudFormation && k.State is not ("failed" or "gone" or "PendingDeletion")).ToList();
        if (failed.Count > 0)
        {
            Line($"Not finished: {string.Join(", ", failed)} (see above). Fix what each line says and re-run Destroy --yes; it resumes.");
        }
        else if (settings.KeepData && inventory.Buckets.Count > 0)
        {
            Line($"Retained (--keep-data): {string.Join(", ", inventory.Buckets.Select(b => b.Name))} and the artifact keys " +
                "(their aliases were deleted with the stacks). BootstrapAll cannot create the stacks again while these bucket names exist: " +
                "copy what you need, then run Destroy --yes without --keep-data (or delete the buckets yourself).");
        }
        else if (keptKeys.Count > 0)
        {
            Line($"Retained: {string.Join("; ", keptKeys.Select(k => $"{k.Target.Key.Arn} ({k.Note})"))}. The buckets are gone and the kit's " +
                "aliases are free, so BootstrapAll can create everything again now.");
        }
        else
        {
            Line("Retained: nothing. Keys stay pending deletion for their window (cancel with aws kms cancel-key-deletion); " +
                "their aliases are free, so BootstrapAll can create everything again now.");
        }
    }

    private void Flush(MessageKind kind)
    {
        messages.Report(kind, string.Join(Environment.NewLine, lines));
        lines.Clear();
    }

    private static string Versions(int count) => count == 1
        ? "1 object version or delete marker"
        : $"{count.ToString("N0", CultureInfo.InvariantCulture)} object versions and delete markers";

    private static string ReportOutcome(StackResult result) =>
        $"{result.Outcome.ToString().ToLowerInvariant()}: {result.Error} Next: {result.NextStep}";
}
