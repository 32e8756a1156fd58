namespace PipelineKit.Teardown;

using PipelineKit.Accounts;
using PipelineKit.Aws;
using PipelineKit.Configuration;
using PipelineKit.Deployment;
using PipelineKit.Orchestration;
using PipelineKit.Messages;

/// <summary>Wires a <see cref="Destroyer"/> to real clients: CloudFormation in each stack's account and region with that
/// account's session; S3 and KMS in the build account, where the buckets and keys are; the units' stack sets with the build
/// account's stack set client.</summary>
public static class DestroyerFactory
{
    public static Destroyer Create(
        PipelineConfig config,
        IAccountSessions sessions,
        IAwsClientFactory clients,
        PollingPolicy policy,
        IDeploymentObserver observer,
        int parallelism,
        TimeProvider time,
        IKitMessages messages,
        UnitRoleSets? unitSets = null)
    {
        async Task<Amazon.Runtime.AWSCredentials> CredentialsFor(string account, CancellationToken ct) =>
            (await sessions.ForAccountAsync(account, ct).ConfigureAwait(false)).Credentials;
        async Task<ICloudFormation> CloudFormationAt(StackLocation location, CancellationToken ct) =>
            clients.CloudFormation(await CredentialsFor(location.AccountId, ct).ConfigureAwait(false), location.Region);
        async Task<IBucketStore> BucketsAt(string region, CancellationToken ct) =>
            new S3BucketStore(clients.S3(await CredentialsFor(config.Build.Account, ct).ConfigureAwait(false), region), config.Build.Account);
        async Task<IKeyStore> KeysAt(string region, CancellationToken ct) =>
            new KmsKeyStore(clients.Kms(await CredentialsFor(config.Build.Account, ct).ConfigureAwait(false), region));

        return new Destroyer(config, new TeardownSurvey(config, CloudFormationAt, BucketsAt, KeysAt, unitSets), CloudFormationAt, BucketsAt, KeysAt,
            new StackDeletion(time, policy, observer), new DagRunner(parallelism, time, observer), messages, unitSets, new StackSetDeletion(time, policy));
    }
}
