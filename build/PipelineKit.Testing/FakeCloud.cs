namespace PipelineKit.Testing;

using PipelineKit.Aws;
using PipelineKit.Deployment;
using PipelineKit.Orchestration;

/// <summary>One FakeCloudFormation per account and region, with the outputs the foundation templates declare.</summary>
public sealed class FakeCloud(TimeProvider time)
{
    private readonly Dictionary<StackLocation, FakeCloudFormation> regions = [];
    private readonly List<(StackLocation Location, string StackName)> deletions = [];

    /// <summary>The buckets, keys and roles outside any stack, in every account and region: what IMPORT change sets adopt.</summary>
    public FakeResources Resources { get; } = new();

    public FakeCloudFormation At(StackLocation location)
    {
        lock (regions)
        {
            if (!regions.TryGetValue(location, out var cfn))
            {
                cfn = new FakeCloudFormation(time, location.AccountId, location.Region)
                {
                    OutputsFor = p => FoundationOutputs(location, p),
                    DeleteStarted = name => { lock (deletions) deletions.Add((location, name)); },
                    Resources = Resources,
                };
                regions[location] = cfn;
            }

            return cfn;
        }
    }

    public Task<ICloudFormation> CloudFormationAt(StackLocation location, CancellationToken ct) => Task.FromResult<ICloudFormation>(At(location));

    public IReadOnlyList<string> MutatingCalls
    {
        get { lock (regions) return regions.Values.SelectMany(r => r.MutatingCalls).ToArray(); }
    }

    /// <summary>Every DeleteStack that started a deletion, in any account and region, in the order the calls arrived.</summary>
    public IReadOnlyList<(StackLocation Location, string StackName)> Deletions
    {
        get { lock (deletions) return deletions.ToArray(); }
    }

    public IReadOnlyDictionary<StackLocation, FakeCloudFormation> Regions { get { lock (regions) return new Dictionary<StackLocation, FakeCloudFormation>(regions); } }

    private static IReadOnlyDictionary<string, string> FoundationOutputs(StackLocation at, IReadOnlyDictionary<string, string> parameters)
    {
        var name = parameters.GetValueOrDefault("PipelineName", "x");
        if (parameters.ContainsKey("BuildAccountId"))
        {
            return new Dictionary<string, string>
            {
                ["PipelineActionRoleArn"] = $"arn:aws:iam::{at.AccountId}:role/{name}-pipeline-action",
                ["ExecutionRoleArn"] = $"arn:aws:iam::{at.AccountId}:role/{name}-cfn-execution",
            };
        }

        var bucket = $"{name}-artifacts-{at.AccountId}-{at.Region}";
        var outputs = new Dictionary<string, string>
        {
            ["ArtifactBucketName"] = bucket,
            ["ArtifactBucketArn"] = "arn:aws:s3:::" + bucket,
            ["ArtifactKeyArn"] = $"arn:aws:kms:{at.Region}:{at.AccountId}:key/{at.Region}-key",
            ["ArtifactKeyAlias"] = $"alias/{name}-artifacts",
        };
        if (parameters.GetValueOrDefault("StackRole") == "primary")
        {
            // foundation.yaml's primary-only outputs.
            outputs["NotificationsKeyArn"] = $"arn:aws:kms:{at.Region}:{at.AccountId}:key/{at.Region}-notifications-key";
            outputs["DeployerRoleArn"] = $"arn:aws:iam::{at.AccountId}:role/{name}-deployer";
            outputs["PipelineExecutionRoleArn"] = $"arn:aws:iam::{at.AccountId}:role/{name}-pipeline-cfn-execution";
        }

        return outputs;
    }
}
