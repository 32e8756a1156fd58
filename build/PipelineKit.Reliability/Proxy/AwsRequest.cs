namespace PipelineKit.Reliability.Proxy;

using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Web;
using PipelineKit.Aws;

/// <summary>The wire protocols of the AWS APIs the kit calls; each answers errors in its own format.</summary>
public enum AwsProtocol { Query, Json, RestXml }

/// <summary>
/// One AWS request as the proxy sees it: which service and operation (Query protocol: the <c>Action</c> form field;
/// JSON protocol: the <c>X-Amz-Target</c> header; S3: method and path), the signing access key and region (from the
/// SigV4 credential scope), the stack and change set it names, its client token and a hash of its body, which is the
/// same for a retry of the same request.
/// </summary>
public sealed partial record AwsRequest(
    string Service,
    AwsProtocol Protocol,
    string Operation,
    string Method,
    string Path,
    string? AccessKey,
    string? Region,
    string? StackName,
    string? ChangeSetName,
    string? ClientToken,
    string? RoleArn,
    string BodyHash)
{
    /// <summary>True unless the operation only reads (the kit's own rule: <see cref="AwsCallLog.IsMutating"/>);
    /// an S3 request reads when it is a GET or HEAD.</summary>
    public bool IsMutating => Protocol == AwsProtocol.RestXml
        ? Method is not ("GET" or "HEAD")
        : AwsCallLog.IsMutating(Service, Operation);

    /// <summary>A read or write of the run lock's object (Locking/RunLock): the kit's own bookkeeping, which a no-op run
    /// also makes and its summary counts apart from the calls that change the account.</summary>
    public bool IsRunLock => Protocol == AwsProtocol.RestXml && Path.EndsWith("/" + PipelineKit.Naming.KitNames.RunLockKey, StringComparison.Ordinal);

    /// <summary>CreateChangeSet's ChangeSetType (CREATE, UPDATE, IMPORT); null for other calls.</summary>
    public string? ChangeSetType { get; init; }

    public override string ToString() => $"{Service}:{Operation}{(StackName is null ? "" : $" {StackName}")}";

    /// <summary>Reads a request from its method, path, headers and body.</summary>
    public static AwsRequest Parse(string method, string path, Func<string, string?> header, byte[] body)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(body);
        var scope = CredentialScope().Match(header("Authorization") ?? "");
        var accessKey = scope.Success ? scope.Groups["key"].Value : null;
        var region = scope.Success ? scope.Groups["region"].Value : null;
        var signingName = scope.Success ? scope.Groups["service"].Value : "";
        var hash = Convert.ToHexStringLower(SHA256.HashData(body));

        if (header("X-Amz-Target") is { Length: > 0 } target)
        {
            var fields = JsonFields(body);
            var operation = target[(target.LastIndexOf('.') + 1)..];
            return new AwsRequest(ServiceId(signingName, target), AwsProtocol.Json, operation, method, path, accessKey, region,
                fields.GetValueOrDefault("StackName"), fields.GetValueOrDefault("ChangeSetName"),
                fields.GetValueOrDefault("ClientRequestToken") ?? fields.GetValueOrDefault("ClientToken"), fields.GetValueOrDefault("RoleArn"), hash);
        }

        var contentType = header("Content-Type") ?? "";
        if (method == "POST" && contentType.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
        {
            var form = HttpUtility.ParseQueryString(Encoding.UTF8.GetString(body));
            if (form["Action"] is { Length: > 0 } action)
            {
                return new AwsRequest(ServiceId(signingName, null), AwsProtocol.Query, action, method, path, accessKey, region,
                    form["StackName"], form["ChangeSetName"], form["ClientRequestToken"] ?? form["ClientToken"], form["RoleArn"], hash)
                {
                    ChangeSetType = action == "CreateChangeSet" ? form["ChangeSetType"] ?? "UPDATE" : null,
                };
            }
        }

        return new AwsRequest(AwsServiceIds.S3, AwsProtocol.RestXml, $"{method} {path}", method, path, accessKey, region,
            null, null, null, null, hash);
    }

    /// <summary>The kit's service ids (<see cref="AwsServiceIds"/>) from the SigV4 signing name.</summary>
    private static string ServiceId(string signingName, string? target) => signingName switch
    {
        "cloudformation" => AwsServiceIds.CloudFormation,
        "sts" => AwsServiceIds.Sts,
        "s3" => AwsServiceIds.S3,
        "iam" => AwsServiceIds.Iam,
        "kms" => AwsServiceIds.Kms,
        "codepipeline" => AwsServiceIds.CodePipeline,
        "sns" => AwsServiceIds.Sns,
        _ when target?.StartsWith("TrentService", StringComparison.Ordinal) == true => AwsServiceIds.Kms,
        _ when target?.StartsWith("CodePipeline", StringComparison.Ordinal) == true => AwsServiceIds.CodePipeline,
        _ => signingName,
    };

    private static Dictionary<string, string> JsonFields(byte[] body)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind != JsonValueKind.Object) return fields;
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.Value.ValueKind == JsonValueKind.String) fields[property.Name] = property.Value.GetString()!;
            }
        }
        catch (JsonException)
        {
            // Not JSON after all: no fields.
        }

        return fields;
    }

    [GeneratedRegex(@"Credential=(?<key>[^/]+)/\d{8}/(?<region>[^/]+)/(?<service>[^/]+)/aws4_request")]
    private static partial Regex CredentialScope();
}
