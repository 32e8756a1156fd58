namespace PipelineKit.Tests.Permissions;

using Amazon.Runtime;
using PipelineKit.Aws;
using PipelineKit.Configuration;
using PipelineKit.Permissions;

/// <summary>In GovCloud and China the requests the evaluator decides name their resources in that partition, as AWS
/// does, and a grant written for another partition does not reach them.</summary>
public sealed class PartitionAccessTests
{
    private static readonly AccessPrincipal GovDeployer = AccessPrincipal.Role("arn:aws-us-gov:iam::123456789012:role/gov-deployer");
    private const string GovKey = "arn:aws-us-gov:kms:us-gov-west-1:123456789012:key/k-1";

    private const string ChinaJson =
        """
        {
          "name": "cn",
          "build": { "account": "123456789012", "region": "cn-north-1" },
          "environments": [
            { "name": "dev",  "account": "222222222222", "region": "cn-north-1" },
            { "name": "prod", "account": "444444444444", "region": "cn-northwest-1", "approval": true }
          ],
          "source": { "type": "CodeCommit", "repository": "cn-service", "branch": "main", "account": "999999999999" },
          "selfUpdate": true
        }
        """;

    private static TracedCall Call(string service, string operation, string region, params (string Key, string Value)[] parameters) =>
        new(new AwsCall(service, operation, region), new AnonymousAWSCredentials(), parameters.ToDictionary(p => p.Key, p => p.Value));

    private static BucketFacts GovBucket(string name) => new("123456789012", GovKey, ["alias/gov-artifacts"]);

    [Fact]
    public void PutObject_InGovCloud_IsOnTheObjectsAwsUsGovArn_WithTheBucketsArnAsEncryptionContext()
    {
        var requests = CallAccess.For(Call("S3", "PutObject", "us-gov-west-1", ("BucketName", "b"), ("Key", "app.zip")), GovDeployer, GovBucket);

        Assert.Equal(("s3:PutObject", "arn:aws-us-gov:s3:::b/app.zip"), (requests[0].Action, requests[0].Resource));
        Assert.Equal(("kms:GenerateDataKey", GovKey), (requests[1].Action, requests[1].Resource));
        Assert.Equal(["arn:aws-us-gov:s3:::b"], requests[1].Context["kms:EncryptionContext:aws:s3:arn"]);
    }

    [Fact]
    public void StackAndPipelineCalls_InGovCloud_AreOnAwsUsGovArns()
    {
        var changeSet = CallAccess.For(Call("CloudFormation", "CreateChangeSet", "us-gov-east-1", ("StackName", "gov-prod-app"),
            ("ChangeSetName", "c")), GovDeployer, GovBucket);
        var pipeline = CallAccess.For(Call("CodePipeline", "GetPipelineState", "us-gov-west-1", ("name", "gov-pipeline")), GovDeployer, GovBucket);

        Assert.Equal("arn:aws-us-gov:cloudformation:us-gov-east-1:123456789012:stack/gov-prod-app/00000000-0000-0000-0000-000000000000", changeSet[0].Resource);
        Assert.Equal("arn:aws-us-gov:codepipeline:us-gov-west-1:123456789012:gov-pipeline", pipeline[0].Resource);
    }

    [Fact]
    public void AGrantInTheCommercialPartition_DoesNotReachTheSameObjectInGovCloud()
    {
        var request = CallAccess.For(Call("S3", "GetObject", "us-gov-west-1", ("BucketName", "b"), ("Key", "app.zip")), GovDeployer, GovBucket)[0];
        var commercial = Iam.Identity("{'Effect':'Allow','Action':'s3:GetObject','Resource':'arn:aws:s3:::b/*'}");
        var govCloud = Iam.Identity("{'Effect':'Allow','Action':'s3:GetObject','Resource':'arn:aws-us-gov:s3:::b/*'}");

        Assert.False(Iam.Evaluate(request, commercial).Allowed);
        Assert.True(Iam.Evaluate(request, govCloud).Allowed);
    }

    [Fact]
    public void AccountPrincipal_InGovCloud_IsMatchedByItsAwsUsGovRootArn_NotTheCommercialOne()
    {
        var request = CallAccess.For(Call("S3", "GetObject", "us-gov-west-1", ("BucketName", "b"), ("Key", "app.zip")), GovDeployer, GovBucket)[0];
        var other = request with { ResourceAccount = "999999999999" };
        var identity = Iam.Identity("{'Effect':'Allow','Action':'s3:GetObject','Resource':'*'}");
        static ResourcePolicy Trusting(string root) =>
            Iam.BucketPolicy($"{{'Effect':'Allow','Principal':{{'AWS':'{root}'}},'Action':'s3:GetObject','Resource':'arn:aws-us-gov:s3:::b/*'}}");

        Assert.True(Iam.Evaluate(other, identity, Trusting("arn:aws-us-gov:iam::123456789012:root")).Allowed);
        Assert.False(Iam.Evaluate(other, identity, Trusting("arn:aws:iam::123456789012:root")).Allowed);
    }

    [Fact]
    public void PipelineCalls_OfAChinaConfiguration_NameEveryRoleAndResourceInAwsCn()
    {
        var config = PipelineConfigLoader.Parse(ChinaJson, "cn.pipeline.json", ConfigContext.WithoutProfiles);
        var keys = config.Regions.ToDictionary(r => r, r => $"arn:aws-cn:kms:{r}:123456789012:key/0000-{r}");

        var calls = PipelineCalls.ExpandScoped(PipelineCalls.Entries, config, keys, "arn:aws-cn:kms:cn-north-1:123456789012:key/n-1");

        var arns = calls.Select(c => c.Call.Request)
            .SelectMany(r => new[] { r.Principal.Arn, r.Principal.IdentityArn, r.Resource }.Concat(r.Context.Values.SelectMany(v => v)))
            .Where(s => s.StartsWith("arn:", StringComparison.Ordinal))
            .ToList();
        Assert.NotEmpty(calls);
        Assert.Contains("arn:aws-cn:iam::444444444444:role/cn-pipeline-action", arns);
        Assert.Contains("arn:aws-cn:iam::999999999999:role/cn-source-action", arns);
        Assert.All(arns, arn => Assert.StartsWith("arn:aws-cn:", arn));
    }
}
