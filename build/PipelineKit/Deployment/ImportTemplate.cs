namespace PipelineKit.Deployment;

using System.Text.Json.Nodes;
using PipelineKit.Aws;
using PipelineKit.Naming;

/// <summary>One existing resource the kit imports into a stack: what the IMPORT change set names (type, logical id,
/// identifier) and the properties the import template gives it.</summary>
internal sealed record Adoptee(string ResourceType, string LogicalId, string IdentifierKey, string Identifier, JsonObject Properties, string Label)
{
    public ResourceToImport ToImport() => new(ResourceType, LogicalId, new Dictionary<string, string> { [IdentifierKey] = Identifier });
}

/// <summary>
/// The template of an IMPORT change set: the resources being imported and nothing else (an import may not add outputs or
/// create anything), each with DeletionPolicy, as CloudFormation requires. Their properties are the identifying ones
/// and those the resource type requires; the UPDATE change set that follows applies the stack's own template to them.
/// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/resource-import.html
/// </summary>
internal static class ImportTemplate
{
    public static string For(string stackName, IEnumerable<Adoptee> adoptees)
    {
        var resources = new JsonObject();
        foreach (var adoptee in adoptees)
        {
            resources[adoptee.LogicalId] = new JsonObject
            {
                ["Type"] = adoptee.ResourceType,
                // Retain while importing: an import that rolls back must not delete what it was bringing back.
                ["DeletionPolicy"] = "Retain",
                ["Properties"] = adoptee.Properties.DeepClone(),
            };
        }

        return new JsonObject
        {
            ["AWSTemplateFormatVersion"] = "2010-09-09",
            ["Description"] = $"PipelineKit: the retained resources of {stackName}, imported before its own template is deployed.",
            ["Resources"] = resources,
        }.ToJsonString();
    }

    public static Adoptee Bucket(string logicalId, string bucketName) =>
        new("AWS::S3::Bucket", logicalId, "BucketName", bucketName, new JsonObject { ["BucketName"] = bucketName }, $"bucket {bucketName}");

    /// <summary>A key policy is given because older CloudFormation schemas require one; the import does not apply it.</summary>
    public static Adoptee Key(string logicalId, ExistingKey key, string accountId) =>
        new("AWS::KMS::Key", logicalId, "KeyId", key.KeyId, new JsonObject
        {
            ["KeyPolicy"] = new JsonObject
            {
                ["Version"] = "2012-10-17",
                ["Statement"] = new JsonArray(new JsonObject
                {
                    ["Sid"] = "AccountAdministration",
                    ["Effect"] = "Allow",
                    ["Principal"] = new JsonObject { ["AWS"] = $"arn:{Partitions.OfArn(key.Arn)}:iam::{accountId}:root" },
                    ["Action"] = "kms:*",
                    ["Resource"] = "*",
                }),
            },
        }, $"key {key.KeyId}");

    public static Adoptee Alias(string logicalId, string aliasName, string keyLogicalId) =>
        new("AWS::KMS::Alias", logicalId, "AliasName", aliasName,
            new JsonObject { ["AliasName"] = aliasName, ["TargetKeyId"] = new JsonObject { ["Ref"] = keyLogicalId } }, $"alias {aliasName}");

    public static Adoptee Role(string logicalId, string roleName, string trustPolicy) =>
        new("AWS::IAM::Role", logicalId, "RoleName", roleName,
            new JsonObject { ["RoleName"] = roleName, ["AssumeRolePolicyDocument"] = JsonNode.Parse(trustPolicy) }, $"role {roleName}");
}
