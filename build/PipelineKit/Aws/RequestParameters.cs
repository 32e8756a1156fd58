namespace PipelineKit.Aws;

using System.Reflection;
using Amazon.Runtime;

/// <summary>
/// The parts of a request that decide what it needs to be allowed: which stack, bucket and key, role or key it names,
/// which role a change set runs as, which encryption an upload asks for. Read from the request as the client sends it,
/// so that the permission checks see the very calls the kit made.
/// </summary>
public static class RequestParameters
{
    /// <summary>Properties of the SDK's request types (S3, STS, KMS) that name a resource, or change what it needs
    /// (a HEAD that asks for an SSE-KMS object's checksum needs kms:Decrypt).</summary>
    private static readonly string[] NamingProperties = ["BucketName", "Key", "VersionId", "RoleArn", "KeyId", "PolicyArn", "RoleName", "PolicyName", "ChecksumMode"];

    /// <summary>Headers that are condition keys of the action (s3:x-amz-server-side-encryption and its key id).</summary>
    private static readonly string[] ConditionHeaders = ["x-amz-server-side-encryption", "x-amz-server-side-encryption-aws-kms-key-id"];

    public static IReadOnlyDictionary<string, string> From(AmazonWebServiceRequest? request, IDictionary<string, string>? headers)
    {
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        switch (request)
        {
            case QueryRequest query:
                foreach (var (key, value) in query.Parameters) parameters.TryAdd(key, value);
                break;
            case JsonProtocolRequest json:
                foreach (var (key, value) in json.Body)
                {
                    if (value is System.Text.Json.Nodes.JsonValue scalar && scalar.TryGetValue<string>(out var text)) parameters[key] = text;
                }

                break;
            case not null:
                foreach (var name in NamingProperties)
                {
                    if (request.GetType().GetProperty(name, BindingFlags.Public | BindingFlags.Instance)?.GetValue(request) is { } value &&
                        value.ToString() is { Length: > 0 } text)
                    {
                        parameters[name] = text;
                    }
                }

                break;
        }

        if (headers is not null)
        {
            foreach (var header in ConditionHeaders)
            {
                var match = headers.FirstOrDefault(h => string.Equals(h.Key, header, StringComparison.OrdinalIgnoreCase));
                if (match.Key is not null) parameters[header] = match.Value;
            }
        }

        return parameters;
    }
}
