namespace PipelineKit.Aws;

using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;

/// <summary>Who a set of credentials acts as (sts:GetCallerIdentity).</summary>
public sealed record CallerIdentity(string Account, string Arn, string UserId);

/// <summary>Short-lived credentials from sts:AssumeRole. <paramref name="Expiration"/> is UTC.</summary>
public sealed record TemporaryCredentials(string AccessKeyId, string SecretAccessKey, string SessionToken, DateTime Expiration);

/// <summary>The two STS operations the kit uses. Errors are <see cref="Amazon.Runtime.AmazonServiceException"/>
/// with the AWS error code (AccessDenied, ExpiredToken, ...).</summary>
public interface ISecurityTokens
{
    Task<CallerIdentity> GetCallerIdentityAsync(CancellationToken ct = default);

    Task<TemporaryCredentials> AssumeRoleAsync(string roleArn, string sessionName, TimeSpan duration, CancellationToken ct = default);
}

/// <summary><see cref="ISecurityTokens"/> over the SDK's STS client. The client is not owned: whoever made it disposes it.</summary>
public sealed class SecurityTokens(IAmazonSecurityTokenService sts) : ISecurityTokens
{
    public async Task<CallerIdentity> GetCallerIdentityAsync(CancellationToken ct = default)
    {
        var response = await sts.GetCallerIdentityAsync(new GetCallerIdentityRequest(), ct).ConfigureAwait(false);
        return new CallerIdentity(response.Account, response.Arn, response.UserId);
    }

    public async Task<TemporaryCredentials> AssumeRoleAsync(
        string roleArn, string sessionName, TimeSpan duration, CancellationToken ct = default)
    {
        var response = await sts.AssumeRoleAsync(
            new AssumeRoleRequest
            {
                RoleArn = roleArn,
                RoleSessionName = sessionName,
                DurationSeconds = (int)duration.TotalSeconds,
            },
            ct).ConfigureAwait(false);
        var c = response.Credentials;
        var expiration = c.Expiration ?? DateTime.UtcNow.Add(duration);
        return new TemporaryCredentials(c.AccessKeyId, c.SecretAccessKey, c.SessionToken, expiration.ToUniversalTime());
    }
}
