namespace PipelineKit.Tests.Reliability;

using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using PipelineKit.Reliability.Proxy;

/// <summary>The reliability report's fault-injecting proxy, in front of a stand-in emulator that counts what it applied.</summary>
public sealed class FaultProxyTests : IAsyncLifetime
{
    private const string Authorization =
        "AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/{0}/aws4_request, SignedHeaders=host, Signature=00";

    private WebApplication upstream = null!;
    private FaultProxy proxy = null!;
    private int applied;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(o => o.Listen(IPAddress.Loopback, 0));
        upstream = builder.Build();
        upstream.Run(async context =>
        {
            Interlocked.Increment(ref applied);
            await context.Response.WriteAsync("<ok/>");
        });
        await upstream.StartAsync();
        proxy = await FaultProxy.StartAsync(upstream.Urls.First());
    }

    public async Task DisposeAsync()
    {
        await proxy.DisposeAsync();
        await upstream.DisposeAsync();
    }

    [Fact]
    public async Task Throttling_answers_a_query_protocol_call_with_an_xml_throttling_error_and_forwards_nothing()
    {
        proxy.Faults.Add(new FaultRule("DescribeStacks", FaultKind.Throttle));
        using var response = await Send(Query("cloudformation", "DescribeStacks"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("text/xml", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("<ErrorResponse", body, StringComparison.Ordinal);
        Assert.Contains("<Code>Throttling</Code>", body, StringComparison.Ordinal);
        Assert.Equal(0, applied);
    }

    [Fact]
    public async Task Throttling_answers_a_json_protocol_call_with_a_json_throttling_exception()
    {
        proxy.Faults.Add(new FaultRule("CreateKey", FaultKind.Throttle));
        using var response = await Send(Json("kms", "TrentService.CreateKey", "{}"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/x-amz-json-1.1", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("ThrottlingException", json.RootElement.GetProperty("__type").GetString());
        Assert.Equal(0, applied);
    }

    [Fact]
    public async Task Throttling_answers_an_s3_call_with_503_slow_down_in_xml()
    {
        proxy.Faults.Add(new FaultRule("PUT /bucket", FaultKind.Throttle));
        using var request = new HttpRequestMessage(HttpMethod.Put, $"{proxy.Url}/bucket/key") { Content = new ByteArrayContent([1, 2, 3]) };
        request.Headers.TryAddWithoutValidation("Authorization", string.Format(Authorization, "s3"));
        using var response = await Send(request);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("<Code>SlowDown</Code>", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, applied);
    }

    [Fact]
    public async Task A_server_error_is_an_html_page_with_the_status()
    {
        proxy.Faults.Add(new FaultRule("DescribeStacks", FaultKind.Unavailable));
        using var response = await Send(Query("cloudformation", "DescribeStacks"));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(0, applied);
    }

    [Fact]
    public async Task Reset_after_apply_lets_the_emulator_apply_the_call_and_drops_the_answer()
    {
        proxy.Faults.Add(new FaultRule("ExecuteChangeSet", FaultKind.ResetAfterApply));

        await Assert.ThrowsAsync<HttpRequestException>(() => Send(Query("cloudformation", "ExecuteChangeSet", "&StackName=s&ClientRequestToken=t1")));

        Assert.Equal(1, applied);
        var entry = Assert.Single(proxy.Journal.Entries);
        Assert.True(entry.Applied);
        Assert.Equal("t1", entry.Request.ClientToken);
    }

    [Fact]
    public async Task Reset_before_forward_never_reaches_the_emulator()
    {
        proxy.Faults.Add(new FaultRule("ExecuteChangeSet", FaultKind.ResetBeforeForward));

        await Assert.ThrowsAsync<HttpRequestException>(() => Send(Query("cloudformation", "ExecuteChangeSet", "&StackName=s")));

        Assert.Equal(0, applied);
        Assert.False(Assert.Single(proxy.Journal.Entries).Applied);
    }

    [Fact]
    public async Task A_rule_applies_to_its_operation_and_stack_only_after_its_skip_and_for_its_times()
    {
        proxy.Faults.Add(new FaultRule("CreateChangeSet", FaultKind.Throttle, StackName: "a", Skip: 1, Times: 1));

        var statuses = new List<HttpStatusCode>();
        foreach (var (action, stack) in new[] { ("CreateChangeSet", "b"), ("CreateChangeSet", "a"), ("DescribeStacks", "a"), ("CreateChangeSet", "a"), ("CreateChangeSet", "a") })
        {
            using var response = await Send(Query("cloudformation", action, $"&StackName={stack}&ChangeSetName=c{statuses.Count}"));
            statuses.Add(response.StatusCode);
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.BadRequest, HttpStatusCode.OK], statuses);
    }

    [Fact]
    public async Task The_journal_counts_a_second_change_set_executed_on_one_stack_and_a_tokenless_call_applied_twice()
    {
        // Executed on s: "one" (twice under one token: one call to CloudFormation), "two" (a second deployment), and an
        // IMPORT before them (a lost stack's recovery): one duplicate. A change set created and never executed: none.
        using (await Send(Query("cloudformation", "CreateChangeSet", "&StackName=s&ChangeSetName=imp&ChangeSetType=IMPORT"))) { }
        using (await Send(Query("cloudformation", "ExecuteChangeSet", "&StackName=s&ChangeSetName=imp&ClientRequestToken=i"))) { }
        using (await Send(Query("cloudformation", "CreateChangeSet", "&StackName=s&ChangeSetName=one"))) { }
        using (await Send(Query("cloudformation", "CreateChangeSet", "&StackName=other&ChangeSetName=one"))) { }
        using (await Send(Query("cloudformation", "ExecuteChangeSet", "&StackName=s&ChangeSetName=one&ClientRequestToken=t"))) { }
        using (await Send(Query("cloudformation", "ExecuteChangeSet", "&StackName=s&ChangeSetName=one&ClientRequestToken=t"))) { }
        using (await Send(Query("cloudformation", "ExecuteChangeSet", "&StackName=s&ChangeSetName=two&ClientRequestToken=u"))) { }
        using (await Send(Query("cloudformation", "DeleteStack", "&StackName=gone"))) { }
        using (await Send(Query("cloudformation", "DeleteStack", "&StackName=gone"))) { }

        var duplicates = proxy.Journal.Duplicates("setup");

        Assert.Equal(2, duplicates.Sum(d => d.ExtraApplications));
        Assert.Contains(duplicates, d => d.Description.Contains("2 change sets executed on s", StringComparison.Ordinal));
        Assert.Contains(duplicates, d => d.Description.Contains("DeleteStack gone applied 2 times", StringComparison.Ordinal));
    }

    private HttpRequestMessage Query(string service, string action, string more = "")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, proxy.Url + "/")
        {
            Content = new StringContent($"Action={action}&Version=2010-05-15{more}", Encoding.UTF8, "application/x-www-form-urlencoded"),
        };
        request.Headers.TryAddWithoutValidation("Authorization", string.Format(Authorization, service));
        return request;
    }

    private HttpRequestMessage Json(string service, string target, string body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, proxy.Url + "/") { Content = new StringContent(body, Encoding.UTF8, "application/x-amz-json-1.1") };
        request.Headers.TryAddWithoutValidation("Authorization", string.Format(Authorization, service));
        request.Headers.TryAddWithoutValidation("X-Amz-Target", target);
        return request;
    }

    private static async Task<HttpResponseMessage> Send(HttpRequestMessage request)
    {
        using var client = new HttpClient();
        using (request)
        {
            return await client.SendAsync(request);
        }
    }
}
