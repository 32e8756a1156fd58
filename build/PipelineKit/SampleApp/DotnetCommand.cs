namespace PipelineKit.SampleApp;

using System.Diagnostics;

/// <summary>Runs the dotnet CLI on the sample app: its output line by line to a callback, its exit code returned; killed when cancelled.</summary>
internal static class DotnetCommand
{
    /// <param name="variables">Set in the child's environment on top of this process's; an empty value removes the variable.</param>
    public static async Task<int> RunAsync(string workingDirectory, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string> variables,
        Action<string> output, CancellationToken ct)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (name, value) in variables)
        {
            if (value.Length == 0) start.Environment.Remove(name);
            else start.Environment[name] = value;
        }

        using var process = new Process { StartInfo = start };
        void Forward(object _, DataReceivedEventArgs e)
        {
            if (e.Data is not null) output(e.Data);
        }

        process.OutputDataReceived += Forward;
        process.ErrorDataReceived += Forward;
        if (!process.Start()) throw new InvalidOperationException("Could not start dotnet.");
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await process.WaitForExitAsync(ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return process.ExitCode;
    }
}
