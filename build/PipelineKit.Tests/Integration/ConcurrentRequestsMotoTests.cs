namespace PipelineKit.Tests.Integration;

using System.Net;
using System.Text.Json;

/// <summary>
/// Runs side by side against one emulator (the reliability report runs several kits on one): while one client creates
/// and deletes managed policies, others create stacks of roles that attach a managed policy. moto answers each request
/// on its own thread over unlocked dictionaries, so the role's attachment failed with "dictionary changed size during
/// iteration" (HTTP 500) and left its stack answering every DescribeStacks with HTTP 500. Requests go out without the
/// SDK's retries, so one such answer fails the test.
/// </summary>
[Collection("moto")]
public class ConcurrentRequestsMotoTests(MotoFixture moto)
{
    private const int Stacks = 9;
    private const int PolicyRounds = 40;

    private static readonly string RoleTemplate = JsonSerializer.Serialize(new
    {
        Resources = Enumerable.Range(0, 3).ToDictionary(i => $"Role{i}", i => (object)new
        {
            Type = "AWS::IAM::Role",
            Properties = new
            {
                AssumeRolePolicyDocument = new
                {
                    Version = "2012-10-17",
                    Statement = new[] { new { Effect = "Allow", Principal = new { Service = "codebuild.amazonaws.com" }, Action = "sts:AssumeRole" } },
                },
                ManagedPolicyArns = new[] { "arn:aws:iam::aws:policy/ReadOnlyAccess" },
            },
        }),
        Outputs = new { RoleArn = new { Value = new Dictionary<string, string[]> { ["Fn::GetAtt"] = ["Role0", "Arn"] } } },
    });

    [Fact]
    public async Task StacksOfRolesCreatedWhileManagedPoliciesComeAndGo_AllComplete_AndNoRequestFails()
    {
        using var http = new HttpClient { BaseAddress = new Uri(moto.Url), Timeout = TimeSpan.FromMinutes(2) };
        var prefix = $"crq{Guid.NewGuid():N}"[..11];
        var failures = new List<string>();

        var policies = Enumerable.Range(0, 2).Select(worker => Task.Run(async () =>
        {
            for (var round = 0; round < PolicyRounds; round++)
            {
                var name = $"{prefix}-p{worker}-{round}";
                var created = await Call(http, "iam", "CreatePolicy", failures, ("PolicyName", name), ("PolicyDocument",
                    """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}"""));
                if (created is null) continue;
                await Call(http, "iam", "DeletePolicy", failures, ("PolicyArn", $"arn:aws:iam::123456789012:policy/{name}"));
            }
        }));
        var stacks = Enumerable.Range(0, 3).Select(worker => Task.Run(async () =>
        {
            for (var n = worker; n < Stacks; n += 3)
            {
                var stack = $"{prefix}-s{n}";
                await Call(http, "cloudformation", "CreateChangeSet", failures, ("StackName", stack), ("ChangeSetName", "c"),
                    ("ChangeSetType", "CREATE"), ("TemplateBody", RoleTemplate));
                await Call(http, "cloudformation", "ExecuteChangeSet", failures, ("StackName", stack), ("ChangeSetName", "c"));
                await Call(http, "cloudformation", "DescribeStacks", failures);
            }
        }));
        await Task.WhenAll([.. policies, .. stacks]);

        Assert.Empty(failures);
        for (var n = 0; n < Stacks; n++)
        {
            var described = await moto.Cli(null, "cloudformation", "describe-stacks", "--stack-name", $"{prefix}-s{n}");
            var stack = described.GetProperty("Stacks")[0];
            Assert.Equal("CREATE_COMPLETE", stack.GetProperty("StackStatus").GetString());
            Assert.Contains(":role/", stack.GetProperty("Outputs")[0].GetProperty("OutputValue").GetString());
        }
    }

    /// <summary>One query-protocol call (what the CLI and the SDK send); its answer's body, or null after noting a failure.</summary>
    private static async Task<string?> Call(HttpClient http, string service, string action, List<string> failures,
        params (string Key, string Value)[] parameters)
    {
        var version = service == "iam" ? "2010-05-08" : "2010-05-15";
        using var request = new HttpRequestMessage(HttpMethod.Post, "/")
        {
            Content = new FormUrlEncodedContent([new("Action", action), new("Version", version),
                .. parameters.Select(p => new KeyValuePair<string, string>(p.Key, p.Value))]),
        };
        // moto routes by the credential scope's service; it checks no signature.
        request.Headers.TryAddWithoutValidation("Authorization",
            $"AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/{service}/aws4_request, SignedHeaders=host, Signature=0");
        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        if (response.StatusCode == HttpStatusCode.OK) return body;
        lock (failures) failures.Add($"{service}:{action} HTTP {(int)response.StatusCode}: {body[..Math.Min(body.Length, 200)]}");
        return null;
    }
}
