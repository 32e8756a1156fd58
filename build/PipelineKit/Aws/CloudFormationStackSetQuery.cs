namespace PipelineKit.Aws;

using System.Globalization;
using System.Xml.Linq;

/// <summary>The stack set operations' requests and result shapes, as the API reference names them:
/// https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_CreateStackSet.html, UpdateStackSet,
/// CreateStackInstances, DescribeStackSet, DescribeStackSetOperation, ListStackInstances, ListStackSets,
/// DeleteStackInstances and DeleteStackSet.</summary>
public static class CloudFormationStackSetQuery
{
    public static CloudFormationQueryRequest DescribeStackSet(string name, string callAs)
        => new("DescribeStackSet", [P("StackSetName", name), P("CallAs", callAs)]);

    public static CloudFormationQueryRequest CreateStackSet(StackSetRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var p = Common(request);
        p.Add(P("PermissionModel", "SERVICE_MANAGED"));
        return new("CreateStackSet", p);
    }

    public static CloudFormationQueryRequest UpdateStackSet(StackSetRequest request, string operationId)
    {
        ArgumentNullException.ThrowIfNull(request);
        var p = Common(request);
        p.Add(P("OperationId", operationId));
        return new("UpdateStackSet", p);
    }

    public static CloudFormationQueryRequest CreateStackInstances(
        string name, IReadOnlyList<string> units, IReadOnlyList<string> regions, string callAs, string operationId)
    {
        var p = new List<KeyValuePair<string, string>> { P("StackSetName", name), P("CallAs", callAs), P("OperationId", operationId) };
        p.AddRange(units.Select((u, i) => P(Member("DeploymentTargets.OrganizationalUnitIds", i), u)));
        p.AddRange(regions.Select((r, i) => P(Member("Regions", i), r)));
        return new("CreateStackInstances", p);
    }

    public static CloudFormationQueryRequest DescribeStackSetOperation(string name, string operationId, string callAs)
        => new("DescribeStackSetOperation", [P("StackSetName", name), P("OperationId", operationId), P("CallAs", callAs)]);

    public static CloudFormationQueryRequest ListStackInstances(string name, string callAs, string? nextToken)
    {
        var p = new List<KeyValuePair<string, string>> { P("StackSetName", name), P("CallAs", callAs) };
        if (nextToken is not null) p.Add(P("NextToken", nextToken));
        return new("ListStackInstances", p);
    }

    public static CloudFormationQueryRequest ListStackSets(string callAs, string? nextToken)
    {
        var p = new List<KeyValuePair<string, string>> { P("Status", "ACTIVE"), P("CallAs", callAs) };
        if (nextToken is not null) p.Add(P("NextToken", nextToken));
        return new("ListStackSets", p);
    }

    /// <summary>RetainStacks false: the instances' stacks are deleted, not left behind without their stack set.</summary>
    public static CloudFormationQueryRequest DeleteStackInstances(
        string name, IReadOnlyList<string> units, IReadOnlyList<string> regions, string callAs, string operationId)
    {
        var p = new List<KeyValuePair<string, string>>
        {
            P("StackSetName", name), P("CallAs", callAs), P("OperationId", operationId), P("RetainStacks", "false"),
        };
        p.AddRange(units.Select((u, i) => P(Member("DeploymentTargets.OrganizationalUnitIds", i), u)));
        p.AddRange(regions.Select((r, i) => P(Member("Regions", i), r)));
        return new("DeleteStackInstances", p);
    }

    public static CloudFormationQueryRequest DeleteStackSet(string name, string callAs)
        => new("DeleteStackSet", [P("StackSetName", name), P("CallAs", callAs)]);

    /// <summary>One page of ListStackSetsResult.</summary>
    public static (IReadOnlyList<StackSetSummary> Sets, string? NextToken) StackSets(XElement result)
    {
        var sets = (result.Child("Summaries")?.Elements().Where(e => e.Name.LocalName == "member") ?? []).Select(s => new StackSetSummary(
            s.Text("StackSetName") ?? "", s.Text("Status") ?? "", NonEmpty(s.Text("PermissionModel")))).ToArray();
        return (sets, NonEmpty(result.Text("NextToken")));
    }

    /// <summary>DescribeStackSetResult/StackSet.</summary>
    public static StackSetDescription StackSet(XElement result)
    {
        var set = result.Child("StackSet") ?? throw new FormatException("DescribeStackSet returned no StackSet.");
        var auto = set.Child("AutoDeployment");
        return new StackSetDescription(
            set.Text("StackSetName") ?? "",
            set.Text("Status") ?? "",
            set.Text("TemplateBody") ?? "",
            set.Pairs("Parameters", "ParameterKey", "ParameterValue"),
            set.Pairs("Tags", "Key", "Value"),
            NonEmpty(set.Text("PermissionModel")),
            auto?.Text("Enabled") is { } enabled
                ? new StackSetAutoDeployment(IsTrue(enabled), IsTrue(auto.Text("RetainStacksOnAccountRemoval")))
                : null);
    }

    public static string OperationId(XElement result)
        => result.Text("OperationId") ?? throw new FormatException("CloudFormation returned no OperationId.");

    public static StackSetOperation Operation(XElement result)
    {
        var operation = result.Child("StackSetOperation") ?? throw new FormatException("DescribeStackSetOperation returned no StackSetOperation.");
        return new StackSetOperation(operation.Text("OperationId") ?? "",
            operation.Text("Status") ?? throw new FormatException("DescribeStackSetOperation returned no Status."),
            NonEmpty(operation.Text("StatusReason")));
    }

    /// <summary>One page of ListStackInstancesResult.</summary>
    public static (IReadOnlyList<StackInstanceSummary> Instances, string? NextToken) Instances(XElement result)
    {
        var instances = (result.Child("Summaries")?.Elements().Where(e => e.Name.LocalName == "member") ?? []).Select(s => new StackInstanceSummary(
            s.Text("Account") ?? "", s.Text("Region") ?? "", NonEmpty(s.Text("OrganizationalUnitId")), s.Text("Status") ?? "")).ToArray();
        return (instances, NonEmpty(result.Text("NextToken")));
    }

    private static List<KeyValuePair<string, string>> Common(StackSetRequest request)
    {
        var p = new List<KeyValuePair<string, string>>
        {
            P("StackSetName", request.StackSetName),
            P("Description", request.Description),
            P("TemplateBody", request.TemplateBody),
            P("CallAs", request.CallAs),
            P("AutoDeployment.Enabled", "true"),
            P("AutoDeployment.RetainStacksOnAccountRemoval", "false"),
        };
        CloudFormationQuery.AddEntries(p, "Parameters", "ParameterKey", "ParameterValue", request.Parameters);
        CloudFormationQuery.AddEntries(p, "Tags", "Key", "Value", request.Tags);
        p.AddRange(request.Capabilities.Select((c, i) => P(Member("Capabilities", i), c)));
        return p;
    }

    private static bool IsTrue(string? text) => string.Equals(text, "true", StringComparison.OrdinalIgnoreCase);

    private static string Member(string list, int index) => string.Create(CultureInfo.InvariantCulture, $"{list}.member.{index + 1}");

    private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static KeyValuePair<string, string> P(string name, string value) => new(name, value);
}
