namespace PipelineKit.Tests.Aws;

using System.Text.Json;
using Amazon.Runtime;
using PipelineKit.Aws;
using PipelineKit.Tests.Integration;

/// <summary>The IAM client against the emulator: roles made with the AWS CLI and through CloudFormation, read back.</summary>
[Collection("moto")]
public sealed class IdentityManagementClientMotoTests : IDisposable
{
    private const string Trust =
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"codepipeline.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}";

    // Characters IAM's URL encoding must carry: space, plus, percent, slash, ampersand.
    private const string Inline =
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::imt-b/a b+c%d&e\"}]}";

    private const string Boundary =
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"s3:*\",\"kms:*\"],\"Resource\":\"*\"}]}";

    private const string PowerUserAccess = "arn:aws:iam::aws:policy/PowerUserAccess";

    private readonly AwsCallLog callLog = new();
    private readonly AWSCredentials credentials = new BasicAWSCredentials("testing", "testing");
    private readonly MotoFixture moto;
    private readonly AwsClientFactory factory;

    public IdentityManagementClientMotoTests(MotoFixture moto)
    {
        this.moto = moto;
        factory = moto.Clients(callLog);
    }

    public void Dispose() => factory.Dispose();

    [Fact]
    public async Task RoleMadeWithTheCli_ReadsBackAsCreated()
    {
        var boundaryArn = "arn:aws:iam::123456789012:policy/imt-boundary";
        await moto.Cli(null, "iam", "create-policy", "--policy-name", "imt-boundary", "--policy-document", Boundary);
        await moto.Cli(null, "iam", "create-role", "--role-name", "imt-role", "--assume-role-policy-document", Trust,
            "--permissions-boundary", boundaryArn);
        await moto.Cli(null, "iam", "put-role-policy", "--role-name", "imt-role", "--policy-name", "inline", "--policy-document", Inline);
        await moto.Cli(null, "iam", "attach-role-policy", "--role-name", "imt-role", "--policy-arn", PowerUserAccess);
        await moto.Cli(null, "iam", "attach-role-policy", "--role-name", "imt-role", "--policy-arn", boundaryArn);
        var iam = factory.Iam(credentials);

        Assert.Equal(new RoleDescription("imt-role", "arn:aws:iam::123456789012:role/imt-role", Trust, boundaryArn), await iam.GetRoleAsync("imt-role"));
        Assert.Equal(["inline"], await iam.ListRolePolicyNamesAsync("imt-role"));
        Assert.Equal(Inline, await iam.GetRolePolicyDocumentAsync("imt-role", "inline"));
        Assert.Equal([boundaryArn, PowerUserAccess], (await iam.ListAttachedRolePolicyArnsAsync("imt-role")).Order(StringComparer.Ordinal));
        Assert.Equal(Boundary, await iam.GetManagedPolicyDocumentAsync(boundaryArn));
        Assert.Contains("\"NotAction\"", await iam.GetManagedPolicyDocumentAsync(PowerUserAccess), StringComparison.Ordinal);
        var listed = Assert.Single(await iam.ListRolesAsync(), r => r.RoleName == "imt-role");
        Assert.Equal(Trust, listed.AssumeRolePolicyDocument);
        Assert.Null(await iam.GetRoleAsync("imt-missing"));
    }

    [Fact]
    public async Task ManagedPolicyDocument_IsTheDefaultVersion()
    {
        const string arn = "arn:aws:iam::123456789012:policy/imt-versions";
        const string second = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"Second\",\"Effect\":\"Deny\",\"Action\":\"*\",\"Resource\":\"*\"}]}";
        await moto.Cli(null, "iam", "create-policy", "--policy-name", "imt-versions", "--policy-document", Boundary);
        await moto.Cli(null, "iam", "create-policy-version", "--policy-arn", arn, "--policy-document", second, "--set-as-default");

        Assert.Equal(second, await factory.Iam(credentials).GetManagedPolicyDocumentAsync(arn));
    }

    [Fact]
    public async Task RoleDeployedByCloudFormation_ReadsBackAsTheTemplateSays()
    {
        const string template =
            "Resources:\n" +
            "  Boundary:\n" +
            "    Type: AWS::IAM::ManagedPolicy\n" +
            "    Properties:\n" +
            "      ManagedPolicyName: imt-cfn-boundary\n" +
            "      PolicyDocument: {Version: '2012-10-17', Statement: [{Effect: Allow, Action: '*', Resource: '*'}]}\n" +
            "  Role:\n" +
            "    Type: AWS::IAM::Role\n" +
            "    Properties:\n" +
            "      RoleName: imt-cfn-role\n" +
            "      AssumeRolePolicyDocument: {Version: '2012-10-17', Statement: [{Effect: Allow, Principal: {Service: cloudformation.amazonaws.com}, Action: 'sts:AssumeRole'}]}\n" +
            "      PermissionsBoundary: !Ref Boundary\n" +
            $"      ManagedPolicyArns: [{PowerUserAccess}]\n" +
            "      Policies:\n" +
            "        - PolicyName: read-artifacts\n" +
            "          PolicyDocument: {Version: '2012-10-17', Statement: [{Sid: ReadArtifacts, Effect: Allow, Action: ['s3:GetObject'], Resource: 'arn:aws:s3:::imt/*'}]}\n";
        await MotoStacks.DeployAsync(factory.CloudFormation(credentials, "us-east-1"), "imt-cfn", template);
        var iam = factory.Iam(credentials);
        callLog.Reset();

        var role = await iam.GetRoleAsync("imt-cfn-role");
        var inline = await iam.GetRolePolicyDocumentAsync("imt-cfn-role", "read-artifacts");

        Assert.NotNull(role);
        Assert.Equal("arn:aws:iam::123456789012:policy/imt-cfn-boundary", role.PermissionsBoundaryArn);
        Assert.Equal("cloudformation.amazonaws.com",
            JsonDocument.Parse(role.AssumeRolePolicyDocument).RootElement.GetProperty("Statement")[0].GetProperty("Principal").GetProperty("Service").GetString());
        Assert.Equal("ReadArtifacts", JsonDocument.Parse(inline).RootElement.GetProperty("Statement")[0].GetProperty("Sid").GetString());
        Assert.Equal([PowerUserAccess], await iam.ListAttachedRolePolicyArnsAsync("imt-cfn-role"));
        Assert.Equal(
            ["IAM:GetRole", "IAM:GetRolePolicy", "IAM:ListAttachedRolePolicies"],
            callLog.Calls.Select(c => $"{c.Service}:{c.Operation}"));
        Assert.All(callLog.Calls, c => Assert.Equal("us-east-1", c.Region));
    }
}
