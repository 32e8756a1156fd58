namespace PipelineKit.Tests.Planning;

using PipelineKit.Aws;
using PipelineKit.Configuration;
using PipelineKit.Planning;
using PipelineKit.Testing;

/// <summary>The security gate's check against the fake CloudFormation (the target account) and the fake CodePipeline.</summary>
public sealed class SecurityCheckTests
{
    private const string Stack = "hello-prod-app";
    private const string ChangeSetName = "hello-prod-app-pipeline";

    private const string Deployed = """
        {"Resources":{"FnRole":{"Type":"AWS::IAM::Role","Properties":{
          "AssumeRolePolicyDocument":{"Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]},
          "Policies":[{"PolicyName":"app","PolicyDocument":{"Statement":[{"Sid":"Read","Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],"Resource":{"Fn::Sub":"arn:aws:s3:::${Bucket}/*"}}]}}]}},
         "Fn":{"Type":"AWS::Lambda::Function","Properties":{"Runtime":"dotnet8"}}},
         "Parameters":{"Bucket":{"Type":"String"}}}
        """;

    private readonly VirtualTime time = new();
    private readonly FakeCloudFormation target;
    private readonly FakeCodePipeline pipeline;
    private readonly RecordingTopics topics = new();

    public SecurityCheckTests()
    {
        target = new FakeCloudFormation(time, "444444444444", "eu-west-1");
        target.Seed(Stack, StackStatus.UpdateComplete, Deployed, new Dictionary<string, string> { ["Bucket"] = "data" });
        pipeline = new FakeCodePipeline(time, "hello-pipeline", new FakeStage("Deploy-prod", "SecurityApproval-prod", "Approve", "ExecuteChangeSet"));
        pipeline.ApproveAfter("Deploy-prod", "SecurityApproval-prod", TimeSpan.FromDays(7));
        pipeline.SourceChanged("v1", detectedAfter: null);
    }

    [Fact]
    public async Task Check_WhenNothingWidens_ApprovesThisRunsSecurityApproval_AndSendsNothing()
    {
        // The policy narrows (PutObject goes) and the function changes: a policy resource changed, nothing widened.
        await CreateChangeSetAsync(Deployed.Replace("\"s3:GetObject\",\"s3:PutObject\"", "\"s3:GetObject\"", StringComparison.Ordinal), "data",
            Change("Modify", "FnRole", "AWS::IAM::Role"), Change("Modify", "Fn", "AWS::Lambda::Function"));
        var run = await pipeline.StartPipelineExecutionAsync("hello-pipeline", "t");

        var result = await Check(SecurityApproval.Broadening).RunAsync(run, CancellationToken.None);

        Assert.True(result.Approved);
        Assert.False(result.Notified);
        Assert.Empty(topics.Published);
        Assert.Equal("nothing widens; policy resources changed: FnRole (Modify)", result.Summary);
        var approval = (await pipeline.GetPipelineStateAsync("hello-pipeline")).Stages[0].Actions[0].LatestExecution!;
        Assert.Equal(("Succeeded", "Approved by SecurityCheck-prod: nothing widens; policy resources changed: FnRole (Modify)"), (approval.Status, approval.Summary));
    }

    [Fact]
    public async Task Check_WhenANewActionOrResourceWidens_SendsTheDiff_AndLeavesTheApprovalWaiting()
    {
        // A new action, and through the parameter a new resource: each template is resolved under its own parameters.
        await CreateChangeSetAsync(Deployed.Replace("\"s3:PutObject\"", "\"s3:PutObject\",\"s3:DeleteObject\"", StringComparison.Ordinal), "other",
            Change("Modify", "FnRole", "AWS::IAM::Role"));
        var run = await pipeline.StartPipelineExecutionAsync("hello-pipeline", "t");

        var result = await Check(SecurityApproval.Broadening).RunAsync(run, CancellationToken.None);

        Assert.False(result.Approved);
        Assert.True(result.Notified);
        Assert.Equal(
            "WIDENS permissions (2): FnRole: policy app: new action s3:DeleteObject (Sid Read), policy app: new resource arn:aws:s3:::other/* (Sid Read)",
            result.Summary);
        var (topicArn, subject, message) = Assert.Single(topics.Published);
        Assert.Equal("arn:aws:sns:us-east-1:123456789012:hello-pipeline-notifications", topicArn);
        Assert.Equal("hello: hello-prod-app widens permissions", subject);
        Assert.Contains("Approve or reject SecurityApproval-prod in stage Deploy-prod of pipeline hello-pipeline.", message);
        Assert.Contains("  FnRole: policy app: new action s3:DeleteObject (Sid Read)", message);
        Assert.Contains("  Modify FnRole (AWS::IAM::Role)", message);
        Assert.DoesNotContain("PutApprovalResult", pipeline.Calls);
        Assert.Equal("InProgress", (await pipeline.GetPipelineStateAsync("hello-pipeline")).Stages[0].Actions[0].LatestExecution!.Status);
    }

    [Fact]
    public async Task Check_WithSecurityApprovalAlways_SendsTheDiffEvenWhenNothingWidens()
    {
        await CreateChangeSetAsync(Deployed, "data", Change("Modify", "Fn", "AWS::Lambda::Function"));
        var run = await pipeline.StartPipelineExecutionAsync("hello-pipeline", "t");

        var result = await Check(SecurityApproval.Always).RunAsync(run, CancellationToken.None);

        Assert.Equal((false, true, "no security changes"), (result.Approved, result.Notified, result.Summary));
        Assert.Equal("hello: hello-prod-app needs a security review (securityApproval: always)", topics.Published.Single().Subject);
        Assert.DoesNotContain("PutApprovalResult", pipeline.Calls);
    }

    [Fact]
    public async Task Check_WhenTheChangeSetCreatesTheStack_EveryStatementIsNew()
    {
        var fresh = new FakeCloudFormation(time, "444444444444", "eu-west-1");
        await fresh.CreateChangeSetAsync(Request(ChangeSetType.Create, Deployed, "data"));
        var check = new SecurityCheck(Config(SecurityApproval.Broadening), Prod(SecurityApproval.Broadening), fresh, pipeline, topics, time);

        var result = await check.RunAsync(null, CancellationToken.None);

        Assert.True(result.Changes.Widens);
        Assert.Contains("FnRole: trust: new statement: principals Service:lambda.amazonaws.com", result.Summary);
        Assert.Single(topics.Published);
    }

    [Fact]
    public async Task Check_WhenTheApprovalWaitsForAnotherRun_ApprovesNothing()
    {
        await CreateChangeSetAsync(Deployed, "data", Change("Modify", "Fn", "AWS::Lambda::Function"));
        await pipeline.StartPipelineExecutionAsync("hello-pipeline", "t");

        var result = await Check(SecurityApproval.Broadening).RunAsync("exec-older", CancellationToken.None);

        Assert.False(result.Approved);
        Assert.DoesNotContain("PutApprovalResult", pipeline.Calls);
        Assert.True(time.GetUtcNow() >= new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero) + SecurityCheck.TokenWait);
    }

    [Fact]
    public void Summary_OfManyFindings_IsCutToItsLimit()
    {
        var statements = string.Join(",", Enumerable.Range(0, 40).Select(i =>
            $$"""{"Sid":"S{{i}}","Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::bucket-number-{{i}}/*"}"""));
        var template = """{"Resources":{"P":{"Type":"AWS::IAM::ManagedPolicy","Properties":{"PolicyDocument":{"Statement":[""" + statements + "]}}}}}";

        var summary = SecurityChanges.Of("{}", new Dictionary<string, string>(), template, new Dictionary<string, string>(), []).Summary();

        Assert.Equal(SecurityChanges.SummaryMaxLength, summary.Length);
        Assert.EndsWith("...", summary);
    }

    [Fact]
    public void Find_NamesAnUnknownOrUngatedEnvironment()
    {
        var config = Config(SecurityApproval.Never);

        var unknown = Assert.Throws<ConfigurationException>(() => SecurityCheckRun.Find(config, "staging"));
        var never = Assert.Throws<ConfigurationException>(() => SecurityCheckRun.Find(config, "prod"));
        var missing = Assert.Throws<ConfigurationException>(() => SecurityCheckRun.Find(config, null));

        Assert.Equal("--environment: \"staging\" is not an environment of pipeline.json (dev, prod)", unknown.Message);
        Assert.Equal("--environment: environment \"prod\" has \"securityApproval\": \"never\"; it has no security check", never.Message);
        Assert.Equal("--environment: is required: the environment whose change set to check", missing.Message);
    }

    private static ResourceChange Change(string action, string logicalId, string type) => new(action, logicalId, null, type, "False");

    private static EnvironmentSettings Prod(SecurityApproval gate) =>
        new("prod", "444444444444", "eu-west-1", Approval: true, SecurityApproval: gate);

    private static PipelineConfig Config(SecurityApproval gate) =>
        PipelineConfigLoader.Parse($$"""
            {
              "name": "hello",
              "build": { "account": "123456789012", "region": "us-east-1" },
              "environments": [
                { "name": "dev",  "account": "222222222222", "region": "us-east-1" },
                { "name": "prod", "account": "444444444444", "region": "eu-west-1", "approval": true, "securityApproval": "{{gate.ToString().ToLowerInvariant()}}" }
              ]
            }
            """, "pipeline.json", ConfigContext.WithoutProfiles);

    private static CreateChangeSetRequest Request(ChangeSetType type, string template, string bucket) =>
        new(Stack, ChangeSetName, type, template, null, new Dictionary<string, string> { ["Bucket"] = bucket },
            new Dictionary<string, string>(), ["CAPABILITY_NAMED_IAM"], "token");

    private SecurityCheck Check(SecurityApproval gate)
    {
        var config = Config(gate);
        return new SecurityCheck(config, config.Environments.Single(e => e.Name == "prod"), target, pipeline, topics, time);
    }

    private async Task CreateChangeSetAsync(string template, string bucket, params ResourceChange[] changes)
    {
        target.ChangesFor = (_, _) => changes;
        await target.CreateChangeSetAsync(Request(ChangeSetType.Update, template, bucket));
        await target.DescribeChangeSetAsync(Stack, ChangeSetName);
    }

    private sealed class RecordingTopics : ISimpleNotification
    {
        public List<(string TopicArn, string Subject, string Message)> Published { get; } = [];

        public Task<string> PublishAsync(string topicArn, string subject, string message, CancellationToken ct = default)
        {
            Published.Add((topicArn, subject, message));
            return Task.FromResult($"m-{Published.Count}");
        }

        public Task<IReadOnlyDictionary<string, string>?> GetTopicAttributesAsync(string topicArn, CancellationToken ct = default) =>
            throw new NotSupportedException("The security check publishes; it reads no topic.");
    }
}
