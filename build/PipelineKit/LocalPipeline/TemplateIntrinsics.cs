namespace PipelineKit.LocalPipeline;

using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using PipelineKit.Naming;

/// <summary>
/// Resolves the values of a synthesized template the way CloudFormation would when it creates the pipeline stack, for
/// the intrinsic functions the kit's pipeline templates use: <c>Fn::GetAtt [Role, Arn]</c> of an IAM role with a
/// RoleName, <c>Ref</c> of a CodeBuild project (its name) or an SNS topic with a TopicName (its ARN), <c>Ref</c> of the
/// pseudo parameters, and <c>Fn::Join</c>. Anything else is refused by its JSON path: the runner must not guess a value
/// CloudFormation would compute differently. Return values follow the CloudFormation resource reference
/// ("Return values" of AWS::IAM::Role, AWS::CodeBuild::Project, AWS::SNS::Topic; "Pseudo parameters reference").
/// </summary>
internal sealed class TemplateIntrinsics(JsonObject resources, string account, string region, TemplateRefusals refusals)
{
    private const int MaxDepth = 8;

    public string Account => account;

    public string Region => region;

    public string Partition => Partitions.Of(region);

    private string UrlSuffix => region.StartsWith("cn-", StringComparison.Ordinal) ? "amazonaws.com.cn" : "amazonaws.com";

    /// <summary>The value at <paramref name="path"/> as a string (booleans "true"/"false", numbers as written); null
    /// when absent or refused (the refusal names <paramref name="where"/> and the path).</summary>
    public string? Resolve(JsonNode? node, string where, string path) => Resolve(node, where, path, 0);

    /// <summary>An IAM role's ARN from its RoleName (and Path): arn:&lt;partition&gt;:iam::&lt;account&gt;:role/&lt;path&gt;&lt;RoleName&gt;.</summary>
    public string? RoleArn(string logicalId, string where, string path)
    {
        var role = Resource(logicalId);
        if (role is null || Type(role) != "AWS::IAM::Role")
        {
            refusals.Add(where, $"{path} takes the Arn of {logicalId}, which is not an AWS::IAM::Role of the template.");
            return null;
        }

        var properties = role["Properties"] as JsonObject;
        if (properties?["RoleName"] is not JsonValue nameValue || !nameValue.TryGetValue<string>(out var roleName) || roleName.Length == 0)
        {
            refusals.Add(where, $"{path} takes the Arn of role {logicalId}, which has no RoleName: the local runner cannot know the name CloudFormation would give it.");
            return null;
        }

        var rolePath = properties["Path"] is JsonValue p && p.TryGetValue<string>(out var value) ? value : "/";
        return $"arn:{Partition}:iam::{account}:role{rolePath}{roleName}";
    }

    private string? Resolve(JsonNode? node, string where, string path, int depth)
    {
        switch (node)
        {
            case null:
                return null;
            case JsonValue value:
                return Scalar(value);
            case JsonObject { Count: 1 } intrinsic when IsIntrinsic(intrinsic.First().Key):
                if (depth >= MaxDepth)
                {
                    refusals.Add(where, $"{path} nests intrinsic functions deeper than the local runner follows ({MaxDepth}).");
                    return null;
                }

                var (function, argument) = intrinsic.First();
                return function switch
                {
                    "Ref" => Ref(argument, where, path, depth),
                    "Fn::GetAtt" => GetAtt(argument, where, path),
                    "Fn::Join" => Join(argument, where, path, depth),
                    _ => Refuse(where, $"{path} uses {function}, which the local runner does not resolve (it resolves Ref, Fn::GetAtt of a role's Arn and Fn::Join)."),
                };
            default:
                return Refuse(where, $"{path} is {(node is JsonArray ? "a list" : "an object")}, not a value.");
        }
    }

    private static bool IsIntrinsic(string key) => key == "Ref" || key.StartsWith("Fn::", StringComparison.Ordinal);

    private static string Scalar(JsonValue value) => value.GetValueKind() switch
    {
        JsonValueKind.String => value.GetValue<string>(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Number => value.ToJsonString(),
        _ => "",
    };

    private string? Ref(JsonNode? argument, string where, string path, int depth)
    {
        if (argument is not JsonValue v || !v.TryGetValue<string>(out var target))
            return Refuse(where, $"{path} has a Ref whose argument is not a name.");

        switch (target)
        {
            case "AWS::AccountId": return account;
            case "AWS::Region": return region;
            case "AWS::Partition": return Partition;
            case "AWS::URLSuffix": return UrlSuffix;
        }

        var resource = Resource(target);
        if (resource is null)
            return Refuse(where, $"{path} is a Ref of {target}, which the template does not declare as a resource.");

        var properties = resource["Properties"] as JsonObject;
        var propertyPath = $"Resources.{target}.Properties";
        switch (Type(resource))
        {
            case "AWS::CodeBuild::Project" when (properties?["Name"] is { } name):
                return Resolve(name, where, $"{propertyPath}.Name", depth + 1);
            case "AWS::SNS::Topic" when (properties?["TopicName"] is { } topicName):
                return Resolve(topicName, where, $"{propertyPath}.TopicName", depth + 1) is { } topic
                    ? $"arn:{Partition}:sns:{region}:{account}:{topic}"
                    : null;
            case var type:
                return Refuse(where, $"{path} is a Ref of {target} ({type}), which the local runner does not resolve (it resolves a CodeBuild project's or SNS topic's Ref when the template names it).");
        }
    }

    private string? GetAtt(JsonNode? argument, string where, string path)
    {
        var parts = argument switch
        {
            JsonArray { Count: 2 } list => list.Select(p => p is JsonValue s && s.TryGetValue<string>(out var text) ? text : null).ToArray(),
            JsonValue s when s.TryGetValue<string>(out var dotted) => dotted.Split('.', 2),
            _ => [],
        };
        if (parts is not [{ } logicalId, { } attribute])
            return Refuse(where, $"{path} has an Fn::GetAtt whose argument is not [LogicalId, Attribute].");
        if (attribute != "Arn" || Resource(logicalId) is not { } resource || Type(resource) != "AWS::IAM::Role")
            return Refuse(where, $"{path} is Fn::GetAtt {logicalId}.{attribute}, which the local runner does not resolve (it resolves the Arn of an AWS::IAM::Role).");
        return RoleArn(logicalId, where, path);
    }

    private string? Join(JsonNode? argument, string where, string path, int depth)
    {
        if (argument is not JsonArray { Count: 2 } arguments || arguments[0] is not JsonValue delimiterValue
            || !delimiterValue.TryGetValue<string>(out var delimiter) || arguments[1] is not JsonArray items)
            return Refuse(where, $"{path} has an Fn::Join whose argument is not [delimiter, [values]].");

        var parts = new List<string>();
        var refused = false;
        for (var i = 0; i < items.Count; i++)
        {
            var part = Resolve(items[i], where, $"{path}.Fn::Join[1][{i}]", depth + 1);
            if (part is null) refused = true;
            else parts.Add(part);
        }

        return refused ? null : string.Join(delimiter, parts);
    }

    private JsonObject? Resource(string logicalId) => resources[logicalId] as JsonObject;

    private static string Type(JsonObject resource) => resource["Type"] is JsonValue t && t.TryGetValue<string>(out var type) ? type : "";

    private string? Refuse(string where, string problem)
    {
        refusals.Add(where, problem);
        return null;
    }
}

/// <summary>Reading numbers from template values written as numbers or strings.</summary>
internal static class TemplateNumbers
{
    public static int? Integer(string? text) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;
}
