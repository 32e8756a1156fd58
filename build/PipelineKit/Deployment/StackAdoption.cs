namespace PipelineKit.Deployment;

using PipelineKit.Aws;
using PipelineKit.Messages;

/// <summary>What the deployer needs to bring a lost stack back: reads of the resources in the stack's account, and the
/// channel on which it says what it imports.</summary>
public sealed record LostStackRecovery(IExistingResources Resources, IKitMessages Messages);

/// <summary>
/// A kit stack that is gone (deleted by hand, or a first creation rolled back) leaves its retained resources behind under
/// the names its template gives them, and creating it again fails on those names ("already exists"). Before a stack is
/// created, this finds them (<see cref="LostResources"/>, read-only; refuses what cannot be imported) and, after any
/// rolled-back stack is deleted, imports them (<see cref="StackImport"/>); the normal UPDATE change set adds the rest.
/// </summary>
internal sealed class StackAdoption
{
    private static readonly StackAdoption Nothing = new(null!, null!, []);

    private readonly StackContext context;
    private readonly StackDeployment desired;
    private readonly IReadOnlyList<Adoptee> adoptees;

    private StackAdoption(StackContext context, StackDeployment desired, IReadOnlyList<Adoptee> adoptees)
    {
        this.context = context;
        this.desired = desired;
        this.adoptees = adoptees;
    }

    /// <summary>True once the stack was made by importing its retained resources: its own template follows as an UPDATE.</summary>
    public bool Imported { get; private set; }

    /// <summary>Reads only. For a stack about to be created (<paramref name="start"/> Create or Recreate), what to import,
    /// or a <see cref="DeploymentException"/> (ResourceNameTaken) before anything is changed.</summary>
    public static async Task<StackAdoption> BeforeCreateAsync(StackContext context, StartingPoint start, StackDeployment desired, CancellationToken ct)
    {
        if (start == StartingPoint.Update || context.Recovery is not { } recovery || desired.Retained is not { Count: > 0 }) return Nothing;
        var adoptees = await new LostResources(context, recovery.Resources).FindAsync(desired, ct).ConfigureAwait(false);
        return adoptees.Count == 0 ? Nothing : new StackAdoption(context, desired, adoptees);
    }

    /// <summary>Imports what <see cref="BeforeCreateAsync"/> found; returns the stack as the import left it, or
    /// <paramref name="existing"/> when there is nothing to import.</summary>
    public async Task<StackDescription?> ImportAsync(StackDescription? existing, CancellationToken ct)
    {
        if (adoptees.Count == 0) return existing;
        var labels = string.Join(", ", adoptees.Select(a => a.Label));
        context.Recovery!.Messages.Report(MessageCodes.StackAdopting,
            $"{context.Name} ({context.Stack.Location}): the stack is gone but what it retains is not; importing {labels}, then deploying the stack's template over them.");
        var imported = await new StackImport(context).ImportAsync(desired, adoptees, ct).ConfigureAwait(false);
        Imported = true;
        return imported;
    }
}
