namespace PipelineKit.Accounts;

using Amazon.Runtime;
using Amazon.Runtime.CredentialManagement;
using Amazon.Runtime.Credentials;

/// <summary>
/// Credentials from the user's machine or build host, through AWSSDK.Core's own machinery so that every
/// kind of profile works (static keys, SSO, assume-role, credential_process) and so does every source of
/// the SDK's default chain (environment variables, AWS_PROFILE, shared files, web identity, CodeBuild/ECS
/// container credentials, EC2 instance metadata).
/// </summary>
public static class BuildCredentials
{
    /// <summary>The build account's credentials: <paramref name="profile"/> when given (pipeline.json build.profile
    /// or --profile), else the SDK's default chain.</summary>
    public static AWSCredentials Resolve(string? profile, Func<string, string?> environment) =>
        Resolve(profile, environment, "build.profile in pipeline.json");

    /// <summary>As <see cref="Resolve(string?, Func{string, string?})"/>; <paramref name="profileSetBy"/> names
    /// where the profile name came from, for the message when it does not exist.</summary>
    public static AWSCredentials Resolve(string? profile, Func<string, string?> environment, string profileSetBy)
    {
        if (!string.IsNullOrWhiteSpace(profile))
            return FromProfile(profile, profileSetBy, environment);

        // AWS_PROFILE goes through the same path as a configured profile so a typo gets the same clear message
        // instead of the default chain's silent fall-through to other sources.
        var environmentProfile = environment("AWS_PROFILE");
        if (!string.IsNullOrWhiteSpace(environmentProfile))
            return FromProfile(environmentProfile, "the AWS_PROFILE environment variable", environment);

        try
        {
            return DefaultAWSCredentialsIdentityResolver.GetCredentials(null);
        }
        catch (AmazonClientException e)
        {
            throw new AccountAccessException(
                AccountAccessError.NoValidCredentials,
                "No AWS credentials found for the build account (default credential chain: environment variables, "
                + "AWS_PROFILE, shared config files, web identity, container and instance credentials). "
                + "Set build.profile in pipeline.json or pass --profile, or run \"aws configure sso\" / \"aws sso login\".",
                inner: e);
        }
    }

    /// <summary>Credentials of a named profile from the shared config and credentials files.</summary>
    public static AWSCredentials FromProfile(string profile, string profileSetBy, Func<string, string?> environment)
    {
        // The location comes from the injected environment (the SDK reads the process environment only once).
        var chain = new CredentialProfileStoreChain(environment("AWS_SHARED_CREDENTIALS_FILE"));
        if (!chain.TryGetProfile(profile, out var credentialProfile))
        {
            throw new AccountAccessException(
                AccountAccessError.ProfileNotFound,
                $"AWS profile \"{profile}\" (from {profileSetBy}) does not exist in {SharedFiles(environment)}. "
                + $"Create it (aws configure sso --profile {profile}) or fix {profileSetBy}.");
        }

        try
        {
            return AWSCredentialsFactory.GetAWSCredentials(credentialProfile, chain);
        }
        catch (Exception e) when (e is AmazonClientException or InvalidDataException or ArgumentException)
        {
            throw new AccountAccessException(
                AccountAccessError.NoValidCredentials,
                $"AWS profile \"{profile}\" (from {profileSetBy}) cannot provide credentials: {e.Message} "
                + $"Fix the profile in {SharedFiles(environment)}.",
                inner: e);
        }
    }

    private static string SharedFiles(Func<string, string?> environment) =>
        $"{environment("AWS_CONFIG_FILE") ?? "~/.aws/config"} or {environment("AWS_SHARED_CREDENTIALS_FILE") ?? "~/.aws/credentials"}";
}
