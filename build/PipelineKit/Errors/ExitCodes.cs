namespace PipelineKit.Errors;

/// <summary>What went wrong, at the grain a script that runs the kit acts on: each class has its own exit code.</summary>
public enum FailureClass
{
    /// <summary>Anything else: the sample app's or the kit's tests failed, or an error the kit did not expect.</summary>
    Failed,

    /// <summary>pipeline.json or the command line is wrong; nothing was touched.</summary>
    Configuration,

    /// <summary>Credentials are missing, expired, refused or for the wrong account; nothing was deployed.</summary>
    AccountAccess,

    /// <summary>A stack or the pipeline's run failed.</summary>
    Deployment,

    /// <summary>Ctrl+C: the kit stopped starting and waiting; CloudFormation finishes what it started.</summary>
    Interrupted,
}

/// <summary>
/// The process's exit code per class of failure (README.md, "Exit codes"). build.cake hands it to Cake, which exits
/// with the code of the CakeException a script throws.
/// </summary>
public static class ExitCodes
{
    public const int Success = 0;

    /// <summary>Any failure outside the classes below, and Cake's own errors (an unknown target).</summary>
    public const int Failed = 1;

    /// <summary>Plan ended well and found changes to deploy (terraform plan -detailed-exitcode uses 2 the same way).
    /// Not a failure: build.cake's teardown exits with it (<see cref="KitHost"/>.ExitCode).</summary>
    public const int ChangesPending = 2;

    public const int Configuration = 3;

    public const int AccountAccess = 4;

    public const int Deployment = 5;

    /// <summary>128 + SIGINT: what a shell reports for a process that Ctrl+C ended.</summary>
    public const int Interrupted = 130;

    public static int For(FailureClass failure) => failure switch
    {
        FailureClass.Configuration => Configuration,
        FailureClass.AccountAccess => AccountAccess,
        FailureClass.Deployment => Deployment,
        FailureClass.Interrupted => Interrupted,
        _ => Failed,
    };

    /// <summary>The exit code for an exception that ended a run: the class of the first <see cref="KitException"/> in
    /// it or among its inner exceptions (Cake wraps a task's exception), else <see cref="Failed"/>.</summary>
    public static int For(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            if (e is KitException kit) return For(kit.Failure);
        }

        return Failed;
    }
}
