namespace PipelineKit.Reliability.Runner;

using PipelineKit.Errors;
using PipelineKit.Orchestration;

/// <summary>
/// <c>--kit-run ROOT [kit options]</c>: this executable running the four foundation targets, each as <c>./build.sh</c> would
/// run it, in a process of its own so a scenario can interrupt or kill it. They run one after another in one host, on the
/// process's console, so Ctrl+C (SIGINT) reaches the kit's own handling. Exits with the kit's exit code.
/// </summary>
public static class KitRun
{
    public const string Mode = "--kit-run";

    internal static readonly KitTarget[] Foundation =
        [KitTarget.BootstrapPrimary, KitTarget.RegionalStacks, KitTarget.DeployTargetRoles, KitTarget.UpdatePrimaryPolicy];

    public static int Run(IReadOnlyList<string> arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var root = arguments[0];
        KitHost kit;
        try
        {
            kit = KitHost.Create(root, ["kit-run", .. arguments.Skip(1)], Environment.GetEnvironmentVariable);
        }
        catch (Exception e)
        {
            Console.Error.WriteLine(e.Message);
            return ExitCodes.For(e);
        }

        try
        {
            foreach (var target in Foundation) kit.Run(target);
            return kit.ExitCode;
        }
        catch (Exception e)
        {
            // As Cake shows a failed task: the message, then the kit's next step.
            Console.Error.WriteLine($"{e.GetType().Name}: {e.Message}");
            if (e is KitException { NextStep: { } next }) Console.Error.WriteLine($"Next step: {next}");
            return ExitCodes.For(e);
        }
        finally
        {
            kit.Dispose();
        }
    }
}
