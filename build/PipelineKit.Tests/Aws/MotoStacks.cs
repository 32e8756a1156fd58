namespace PipelineKit.Tests.Aws;

using PipelineKit.Aws;
using PipelineKit.Deployment;

/// <summary>Deploys a template on the emulator the way the kit does: a change set, executed, waited for.</summary>
internal static class MotoStacks
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    public static async Task<StackDescription> DeployAsync(
        ICloudFormation cfn, string stack, string template, IReadOnlyDictionary<string, string>? parameters = null)
    {
        var type = await cfn.DescribeStackAsync(stack) is null ? ChangeSetType.Create : ChangeSetType.Update;
        // moto looks change sets up by name across the region: every one gets its own.
        var name = $"t{Guid.NewGuid():N}";
        await cfn.CreateChangeSetAsync(new CreateChangeSetRequest(
            stack, name, type, template, null, parameters ?? new Dictionary<string, string>(), new Dictionary<string, string>(),
            ["CAPABILITY_NAMED_IAM"], ClientToken: name));
        var changeSet = await PollAsync(() => cfn.DescribeChangeSetAsync(stack, name), c => !c.Status.IsPending);
        if (changeSet.Status != ChangeSetStatus.CreateComplete)
        {
            throw new InvalidOperationException($"Change set for {stack}: {changeSet.Status} {changeSet.StatusReason}");
        }

        await cfn.ExecuteChangeSetAsync(stack, name, name);
        var deployed = await PollAsync(
            async () => await cfn.DescribeStackAsync(stack) ?? throw new InvalidOperationException($"{stack} vanished."),
            s => !s.Status.IsInProgress);
        return deployed.Status.IsSuccess
            ? deployed
            : throw new InvalidOperationException($"{stack}: {deployed.Status} {deployed.StatusReason}");
    }

    public static async Task DeleteAsync(ICloudFormation cfn, string stack)
    {
        await cfn.DeleteStackAsync(stack, $"t{Guid.NewGuid():N}");
        await PollAsync(() => cfn.DescribeStackAsync(stack), s => s is null || !s.Status.IsInProgress);
    }

    private static async Task<T> PollAsync<T>(Func<Task<T>> read, Func<T, bool> done)
    {
        var deadline = DateTime.UtcNow + Deadline;
        while (true)
        {
            var value = await read();
            if (done(value) || DateTime.UtcNow > deadline)
            {
                return value;
            }

            await Task.Delay(200);
        }
    }
}
