namespace PipelineKit.Configuration;

using Amazon.Runtime.CredentialManagement;

/// <summary>
/// What the loader needs from outside the file, passed in so tests feed it directly.
/// </summary>
/// <param name="ProfileExists">Whether a named profile exists in the shared AWS config or credentials files.</param>
/// <param name="ProfileOverride">The <c>--profile</c> argument: replaces build.profile for this run.</param>
public sealed record ConfigContext(Func<string, bool> ProfileExists, string? ProfileOverride = null)
{
    /// <summary>Profiles are looked up where the AWS SDK and CLI look: ~/.aws/config and ~/.aws/credentials
    /// (or AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE).</summary>
    public static ConfigContext FromSharedProfiles(string? profileOverride = null, Func<string, string?>? environment = null)
    {
        // The same lookup BuildCredentials uses, so "exists" here means "usable" there.
        var chain = new CredentialProfileStoreChain((environment ?? Environment.GetEnvironmentVariable)("AWS_SHARED_CREDENTIALS_FILE"));
        return new ConfigContext(name => chain.TryGetProfile(name, out _), profileOverride);
    }

    /// <summary>No shared profiles at all: the sandbox, and CI runs on role credentials.</summary>
    public static ConfigContext WithoutProfiles { get; } = new(_ => false);
}
