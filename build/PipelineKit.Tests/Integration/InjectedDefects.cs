namespace PipelineKit.Tests.Integration;

using System.Text.Json.Nodes;
using PipelineKit.Permissions;

/// <summary>The defects the permission checks exist for, put back into deployed policies one at a time: each is what an
/// earlier version of the templates deployed, or the one-line mistake that would bring it back.</summary>
public static class InjectedDefects
{
    public static PolicySnapshot Apply(string defect, PolicySnapshot snapshot, string name) => defect switch
    {
        "action role trusts role/NAME-*" => Roles(snapshot, r => r.Arn.EndsWith($":role/{name}-pipeline-action", StringComparison.Ordinal),
            r => r with { Trust = Edit(r.Trust, d => Statements(d).ForEach(s =>
                s["Condition"] = new JsonObject { ["ArnLike"] = new JsonObject { ["aws:PrincipalArn"] = $"arn:aws:iam::123456789012:role/{name}-*" } })) }),
        "execution role without the bounded-roles policy" => Roles(snapshot, r => r.Arn.EndsWith($":role/{name}-cfn-execution", StringComparison.Ordinal),
            r => r with { InlinePolicies = r.InlinePolicies.Where(p => !p.Name.Contains("bounded-roles", StringComparison.Ordinal)).ToArray() }),
        "action role without ListChangeSets" => Roles(snapshot, r => r.Arn.EndsWith($":role/{name}-pipeline-action", StringComparison.Ordinal),
            r => r with { InlinePolicies = r.InlinePolicies.Select(p => Edit(p, d => Statements(d).ForEach(s =>
                s["Action"] = Actions(s).Where(a => a != "cloudformation:ListChangeSets").Aggregate(new JsonArray(), (array, a) => { array.Add(a); return array; })))).ToArray() }),
        "bucket policy denies uploads without the encryption header" => snapshot with
        {
            BucketPolicies = snapshot.BucketPolicies.ToDictionary(b => b.Key, b => Edit(b.Value, d => Statements(d)
                .Where(s => (string?)s["Sid"] == "DenyUploadsNotEncryptedWithKms").ToList()
                .ForEach(s => s["Condition"] = new JsonObject { ["StringNotEqualsIfExists"] = new JsonObject { ["s3:x-amz-server-side-encryption"] = "aws:kms" } }))),
        },
        "update role may write the pipeline roles' policies" => Roles(snapshot, r => r.Arn.EndsWith($":role/{name}-pipeline-update", StringComparison.Ordinal),
            r => r with { InlinePolicies = [.. r.InlinePolicies, Allow("injected", ["iam:PutRolePolicy", "iam:AttachRolePolicy", "iam:PassRole"], $"arn:aws:iam::123456789012:role/{name}-pipeline*")] }),
        "action role creates change sets as any role" => Roles(snapshot, r => r.Arn.EndsWith($":role/{name}-pipeline-action", StringComparison.Ordinal),
            r => r with { InlinePolicies = r.InlinePolicies.Select(p => Edit(p, d => Statements(d).ForEach(s => s.Remove("Condition")))).ToArray() }),
        "update role may tag any key, under a boundary that allows everything" => Roles(snapshot,
            r => r.Arn.EndsWith($":role/{name}-pipeline-update", StringComparison.Ordinal),
            r => r with
            {
                InlinePolicies = [.. r.InlinePolicies, Allow("injected", ["kms:CreateKey", "kms:TagResource"], "*")],
                PermissionsBoundary = r.PermissionsBoundary! with { Document = Allow("boundary", ["*"], "*").Document },
            }),
        "topic policy lets EventBridge publish without naming the rule" => snapshot.TopicPolicies.Count == 0
            ? throw new InvalidOperationException("No topic policy was read back; the scenario changed.")
            : snapshot with
            {
                TopicPolicies = snapshot.TopicPolicies.ToDictionary(t => t.Key, t => Edit(t.Value, d => Statements(d)
                    .Where(s => s["Principal"]?["Service"]?.ToJsonString() == "\"events.amazonaws.com\"").ToList()
                    .ForEach(s => s.Remove("Condition")))),
            },
        "bucket policy grants the target roles' names in any account" => snapshot with
        {
            BucketPolicies = snapshot.BucketPolicies.ToDictionary(b => b.Key, b => Edit(b.Value, d => WithSid(d, "TargetRolesReadArtifacts")
                .ForEach(s => s["Condition"]!.AsObject().Remove("StringEquals")))),
        },
        "key policy grants every role of the target accounts" => snapshot with
        {
            KeyPolicies = snapshot.KeyPolicies.ToDictionary(k => k.Key, k => Edit(k.Value, d => WithSid(d, "TargetRolesUseKey")
                .ForEach(s => s["Condition"]!.AsObject().Remove("ArnLike")))),
        },
        "pipeline stack may point its rules at any target" => Roles(snapshot,
            r => r.Arn.EndsWith($":role/{name}-pipeline-cfn-execution", StringComparison.Ordinal),
            r => r with
            {
                InlinePolicies = r.InlinePolicies.Select(p => Edit(p, RemoveTargetBound)).ToArray(),
                ManagedPolicies = r.ManagedPolicies.Select(p => Edit(p, RemoveTargetBound)).ToArray(),
                PermissionsBoundary = r.PermissionsBoundary is null ? null : Edit(r.PermissionsBoundary, RemoveTargetBound),
            }),
        _ => throw new ArgumentOutOfRangeException(nameof(defect), defect, null),
    };

    private static PolicySnapshot Roles(PolicySnapshot snapshot, Func<RoleSnapshot, bool> which, Func<RoleSnapshot, RoleSnapshot> change)
    {
        var matched = snapshot.Roles.Values.Where(which).ToList();
        if (matched.Count == 0) throw new InvalidOperationException("The defect names no deployed role; the scenario changed.");
        return snapshot with { Roles = snapshot.Roles.ToDictionary(r => r.Key, r => which(r.Value) ? change(r.Value) : r.Value) };
    }

    private static NamedPolicyDocument Edit(NamedPolicyDocument policy, Action<JsonObject> edit)
    {
        var document = JsonNode.Parse(policy.Document)!.AsObject();
        edit(document);
        return policy with { Document = document.ToJsonString() };
    }

    private static List<JsonObject> Statements(JsonObject document) => document["Statement"] switch
    {
        JsonArray array => array.Select(s => s!.AsObject()).ToList(),
        JsonObject single => [single],
        _ => [],
    };

    private static void RemoveTargetBound(JsonObject document) => Statements(document)
        .Where(s => ((string?)s["Sid"])?.StartsWith("TargetThePipelinesTopicOrThePipeline", StringComparison.Ordinal) == true).ToList()
        .ForEach(s => s.Remove("Condition"));

    private static List<JsonObject> WithSid(JsonObject document, string sid) => Statements(document).Where(s => (string?)s["Sid"] == sid).ToList();

    private static IEnumerable<string> Actions(JsonObject statement) => statement["Action"] switch
    {
        JsonArray array => array.Select(a => (string)a!).ToList(),
        JsonValue value => [(string)value!],
        _ => [],
    };

    private static NamedPolicyDocument Allow(string name, string[] actions, string resource) =>
        new($"injected policy {name}", new JsonObject
        {
            ["Version"] = "2012-10-17",
            ["Statement"] = new JsonArray(new JsonObject
            {
                ["Effect"] = "Allow",
                ["Action"] = new JsonArray(actions.Select(a => (JsonNode)JsonValue.Create(a)!).ToArray()),
                ["Resource"] = resource,
            }),
        }.ToJsonString());
}
