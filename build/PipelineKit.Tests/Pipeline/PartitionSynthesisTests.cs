namespace PipelineKit.Tests.Pipeline;

using System.Text.Json.Nodes;

/// <summary>A pipeline in GovCloud names every role, boundary, stack, key and rule in aws-us-gov: an ARN of the commercial
/// partition there names nothing, and CloudFormation refuses it ("Partition "aws" is not valid for resource ...").</summary>
[Collection(SynthesizedPipelinesCollection.Name)]
public sealed class PartitionSynthesisTests(PipelineTemplates templates)
{
    private SynthesizedCase Gov => templates[PipelineTemplates.GovCloud];

    private static IEnumerable<string> Strings(JsonNode? node) => node switch
    {
        JsonObject o => o.SelectMany(p => Strings(p.Value)),
        JsonArray a => a.SelectMany(Strings),
        JsonValue v when v.TryGetValue<string>(out var s) => [s],
        _ => [],
    };

    private IEnumerable<JsonObject> Actions() =>
        Gov.Stages.SelectMany(s => s!["Actions"]!.AsArray()).Select(a => a!.AsObject());

    [Fact]
    public void GovCloudPipeline_WritesNoArnOfTheCommercialPartition()
    {
        var arns = Strings(Gov.Json).Where(s => s.Contains("arn:", StringComparison.Ordinal)).ToList();

        Assert.NotEmpty(arns);
        Assert.DoesNotContain(arns, s => s.Contains("arn:aws:", StringComparison.Ordinal));
    }

    [Fact]
    public void GovCloudPipeline_ActsAsTheTargetAndSourceRolesInAwsUsGov_AndBoundsItsRolesThere()
    {
        var roles = Actions().Select(a => a["RoleArn"]).OfType<JsonValue>().Select(r => (string)r!).ToHashSet(StringComparer.Ordinal);
        var boundaries = Gov.Resources("AWS::IAM::Role")
            .Select(r => r.Resource["Properties"]!["PermissionsBoundary"]).OfType<JsonValue>().Select(b => (string)b!).Distinct().ToArray();

        Assert.Contains("arn:aws-us-gov:iam::444444444444:role/gov-pipeline-action", roles);
        Assert.Contains("arn:aws-us-gov:iam::222222222222:role/gov-pipeline-action", roles);
        Assert.Contains("arn:aws-us-gov:iam::999999999999:role/gov-source-action", roles);
        Assert.Equal(["arn:aws-us-gov:iam::123456789012:policy/gov-pipeline-boundary"], boundaries);
    }
}
