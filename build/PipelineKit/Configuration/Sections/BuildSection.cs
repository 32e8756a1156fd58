namespace PipelineKit.Configuration;

using System.Text.Json;

/// <summary>The build section as read, each field null when missing or invalid (already reported).</summary>
internal sealed record PartialBuild(string? Account, string? Region, string? Profile)
{
    /// <summary>Only when nothing was reported; <c>--profile</c> replaces the file's profile for this run.</summary>
    public BuildSettings Complete(string? profileOverride) => new(Account!, Region!, profileOverride ?? Profile);
}

/// <summary><c>build</c>: the build (tooling) account, its region and how to reach it.</summary>
internal static class BuildSection
{
    public const string Path = "build";

    public static IReadOnlyList<string> Properties { get; } = ["account", "region", "profile"];

    public static PartialBuild? Read(ConfigReader reader, JsonElement root)
    {
        if (reader.RequiredObject(root, "", Path) is not { } build)
        {
            return null;
        }

        reader.CheckProperties(build, Path, Properties);
        var account = reader.AccountId(build, Path);
        var region = reader.Region(build, Path);
        // With --profile the file's build profile is not used, so it need not exist on this machine (CI).
        var profile = reader.Profile(build, Path, mustExist: reader.Context.ProfileOverride is null);

        if (reader.Context.ProfileOverride is { } overridden && !reader.Context.ProfileExists(overridden))
        {
            reader.ArgumentError("--profile", ConfigReader.ProfileNotFound(overridden));
        }

        return new PartialBuild(account, region, profile);
    }
}
