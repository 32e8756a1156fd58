namespace PipelineKit.Tests.Integration;

using System.Net;

/// <summary>
/// The emulator answers without credentials and the local pipeline run executes what it holds: a web page must not reach
/// it. A browser's cross-site request carries an Origin header, a DNS-rebinding page a Host that is not a loopback name;
/// both are refused with HTTP 403, while the SDK's and CLI's requests (no Origin, Host 127.0.0.1:port) pass.
/// </summary>
[Collection("moto")]
public class SandboxGuardMotoTests(MotoFixture moto)
{
    [Fact]
    public async Task ARequestWithAnOriginHeader_IsRefusedWith403()
    {
        using var http = new HttpClient { BaseAddress = new Uri(moto.Url) };
        using var request = Request();
        request.Headers.TryAddWithoutValidation("Origin", "https://attacker.example");

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("Origin header", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("attacker.example")]
    [InlineData("rebind.attacker.example:5000")]
    [InlineData("localhost.attacker.example")]
    public async Task ARequestForAHostOtherThanLoopback_IsRefusedWith403(string host)
    {
        using var http = new HttpClient { BaseAddress = new Uri(moto.Url) };
        using var request = Request();
        request.Headers.Host = host;

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains($"host '{host}'", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("localhost")]
    [InlineData("[::1]:5000")]
    public async Task ARequestForALoopbackHostWithoutOrigin_IsAnswered(string? host)
    {
        using var http = new HttpClient { BaseAddress = new Uri(moto.Url) };
        using var request = Request();
        if (host is not null) request.Headers.Host = host;

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task AChangeSetWithAParameterTheTemplateDoesNotDeclare_IsRefused_AsCloudFormationDoes()
    {
        const string template = """{"Parameters":{"Known":{"Type":"String"}},"Resources":{"Topic":{"Type":"AWS::SNS::Topic"}}}""";
        var stack = $"undeclared-{Guid.NewGuid():N}"[..20];

        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => moto.Cli(null, "cloudformation", "create-change-set",
            "--stack-name", stack, "--change-set-name", "c", "--change-set-type", "CREATE", "--template-body", template,
            "--parameters", "ParameterKey=Known,ParameterValue=a", "ParameterKey=Stray,ParameterValue=b"));

        Assert.Contains("Parameters: [Stray] do not exist in the template", e.Message, StringComparison.Ordinal);
    }

    /// <summary>A query-protocol call as the CLI sends it (moto routes by the credential scope; it checks no signature).</summary>
    private static HttpRequestMessage Request()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/")
        {
            Content = new FormUrlEncodedContent([new("Action", "ListRoles"), new("Version", "2010-05-08")]),
        };
        request.Headers.TryAddWithoutValidation("Authorization",
            "AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=0");
        return request;
    }
}
