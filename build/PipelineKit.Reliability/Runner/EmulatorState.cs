namespace PipelineKit.Reliability.Runner;

using Amazon.Runtime;
using Amazon.SecurityToken.Model;
using PipelineKit.Aws;
using YamlDotNet.RepresentationModel;

/// <summary>
/// The emulator as a person with a console would see and change it, straight to moto (not through the proxy): reads
/// each kit stack's status, and makes a scenario's starting state by hand: a stack deleted with its retained resources,
/// a stack left in REVIEW_IN_PROGRESS without a change set, a leftover change set, a stack missing an output.
/// Target accounts are reached through OrganizationAccountAccessRole, as the kit does.
/// </summary>
public sealed class EmulatorState(string emulatorUrl) : IDisposable
{
    private static readonly AWSCredentials BuildKeys = new BasicAWSCredentials("testing", "testing");
    private readonly AwsClientFactory clients = new(new AwsEndpoints(_ => null, emulatorUrl), new AwsCallLog());
    private readonly Dictionary<string, AWSCredentials> credentials = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim gate = new(1, 1);

    public async Task<ICloudFormation> CloudFormationAsync(KitStack stack) =>
        clients.CloudFormation(await CredentialsAsync(stack.Account).ConfigureAwait(false), stack.Region);

    public async Task<StackDescription?> DescribeAsync(KitStack stack) =>
        await (await CloudFormationAsync(stack).ConfigureAwait(false)).DescribeStackAsync(stack.Name).ConfigureAwait(false);

    /// <summary>Deletes a stack as an operator would (termination protection off first); resources the template
    /// retains (buckets, keys) stay behind.</summary>
    public async Task DeleteStackAsync(KitStack stack)
    {
        var cfn = await CloudFormationAsync(stack).ConfigureAwait(false);
        await cfn.UpdateTerminationProtectionAsync(stack.Name, enable: false).ConfigureAwait(false);
        await cfn.DeleteStackAsync(stack.Name, $"reliability-delete-{Guid.NewGuid():N}").ConfigureAwait(false);
    }

    /// <summary>A first create that stopped after its change set was made and the change set then deleted: the stack
    /// exists in REVIEW_IN_PROGRESS with no change set.</summary>
    public async Task ReviewInProgressAsync(KitStack stack)
    {
        var cfn = await CloudFormationAsync(stack).ConfigureAwait(false);
        const string template = "Resources:\n  Handle:\n    Type: AWS::CloudFormation::WaitConditionHandle\n";
        var name = $"reliability-review-{Guid.NewGuid():N}"[..32];
        await cfn.CreateChangeSetAsync(new CreateChangeSetRequest(stack.Name, name, ChangeSetType.Create, template, null,
            new Dictionary<string, string>(), new Dictionary<string, string>(), [], Guid.NewGuid().ToString("N"))).ConfigureAwait(false);
        await cfn.DeleteChangeSetAsync(stack.Name, name).ConfigureAwait(false);
    }

    /// <summary>A change set named as the kit names its own, created and never executed (an interrupted run's).</summary>
    public async Task LeftoverChangeSetAsync(KitStack stack, string name)
    {
        var cfn = await CloudFormationAsync(stack).ConfigureAwait(false);
        var deployed = await cfn.DescribeStackAsync(stack.Name).ConfigureAwait(false) ?? throw new InvalidOperationException($"{stack} is missing");
        var template = await cfn.GetTemplateBodyAsync(stack.Name).ConfigureAwait(false);
        await cfn.CreateChangeSetAsync(new CreateChangeSetRequest(stack.Name, name, ChangeSetType.Update, template + "\n# changed by hand\n", null,
            deployed.Parameters, deployed.Tags, ["CAPABILITY_NAMED_IAM"], Guid.NewGuid().ToString("N"))).ConfigureAwait(false);
    }

    /// <summary>Updates a stack with its own template less one output, as a hand edit in the console would leave it.</summary>
    public async Task RemoveOutputAsync(KitStack stack, string output)
    {
        var cfn = await CloudFormationAsync(stack).ConfigureAwait(false);
        var deployed = await cfn.DescribeStackAsync(stack.Name).ConfigureAwait(false) ?? throw new InvalidOperationException($"{stack} is missing");
        var yaml = new YamlStream();
        yaml.Load(new StringReader(await cfn.GetTemplateBodyAsync(stack.Name).ConfigureAwait(false)));
        var root = (YamlMappingNode)yaml.Documents[0].RootNode;
        var outputs = (YamlMappingNode)root.Children[new YamlScalarNode("Outputs")];
        if (!outputs.Children.Remove(new YamlScalarNode(output))) throw new InvalidOperationException($"{stack} has no output {output}");
        var text = new StringWriter();
        yaml.Save(text, assignAnchors: false);
        var name = $"reliability-edit-{Guid.NewGuid():N}"[..30];
        await cfn.CreateChangeSetAsync(new CreateChangeSetRequest(stack.Name, name, ChangeSetType.Update, text.ToString(), null,
            deployed.Parameters, deployed.Tags, ["CAPABILITY_NAMED_IAM"], Guid.NewGuid().ToString("N"))).ConfigureAwait(false);
        await cfn.ExecuteChangeSetAsync(stack.Name, name, Guid.NewGuid().ToString("N")).ConfigureAwait(false);
    }

    /// <summary>A bucket made by hand (as a retained bucket of an earlier stack would be), so a stack that creates a
    /// bucket of that name fails there.</summary>
    public async Task CreateBucketAsync(string account, string region, string bucket)
    {
        var s3 = clients.S3(await CredentialsAsync(account).ConfigureAwait(false), region);
        await s3.PutBucketAsync(new Amazon.S3.Model.PutBucketRequest { BucketName = bucket, BucketRegion = region == "us-east-1" ? null : region }).ConfigureAwait(false);
    }

    private async Task<AWSCredentials> CredentialsAsync(string account)
    {
        if (account == Workspace.BuildAccount) return BuildKeys;
        await gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (credentials.TryGetValue(account, out var known)) return known;
            var sts = clients.SecurityTokenService(BuildKeys, Workspace.BuildRegion);
            var assumed = await sts.AssumeRoleAsync(new AssumeRoleRequest
            {
                RoleArn = $"arn:aws:iam::{account}:role/OrganizationAccountAccessRole", RoleSessionName = "reliability",
            }).ConfigureAwait(false);
            var keys = new SessionAWSCredentials(assumed.Credentials.AccessKeyId, assumed.Credentials.SecretAccessKey, assumed.Credentials.SessionToken);
            credentials[account] = keys;
            return keys;
        }
        finally
        {
            gate.Release();
        }
    }

    public void Dispose()
    {
        clients.Dispose();
        gate.Dispose();
    }
}
