namespace PipelineKit.Permissions;

using PipelineKit.Aws;
using PipelineKit.Naming;

/// <summary>Where a bucket lives and which KMS key encrypts it (its default encryption), for the calls S3 makes to KMS on
/// the caller's behalf.</summary>
public sealed record BucketFacts(string Account, string? KeyArn, IReadOnlyList<string> KeyAliases);

/// <summary>
/// The IAM requests one AWS call needs: its own action on its resource, with the condition keys the request carries, plus
/// what the service does with the caller's permissions (S3 encrypting or decrypting with the bucket's KMS key, CloudFormation
/// reading a TemplateURL). Follows the Service Authorization Reference's action and resource names:
/// https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html
/// </summary>
public static class CallAccess
{
    /// <summary>Operations that need no permission (sts:GetCallerIdentity is always allowed).
    /// https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html</summary>
    private static readonly HashSet<string> Unauthorized = new(StringComparer.Ordinal) { "STS:GetCallerIdentity" };

    /// <summary>S3 operations whose IAM action has another name.</summary>
    private static readonly Dictionary<string, string> S3Actions = new(StringComparer.Ordinal)
    {
        ["GetObjectMetadata"] = "s3:GetObject",
        ["ListObjectsV2"] = "s3:ListBucket",
        ["ListObjects"] = "s3:ListBucket",
        ["ListVersions"] = "s3:ListBucketVersions",
        ["DeleteObjects"] = "s3:DeleteObject",
    };

    public static IReadOnlyList<AccessRequest> For(TracedCall traced, AccessPrincipal principal, Func<string, BucketFacts> bucket)
    {
        ArgumentNullException.ThrowIfNull(traced);
        var call = traced.Call;
        if (Unauthorized.Contains($"{call.Service}:{call.Operation}")) return [];
        var p = traced.Parameters;
        return call.Service switch
        {
            AwsServiceIds.CloudFormation => CloudFormation(call, p, principal, bucket),
            AwsServiceIds.S3 => S3(call, p, principal, bucket),
            AwsServiceIds.Sts => [Request(principal, $"sts:{call.Operation}", p["RoleArn"], AccountOf(p["RoleArn"]))],
            AwsServiceIds.CodePipeline =>
            [
                Request(principal, $"codepipeline:{call.Operation}",
                    p.TryGetValue("name", out var name) || p.TryGetValue("pipelineName", out name)
                        ? Partitions.Arn("codepipeline", call.Region, principal.Account, name) +
                          // PutApprovalResult acts on the approval action: pipeline/stage/action.
                          (p.TryGetValue("stageName", out var stage) && p.TryGetValue("actionName", out var action) ? $"/{stage}/{action}" : "")
                        : "*",
                    principal.Account),
            ],
            // The topic's key is used by SNS with the publisher's permissions; pipeline-calls.json lists those calls.
            AwsServiceIds.Sns => [Request(principal, "sns:Publish", p["TopicArn"], AccountOf(p["TopicArn"]))],
            _ => [Request(principal, $"{call.Service.ToLowerInvariant()}:{call.Operation}", "*", principal.Account)],
        };
    }

    private static List<AccessRequest> CloudFormation(AwsCall call, IReadOnlyDictionary<string, string> p, AccessPrincipal principal,
        Func<string, BucketFacts> bucket)
    {
        var resource = p.TryGetValue("StackName", out var stack)
            ? stack.StartsWith("arn:", StringComparison.Ordinal) ? stack : Partitions.Arn("cloudformation", call.Region, principal.Account, $"stack/{stack}/00000000-0000-0000-0000-000000000000")
            : "*";
        var context = new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase);
        if (p.TryGetValue("RoleARN", out var role)) context["cloudformation:RoleArn"] = [role];
        if (p.TryGetValue("ChangeSetName", out var changeSet)) context["cloudformation:ChangeSetName"] = [changeSet];
        if (p.TryGetValue("TemplateURL", out var url)) context["cloudformation:TemplateUrl"] = [url];
        var requests = new List<AccessRequest> { Request(principal, $"cloudformation:{call.Operation}", resource, principal.Account, context) };

        // Handing CloudFormation a service role is a pass of that role by the caller.
        // https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-iam-servicerole.html
        if (role is not null)
        {
            requests.Add(Request(principal, "iam:PassRole", role, AccountOf(role), new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase)
            {
                ["iam:PassedToService"] = ["cloudformation.amazonaws.com"],
            }));
        }

        // CloudFormation reads a TemplateURL with the caller's permissions.
        // https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-iam-template.html
        if (url is not null && TemplateObject(url) is var (templateBucket, key))
        {
            requests.AddRange(S3Object("s3:GetObject", templateBucket, key, call.Region, principal, bucket, new Dictionary<string, string>(), readsContent: true));
        }

        return requests;
    }

    private static List<AccessRequest> S3(AwsCall call, IReadOnlyDictionary<string, string> p, AccessPrincipal principal, Func<string, BucketFacts> bucket)
    {
        var name = p["BucketName"];
        var action = S3Actions.TryGetValue(call.Operation, out var mapped) ? mapped
            : call.Operation == "GetObject" && p.ContainsKey("VersionId") ? "s3:GetObjectVersion"
            : $"s3:{call.Operation}";
        if (!p.TryGetValue("Key", out var key) || action == "s3:ListBucket")
        {
            return [Request(principal, action, Partitions.BucketArn(Partitions.Of(call.Region), name), bucket(name).Account, Secure())];
        }

        // A HEAD (GetObjectMetadata) reads no content, so S3 decrypts nothing for it, unless it asks for the checksum of an
        // SSE-KMS object, which needs kms:Decrypt. https://docs.aws.amazon.com/AmazonS3/latest/API/API_HeadObject.html
        var decrypts = call.Operation != "GetObjectMetadata" || (p.TryGetValue("ChecksumMode", out var mode) && mode == "ENABLED");
        return S3Object(action, name, key, call.Region, principal, bucket, p, readsContent: decrypts);
    }

    /// <summary>An object request, and the KMS request S3 makes with the caller's permissions for an SSE-KMS bucket: a data
    /// key to write, a decrypt to read.
    /// https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html</summary>
    private static List<AccessRequest> S3Object(string action, string name, string key, string region, AccessPrincipal principal,
        Func<string, BucketFacts> bucket, IReadOnlyDictionary<string, string> p, bool readsContent)
    {
        var facts = bucket(name);
        var context = Secure();
        if (p.TryGetValue("x-amz-server-side-encryption", out var encryption)) context["s3:x-amz-server-side-encryption"] = [encryption];
        // The key an upload names is a condition key of its own (the artifact buckets deny any other), and the key S3 then
        // asks KMS for a data key from, instead of the bucket's default.
        // https://docs.aws.amazon.com/AmazonS3/latest/userguide/specifying-kms-encryption.html
        p.TryGetValue("x-amz-server-side-encryption-aws-kms-key-id", out var namedKey);
        if (namedKey is not null) context["s3:x-amz-server-side-encryption-aws-kms-key-id"] = [namedKey];
        var requests = new List<AccessRequest> { Request(principal, action, Partitions.BucketArn(Partitions.Of(region), name, key), facts.Account, context) };
        var kmsAction = action switch
        {
            "s3:PutObject" => "kms:GenerateDataKey",
            "s3:GetObject" or "s3:GetObjectVersion" when readsContent => "kms:Decrypt",
            _ => null,
        };
        var writesWith = kmsAction == "kms:GenerateDataKey" && namedKey is not null && namedKey.Contains(":key/", StringComparison.Ordinal) ? namedKey : null;
        if (kmsAction is not null && (writesWith ?? facts.KeyArn) is { } keyArn)
        {
            requests.Add(Request(principal, kmsAction, keyArn, AccountOf(keyArn), new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase)
            {
                ["kms:ViaService"] = [$"s3.{region}.amazonaws.com"],
                ["kms:CallerAccount"] = [principal.Account],
                ["kms:ResourceAliases"] = facts.KeyAliases,
                // With an S3 Bucket Key the encryption context is the bucket's ARN.
                ["kms:EncryptionContext:aws:s3:arn"] = [Partitions.BucketArn(Partitions.Of(region), name)],
            }));
        }

        return requests;
    }

    /// <summary>A path-style or virtual-hosted S3 URL's bucket and key (the kit's template store hands out both).</summary>
    private static (string Bucket, string Key)? TemplateObject(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri)) return null;
        var path = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        var host = uri.Host;
        var virtualHosted = host.Contains(".s3.", StringComparison.Ordinal) || host.Contains(".s3-", StringComparison.Ordinal);
        if (virtualHosted) return (host[..host.IndexOf(".s3", StringComparison.Ordinal)], path);
        var slash = path.IndexOf('/', StringComparison.Ordinal);
        return slash <= 0 ? null : (path[..slash], path[(slash + 1)..]);
    }

    /// <summary>The kit talks to AWS over HTTPS only (the SDK's default); an emulator's plain HTTP is not what AWS sees.</summary>
    private static Dictionary<string, IReadOnlyList<string>> Secure() =>
        new(StringComparer.OrdinalIgnoreCase) { ["aws:SecureTransport"] = ["true"] };

    public static string AccountOf(string arn) => arn.Split(':') is { Length: > 4 } parts ? parts[4] : "";

    private static AccessRequest Request(AccessPrincipal principal, string action, string resource, string account,
        IReadOnlyDictionary<string, IReadOnlyList<string>>? context = null) =>
        new(principal, action, resource, account, context ?? new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase));
}
