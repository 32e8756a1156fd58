namespace PipelineKit.Aws;

using System.Net;
using System.Xml.Linq;
using Amazon.S3;
using Amazon.S3.Model;

/// <summary>Reading a bucket's policy, with "no policy" as null rather than an error.</summary>
public static class BucketPolicies
{
    /// <summary>
    /// GetBucketPolicy: the policy's JSON text, or null when the bucket has none (NoSuchBucketPolicy). Any other error
    /// is an <see cref="AmazonS3Exception"/>. AWSSDK.S3 4.0.104.5 does not throw for this operation's 404 answers: it
    /// returns the error document as the policy, with the 404 status; both ways are handled here.
    /// </summary>
    public static async Task<string?> GetBucketPolicyOrNullAsync(this IAmazonS3 s3, string bucketName, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(s3);
        GetBucketPolicyResponse response;
        try
        {
            response = await s3.GetBucketPolicyAsync(new GetBucketPolicyRequest { BucketName = bucketName }, ct).ConfigureAwait(false);
        }
        catch (AmazonS3Exception e) when (e.ErrorCode == NoSuchBucketPolicy)
        {
            return null;
        }

        if (response.HttpStatusCode == HttpStatusCode.OK && !LooksLikeXml(response.Policy))
        {
            return string.IsNullOrWhiteSpace(response.Policy) ? null : response.Policy;
        }

        var (code, message) = Error(response.Policy);
        return code == NoSuchBucketPolicy
            ? null
            : throw new AmazonS3Exception($"GetBucketPolicy of {bucketName}: {message ?? $"HTTP {(int)response.HttpStatusCode}"}")
            {
                ErrorCode = code ?? response.HttpStatusCode.ToString(),
                StatusCode = response.HttpStatusCode,
            };
    }

    private const string NoSuchBucketPolicy = "NoSuchBucketPolicy";

    private static bool LooksLikeXml(string? text) => text?.TrimStart().StartsWith('<') == true;

    /// <summary>S3's error document: &lt;Error&gt;&lt;Code/&gt;&lt;Message/&gt;&lt;/Error&gt;.</summary>
    private static (string? Code, string? Message) Error(string? body)
    {
        if (!LooksLikeXml(body))
        {
            return (null, null);
        }

        try
        {
            var root = XDocument.Parse(body!).Root;
            return (root?.Element("Code")?.Value, root?.Element("Message")?.Value);
        }
        catch (System.Xml.XmlException)
        {
            return (null, null);
        }
    }
}
