namespace PipelineKit.Tests.Permissions;

using PipelineKit.Permissions;

/// <summary>Small builders so each test shows only the policy text and the request that matter.</summary>
internal static class Iam
{
    public const string Home = "111122223333";
    public const string Other = "444455556666";
    public const string Bucket = "arn:aws:s3:::hello-artifacts";
    public const string Object = "arn:aws:s3:::hello-artifacts/app/source.zip";
    public const string Key = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

    public static readonly AccessPrincipal App = AccessPrincipal.Role($"arn:aws:iam::{Home}:role/app", "s1");
    public static readonly AccessPrincipal Deployer = AccessPrincipal.Role($"arn:aws:iam::{Other}:role/deployer", "s1");

    /// <summary>A policy document from statements written with single quotes for readability.</summary>
    public static PolicyDocument Doc(string name, params string[] statements) =>
        PolicyDocument.Parse(name, "{\"Version\":\"2012-10-17\",\"Statement\":[" + string.Join(",", statements).Replace('\'', '"') + "]}");

    public static PrincipalPolicies Identity(params string[] statements) =>
        new([Doc("role app, inline policy app", statements)], null);

    public static PrincipalPolicies WithBoundary(PrincipalPolicies identity, params string[] boundary) =>
        identity with { Boundary = Doc("boundary app-boundary", boundary) };

    public static ResourcePolicy BucketPolicy(params string[] statements) =>
        new(ResourcePolicyKind.Bucket, Doc("bucket policy of hello-artifacts", statements));

    public static ResourcePolicy KeyPolicy(params string[] statements) =>
        new(ResourcePolicyKind.KmsKey, Doc($"key policy of {Key}", statements));

    public static ResourcePolicy TrustPolicy(params string[] statements) =>
        new(ResourcePolicyKind.RoleTrust, Doc("trust policy of role target", statements));

    public static AccessRequest Request(AccessPrincipal principal, string action, string resource, string resourceAccount,
        params (string Key, string[] Values)[] context) =>
        new(principal, action, resource, resourceAccount,
            context.ToDictionary(c => c.Key, c => (IReadOnlyList<string>)c.Values));

    public static AccessDecision Evaluate(AccessRequest request, PrincipalPolicies principal, ResourcePolicy? resource = null) =>
        PolicyEvaluator.Evaluate(request, principal, resource);
}
