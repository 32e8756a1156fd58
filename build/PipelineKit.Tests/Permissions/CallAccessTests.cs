namespace PipelineKit.Tests.Permissions;

using Amazon.Runtime;
using PipelineKit.Aws;
using PipelineKit.Permissions;

public sealed class CallAccessTests
{
    private static readonly AccessPrincipal Deployer = AccessPrincipal.Role("arn:aws:iam::123456789012:role/hello-deployer");
    private static readonly AccessPrincipal ActionRole = AccessPrincipal.Role("arn:aws:iam::222222222222:role/hello-pipeline-action");
    private const string Key = "arn:aws:kms:eu-west-1:123456789012:key/k-1";

    private static BucketFacts Bucket(string name) => new("123456789012", Key, ["alias/hello-artifacts"]);

    private static TracedCall Call(string service, string operation, string region, params (string Key, string Value)[] parameters) =>
        new(new AwsCall(service, operation, region), new AnonymousAWSCredentials(), parameters.ToDictionary(p => p.Key, p => p.Value));

    [Fact]
    public void PutObject_NeedsThePutOnTheObject_AndADataKeyFromTheBucketsKeyThroughS3()
    {
        var requests = CallAccess.For(Call("S3", "PutObject", "eu-west-1", ("BucketName", "b"), ("Key", "sample-app/x.zip")), Deployer, Bucket);

        Assert.Equal(["s3:PutObject", "kms:GenerateDataKey"], requests.Select(r => r.Action));
        Assert.Equal("arn:aws:s3:::b/sample-app/x.zip", requests[0].Resource);
        Assert.Equal("123456789012", requests[0].ResourceAccount);
        Assert.Equal(["true"], requests[0].Context["aws:SecureTransport"]);
        Assert.False(requests[0].Context.ContainsKey("s3:x-amz-server-side-encryption"));
        Assert.Equal(Key, requests[1].Resource);
        Assert.Equal(["s3.eu-west-1.amazonaws.com"], requests[1].Context["kms:ViaService"]);
        Assert.Equal(["alias/hello-artifacts"], requests[1].Context["kms:ResourceAliases"]);
        Assert.Equal(["arn:aws:s3:::b"], requests[1].Context["kms:EncryptionContext:aws:s3:arn"]);
    }

    [Fact]
    public void PutObject_WithAnEncryptionHeader_CarriesItAsTheConditionKey()
    {
        var requests = CallAccess.For(Call("S3", "PutObject", "eu-west-1", ("BucketName", "b"), ("Key", "k"),
            ("x-amz-server-side-encryption", "AES256")), Deployer, Bucket);

        Assert.Equal(["AES256"], requests[0].Context["s3:x-amz-server-side-encryption"]);
    }

    [Fact]
    public void PutObject_NamingAKey_CarriesItAsTheConditionKey_AndAsksThatKeyForTheDataKey()
    {
        const string other = "arn:aws:kms:eu-west-1:123456789012:key/other";
        var requests = CallAccess.For(Call("S3", "PutObject", "eu-west-1", ("BucketName", "b"), ("Key", "k"),
            ("x-amz-server-side-encryption", "aws:kms"), ("x-amz-server-side-encryption-aws-kms-key-id", other)), Deployer, Bucket);

        Assert.Equal([other], requests[0].Context["s3:x-amz-server-side-encryption-aws-kms-key-id"]);
        Assert.Equal(("kms:GenerateDataKey", other), (requests[1].Action, requests[1].Resource));
    }

    [Theory]
    [InlineData("GetObjectMetadata", new[] { "s3:GetObject" })]
    [InlineData("GetObject", new[] { "s3:GetObject", "kms:Decrypt" })]
    [InlineData("ListObjectsV2", new[] { "s3:ListBucket" })]
    public void ObjectReads_MapToTheirIamActions_AndOnlyContentReadsDecrypt(string operation, string[] actions) =>
        Assert.Equal(actions, CallAccess.For(Call("S3", operation, "eu-west-1", ("BucketName", "b"), ("Key", "k")), Deployer, Bucket).Select(r => r.Action));

    [Fact]
    public void Head_AskingForTheChecksum_AlsoDecrypts() =>
        Assert.Equal(["s3:GetObject", "kms:Decrypt"], CallAccess.For(Call("S3", "GetObjectMetadata", "eu-west-1", ("BucketName", "b"), ("Key", "k"),
            ("ChecksumMode", "ENABLED")), Deployer, Bucket).Select(r => r.Action));

    [Fact]
    public void CreateChangeSet_IsOnTheStackInTheCallersAccount_WithTheRoleAsConditionKey_AndPassesTheRole()
    {
        var requests = CallAccess.For(Call("CloudFormation", "CreateChangeSet", "eu-west-1", ("StackName", "hello-prod-app"),
            ("ChangeSetName", "cs-1"), ("RoleARN", "arn:aws:iam::222222222222:role/hello-cfn-execution")), ActionRole, Bucket);
        var request = requests[0];

        Assert.Equal("cloudformation:CreateChangeSet", request.Action);
        Assert.StartsWith("arn:aws:cloudformation:eu-west-1:222222222222:stack/hello-prod-app/", request.Resource, StringComparison.Ordinal);
        Assert.Equal(["arn:aws:iam::222222222222:role/hello-cfn-execution"], request.Context["cloudformation:RoleArn"]);
        Assert.Equal(["cs-1"], request.Context["cloudformation:ChangeSetName"]);
        // Handing CloudFormation the role is a pass of it, checked on the caller.
        Assert.Equal(("iam:PassRole", "arn:aws:iam::222222222222:role/hello-cfn-execution"), (requests[1].Action, requests[1].Resource));
        Assert.Equal(["cloudformation.amazonaws.com"], requests[1].Context["iam:PassedToService"]);
    }

    [Fact]
    public void CreateChangeSet_FromATemplateUrl_AlsoReadsTheTemplateWithTheCallersPermissions()
    {
        var requests = CallAccess.For(Call("CloudFormation", "CreateChangeSet", "us-east-1", ("StackName", "hello-pipeline"),
            ("TemplateURL", "https://b.s3.us-east-1.amazonaws.com/templates/hello-pipeline/abc.yaml")), Deployer, Bucket);


        Assert.Equal(["cloudformation:CreateChangeSet", "s3:GetObject", "kms:Decrypt"], requests.Select(r => r.Action));
        Assert.Equal("arn:aws:s3:::b/templates/hello-pipeline/abc.yaml", requests[1].Resource);
    }

    [Fact]
    public void AssumeRole_IsOnTheRole_InItsAccount()
    {
        var request = Assert.Single(CallAccess.For(Call("STS", "AssumeRole", "us-east-1",
            ("RoleArn", "arn:aws:iam::444444444444:role/hello-pipeline-action")), Deployer, Bucket));

        Assert.Equal(("sts:AssumeRole", "arn:aws:iam::444444444444:role/hello-pipeline-action", "444444444444"),
            (request.Action, request.Resource, request.ResourceAccount));
    }

    [Fact]
    public void Publish_IsOnTheTopic_AndPutApprovalResult_OnTheApprovalAction()
    {
        var publish = Assert.Single(CallAccess.For(Call("SNS", "Publish", "us-east-1",
            ("TopicArn", "arn:aws:sns:us-east-1:123456789012:hello-pipeline-notifications")), Deployer, Bucket));
        var approve = Assert.Single(CallAccess.For(Call("CodePipeline", "PutApprovalResult", "us-east-1",
            ("pipelineName", "hello-pipeline"), ("stageName", "Deploy-prod"), ("actionName", "SecurityApproval-prod")), Deployer, Bucket));

        Assert.Equal(("sns:Publish", "arn:aws:sns:us-east-1:123456789012:hello-pipeline-notifications"), (publish.Action, publish.Resource));
        Assert.Equal(("codepipeline:PutApprovalResult", "arn:aws:codepipeline:us-east-1:123456789012:hello-pipeline/Deploy-prod/SecurityApproval-prod"),
            (approve.Action, approve.Resource));
    }

    [Fact]
    public void GetCallerIdentity_NeedsNoPermission() =>
        Assert.Empty(CallAccess.For(Call("STS", "GetCallerIdentity", "us-east-1"), Deployer, Bucket));
}
