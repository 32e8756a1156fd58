namespace PipelineKit.Tests.Integration;

using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

/// <summary>The emulator's Organizations API, called as its management account (123456789012) in awsJson1_1: a client
/// independent of the kit's. The emulator holds one organization for all the tests that share it.</summary>
internal sealed record EmulatorOrganization(string Url)
{
    private static readonly HttpClient Http = new();

    public string Id { get; init; } = "";

    /// <summary>The emulator's organization: the one made by an earlier test of the same emulator, or a new one.</summary>
    public static async Task<EmulatorOrganization> OfAsync(string url)
    {
        var organization = new EmulatorOrganization(url);
        var (ok, existing) = await organization.TryCall("DescribeOrganization");
        var found = ok ? existing : await organization.Call("CreateOrganization", new JsonObject { ["FeatureSet"] = "ALL" });
        return organization with { Id = found.GetProperty("Organization").GetProperty("Id").GetString()! };
    }

    public async Task<string> RootAsync() => (await Call("ListRoots")).GetProperty("Roots")[0].GetProperty("Id").GetString()!;

    public async Task<string> UnitAsync(string parent, string name) =>
        (await Call("CreateOrganizationalUnit", new JsonObject { ["ParentId"] = parent, ["Name"] = name }))
            .GetProperty("OrganizationalUnit").GetProperty("Id").GetString()!;

    public async Task<string> AccountAsync(string name, string root, string unit)
    {
        var account = (await Call("CreateAccount", new JsonObject { ["AccountName"] = name, ["Email"] = $"{name}@example.com" }))
            .GetProperty("CreateAccountStatus").GetProperty("AccountId").GetString()!;
        await Call("MoveAccount", new JsonObject { ["AccountId"] = account, ["SourceParentId"] = root, ["DestinationParentId"] = unit });
        return account;
    }

    public async Task<JsonElement> Call(string operation, JsonObject? body = null)
    {
        var (ok, result) = await TryCall(operation, body);
        Assert.True(ok, $"{operation}: {result}");
        return result;
    }

    private async Task<(bool Ok, JsonElement Result)> TryCall(string operation, JsonObject? body = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Url)
        {
            Content = new StringContent((body ?? []).ToJsonString(), Encoding.UTF8),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-amz-json-1.1");
        request.Headers.Add("X-Amz-Target", "AWSOrganizationsV20161128." + operation);
        request.Headers.TryAddWithoutValidation("Authorization",
            "AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/organizations/aws4_request, SignedHeaders=host, Signature=0");
        using var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var result = string.IsNullOrWhiteSpace(text) ? default : JsonDocument.Parse(text).RootElement.Clone();
        return (response.IsSuccessStatusCode, result);
    }
}
