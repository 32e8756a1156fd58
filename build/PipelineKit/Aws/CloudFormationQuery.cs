namespace PipelineKit.Aws;

using System.Globalization;
using Amazon.Runtime;
using Amazon.Runtime.Internal;
using Amazon.Runtime.Internal.Transform;

/// <summary>One CloudFormation call (Query protocol, API version 2010-05-15).</summary>
public sealed class CloudFormationQueryRequest(string action, IReadOnlyList<KeyValuePair<string, string>> parameters)
    : QueryRequest(action, parameters);

/// <summary>
/// Builds the request of each operation the kit uses, with the parameter names of the API reference:
/// https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_Operations.html
/// </summary>
public static class CloudFormationQuery
{
    public static QueryMarshaller Marshaller { get; } = new(CloudFormationClientConfig.ServiceIdValue, CloudFormationClientConfig.ApiVersion);

    public static CloudFormationQueryRequest DescribeStacks(string stackName)
        => new("DescribeStacks", [P("StackName", stackName)]);

    public static CloudFormationQueryRequest GetTemplate(string stackName)
        => new("GetTemplate", [P("StackName", stackName), P("TemplateStage", "Original")]);

    public static CloudFormationQueryRequest GetTemplate(string stackName, string changeSetName)
        => new("GetTemplate", [P("StackName", stackName), P("ChangeSetName", changeSetName), P("TemplateStage", "Original")]);

    public static CloudFormationQueryRequest CreateChangeSet(CreateChangeSetRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if ((request.TemplateBody is null) == (request.TemplateUrl is null))
        {
            throw new ArgumentException(
                $"Change set {request.ChangeSetName} for stack {request.StackName} needs exactly one of TemplateBody and TemplateUrl.",
                nameof(request));
        }

        var p = new List<KeyValuePair<string, string>>
        {
            P("StackName", request.StackName),
            P("ChangeSetName", request.ChangeSetName),
            P("ChangeSetType", request.Type.ToString().ToUpperInvariant()),
            P("ClientToken", request.ClientToken),
        };
        if (request.TemplateBody is not null)
        {
            p.Add(P("TemplateBody", request.TemplateBody));
        }
        else
        {
            p.Add(P("TemplateURL", request.TemplateUrl!));
        }

        if (request.Description is not null)
        {
            p.Add(P("Description", request.Description));
        }

        if (request.RoleArn is not null)
        {
            // The service role CloudFormation uses for this and later operations on the stack.
            p.Add(P("RoleARN", request.RoleArn));
        }

        AddEntries(p, "Parameters", "ParameterKey", "ParameterValue", request.Parameters);
        AddResourcesToImport(p, request.ResourcesToImport ?? []);
        AddEntries(p, "Tags", "Key", "Value", request.Tags);
        var n = 1;
        foreach (var capability in request.Capabilities)
        {
            p.Add(P(string.Create(CultureInfo.InvariantCulture, $"Capabilities.member.{n}"), capability));
            n++;
        }

        return new("CreateChangeSet", p);
    }

    public static CloudFormationQueryRequest DescribeChangeSet(string stackName, string changeSetName, string? nextToken = null)
        => new("DescribeChangeSet", WithNextToken([P("StackName", stackName), P("ChangeSetName", changeSetName)], nextToken));

    public static CloudFormationQueryRequest ListChangeSets(string stackName, string? nextToken = null)
        => new("ListChangeSets", WithNextToken([P("StackName", stackName)], nextToken));

    public static CloudFormationQueryRequest ExecuteChangeSet(string stackName, string changeSetName, string clientRequestToken)
        => new("ExecuteChangeSet",
            [P("StackName", stackName), P("ChangeSetName", changeSetName), P("ClientRequestToken", clientRequestToken)]);

    public static CloudFormationQueryRequest DeleteChangeSet(string stackName, string changeSetName)
        => new("DeleteChangeSet", [P("StackName", stackName), P("ChangeSetName", changeSetName)]);

    public static CloudFormationQueryRequest DeleteStack(string stackName, string clientRequestToken)
        => new("DeleteStack", [P("StackName", stackName), P("ClientRequestToken", clientRequestToken)]);

    public static CloudFormationQueryRequest DescribeStackEvents(string stackName, string? nextToken = null)
        => new("DescribeStackEvents", WithNextToken([P("StackName", stackName)], nextToken));

    public static CloudFormationQueryRequest UpdateTerminationProtection(string stackName, bool enable)
        => new("UpdateTerminationProtection",
            [P("StackName", stackName), P("EnableTerminationProtection", enable ? "true" : "false")]);

    private static List<KeyValuePair<string, string>> WithNextToken(List<KeyValuePair<string, string>> p, string? nextToken)
    {
        if (!string.IsNullOrEmpty(nextToken))
        {
            p.Add(P("NextToken", nextToken));
        }

        return p;
    }

    /// <summary>ResourcesToImport.member.N.{ResourceType, LogicalResourceId}, and its ResourceIdentifier map as
    /// ResourcesToImport.member.N.ResourceIdentifier.entry.M.{key, value} (the Query protocol's map form).</summary>
    private static void AddResourcesToImport(List<KeyValuePair<string, string>> p, IReadOnlyList<ResourceToImport> resources)
    {
        for (var n = 1; n <= resources.Count; n++)
        {
            var resource = resources[n - 1];
            p.Add(P(Member("ResourcesToImport", n, "ResourceType"), resource.ResourceType));
            p.Add(P(Member("ResourcesToImport", n, "LogicalResourceId"), resource.LogicalResourceId));
            var m = 1;
            foreach (var (key, value) in resource.ResourceIdentifier.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            {
                var entry = string.Create(CultureInfo.InvariantCulture, $"{Member("ResourcesToImport", n, "ResourceIdentifier")}.entry.{m}");
                p.Add(P(entry + ".key", key));
                p.Add(P(entry + ".value", value));
                m++;
            }
        }
    }

    /// <summary>A map as a list of key/value members, in key order: List.member.N.KeyField, List.member.N.ValueField.</summary>
    internal static void AddEntries(
        List<KeyValuePair<string, string>> p, string list, string keyField, string valueField, IReadOnlyDictionary<string, string> entries)
    {
        var n = 1;
        foreach (var (key, value) in entries.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            p.Add(P(Member(list, n, keyField), key));
            p.Add(P(Member(list, n, valueField), value));
            n++;
        }
    }

    private static string Member(string list, int n, string field)
        => string.Create(CultureInfo.InvariantCulture, $"{list}.member.{n}.{field}");

    private static KeyValuePair<string, string> P(string name, string value) => new(name, value);
}
