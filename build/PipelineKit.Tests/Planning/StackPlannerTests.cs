namespace PipelineKit.Tests.Planning;

using PipelineKit.Aws;
using PipelineKit.Deployment;
using PipelineKit.Planning;
using PipelineKit.Testing;

/// <summary>Plan previews a stack and changes nothing but a change set it creates, describes and deletes.</summary>
public class StackPlannerTests
{
    private const string Name = "hello-roles";
    private static readonly StackLocation Location = new("222222222222", "us-east-1");
    private static readonly StackRef Ref = new("roles:222222222222", Name, Location);

    private const string Deployed = """
        Parameters:
          Trusted: { Type: CommaDelimitedList }
          Topic: { Type: String, Default: 'no' }
        Conditions:
          WithTopic: !Equals [!Ref Topic, 'yes']
        Resources:
          ActionRole:
            Type: AWS::IAM::Role
            Properties:
              AssumeRolePolicyDocument:
                Statement:
                  - Effect: Allow
                    Principal: { AWS: !Ref Trusted }
                    Action: sts:AssumeRole
                    Condition: { Bool: { aws:MultiFactorAuthPresent: true } }
              Policies:
                - PolicyName: deploy
                  PolicyDocument:
                    Statement:
                      - { Effect: Allow, Action: [cloudformation:CreateChangeSet], Resource: !Sub 'arn:aws:cloudformation:${AWS::Region}:*:stack/app/*' }
          Bucket:
            Type: AWS::S3::Bucket
          Topic:
            Type: AWS::SNS::Topic
            Condition: WithTopic
        Outputs:
          ActionRoleArn: { Value: !GetAtt ActionRole.Arn }
        """;

    private readonly VirtualTime time = new();
    private readonly FakeCloudFormation cfn;

    public StackPlannerTests() => cfn = new FakeCloudFormation(time, Location.AccountId, Location.Region);

    private static StackDeployment Desired(string template = Deployed, string trusted = "arn:aws:iam::111111111111:role/a", bool protection = true) =>
        new(Name, Location, template, new Dictionary<string, string> { ["Trusted"] = trusted },
            new Dictionary<string, string> { ["pipelinekit:pipeline"] = "hello" }, protection, StackDeployment.NamedIam);

    private StackPlanner Planner() => new(new StackDeployer(time, PollingPolicy.Default, new RecordingObserver()));

    private async Task<StackPlan> Plan(StackDeployment desired)
    {
        var planner = Planner();
        await planner.DeployAsync(cfn, Ref, desired);
        return planner.Plans[Ref.Key];
    }

    private void Seed(StackStatus status, bool protection = true) =>
        cfn.Seed(Name, status, Deployed, Desired().Parameters, Desired().Tags, new Dictionary<string, string> { ["ActionRoleArn"] = "arn:role" }, protection);

    [Fact]
    public async Task NewStack_IsListedFromItsTemplate_WithoutAStackLeftBehind()
    {
        var plan = await Plan(Desired());

        Assert.Equal(PlanStatus.Create, plan.Status);
        Assert.Equal(["Add ActionRole AWS::IAM::Role True", "Add Bucket AWS::S3::Bucket False"],
            plan.Resources.Select(r => $"{r.Action} {r.LogicalId} {r.ResourceType} {r.Security}"));
        Assert.Empty(cfn.MutatingCalls);
        Assert.Null(cfn.Peek(Name));
    }

    [Fact]
    public async Task NewStack_GivesTheGraphPlaceholderOutputsShapedLikeWhatTheyName()
    {
        var result = await Planner().DeployAsync(cfn, Ref, Desired());

        Assert.Equal($"arn:aws:iam::222222222222:role/{StackPlanner.Unknown}", result.Outputs["ActionRoleArn"]);
    }

    [Fact]
    public async Task RollbackCompleteStack_IsReportedAsRecreated_AndLeftAlone()
    {
        Seed(StackStatus.RollbackComplete);

        var plan = await Plan(Desired());

        Assert.Equal(PlanStatus.Recreate, plan.Status);
        Assert.Contains("would be deleted and recreated", plan.Note, StringComparison.Ordinal);
        Assert.Empty(cfn.MutatingCalls);
        Assert.Equal(StackStatus.RollbackComplete, cfn.Peek(Name)!.Status);
    }

    [Fact]
    public async Task ReviewInProgressStack_IsANewStack_AndNoChangeSetIsCreated()
    {
        Seed(StackStatus.ReviewInProgress);

        var plan = await Plan(Desired());

        Assert.Equal(PlanStatus.Create, plan.Status);
        Assert.Empty(cfn.MutatingCalls);
    }

    [Fact]
    public async Task StackAsDesired_IsUnchanged_WithoutChangeSet_AndTerminationProtectionUntouched()
    {
        Seed(StackStatus.UpdateComplete, protection: false);

        var plan = await Plan(Desired(protection: true));

        Assert.Equal(PlanStatus.Unchanged, plan.Status);
        Assert.Empty(cfn.MutatingCalls);
        Assert.False(cfn.Peek(Name)!.TerminationProtection);
    }

    [Fact]
    public async Task ChangedStack_OnlyCreatesAndDeletesAChangeSet_AndLeavesStaleOnesAndProtectionAlone()
    {
        Seed(StackStatus.UpdateComplete, protection: false);
        cfn.ChangesFor = (_, _) => [new ResourceChange("Modify", "ActionRole", "hello-action", "AWS::IAM::Role", "False")];

        var plan = await Plan(Desired(trusted: "arn:aws:iam::111111111111:role/a,arn:aws:iam::999999999999:role/b"));

        Assert.Equal(PlanStatus.Update, plan.Status);
        Assert.Equal(["CreateChangeSet", "DeleteChangeSet"], cfn.MutatingCalls);
        // The preview's change set is deleted (CloudFormation lists it as DELETE_PENDING for a while).
        Assert.All((await cfn.ListChangeSetsAsync(Name)).Summaries, s => Assert.Equal(ChangeSetStatus.DeletePending, s.Status));
        Assert.False(cfn.Peek(Name)!.TerminationProtection);
        var role = Assert.Single(plan.Resources);
        Assert.True(role.Security);
        Assert.Equal("False", role.Replacement);
        Assert.Equal(["trust: new principal AWS:arn:aws:iam::999999999999:role/b"], role.Widening);
    }

    [Fact]
    public async Task NewActionAndRemovedCondition_AreNamedAsWidening()
    {
        Seed(StackStatus.UpdateComplete);
        cfn.ChangesFor = (_, _) => [new ResourceChange("Modify", "ActionRole", "hello-action", "AWS::IAM::Role", "Conditional")];
        var widened = Deployed
            .Replace("Condition: { Bool: { aws:MultiFactorAuthPresent: true } }", "# no condition", StringComparison.Ordinal)
            .Replace("[cloudformation:CreateChangeSet]", "[cloudformation:CreateChangeSet, iam:PassRole]", StringComparison.Ordinal);

        var role = Assert.Single((await Plan(Desired(template: widened))).Resources);

        Assert.Equal(
            ["trust: condition removed Bool aws:MultiFactorAuthPresent", "policy deploy: new action iam:PassRole"],
            role.Widening);
    }

    [Fact]
    public async Task WideningThatTheChangeSetDoesNotName_IsStillListed()
    {
        Seed(StackStatus.UpdateComplete);
        cfn.ChangesFor = (_, _) => [new ResourceChange("Modify", "Bucket", "b", "AWS::S3::Bucket", "False")];

        var plan = await Plan(Desired(trusted: "arn:aws:iam::111111111111:role/a,arn:aws:iam::999999999999:role/b"));

        Assert.Equal(["Bucket False", "ActionRole True"], plan.Resources.Select(r => $"{r.LogicalId} {r.Security}"));
    }

    [Fact]
    public async Task StackNeedingAnOperator_IsAnError_AndNothingIsTouched()
    {
        Seed(StackStatus.UpdateRollbackFailed);

        await Assert.ThrowsAsync<DeploymentException>(() => Planner().DeployAsync(cfn, Ref, Desired()));

        Assert.Empty(cfn.MutatingCalls);
    }
}
