namespace PipelineKit.Tests.Accounts;

using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Amazon.Runtime;
using Amazon.SecurityToken;
using PipelineKit.Aws;
using PipelineKit.Accounts;
using PipelineKit.Configuration;

public sealed class AccountSessionsMotoTests
{
    [Fact]
    public async Task ForAccount_AgainstMoto_AssumesOrganizationAccountAccessRoleInTargetAccount()
    {
        using var moto = await PrivateMotoServerForAccountsTests.StartAsync();
        var clients = new List<IDisposable>();
        ISecurityTokens Sts(AWSCredentials credentials, string region)
        {
            var client = new AmazonSecurityTokenServiceClient(
                credentials,
                new AmazonSecurityTokenServiceConfig { ServiceURL = moto.Url, AuthenticationRegion = region });
            lock (clients)
                clients.Add(client);
            return new SecurityTokens(client);
        }

        try
        {
            var sessions = new AccountSessions(
                AccountSessionsTests.Config(new EnvironmentSettings("dev", "222222222222", "us-east-1")),
                profileOverride: null,
                Sts,
                _ => null,
                new BasicAWSCredentials("testing", "testing"));

            await sessions.VerifyAllAsync();
            var session = await sessions.ForAccountAsync("222222222222");
            var identity = await Sts(session.Credentials, "us-east-1").GetCallerIdentityAsync();

            Assert.Equal("222222222222", identity.Account);
            Assert.Contains("OrganizationAccountAccessRole/pipelinekit-222222222222", identity.Arn);
            Assert.Equal("123456789012", (await sessions.BuildAsync()).AccountId);
        }
        finally
        {
            clients.ForEach(c => c.Dispose());
        }
    }

    /// <summary>Private stand-in until the shared moto fixture lands; replace it with that one.</summary>
    private sealed class PrivateMotoServerForAccountsTests : IDisposable
    {
        private readonly Process _process;

        private PrivateMotoServerForAccountsTests(Process process, string url)
        {
            _process = process;
            Url = url;
        }

        public string Url { get; }

        public static async Task<PrivateMotoServerForAccountsTests> StartAsync()
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();

            var process = Process.Start(new ProcessStartInfo("moto_server", $"-H 127.0.0.1 -p {port}")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            })!;
            process.OutputDataReceived += (_, _) => { };
            process.ErrorDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            var server = new PrivateMotoServerForAccountsTests(process, $"http://127.0.0.1:{port}");

            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (true)
            {
                try
                {
                    using var response = await http.GetAsync(server.Url + "/moto-api/");
                    return server;
                }
                catch (Exception) when (DateTime.UtcNow < deadline && !process.HasExited)
                {
                    await Task.Delay(200);
                }
                catch
                {
                    server.Dispose();
                    throw;
                }
            }
        }

        public void Dispose()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }

            _process.Dispose();
        }
    }
}
