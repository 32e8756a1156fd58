namespace PipelineKit.Deployment;

/// <summary>What kind of resource a <see cref="RetainedResource"/> is, and so how the kit finds it and imports it.</summary>
public enum RetainedKind
{
    /// <summary>AWS::S3::Bucket, found by its name (S3 names are global: it may be another account's).</summary>
    Bucket,
    /// <summary>AWS::KMS::Key with its AWS::KMS::Alias, found by the alias or by the default encryption of a retained bucket.</summary>
    Key,
    /// <summary>AWS::IAM::Role, found by its name in the stack's account.</summary>
    Role,
}

/// <summary>
/// A resource a stack's template creates under a fixed name, that can outlive the stack: DeletionPolicy: Retain keeps
/// buckets and keys when the stack is deleted or its creation rolls back, and a role can be left behind by a deletion
/// that skipped it. A CREATE of the stack then fails on the name ("already exists"); the kit imports such resources
/// instead (<see cref="StackAdoption"/>). The stack's deployment lists them; the deployer does not know any names.
/// </summary>
/// <param name="LogicalId">The resource's logical id in the template.</param>
/// <param name="Name">Bucket: its name. Key: the name of its alias (alias/...). Role: its name.</param>
/// <param name="Related">Bucket: the logical id of the key whose ARN its default encryption names, if any. Key: the
/// logical id of its alias resource.</param>
public sealed record RetainedResource(RetainedKind Kind, string LogicalId, string Name, string? Related = null)
{
    public static RetainedResource Bucket(string logicalId, string bucketName, string? encryptedBy = null) =>
        new(RetainedKind.Bucket, logicalId, bucketName, encryptedBy);

    public static RetainedResource Key(string logicalId, string aliasName, string aliasLogicalId) =>
        new(RetainedKind.Key, logicalId, aliasName, aliasLogicalId);

    public static RetainedResource Role(string logicalId, string roleName) => new(RetainedKind.Role, logicalId, roleName);
}
