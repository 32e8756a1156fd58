namespace PipelineKit.Planning;

using System.Text.Json.Nodes;

/// <summary>
/// Which resource types bear permissions, and where their policies are, in the manner of the CDK's security diff:
/// IAM roles (trust = AssumeRolePolicyDocument, inline policies, managed policies, boundary), IAM policies, KMS key
/// policies, S3 bucket policies, SNS topic policies and Lambda permissions.
/// </summary>
public static class PolicyResources
{
    private static readonly HashSet<string> Types = new(StringComparer.Ordinal)
    {
        "AWS::IAM::Role", "AWS::IAM::Policy", "AWS::IAM::ManagedPolicy", "AWS::IAM::User", "AWS::IAM::Group",
        "AWS::KMS::Key", "AWS::S3::BucketPolicy", "AWS::SNS::TopicPolicy", "AWS::SQS::QueuePolicy", "AWS::Lambda::Permission",
    };

    public static bool IsSecurityRelevant(string resourceType) => Types.Contains(resourceType);

    /// <summary>Each policy document of a resource's (resolved) properties, by a label that names it in the output.</summary>
    public static IReadOnlyDictionary<string, JsonNode?> Documents(string resourceType, JsonObject? properties)
    {
        var documents = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        if (properties is null) return documents;
        switch (resourceType)
        {
            case "AWS::IAM::Role":
                documents["trust"] = properties["AssumeRolePolicyDocument"];
                AddInline(documents, properties);
                break;
            case "AWS::IAM::User" or "AWS::IAM::Group":
                AddInline(documents, properties);
                break;
            case "AWS::IAM::Policy" or "AWS::IAM::ManagedPolicy" or "AWS::S3::BucketPolicy" or "AWS::SNS::TopicPolicy" or "AWS::SQS::QueuePolicy":
                documents["policy"] = properties["PolicyDocument"];
                break;
            case "AWS::KMS::Key":
                documents["key policy"] = properties["KeyPolicy"];
                break;
            case "AWS::Lambda::Permission":
                documents["permission"] = LambdaPermission(properties);
                break;
        }

        return documents;
    }

    /// <summary>Managed policies and the permissions boundary a role, user or group carries, as names: a new one widens,
    /// a boundary removed widens.</summary>
    public static IReadOnlyList<string> Attachments(JsonObject? properties) =>
        properties is null ? [] :
        [
            .. (properties["ManagedPolicyArns"] as JsonArray ?? []).Select(a => "managed policy " + Text(a)),
            .. properties["PermissionsBoundary"] is { } boundary ? ["permissions boundary " + Text(boundary)] : Array.Empty<string>(),
        ];

    public static string Text(JsonNode? node) => node is JsonValue v ? v.ToString() : node?.ToJsonString() ?? "";

    private static void AddInline(Dictionary<string, JsonNode?> documents, JsonObject properties)
    {
        foreach (var policy in (properties["Policies"] as JsonArray ?? []).OfType<JsonObject>())
        {
            documents["policy " + Text(policy["PolicyName"])] = policy["PolicyDocument"];
        }
    }

    /// <summary>A Lambda permission is one statement: the principal may call the action on the function, under the
    /// source account and ARN as conditions.</summary>
    private static JsonObject LambdaPermission(JsonObject properties)
    {
        var condition = new JsonObject();
        if (properties["SourceArn"] is { } arn) condition["ArnLike"] = new JsonObject { ["AWS:SourceArn"] = arn.DeepClone() };
        if (properties["SourceAccount"] is { } account) condition["StringEquals"] = new JsonObject { ["AWS:SourceAccount"] = account.DeepClone() };
        var statement = new JsonObject
        {
            ["Effect"] = "Allow",
            ["Principal"] = properties["Principal"]?.DeepClone(),
            ["Action"] = properties["Action"]?.DeepClone(),
            ["Resource"] = properties["FunctionName"]?.DeepClone(),
        };
        if (condition.Count > 0) statement["Condition"] = condition;
        return new JsonObject { ["Statement"] = new JsonArray(statement) };
    }
}
