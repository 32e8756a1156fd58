namespace PipelineKit.Configuration;

using System.Text.Json;

/// <summary><c>deployers</c>: the build account's roles and users that may assume NAME-deployer (DeploySampleApp --direct).
/// The target accounts' action roles trust that role, so whoever may assume it may deploy without the pipeline.</summary>
internal static class DeployersSection
{
    public const string Path = "deployers";

    public static string[] Read(ConfigReader reader, JsonElement root, string? buildAccount)
    {
        var deployers = reader.OptionalStringArray(root, "", Path) ?? [];
        for (var i = 0; i < deployers.Count; i++)
        {
            if (deployers[i] is not { } arn) continue;
            var match = ConfigPatterns.Deployer().Match(arn);
            if (!match.Success)
            {
                reader.Error($"{Path}[{i}]", $"\"{arn}\" is not the ARN of an IAM role or user (arn:{reader.Partition}:iam::ACCOUNT:role/NAME), " +
                    "or names one with a comma, which the template parameter that carries it cannot hold");
            }
            else if (!reader.InPartition($"{Path}[{i}]", arn))
            {
                continue;
            }
            else if (CrossFieldRules.DeployerOutsideBuildAccount(arn, match.Groups["account"].Value, buildAccount) is { } problem)
            {
                reader.Error($"{Path}[{i}]", problem);
            }
        }

        return deployers.OfType<string>().Distinct(StringComparer.Ordinal).ToArray();
    }
}
