namespace PipelineKit.Tests.Permissions;

using System.Text.Json;
using Amazon.Runtime;
using PipelineKit.Aws;
using PipelineKit.Permissions;
using PipelineKit.Tests.Aws;
using PipelineKit.Tests.Integration;

/// <summary>The reader against the emulator: policies deployed through CloudFormation (and one role made with the CLI in
/// a second account), read back across accounts.</summary>
[Collection("moto")]
public sealed class DeployedPolicyReaderMotoTests : IDisposable
{
    private const string Region = "us-east-1";
    private const string Build = "123456789012";
    private const string Target = "222222222222";
    private const string PowerUserAccess = "arn:aws:iam::aws:policy/PowerUserAccess";

    private const string Template =
        "Resources:\n" +
        "  Boundary:\n" +
        "    Type: AWS::IAM::ManagedPolicy\n" +
        "    Properties:\n" +
        "      ManagedPolicyName: dpr-boundary\n" +
        "      PolicyDocument: {Version: '2012-10-17', Statement: [{Sid: Bound, Effect: Allow, Action: ['s3:*', 'kms:*'], Resource: '*'}]}\n" +
        "  Extra:\n" +
        "    Type: AWS::IAM::ManagedPolicy\n" +
        "    Properties:\n" +
        "      ManagedPolicyName: dpr-extra\n" +
        "      PolicyDocument: {Version: '2012-10-17', Statement: [{Sid: Extra, Effect: Allow, Action: 'sns:Publish', Resource: '*'}]}\n" +
        "  ActionRole:\n" +
        "    Type: AWS::IAM::Role\n" +
        "    Properties:\n" +
        "      RoleName: dpr-pipeline-action\n" +
        "      AssumeRolePolicyDocument: {Version: '2012-10-17', Statement: [{Effect: Allow, Principal: {AWS: !Sub 'arn:aws:iam::${AWS::AccountId}:root'}, Action: 'sts:AssumeRole'}]}\n" +
        "      PermissionsBoundary: !Ref Boundary\n" +
        $"      ManagedPolicyArns: [{PowerUserAccess}, !Ref Extra]\n" +
        "      Policies:\n" +
        "        - PolicyName: pipeline-action\n" +
        "          PolicyDocument: {Version: '2012-10-17', Statement: [{Sid: ReadArtifacts, Effect: Allow, Action: 's3:GetObject', Resource: !Sub '${Artifacts.Arn}/*'}]}\n" +
        "  ExecutionRole:\n" +
        "    Type: AWS::IAM::Role\n" +
        "    Properties:\n" +
        "      RoleName: dpr-cfn-execution\n" +
        "      AssumeRolePolicyDocument: {Version: '2012-10-17', Statement: [{Effect: Allow, Principal: {Service: cloudformation.amazonaws.com}, Action: 'sts:AssumeRole'}]}\n" +
        $"      ManagedPolicyArns: [{PowerUserAccess}, !Ref Extra]\n" +
        "  NamedRole:\n" +
        "    Type: AWS::IAM::Role\n" +
        "    Properties:\n" +
        "      RoleName: other-dpr-source\n" +
        "      Path: /kit/\n" +
        "      AssumeRolePolicyDocument: {Version: '2012-10-17', Statement: [{Effect: Allow, Principal: {Service: codepipeline.amazonaws.com}, Action: 'sts:AssumeRole'}]}\n" +
        "  UnnamedRole:\n" +
        "    Type: AWS::IAM::Role\n" +
        "    Properties:\n" +
        "      RoleName: other-dpr-ignored\n" +
        "      AssumeRolePolicyDocument: {Version: '2012-10-17', Statement: [{Effect: Allow, Principal: {Service: codepipeline.amazonaws.com}, Action: 'sts:AssumeRole'}]}\n" +
        "  Artifacts:\n" +
        "    Type: AWS::S3::Bucket\n" +
        "    Properties: {BucketName: dpr-artifacts}\n" +
        "  ArtifactsPolicy:\n" +
        "    Type: AWS::S3::BucketPolicy\n" +
        "    Properties:\n" +
        "      Bucket: !Ref Artifacts\n" +
        "      PolicyDocument: {Version: '2012-10-17', Statement: [{Sid: DenyInsecureTransport, Effect: Deny, Principal: '*', Action: 's3:*', " +
        "Resource: [!GetAtt Artifacts.Arn, !Sub '${Artifacts.Arn}/*'], Condition: {Bool: {'aws:SecureTransport': 'false'}}}]}\n" +
        "  Bare:\n" +
        "    Type: AWS::S3::Bucket\n" +
        "    Properties: {BucketName: dpr-bare}\n" +
        "  Key:\n" +
        "    Type: AWS::KMS::Key\n" +
        "    Properties:\n" +
        "      KeyPolicy: {Version: '2012-10-17', Statement: [{Sid: Root, Effect: Allow, Principal: {AWS: !Sub 'arn:aws:iam::${AWS::AccountId}:root'}, Action: 'kms:*', Resource: '*'}]}\n" +
        "Outputs:\n" +
        "  KeyArn:\n" +
        "    Value: !GetAtt Key.Arn\n";

    private const string TargetTrust =
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::123456789012:root\"},\"Action\":\"sts:AssumeRole\"}]}";

    private const string TargetInline =
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"Deploy\",\"Effect\":\"Allow\",\"Action\":\"cloudformation:*\",\"Resource\":\"*\"}]}";

    private readonly MotoFixture moto;
    private readonly AwsCallLog callLog = new();
    private readonly AwsClientFactory factory;
    private readonly AWSCredentials build = new BasicAWSCredentials("testing", "testing");

    public DeployedPolicyReaderMotoTests(MotoFixture moto)
    {
        this.moto = moto;
        factory = moto.Clients(callLog);
    }

    public void Dispose() => factory.Dispose();

    [Fact]
    public async Task ReadsRolesBucketsAndKeysAsDeployed_AcrossAccounts()
    {
        var stack = await MotoStacks.DeployAsync(factory.CloudFormation(build, Region), "dpr-policies", Template);
        var keyArn = stack.Outputs["KeyArn"];
        await moto.Cli(Target, "iam", "create-role", "--role-name", "dpr-target", "--assume-role-policy-document", TargetTrust);
        await moto.Cli(Target, "iam", "put-role-policy", "--role-name", "dpr-target", "--policy-name", "deploy", "--policy-document", TargetInline);
        await moto.Cli(Target, "iam", "attach-role-policy", "--role-name", "dpr-target", "--policy-arn", PowerUserAccess);
        var sources = await SourcesAsync();
        callLog.Reset();

        var snapshot = await new DeployedPolicyReader(sources).ReadAsync(new PolicySnapshotRequest(
            Accounts: [Build, Target],
            RoleNamePrefix: "dpr-",
            RoleArns: [$"arn:aws:iam::{Build}:role/kit/other-dpr-source", $"arn:aws:iam::{Build}:role/dpr-missing"],
            Buckets: [new PolicyBucket(Build, Region, "dpr-artifacts"), new PolicyBucket(Build, Region, "dpr-bare")],
            KeyArns: [keyArn]));

        Assert.Equal(
            [
                $"arn:aws:iam::{Build}:role/dpr-cfn-execution", $"arn:aws:iam::{Build}:role/dpr-pipeline-action",
                $"arn:aws:iam::{Build}:role/kit/other-dpr-source", $"arn:aws:iam::{Target}:role/dpr-target",
            ],
            snapshot.Roles.Keys);

        var action = snapshot.Roles[$"arn:aws:iam::{Build}:role/dpr-pipeline-action"];
        Assert.Equal(Build, action.AccountId);
        Assert.Equal("trust policy of role dpr-pipeline-action", action.Trust.Name);
        Assert.Equal($"arn:aws:iam::{Build}:root", Statement(action.Trust.Document).GetProperty("Principal").GetProperty("AWS").GetString());
        var inline = Assert.Single(action.InlinePolicies);
        Assert.Equal("role dpr-pipeline-action inline policy pipeline-action", inline.Name);
        Assert.Equal("arn:aws:s3:::dpr-artifacts/*", Statement(inline.Document).GetProperty("Resource").GetString());
        Assert.Equal(
            [$"managed policy arn:aws:iam::{Build}:policy/dpr-extra", $"managed policy {PowerUserAccess}"],
            action.ManagedPolicies.Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal("Extra", Statement(action.ManagedPolicies.Single(p => p.Name.EndsWith("dpr-extra", StringComparison.Ordinal)).Document)
            .GetProperty("Sid").GetString());
        Assert.Contains("\"NotAction\"", action.ManagedPolicies.Single(p => p.Name.EndsWith("PowerUserAccess", StringComparison.Ordinal)).Document,
            StringComparison.Ordinal);
        Assert.NotNull(action.PermissionsBoundary);
        Assert.Equal($"permissions boundary arn:aws:iam::{Build}:policy/dpr-boundary of role dpr-pipeline-action", action.PermissionsBoundary.Name);
        Assert.Equal("Bound", Statement(action.PermissionsBoundary.Document).GetProperty("Sid").GetString());

        var execution = snapshot.Roles[$"arn:aws:iam::{Build}:role/dpr-cfn-execution"];
        Assert.Empty(execution.InlinePolicies);
        Assert.Equal(2, execution.ManagedPolicies.Count);
        Assert.Null(execution.PermissionsBoundary);

        var target = snapshot.Roles[$"arn:aws:iam::{Target}:role/dpr-target"];
        Assert.Equal(Target, target.AccountId);
        Assert.Equal(TargetTrust, target.Trust.Document);
        Assert.Equal(TargetInline, Assert.Single(target.InlinePolicies).Document);
        Assert.Equal($"managed policy {PowerUserAccess}", Assert.Single(target.ManagedPolicies).Name);

        var bucket = Assert.Single(snapshot.BucketPolicies);
        Assert.Equal(("dpr-artifacts", "bucket policy of dpr-artifacts"), (bucket.Key, bucket.Value.Name));
        Assert.Equal("DenyInsecureTransport", Statement(bucket.Value.Document).GetProperty("Sid").GetString());

        var key = Assert.Single(snapshot.KeyPolicies);
        Assert.Equal((keyArn, $"key policy of {keyArn}"), (key.Key, key.Value.Name));
        Assert.Equal($"arn:aws:iam::{Build}:root", Statement(key.Value.Document).GetProperty("Principal").GetProperty("AWS").GetString());

        // Each managed policy is read once per account: dpr-extra, PowerUserAccess and dpr-boundary here, PowerUserAccess there.
        Assert.Equal(4, callLog.Calls.Count(c => c.Operation == "GetPolicy"));
        Assert.Equal(4, callLog.Calls.Count(c => c.Operation == "GetPolicyVersion"));
        Assert.Empty(callLog.MutatingCalls);
    }

    /// <summary>The build account acts with the emulator's default keys; the target account through an assumed role.</summary>
    private async Task<PolicySources> SourcesAsync()
    {
        var assumed = await new SecurityTokens(factory.SecurityTokenService(build, Region)).AssumeRoleAsync(
            $"arn:aws:iam::{Target}:role/OrganizationAccountAccessRole", "dpr", TimeSpan.FromHours(1));
        AWSCredentials target = new SessionAWSCredentials(assumed.AccessKeyId, assumed.SecretAccessKey, assumed.SessionToken);
        AWSCredentials For(string account) => account == Target ? target : build;
        return new PolicySources(
            (account, _) => Task.FromResult(factory.Iam(For(account))),
            (account, region, _) => Task.FromResult(factory.S3(For(account), region)),
            (account, region, _) => Task.FromResult(factory.Kms(For(account), region)));
    }

    private static JsonElement Statement(string document)
        => JsonDocument.Parse(document).RootElement.GetProperty("Statement")[0];
}
