namespace PipelineKit.Tests.Templates;

using System.Text.Json.Nodes;
using PipelineKit.Orchestration;
using PipelineKit.Planning;

/// <summary>source-account.yaml's grants, as deployed: the source role reads the one repository and writes the pipeline's
/// artifacts only, trusted by the pipeline's role alone; the forwarding role puts events on the build account's bus only.</summary>
public sealed class SourceAccountTemplateTests
{
    private static readonly JsonObject Resources = TemplateReader.Read(Templates.SourceAccount)["Resources"]!.AsObject();

    [Fact]
    public void SourceRole_IsTrustedByThePipelinesRoleAlone()
    {
        var trust = Assert.Single(Statements(Resources["SourceActionRole"]!, "AssumeRolePolicyDocument"));

        Assert.Equal("sts:AssumeRole", (string?)trust["Action"]);
        Assert.Equal("arn:${AWS::Partition}:iam::${BuildAccountId}:root", Sub(trust["Principal"]!["AWS"]));
        var condition = Assert.Single(trust["Condition"]!.AsObject());
        Assert.Equal("ArnEquals", condition.Key);
        Assert.Equal("arn:${AWS::Partition}:iam::${BuildAccountId}:role/${PipelineName}-pipeline-role", Sub(condition.Value!["aws:PrincipalArn"]));
    }

    [Fact]
    public void SourceRole_MayReadTheRepository_WriteThePipelinesArtifacts_AndUseTheKeyThroughS3_Only()
    {
        var statements = PolicyStatements(Resources["SourceActionRole"]!).ToDictionary(s => (string)s["Sid"]!);

        Assert.Equal(["EncryptTheSourceArtifactThroughS3", "ReadTheRepository", "WriteTheSourceArtifact"], statements.Keys.Order(StringComparer.Ordinal));
        Assert.All(statements.Values, s => Assert.Equal("Allow", (string?)s["Effect"]));
        Assert.Equal(
            ["codecommit:CancelUploadArchive", "codecommit:GetBranch", "codecommit:GetCommit", "codecommit:GetUploadArchiveStatus", "codecommit:UploadArchive"],
            Actions(statements["ReadTheRepository"]));
        Assert.Equal("arn:${AWS::Partition}:codecommit:${AWS::Region}:${AWS::AccountId}:${RepositoryName}", Sub(statements["ReadTheRepository"]["Resource"]));
        Assert.Equal(["s3:GetObject", "s3:GetObjectVersion", "s3:PutObject"], Actions(statements["WriteTheSourceArtifact"]));
        Assert.Equal("${ArtifactBucketArn}/${PipelineArtifactPrefix}/Source/*", Sub(statements["WriteTheSourceArtifact"]["Resource"]));
        var kms = statements["EncryptTheSourceArtifactThroughS3"];
        Assert.Equal(["kms:Decrypt", "kms:GenerateDataKey*"], Actions(kms));
        Assert.Equal("ArtifactKeyArn", (string?)kms["Resource"]!["Ref"]);
        Assert.Equal("s3.${AWS::Region}.amazonaws.com", Sub(kms["Condition"]!["StringEquals"]!["kms:ViaService"]));
    }

    [Fact]
    public void ForwardingRole_IsForTheRuleAlone_AndPutsEventsOnTheBuildAccountsDefaultBusOnly()
    {
        var role = Resources["ForwardingRole"]!;
        var trust = Assert.Single(Statements(role, "AssumeRolePolicyDocument"));
        Assert.Equal("events.amazonaws.com", (string?)trust["Principal"]!["Service"]);
        Assert.Equal("arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:rule/${PipelineName}-source-forwarding",
            Sub(trust["Condition"]!["ArnEquals"]!["aws:SourceArn"]));
        Assert.Equal("AWS::AccountId", (string?)trust["Condition"]!["StringEquals"]!["aws:SourceAccount"]!["Ref"]);

        var statement = Assert.Single(PolicyStatements(role));
        Assert.Equal(["events:PutEvents"], Actions(statement));
        Assert.Equal("arn:${AWS::Partition}:events:${AWS::Region}:${BuildAccountId}:event-bus/default", Sub(statement["Resource"]));
    }

    [Fact]
    public void ForwardingRule_MatchesTheBranchOfTheRepository_AndTargetsTheBuildAccountsBusAsTheForwardingRole()
    {
        var properties = Resources["ForwardingRule"]!["Properties"]!;
        var pattern = properties["EventPattern"]!;

        Assert.Equal("default", (string?)properties["EventBusName"]);
        Assert.Equal("""["aws.codecommit"]""", pattern["source"]!.ToJsonString());
        Assert.Equal("arn:${AWS::Partition}:codecommit:${AWS::Region}:${AWS::AccountId}:${RepositoryName}", Sub(pattern["resources"]![0]));
        Assert.Equal("BranchName", (string?)pattern["detail"]!["referenceName"]![0]!["Ref"]);
        Assert.Equal("""["branch"]""", pattern["detail"]!["referenceType"]!.ToJsonString());
        var target = Assert.Single(properties["Targets"]!.AsArray())!;
        Assert.Equal("arn:${AWS::Partition}:events:${AWS::Region}:${BuildAccountId}:event-bus/default", Sub(target["Arn"]));
        Assert.Equal("ForwardingRole", (string?)target["RoleArn"]!["Fn::GetAtt"]![0]);
    }

    [Fact]
    public void BuildAccountsBus_AdmitsTheSourceAccountsForwardingRoleOnly()
    {
        var foundation = TemplateReader.Read(Templates.Foundation)["Resources"]!.AsObject();
        var statement = foundation["SourceAccountPutsEvents"]!["Properties"]!["Statement"]!;

        Assert.Equal("events:PutEvents", (string?)statement["Action"]);
        var principal = statement["Principal"]!["AWS"]!["Fn::Sub"]!.AsArray();
        var forwarding = statement["Condition"]!["ArnEquals"]!["aws:PrincipalArn"]!["Fn::Sub"]!.AsArray();
        Assert.Equal("${Account}:root", (string?)principal[0]);
        Assert.Equal("${Account}:role/${PipelineName}-source-forwarding", (string?)forwarding[0]);
        // Both name the account of the source role, the one account the source stack is deployed into.
        Assert.Equal(principal[1]!.ToJsonString(), forwarding[1]!.ToJsonString());
        Assert.Contains("SourceRoleArn", forwarding[1]!.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal("${PipelineName}-source-forwarding", Sub(Resources["ForwardingRole"]!["Properties"]!["RoleName"]));
    }

    [Fact]
    public void Template_GrantsNothingOnEveryResource()
    {
        var statements = Resources.Select(r => r.Value!).Where(r => (string?)r["Type"] == "AWS::IAM::Role").SelectMany(PolicyStatements);

        Assert.All(statements, s => Assert.NotEqual("*", (string?)(s["Resource"] as JsonValue)));
        Assert.All(statements, s => Assert.All(Actions(s), a => Assert.DoesNotContain("*", a.Split(':')[1].TrimEnd('*'), StringComparison.Ordinal)));
    }

    private static IEnumerable<JsonNode> Statements(JsonNode role, string document) =>
        role["Properties"]![document]!["Statement"]!.AsArray().Select(s => s!);

    private static IEnumerable<JsonNode> PolicyStatements(JsonNode role) =>
        role["Properties"]!["Policies"]!.AsArray().SelectMany(p => p!["PolicyDocument"]!["Statement"]!.AsArray()).Select(s => s!);

    private static string[] Actions(JsonNode statement) =>
        statement["Action"] is JsonArray list ? [.. list.Select(a => (string)a!).Order(StringComparer.Ordinal)] : [(string)statement["Action"]!];

    /// <summary>The string of a !Sub (or a plain string).</summary>
    private static string? Sub(JsonNode? node) => node is JsonObject sub ? (string?)sub["Fn::Sub"] : (string?)node;
}
