namespace PipelineKit.Configuration;

using System.Text.Json;

/// <summary><c>cloudFormationExecution</c>: what the CloudFormation execution role in each target account may do.</summary>
internal static class ExecutionSection
{
    public const string Path = "cloudFormationExecution";
    public const string DefaultManagedPolicyArn = "arn:aws:iam::aws:policy/PowerUserAccess";

    public static IReadOnlyList<string> Properties { get; } = ["managedPolicyArns", "permissionsBoundaryArn"];

    public static ExecutionRoleSettings Read(ConfigReader reader, JsonElement root)
    {
        if (reader.OptionalObject(root, "", Path) is not { } execution)
        {
            return new ExecutionRoleSettings([DefaultManagedPolicyArn], null);
        }

        reader.CheckProperties(execution, Path, Properties);
        var policies = reader.OptionalStringArray(execution, Path, "managedPolicyArns") ?? [DefaultManagedPolicyArn];
        if (policies.Count == 0)
        {
            reader.Error(ConfigReader.Join(Path, "managedPolicyArns"), "needs at least one policy ARN: the execution role could deploy nothing; leave the field out for the default (PowerUserAccess)");
        }

        for (var i = 0; i < policies.Count; i++)
        {
            if (policies[i] is { } arn && !ConfigPatterns.PolicyArn().IsMatch(arn))
            {
                reader.Error($"{Path}.managedPolicyArns[{i}]", NotAPolicyArn(arn));
            }
        }

        var boundary = reader.OptionalString(execution, Path, "permissionsBoundaryArn");
        if (boundary is not null && !ConfigPatterns.PolicyArn().IsMatch(boundary))
        {
            reader.Error(ConfigReader.Join(Path, "permissionsBoundaryArn"), NotAPolicyArn(boundary));
        }

        return new ExecutionRoleSettings(policies.OfType<string>().ToArray(), boundary);
    }

    private static string NotAPolicyArn(string arn) =>
        $"\"{arn}\" is not an IAM policy ARN (arn:aws:iam::aws:policy/NAME or arn:aws:iam::ACCOUNT:policy/NAME)";
}
