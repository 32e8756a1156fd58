namespace PipelineKit.Aws;

using System.Globalization;
using System.Net;
using System.Xml.Linq;
using Amazon.Runtime;
using Amazon.Runtime.Internal;

/// <summary>Reads any CloudFormation XML response (namespace http://cloudformation.amazonaws.com/doc/2010-05-15/)
/// and maps the ErrorResponse of a failed call to <see cref="AmazonCloudFormationException"/>.</summary>
public sealed class CloudFormationResponseUnmarshaller() : QueryResponseUnmarshaller(ServiceName)
{
    private const string ServiceName = "CloudFormation";

    public static CloudFormationResponseUnmarshaller Instance { get; } = new();

    /// <summary>Parses a successful response body; no HTTP involved.</summary>
    public static QueryResponse Read(Stream body) => Read(body, ServiceName);

    protected override AmazonServiceException ServiceException(string message, Exception innerException, ErrorResponse error, HttpStatusCode statusCode)
        => new AmazonCloudFormationException(message, innerException, error.Type, error.Code, error.RequestId, statusCode);
}

/// <summary>Maps the documented result shapes to the kit's records:
/// https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_Types.html</summary>
public static class CloudFormationResponses
{
    /// <summary>DescribeStacksResult: the first stack, or null when there is none.</summary>
    public static StackDescription? Stack(XElement result)
    {
        var stack = result.Child("Stacks")?.Members().FirstOrDefault();
        if (stack is null)
        {
            return null;
        }

        return new StackDescription(
            StackId: stack.Required("StackId"),
            StackName: stack.Required("StackName"),
            Status: new StackStatus(stack.Required("StackStatus")),
            StatusReason: stack.Text("StackStatusReason"),
            Parameters: stack.Pairs("Parameters", "ParameterKey", "ParameterValue"),
            Outputs: stack.Pairs("Outputs", "OutputKey", "OutputValue"),
            Tags: stack.Pairs("Tags", "Key", "Value"),
            TerminationProtection: string.Equals(stack.Text("EnableTerminationProtection"), "true", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>GetTemplateResult/TemplateBody.</summary>
    public static string TemplateBody(XElement result) => result.Text("TemplateBody") ?? string.Empty;

    /// <summary>CreateChangeSetResult: Id and StackId.</summary>
    public static CreateChangeSetResult CreatedChangeSet(XElement result)
        => new(result.Required("Id"), result.Required("StackId"));

    /// <summary>One page of DescribeChangeSetResult; <see cref="ChangeSetPage.NextToken"/> says whether more changes follow.</summary>
    public static ChangeSetPage ChangeSet(XElement result)
    {
        var changes = (result.Child("Changes")?.Members() ?? [])
            .Select(change => change.Child("ResourceChange"))
            .OfType<XElement>()
            .Select(rc => new ResourceChange(
                Action: rc.Text("Action") ?? string.Empty,
                LogicalResourceId: rc.Text("LogicalResourceId") ?? string.Empty,
                PhysicalResourceId: rc.Text("PhysicalResourceId"),
                ResourceType: rc.Text("ResourceType") ?? string.Empty,
                Replacement: rc.Text("Replacement")))
            .ToList();
        var description = new ChangeSetDescription(
            ChangeSetId: result.Text("ChangeSetId") ?? string.Empty,
            ChangeSetName: result.Text("ChangeSetName") ?? string.Empty,
            Status: new ChangeSetStatus(result.Required("Status")),
            StatusReason: result.Text("StatusReason"),
            ExecutionStatus: result.Text("ExecutionStatus"),
            Changes: changes,
            Parameters: result.Pairs("Parameters", "ParameterKey", "ParameterValue"));
        return new ChangeSetPage(description, NonEmpty(result.Text("NextToken")));
    }

    /// <summary>One page of ListChangeSetsResult/Summaries.</summary>
    public static (IReadOnlyList<ChangeSetSummary> Summaries, string? NextToken) ChangeSetSummaries(XElement result)
    {
        var summaries = (result.Child("Summaries")?.Members() ?? [])
            .Select(s => new ChangeSetSummary(
                ChangeSetName: s.Text("ChangeSetName") ?? string.Empty,
                ChangeSetId: s.Text("ChangeSetId") ?? string.Empty,
                Status: new ChangeSetStatus(s.Text("Status") ?? string.Empty),
                ExecutionStatus: s.Text("ExecutionStatus"),
                Description: s.Text("Description")))
            .ToList();
        return (summaries, NonEmpty(result.Text("NextToken")));
    }

    /// <summary>DescribeStackEventsResult: StackEvents (newest first) and NextToken.</summary>
    public static StackEventsPage StackEvents(XElement result)
    {
        var events = (result.Child("StackEvents")?.Members() ?? [])
            .Select(e => new StackEvent(
                EventId: e.Text("EventId") ?? string.Empty,
                StackName: e.Text("StackName") ?? string.Empty,
                LogicalResourceId: e.Text("LogicalResourceId") ?? string.Empty,
                PhysicalResourceId: e.Text("PhysicalResourceId"),
                ResourceType: e.Text("ResourceType") ?? string.Empty,
                Timestamp: ParseTimestamp(e.Required("Timestamp")),
                ResourceStatus: e.Text("ResourceStatus") ?? string.Empty,
                ResourceStatusReason: e.Text("ResourceStatusReason"),
                ClientRequestToken: e.Text("ClientRequestToken")))
            .ToList();
        return new StackEventsPage(events, NonEmpty(result.Text("NextToken")));
    }

    private static DateTimeOffset ParseTimestamp(string value)
        => DateTimeOffset.Parse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    // The Query protocol's XML is matched by local name: AWS and emulators differ in where they put the namespace.
    internal static XElement? Child(this XElement element, string name)
        => element.Elements().FirstOrDefault(e => e.Name.LocalName == name);

    internal static string? Text(this XElement element, string name) => element.Child(name)?.Value;

    private static string Required(this XElement element, string name)
        => element.Text(name) ?? throw new FormatException($"CloudFormation response element {element.Name.LocalName} has no {name}.");

    private static IEnumerable<XElement> Members(this XElement list)
        => list.Elements().Where(e => e.Name.LocalName == "member");

    internal static IReadOnlyDictionary<string, string> Pairs(this XElement element, string list, string keyName, string valueName)
    {
        var pairs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var member in element.Child(list)?.Members() ?? [])
        {
            var key = member.Text(keyName);
            if (key is not null)
            {
                pairs[key] = member.Text(valueName) ?? string.Empty;
            }
        }

        return pairs;
    }
}

/// <summary>One page of DescribeChangeSet.</summary>
public sealed record ChangeSetPage(ChangeSetDescription ChangeSet, string? NextToken);
