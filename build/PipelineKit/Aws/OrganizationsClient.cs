namespace PipelineKit.Aws;

using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon.Runtime;
using Amazon.Runtime.Endpoints;
using Amazon.Runtime.Internal;
using Amazon.Runtime.Internal.Transform;
using Amazon.Runtime.Internal.Util;

/// <summary>
/// <see cref="IOrganizations"/> over the awsJson1_1 API, through AWSSDK.Core's own pipeline like the kit's other narrow
/// clients. Each list call follows NextToken until the last page.
/// https://docs.aws.amazon.com/organizations/latest/APIReference/API_ListAccountsForParent.html
/// </summary>
public sealed class OrganizationsClient : NarrowServiceClient, IOrganizations
{
    public const string TargetPrefix = "AWSOrganizationsV20161128.";
    public const string ContentType = "application/x-amz-json-1.1";

    private static readonly JsonProtocolMarshaller Marshaller = new(OrganizationsClientConfig.ServiceIdValue, TargetPrefix, ContentType);

    public OrganizationsClient(AWSCredentials credentials, OrganizationsClientConfig config)
        : base(credentials, config)
    {
    }

    public Task<OrganizationDescription?> DescribeOrganizationAsync(CancellationToken ct = default) =>
        NullWhenMissingAsync<OrganizationDescription?>(
            async () => Organization(await CallAsync("DescribeOrganization", new JsonObject(), ct).ConfigureAwait(false)),
            e => e.ErrorCode == "AWSOrganizationsNotInUseException");

    public Task<IReadOnlyList<OrganizationAccount>?> ListAccountsForParentAsync(string parentId, CancellationToken ct = default) =>
        NullWhenMissingAsync<IReadOnlyList<OrganizationAccount>?>(
            async () => await AllPagesAsync("ListAccountsForParent", parentId, "Accounts", a =>
                new OrganizationAccount(Text(a, "Id") ?? throw new FormatException("ListAccountsForParent returned an account without Id."),
                    Text(a, "Name"), Text(a, "Status") ?? "ACTIVE"), ct).ConfigureAwait(false),
            e => e.ErrorCode == "ParentNotFoundException");

    public Task<IReadOnlyList<OrganizationalUnitSummary>?> ListOrganizationalUnitsForParentAsync(string parentId, CancellationToken ct = default) =>
        NullWhenMissingAsync<IReadOnlyList<OrganizationalUnitSummary>?>(
            async () => await AllPagesAsync("ListOrganizationalUnitsForParent", parentId, "OrganizationalUnits", u =>
                new OrganizationalUnitSummary(Text(u, "Id") ?? throw new FormatException("ListOrganizationalUnitsForParent returned a unit without Id."),
                    Text(u, "Name")), ct).ConfigureAwait(false),
            e => e.ErrorCode == "ParentNotFoundException");

    public Task<string?> ParentOfAsync(string childId, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(childId);
        return NullWhenMissingAsync<string?>(async () =>
        {
            var result = await CallAsync("ListParents", new JsonObject { ["ChildId"] = childId }, ct).ConfigureAwait(false);
            return result.TryGetProperty("Parents", out var parents) && parents.ValueKind == JsonValueKind.Array && parents.GetArrayLength() > 0
                ? Text(parents[0], "Id") ?? throw new FormatException("ListParents returned a parent without Id.")
                : throw new FormatException($"ListParents returned no parent of {childId}.");
        }, e => e.ErrorCode == "ChildNotFoundException");
    }

    /// <summary>DescribeOrganization's output: {"Organization": {"Id", "MasterAccountId", ...}}.</summary>
    public static OrganizationDescription Organization(JsonElement result)
    {
        if (!result.TryGetProperty("Organization", out var organization) || organization.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException("DescribeOrganization returned no Organization.");
        }

        return new OrganizationDescription(
            Text(organization, "Id") ?? throw new FormatException("DescribeOrganization returned no Id."),
            Text(organization, "MasterAccountId") ?? "");
    }

    private async Task<IReadOnlyList<T>> AllPagesAsync<T>(string operation, string parentId, string member, Func<JsonElement, T> read, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(parentId);
        var items = new List<T>();
        string? token = null;
        do
        {
            var body = new JsonObject { ["ParentId"] = parentId };
            if (token is not null) body["NextToken"] = token;
            var page = await CallAsync(operation, body, ct).ConfigureAwait(false);
            if (page.TryGetProperty(member, out var list) && list.ValueKind == JsonValueKind.Array)
            {
                items.AddRange(list.EnumerateArray().Select(read));
            }

            token = Text(page, "NextToken");
        }
        while (token is not null);
        return items;
    }

    private async Task<JsonElement> CallAsync(string operation, JsonObject body, CancellationToken ct) =>
        (await SendAsync<CodePipelineJsonResponse>(new OrganizationsRequest(operation, body), Marshaller, Unmarshaller, ct).ConfigureAwait(false)).Result;

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String && v.GetString() is { Length: > 0 } text ? text : null;

    private static readonly NarrowJsonUnmarshaller Unmarshaller = new("Organizations");
}

/// <summary>One Organizations call: the operation (X-Amz-Target) and its JSON body.</summary>
public sealed class OrganizationsRequest(string operation, JsonObject body) : JsonProtocolRequest(operation, body);

/// <summary>
/// Client settings for <see cref="OrganizationsClient"/>. Organizations is a global service: in the aws partition one
/// endpoint, in us-east-1, and requests signed for that region. https://docs.aws.amazon.com/general/latest/gr/ao.html
/// </summary>
public sealed class OrganizationsClientConfig() : NarrowServiceConfig(ServiceIdValue, SigningName, ApiVersion)
{
    public const string ServiceIdValue = "Organizations";
    public const string SigningName = "organizations";
    public const string ApiVersion = "2016-11-28";

    /// <summary>The region Organizations requests are signed for in the aws partition.</summary>
    public const string SigningRegion = "us-east-1";

    public const string GlobalUrl = "https://organizations.us-east-1.amazonaws.com";

    public override Endpoint DetermineServiceOperationEndpoint(ServiceOperationEndpointParameters parameters)
        => new(ServiceURL ?? GlobalUrl);
}
