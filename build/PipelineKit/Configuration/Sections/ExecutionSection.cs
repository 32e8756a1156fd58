namespace PipelineKit.Configuration;

using System.Text.Json;

/// <summary><c>cloudFormationExecution</c>: what the CloudFormation execution role in each target account may do.</summary>
internal static class ExecutionSection
{
    public const string Path = "cloudFormationExecution";

    /// <summary>The default policy, PowerUserAccess, in <paramref name="partition"/>: an AWS managed policy has an ARN in each
    /// partition (pipeline.schema.json shows the commercial one).</summary>
    public static string DefaultManagedPolicyArnIn(string partition) => $"arn:{partition}:iam::aws:policy/PowerUserAccess";

    public static IReadOnlyList<string> Properties { get; } = ["managedPolicyArns", "permissionsBoundaryArn"];

    public static ExecutionRoleSettings Read(ConfigReader reader, JsonElement root)
    {
        if (reader.OptionalObject(root, "", Path) is not { } execution)
        {
            return new ExecutionRoleSettings([DefaultManagedPolicyArnIn(reader.Partition)], null);
        }

        reader.CheckProperties(execution, Path, Properties);
        var policies = reader.OptionalStringArray(execution, Path, "managedPolicyArns") ?? [DefaultManagedPolicyArnIn(reader.Partition)];
        if (policies.Count == 0)
        {
            reader.Error(ConfigReader.Join(Path, "managedPolicyArns"), "needs at least one policy ARN: the execution role could deploy nothing; leave the field out for the default (PowerUserAccess)");
        }

        for (var i = 0; i < policies.Count; i++)
        {
            if (policies[i] is { } arn && !ConfigPatterns.PolicyArn().IsMatch(arn))
            {
                reader.Error($"{Path}.managedPolicyArns[{i}]", NotAPolicyArn(arn, reader.Partition));
            }
            else if (policies[i] is { } inFile)
            {
                reader.InPartition($"{Path}.managedPolicyArns[{i}]", inFile);
            }
        }

        var boundary = reader.OptionalString(execution, Path, "permissionsBoundaryArn");
        if (boundary is not null && !ConfigPatterns.PolicyArn().IsMatch(boundary))
        {
            reader.Error(ConfigReader.Join(Path, "permissionsBoundaryArn"), NotAPolicyArn(boundary, reader.Partition));
        }
        else if (boundary is not null)
        {
            reader.InPartition(ConfigReader.Join(Path, "permissionsBoundaryArn"), boundary);
        }

        return new ExecutionRoleSettings(policies.OfType<string>().ToArray(), boundary);
    }

    private static string NotAPolicyArn(string arn, string partition) =>
        $"\"{arn}\" is not an IAM policy ARN (arn:{partition}:iam::aws:policy/NAME or arn:{partition}:iam::ACCOUNT:policy/NAME)";
}
