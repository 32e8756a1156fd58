namespace PipelineKit.Pipeline.Parts;

using Amazon.CDK.AWS.IAM;
using PipelineKit.Naming;

/// <summary>
/// The pipeline's projects that run a locking target (the build project's PublishSampleApp, the self-update's CreatePipeline)
/// take the run lock (Locking/RunLock): they read and conditionally write its one object in the source bucket, and nothing
/// else there. No s3:DeleteObject: a run marks the lock released by writing it. S3 encrypts the object with the source
/// bucket's key, the artifact key, which both roles already use through their artifact-store grants.
/// </summary>
internal static class RunLockAccess
{
    public static void Grant(IRole role, ArtifactStores stores) =>
        role.AddToPrincipalPolicy(new PolicyStatement(new PolicyStatementProps
        {
            Sid = "TheRunLock",
            Actions = ["s3:GetObject", "s3:PutObject"],
            Resources = [stores.Source.ArnForObjects(KitNames.RunLockKey)],
        }));
}
