namespace PipelineKit.Configuration;

/// <summary>
/// The rules that relate fields of different environments, or of different sections: waves across environments,
/// one way into each account, no environment in the build account, deployers in the build account. Each section checks its own fields as it reads them;
/// these run on what the sections read, so a field already reported is not reported again.
/// </summary>
internal static class CrossFieldRules
{
    /// <summary>Waves deploy in ascending order, so the file lists them in that order; all environments have one, or none.</summary>
    public static void CheckWaves(ConfigReader reader, List<PartialEnvironment>? environments)
    {
        if (environments is null || environments.FirstOrDefault(e => e.Wave is not null) is not { } withWave)
        {
            return;
        }

        PartialEnvironment? previous = null;
        foreach (var environment in environments)
        {
            var wavePath = ConfigReader.Join(environment.Path, "wave");
            // Present in the file but invalid (already reported) counts as present.
            var present = environment.Wave is not null || reader.HasErrorAt(wavePath);
            if (!present)
            {
                reader.Error(wavePath, $"is required because {withWave.Label} has a wave; give every environment a wave, or none");
                continue;
            }

            if (environment.Wave is null)
            {
                continue;
            }

            if (previous is not null && environment.Wave < previous.Wave)
            {
                reader.Error(wavePath, $"{environment.Wave} comes after wave {previous.Wave} of {previous.Label}; waves must not decrease in file order: list the environments in the order their waves deploy");
            }
            else
            {
                previous = environment;
            }
        }
    }

    /// <summary>Accounts, roles and ARNs do not cross partitions (aws, aws-cn, aws-us-gov): the pipeline in the build region
    /// reaches only environments whose regions are in the same partition.</summary>
    public static void CheckPartition(ConfigReader reader, List<PartialEnvironment>? environments, PartialBuild? build)
    {
        if (environments is null || build?.Region is not { } buildRegion)
        {
            return;
        }

        var partition = KnownRegions.PartitionOf(buildRegion);
        foreach (var environment in environments.Where(e => e.Region is not null && KnownRegions.PartitionOf(e.Region) != partition))
        {
            reader.Error(ConfigReader.Join(environment.Path, "region"), $"{environment.Region} is in partition {KnownRegions.PartitionOf(environment.Region!)}, but build.region {buildRegion} is in partition {partition}; every region of one configuration must be in one partition, as accounts, roles and ARNs do not cross partitions: give {environment.Label} a region of {partition}, or deploy it from a pipeline whose build region is in {KnownRegions.PartitionOf(environment.Region!)}");
        }
    }

    /// <summary>Roles are per account, so every environment in one account must reach it the same way.</summary>
    public static void CheckAccountAccess(ConfigReader reader, List<PartialEnvironment>? environments, PartialBuild? build)
    {
        if (environments is null)
        {
            return;
        }

        foreach (var group in environments.Where(e => e.Account is not null).GroupBy(e => e.Account!, StringComparer.Ordinal))
        {
            if (build?.Account == group.Key)
            {
                RefuseBuildAccount(reader, group.Key, group.ToList());
                continue;
            }

            CheckOneWayIntoAccount(reader, group.Key, group.ToList());
        }
    }

    /// <summary>Only principals of the build account may assume the deployer role; null when <paramref name="arnAccount"/> is
    /// that account (or the build account is unknown, already reported).</summary>
    public static string? DeployerOutsideBuildAccount(string arn, string arnAccount, string? buildAccount) =>
        buildAccount is not null && arnAccount != buildAccount
            ? $"\"{arn}\" is in account {arnAccount}, not the build account {buildAccount}; only principals of the build account may assume the deployer role"
            : null;

    private static void CheckOneWayIntoAccount(ConfigReader reader, string account, List<PartialEnvironment> group)
    {
        PartialEnvironment? firstWithProfile = null;
        PartialEnvironment? firstWithRole = null;
        foreach (var environment in group)
        {
            if (environment.Profile is not null)
            {
                if (firstWithProfile is null)
                {
                    firstWithProfile = environment;
                }
                else if (firstWithProfile.Profile != environment.Profile)
                {
                    reader.Error(ConfigReader.Join(environment.Path, "profile"), $"\"{environment.Profile}\" conflicts with profile \"{firstWithProfile.Profile}\" of {firstWithProfile.Label}; both environments are in account {account}, which is reached one way only: use the same profile or leave it out of one of them");
                }
            }

            if (environment.RoleArn is not null)
            {
                if (firstWithRole is null)
                {
                    firstWithRole = environment;
                }
                else if (firstWithRole.RoleArn != environment.RoleArn)
                {
                    reader.Error(ConfigReader.Join(environment.Path, "roleArn"), $"\"{environment.RoleArn}\" conflicts with roleArn \"{firstWithRole.RoleArn}\" of {firstWithRole.Label}; both environments are in account {account}, which is reached one way only: use the same roleArn or leave it out of one of them");
                }
            }
        }

        // A profile wins over a roleArn (TargetAccount), so mixing them across environments
        // would silently ignore the roleArn.
        if (firstWithProfile is not null && firstWithRole is not null && firstWithProfile != firstWithRole)
        {
            var later = firstWithProfile.Index > firstWithRole.Index ? firstWithProfile : firstWithRole;
            var earlier = later == firstWithProfile ? firstWithRole : firstWithProfile;
            var (field, value) = later == firstWithProfile ? ("profile", later.Profile) : ("roleArn", later.RoleArn);
            var (otherField, otherValue) = later == firstWithProfile ? ("roleArn", earlier.RoleArn) : ("profile", earlier.Profile);
            reader.Error(ConfigReader.Join(later.Path, field), $"\"{value}\" conflicts with {otherField} \"{otherValue}\" of {earlier.Label}; both environments are in account {account}, which is reached one way only (a profile wins over a roleArn): give every environment in the account the same profile or the same roleArn");
        }
    }

    /// <summary>Every environment gets the target roles (action, execution, change-set reader) in its account; in the
    /// build account they would sit beside the pipeline and its keys, and deploy the app into the tooling account.</summary>
    private static void RefuseBuildAccount(ConfigReader reader, string account, List<PartialEnvironment> group)
    {
        foreach (var environment in group)
        {
            reader.Error(ConfigReader.Join(environment.Path, "account"), $"{account} is the build account (build.account); the build account holds the pipeline, its artifact keys and buckets, and deploy environments belong in their own accounts, which get the target roles: give {environment.Label} another account, or move the pipeline to another build.account");
        }
    }
}
