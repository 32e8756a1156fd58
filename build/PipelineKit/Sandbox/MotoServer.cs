namespace PipelineKit.Sandbox;

using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

/// <summary>
/// A <c>moto_server</c> process on a free loopback port: the AWS emulator behind the sandbox and the
/// integration tests. Started and stopped by its owner; <see cref="DisposeAsync"/> kills the process tree.
/// </summary>
public sealed class MotoServer : IAsyncDisposable
{
    private static readonly TimeSpan StartDeadline = TimeSpan.FromSeconds(30);
    private const int OutputLinesKept = 200;

    private readonly Process process;
    private readonly ConcurrentQueue<string> output;

    private MotoServer(Process process, ConcurrentQueue<string> output, int port)
    {
        this.process = process;
        this.output = output;
        Port = port;
    }

    public int Port { get; }

    /// <summary>http://127.0.0.1:PORT, the endpoint of every emulated service.</summary>
    public string Url => $"http://127.0.0.1:{Port}";

    /// <summary>The last lines moto wrote (stdout and stderr), for diagnostics.</summary>
    public IReadOnlyList<string> RecentOutput => output.ToArray();

    /// <summary>Null when moto runs with the kit's corrections (moto_sandbox.py); otherwise why not, for the user.</summary>
    public string? Warning { get; private set; }

    /// <summary>Starts moto and waits until it answers HTTP, at most 30 seconds. moto runs through the kit's
    /// launcher (embedded moto_sandbox.py: moto with the AWS behaviours the kit relies on) when python3 can
    /// import moto; otherwise plain moto_server, with a <see cref="Warning"/>.</summary>
    public static async Task<MotoServer> StartAsync(CancellationToken ct = default)
    {
        var launcher = await Launcher.Value.ConfigureAwait(false);
        var server = await StartAsync(launcher.FileName, launcher.Arguments, ct).ConfigureAwait(false);
        server.Warning = launcher.Warning;
        return server;
    }

    private sealed record Launch(string FileName, IReadOnlyList<string> Arguments, string? Warning);

    private static readonly Lazy<Task<Launch>> Launcher = new(ChooseLauncherAsync);

    private static async Task<Launch> ChooseLauncherAsync()
    {
        var script = Path.Combine(Path.GetTempPath(), $"pipelinekit-moto-sandbox-{Environment.ProcessId}.py");
        await using (var resource = typeof(MotoServer).Assembly.GetManifestResourceStream("sandbox/moto_sandbox.py")
                     ?? throw new InvalidOperationException("The kit was built without Sandbox/moto_sandbox.py."))
        await using (var file = File.Create(script))
        {
            await resource.CopyToAsync(file).ConfigureAwait(false);
        }

        try
        {
            using var probe = Process.Start(new ProcessStartInfo("python3", ["-c", "import moto.server, moto.cloudformation"])
            {
                UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true,
            });
            if (probe is not null)
            {
                await probe.WaitForExitAsync().ConfigureAwait(false);
                if (probe.ExitCode == 0) return new Launch("python3", [script], null);
            }
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // no python3 on PATH: fall back below
        }

        return new Launch("moto_server", [],
            "python3 cannot import moto, so moto_server runs without the kit's corrections: stacks made through change sets " +
            "get no outputs and termination protection fails (see build/PipelineKit/Sandbox/moto-quirks.md).");
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
            var server = new MotoServer(process, output, port);
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
