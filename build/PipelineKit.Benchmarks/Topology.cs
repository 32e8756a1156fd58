namespace PipelineKit.Benchmarks;

using PipelineKit.Configuration;

/// <summary>A benchmark topology: <see cref="Accounts"/> target accounts over <see cref="Regions"/> regions, one
/// environment per account, the environments spread over the regions so that every region is deployed to.</summary>
public sealed record Topology(int Accounts, int Regions)
{
    private static readonly string[] RegionNames = ["us-east-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-2"];

    public string Label => $"{Accounts}x{Regions}";

    public static IReadOnlyList<Topology> Standard { get; } = [new(1, 1), new(3, 2), new(10, 3), new(30, 4), new(300, 4)];

    /// <summary>The sandbox configuration with this topology's environments, under <paramref name="name"/>.</summary>
    public PipelineConfig Config(string name = "bench")
    {
        if (Regions is < 1 || Regions > RegionNames.Length || Accounts < 1)
        {
            throw new InvalidOperationException($"{Label}: at least one account, and 1 to {RegionNames.Length} regions.");
        }

        var sandbox = PipelineConfigLoader.LoadSandbox();
        // Account i deploys to region i mod R; with fewer accounts than regions, the last account takes the rest.
        var environments = Enumerable.Range(0, Math.Max(Accounts, Regions))
            .Select(i => new EnvironmentSettings($"env{i}", AccountId(Math.Min(i, Accounts - 1)), RegionNames[i % Regions]))
            .ToArray();
        // The build account's and the target accounts' stacks only (the original script has no source account): an S3 source.
        // Accounts named one by one, as the original script grants them: no organization (the sandbox's names one for its unit).
        return sandbox with { Name = name, Environments = environments, Source = new S3Source(), OrganizationId = null };
    }

    public static string AccountId(int index) => (200000000000L + index).ToString(System.Globalization.CultureInfo.InvariantCulture);
}
