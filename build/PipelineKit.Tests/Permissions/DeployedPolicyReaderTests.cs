namespace PipelineKit.Tests.Permissions;

using Amazon.KeyManagementService;
using Amazon.Runtime;
using Amazon.S3;
using PipelineKit.Accounts;
using PipelineKit.Aws;
using PipelineKit.Permissions;

/// <summary>The reader over in-memory IAM: what it reads, what it leaves out, and that shared documents are read once.</summary>
public sealed class DeployedPolicyReaderTests
{
    private const string Shared = "arn:aws:iam::aws:policy/PowerUserAccess";

    [Fact]
    public async Task ASharedManagedPolicy_IsReadOncePerAccount()
    {
        var one = new InMemoryIam("111111111111");
        var two = new InMemoryIam("222222222222");
        foreach (var iam in new[] { one, two })
        {
            for (var i = 0; i < 5; i++)
            {
                iam.AddRole($"kit-role-{i}", managed: [Shared], boundary: Shared);
            }

            // Every role asks for the shared document while the first read of it is still open.
            iam.HoldManagedReadsUntilRolesAsk(5);
        }

        var snapshot = await Reader(10, one, two).ReadAsync(Request(["111111111111", "222222222222"]));

        Assert.Equal(10, snapshot.Roles.Count);
        Assert.Equal((1, 1), (one.ManagedReads, two.ManagedReads));
        Assert.All(snapshot.Roles.Values, r => Assert.Equal($"doc of {Shared}", r.PermissionsBoundary?.Document));
    }

    [Fact]
    public async Task OnlyPrefixedAndNamedRoles_AreRead_AndMissingOnesLeftOut()
    {
        var iam = new InMemoryIam("111111111111");
        iam.AddRole("kit-action", inline: ["pipeline-action"]);
        iam.AddRole("other", path: "/service/");
        iam.AddRole("unrelated");

        var snapshot = await Reader(iam).ReadAsync(Request(
            ["111111111111"], roleArns: ["arn:aws:iam::111111111111:role/service/other", "arn:aws:iam::111111111111:role/gone"]));

        Assert.Equal(["arn:aws:iam::111111111111:role/kit-action", "arn:aws:iam::111111111111:role/service/other"], snapshot.Roles.Keys);
        var action = snapshot.Roles["arn:aws:iam::111111111111:role/kit-action"];
        Assert.Equal(new NamedPolicyDocument("role kit-action inline policy pipeline-action", "inline pipeline-action of kit-action"),
            Assert.Single(action.InlinePolicies));
        Assert.Equal(new NamedPolicyDocument("trust policy of role kit-action", "trust of kit-action"), action.Trust);
        Assert.Null(action.PermissionsBoundary);
        Assert.Empty(snapshot.BucketPolicies);
        Assert.Empty(snapshot.KeyPolicies);
    }

    [Theory]
    [InlineData("arn:aws:iam::111111111111:user/someone")]
    [InlineData("kit-action")]
    public async Task ARoleArnThatIsNotOne_IsRefused(string arn)
    {
        var iam = new InMemoryIam("111111111111");

        await Assert.ThrowsAsync<ArgumentException>(() => Reader(iam).ReadAsync(Request([], roleArns: [arn])));
    }

    [Fact]
    public async Task AKeyGivenByAlias_IsRefused()
    {
        var request = Request([]) with { KeyArns = ["arn:aws:kms:us-east-1:111111111111:alias/kit-artifacts"] };

        await Assert.ThrowsAsync<ArgumentException>(() => Reader(new InMemoryIam("111111111111")).ReadAsync(request));
    }

    [Fact]
    public async Task SourcesFromAccountSessions_UseEachAccountsSession_ThroughTheFactory()
    {
        using var factory = new AwsClientFactory(new AwsEndpoints(_ => null, "http://127.0.0.1:1"), new AwsCallLog());
        var sessions = new Sessions();

        var sources = PolicySources.From(sessions, factory);

        Assert.Same(factory.Iam(sessions.Credentials("111111111111")), await sources.Iam("111111111111", CancellationToken.None));
        Assert.Same(factory.S3(sessions.Credentials("222222222222"), "eu-west-1"), await sources.S3("222222222222", "eu-west-1", CancellationToken.None));
        Assert.Same(factory.Kms(sessions.Credentials("222222222222"), "eu-west-1"), await sources.Kms("222222222222", "eu-west-1", CancellationToken.None));
        Assert.NotSame(await sources.Iam("111111111111", CancellationToken.None), await sources.Iam("222222222222", CancellationToken.None));
    }

    private static PolicySnapshotRequest Request(IReadOnlyList<string> accounts, IReadOnlyList<string>? roleArns = null)
        => new(accounts, "kit-", roleArns ?? [], [], []);

    private static DeployedPolicyReader Reader(params InMemoryIam[] accounts) => Reader(4, accounts);

    private static DeployedPolicyReader Reader(int maxParallelRoles, params InMemoryIam[] accounts)
        => new(new PolicySources(
            (account, _) => Task.FromResult<IIdentityManagement>(accounts.Single(a => a.Account == account)),
            (_, _, _) => Task.FromException<IAmazonS3>(new InvalidOperationException("no S3 here")),
            (_, _, _) => Task.FromException<IAmazonKeyManagementService>(new InvalidOperationException("no KMS here"))), maxParallelRoles);

    private sealed class Sessions : IAccountSessions
    {
        private readonly Dictionary<string, AWSCredentials> credentials = new()
        {
            ["111111111111"] = new BasicAWSCredentials("one", "one"),
            ["222222222222"] = new BasicAWSCredentials("two", "two"),
        };

        public AWSCredentials Credentials(string account) => credentials[account];

        public Task<AccountSession> BuildAsync(CancellationToken ct = default) => ForAccountAsync("111111111111", ct);

        public Task<AccountSession> ForAccountAsync(string accountId, CancellationToken ct = default)
            => Task.FromResult(new AccountSession(accountId, credentials[accountId], "test"));
    }

    /// <summary>One account's roles; documents are their own names, so tests can tell them apart.</summary>
    private sealed class InMemoryIam(string account) : IIdentityManagement
    {
        private readonly Dictionary<string, (RoleDescription Role, string[] Inline, string[] Managed)> roles = new(StringComparer.Ordinal);
        private int managedReads;
        private int rolesAsking;
        private int rolesToWaitFor;
        private TaskCompletionSource? managedReadsHeld;

        public string Account { get; } = account;

        public int ManagedReads => managedReads;

        /// <summary>Managed policy reads wait until this many roles have listed their attached policies (the step
        /// just before the reader asks for the documents).</summary>
        public void HoldManagedReadsUntilRolesAsk(int roles)
        {
            rolesToWaitFor = roles;
            managedReadsHeld = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        public void AddRole(string name, string path = "/", string[]? inline = null, string[]? managed = null, string? boundary = null)
            => roles[name] = (new RoleDescription(name, $"arn:aws:iam::{Account}:role{path}{name}", $"trust of {name}", boundary), inline ?? [], managed ?? []);

        public async Task<RoleDescription?> GetRoleAsync(string roleName, CancellationToken ct = default)
        {
            await Task.Yield();
            return roles.TryGetValue(roleName, out var r) ? r.Role : null;
        }

        public Task<IReadOnlyList<string>> ListRolePolicyNamesAsync(string roleName, CancellationToken ct = default)
            => Task.FromResult<IReadOnlyList<string>>(roles[roleName].Inline);

        public Task<string> GetRolePolicyDocumentAsync(string roleName, string policyName, CancellationToken ct = default)
            => Task.FromResult($"inline {policyName} of {roleName}");

        public Task<IReadOnlyList<string>> ListAttachedRolePolicyArnsAsync(string roleName, CancellationToken ct = default)
        {
            if (Interlocked.Increment(ref rolesAsking) == rolesToWaitFor) managedReadsHeld?.TrySetResult();
            return Task.FromResult<IReadOnlyList<string>>(roles[roleName].Managed);
        }

        public async Task<string> GetManagedPolicyDocumentAsync(string policyArn, CancellationToken ct = default)
        {
            Interlocked.Increment(ref managedReads);
            await (managedReadsHeld?.Task ?? Task.CompletedTask).WaitAsync(TimeSpan.FromSeconds(10), ct);
            return $"doc of {policyArn}";
        }

        public Task<IReadOnlyList<RoleDescription>> ListRolesAsync(CancellationToken ct = default)
            => Task.FromResult<IReadOnlyList<RoleDescription>>(roles.Values.Select(r => r.Role with { PermissionsBoundaryArn = null }).ToList());

        public Task<IReadOnlyList<SimulatedDecision>> SimulatePrincipalPolicyAsync(PolicySimulationRequest request, CancellationToken ct = default)
            => throw new NotSupportedException("The reader never simulates.");
    }
}
