namespace PipelineKit.Sandbox;

using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

/// <summary>
/// A <c>moto_server</c> process on a free loopback port: the AWS emulator behind the sandbox and the
/// integration tests. Started and stopped by its owner; <see cref="DisposeAsync"/> kills the process tree and
/// removes the launcher script it ran.
/// </summary>
public sealed class MotoServer : IAsyncDisposable
{
    private static readonly TimeSpan StartDeadline = TimeSpan.FromSeconds(30);
    private const int OutputLinesKept = 200;

    private readonly Process process;

    /// <summary>The private directory holding the launcher script this server runs, if any; removed on dispose.</summary>
    private string? scriptDirectory;

    /// <summary>Where the launcher script of this server lies until it is disposed; null for plain moto_server.</summary>
    internal string? ScriptDirectory => scriptDirectory;

    private MotoServer(Process process, int port)
    {
        this.process = process;
        Port = port;
    }

    public int Port { get; }

    /// <summary>http://127.0.0.1:PORT, the endpoint of every emulated service.</summary>
    public string Url => $"http://127.0.0.1:{Port}";

    /// <summary>Null when moto runs with the kit's corrections (moto_sandbox.py); otherwise why not, for the user.</summary>
    public string? Warning { get; private set; }

    /// <summary>Starts moto and waits until it answers HTTP, at most 30 seconds. moto runs through the kit's
    /// launcher (embedded moto_sandbox.py: moto with the AWS behaviours the kit relies on) when python3 can
    /// import moto; otherwise plain moto_server, with a <see cref="Warning"/>.</summary>
    public static async Task<MotoServer> StartAsync(CancellationToken ct = default)
    {
        var warning = await PlainMotoWarning.Value.ConfigureAwait(false);
        if (warning is not null)
        {
            var plain = await StartAsync("moto_server", [], ct).ConfigureAwait(false);
            plain.Warning = warning;
            return plain;
        }

        var directory = Directory.CreateTempSubdirectory("pipelinekit-moto-");
        try
        {
            var script = await WriteLauncherAsync(directory.FullName, ct).ConfigureAwait(false);
            var server = await StartAsync("python3", [script], ct).ConfigureAwait(false);
            server.scriptDirectory = directory.FullName;
            return server;
        }
        catch
        {
            DeleteQuietly(directory.FullName);
            throw;
        }
    }

    /// <summary>Writes the embedded moto_sandbox.py into <paramref name="directory"/>: a directory of the kit's own,
    /// made with a random name and readable only by this user (<see cref="Directory.CreateTempSubdirectory"/>), so no
    /// other user can plant or swap the script python3 runs.</summary>
    private static async Task<string> WriteLauncherAsync(string directory, CancellationToken ct)
    {
        var script = Path.Combine(directory, "moto_sandbox.py");
        await using var resource = typeof(MotoServer).Assembly.GetManifestResourceStream("sandbox/moto_sandbox.py")
                                   ?? throw new InvalidOperationException("The kit was built without Sandbox/moto_sandbox.py.");
        await using var file = new FileStream(script, FileMode.CreateNew, FileAccess.Write);
        await resource.CopyToAsync(file, ct).ConfigureAwait(false);
        return script;
    }

    private static void DeleteQuietly(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A leftover in the temp directory is not worth failing a run for.
        }
    }

    /// <summary>Null when python3 can import moto, so moto runs through the kit's launcher; otherwise why not.
    /// Probed once per process.</summary>
    private static readonly Lazy<Task<string?>> PlainMotoWarning = new(ProbePythonMotoAsync);

    private static async Task<string?> ProbePythonMotoAsync()
    {
        try
        {
            using var probe = Process.Start(new ProcessStartInfo("python3", ["-c", "import moto.server, moto.cloudformation"])
            {
                UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true,
            });
            if (probe is not null)
            {
                await probe.WaitForExitAsync().ConfigureAwait(false);
                if (probe.ExitCode == 0) return null;
            }
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // no python3 on PATH: fall back below
        }

        return "python3 cannot import moto, so moto_server runs without the kit's corrections: stacks made through change sets " +
               "get no outputs and termination protection fails (see build/PipelineKit/Sandbox/moto-quirks.md).";
    }

    private static async Task<MotoServer> StartAsync(string executable, IReadOnlyList<string> prefix, CancellationToken ct)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(StartDeadline);
        var attempts = new List<string>();
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            var port = FreeLoopbackPort();
            var output = new ConcurrentQueue<string>();
            var process = Start(executable, prefix, port, output);
            var server = new MotoServer(process, port);
            try
            {
                if (await server.WaitUntilAnsweringAsync(deadline.Token).ConfigureAwait(false))
                {
                    return server;
                }

                attempts.Add($"port {port}: exited with code {process.ExitCode}: {string.Join(Environment.NewLine, output.TakeLast(10))}");
                await server.DisposeAsync().ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                await server.DisposeAsync().ConfigureAwait(false);
                throw new TimeoutException(
                    $"{executable} did not answer on {server.Url} within {StartDeadline.TotalSeconds:0} s. Last output:{Environment.NewLine}" +
                    string.Join(Environment.NewLine, output.TakeLast(20)));
            }
            catch
            {
                await server.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }

        throw new InvalidOperationException($"{executable} did not start:{Environment.NewLine}{string.Join(Environment.NewLine, attempts)}");
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await process.WaitForExitAsync(wait.Token).ConfigureAwait(false);
        }
        catch (InvalidOperationException)
        {
            // Never started or already gone.
        }
        catch (OperationCanceledException)
        {
            // Killed but not reaped in time; nothing more to do.
        }
        finally
        {
            process.Dispose();
            if (scriptDirectory is not null)
            {
                DeleteQuietly(scriptDirectory);
                scriptDirectory = null;
            }
        }
    }

    private static Process Start(string executable, IReadOnlyList<string> prefix, int port, ConcurrentQueue<string> output)
    {
        var info = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
            UseShellExecute = false,
            CreateNoWindow = true,
        };
        foreach (var argument in prefix) info.ArgumentList.Add(argument);
        info.ArgumentList.Add("-H");
        info.ArgumentList.Add("127.0.0.1");
        info.ArgumentList.Add("-p");
        info.ArgumentList.Add(port.ToString(System.Globalization.CultureInfo.InvariantCulture));

        var process = new Process { StartInfo = info };
        void Keep(object? sender, DataReceivedEventArgs e)
        {
            if (e.Data is null)
            {
                return;
            }

            output.Enqueue(e.Data);
            while (output.Count > OutputLinesKept && output.TryDequeue(out _))
            {
            }
        }

        process.OutputDataReceived += Keep;
        process.ErrorDataReceived += Keep;
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            process.Dispose();
            throw new InvalidOperationException(
                $"Cannot start {executable}: {e.Message}. Install moto with its server extra (pip install 'moto[server]') and put moto_server on PATH.", e);
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>True once GET /moto-api/ answers 200; false if the process exits first.</summary>
    private async Task<bool> WaitUntilAnsweringAsync(CancellationToken ct)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var delay = TimeSpan.FromMilliseconds(50);
        while (true)
        {
            if (process.HasExited)
            {
                return false;
            }

            try
            {
                using var response = await http.GetAsync(new Uri($"{Url}/moto-api/"), ct).ConfigureAwait(false);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return true;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException) when (!ct.IsCancellationRequested)
            {
                // This probe timed out; try again.
            }

            await Task.Delay(delay, ct).ConfigureAwait(false);
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 500));
        }
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
