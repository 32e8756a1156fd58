namespace PipelineKit.Tests.Accounts;

using System.Collections.Concurrent;
using System.Net;
using Amazon.Runtime;
using PipelineKit.Aws;

/// <summary>
/// A small in-memory STS. Access keys map to accounts (<see cref="Keys"/>); sts:AssumeRole on any role ARN
/// succeeds and hands out the key "assumed|ROLE_ARN", which acts in the role's account unless
/// <see cref="ActsIn"/> says otherwise. <see cref="Denials"/> makes AssumeRole answer AccessDenied that
/// many times first; <see cref="ErrorsByKey"/> makes GetCallerIdentity fail for a key. Every AssumeRole
/// call is recorded.
/// </summary>
internal sealed class FakeStsWorld
{
    public ConcurrentDictionary<string, string> Keys { get; } = new();

    public ConcurrentDictionary<string, string> ActsIn { get; } = new();

    public ConcurrentDictionary<string, int> Denials { get; } = new();

    public ConcurrentDictionary<string, string> ErrorsByKey { get; } = new();

    public ConcurrentQueue<(string CallerKey, string RoleArn, string SessionName, string Region)> AssumeRoleCalls { get; } = new();

    public ConcurrentQueue<string> Regions { get; } = new();

    public ISecurityTokens For(AWSCredentials credentials, string region)
    {
        Regions.Enqueue(region);
        return new Caller(this, credentials, region);
    }

    private sealed class Caller(FakeStsWorld world, AWSCredentials credentials, string region) : ISecurityTokens
    {
        public async Task<CallerIdentity> GetCallerIdentityAsync(CancellationToken ct = default)
        {
            var key = (await credentials.GetCredentialsAsync()).AccessKey;
            if (world.ErrorsByKey.TryGetValue(key, out var code))
                throw Error(code, $"The security token included in the request is invalid ({code}).", HttpStatusCode.Forbidden);
            string account;
            if (key.StartsWith("assumed|", StringComparison.Ordinal))
            {
                var roleArn = key["assumed|".Length..];
                account = world.ActsIn.TryGetValue(roleArn, out var other) ? other : roleArn.Split(':')[4];
            }
            else if (!world.Keys.TryGetValue(key, out account!))
            {
                throw Error("InvalidClientTokenId", "The security token included in the request is invalid.", HttpStatusCode.Forbidden);
            }

            return new CallerIdentity(account, $"arn:aws:sts::{account}:assumed-role/fake/{key}", key);
        }

        public async Task<TemporaryCredentials> AssumeRoleAsync(
            string roleArn, string sessionName, TimeSpan duration, CancellationToken ct = default)
        {
            var key = (await credentials.GetCredentialsAsync()).AccessKey;
            world.AssumeRoleCalls.Enqueue((key, roleArn, sessionName, region));
            var denied = false;
            world.Denials.AddOrUpdate(roleArn, 0, (_, left) =>
            {
                denied = left > 0;
                return left > 0 ? left - 1 : 0;
            });
            if (denied)
            {
                throw Error(
                    "AccessDenied",
                    $"User: {key} is not authorized to perform: sts:AssumeRole on resource: {roleArn}",
                    HttpStatusCode.Forbidden);
            }

            return new TemporaryCredentials("assumed|" + roleArn, "secret", "token", DateTime.UtcNow.Add(duration));
        }

        private static AmazonServiceException Error(string code, string message, HttpStatusCode status) =>
            new(message) { ErrorCode = code, StatusCode = status, ErrorType = ErrorType.Sender };
    }
}
