namespace PipelineKit.Aws;

using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Amazon;
using Amazon.KeyManagementService;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.SecurityToken;
using PipelineKit.Configuration;

/// <summary>
/// Makes and caches the kit's AWS clients, one per (credentials instance, region, service). Every client
/// honours the endpoint settings of <see cref="AwsEndpoints"/>, retries under <see cref="AwsRetrySettings"/> in adaptive
/// mode (see <see cref="AwsRetryPipeline"/>), and reports each call and each attempt to the <see cref="AwsCallLog"/>.
/// </summary>
public sealed class AwsClientFactory : IAwsClientFactory, IDisposable
{
    private readonly AwsEndpoints endpoints;
    private readonly AwsCallLog callLog;
    private readonly Action<ClientConfig>? customize;
    private readonly AwsRetrySettings retrySettings;
    private readonly Action<AwsRetry>? onRetry;
    private readonly ConcurrentDictionary<ClientKey, Lazy<AmazonServiceClient>> clients = new();

    /// <param name="onRetry">Told before each retry of a failed attempt, with the wait before it.</param>
    public AwsClientFactory(AwsEndpoints endpoints, AwsCallLog callLog, Action<AwsRetry>? onRetry = null)
        : this(endpoints, callLog, null, null, onRetry)
    {
    }

    /// <summary>Tests pass <paramref name="customize"/> to put a fake transport (faults, latency) under every client, and
    /// <paramref name="retrySettings"/> to wait in virtual time.</summary>
    internal AwsClientFactory(
        AwsEndpoints endpoints, AwsCallLog callLog, Action<ClientConfig>? customize, AwsRetrySettings? retrySettings = null, Action<AwsRetry>? onRetry = null)
    {
        this.endpoints = endpoints ?? throw new ArgumentNullException(nameof(endpoints));
        this.callLog = callLog ?? throw new ArgumentNullException(nameof(callLog));
        this.customize = customize;
        this.retrySettings = retrySettings ?? AwsRetrySettings.Default;
        this.onRetry = onRetry;
    }

    public ICloudFormation CloudFormation(AWSCredentials credentials, string region)
        => Get(credentials, region, AwsServiceIds.CloudFormation, (CloudFormationClientConfig config) => new CloudFormationClient(credentials, config));

    private volatile IAwsCallGate? gate;

    /// <summary>Set: every call of this factory's clients is put to it before it is sent, and each answer shown to it (a
    /// local run's permission check). Read at each call, so it covers clients made before it was set.</summary>
    public IAwsCallGate? Gate
    {
        get => gate;
        set => gate = value;
    }

    /// <summary>The bound on requests on the wire at once, shared by every client of this factory.</summary>
    public AwsRequestLimit RequestLimit { get; init; } = new();

    /// <summary>Set: CodePipeline is not AWS's but this (a pipeline run locally, whose API answers in process).</summary>
    public Func<AWSCredentials, string, ICodePipeline>? CodePipelineOverride { get; init; }

    public ICodePipeline CodePipeline(AWSCredentials credentials, string region)
        => CodePipelineOverride?.Invoke(credentials, region) ?? Get(credentials, region, AwsServiceIds.CodePipeline, (CodePipelineClientConfig config) => new CodePipelineClient(credentials, config));

    /// <summary>The CloudFormation client of <see cref="CloudFormation"/> (the same instance), seen through its drift operations.</summary>
    public ICloudFormationDrift CloudFormationDrift(AWSCredentials credentials, string region)
        => (CloudFormationClient)CloudFormation(credentials, region);

    /// <summary>The CloudFormation client of <see cref="CloudFormation"/> (the same instance), seen through its stack set operations.</summary>
    public ICloudFormationStackSets CloudFormationStackSets(AWSCredentials credentials, string region)
        => (CloudFormationClient)CloudFormation(credentials, region);

    public ISimpleNotification Sns(AWSCredentials credentials, string region)
        => Get(credentials, region, AwsServiceIds.Sns, (SimpleNotificationClientConfig config) => new SimpleNotificationClient(credentials, config));

    public ICodeStarConnections CodeStarConnections(AWSCredentials credentials, string region)
        => Get(credentials, region, AwsServiceIds.CodeStarConnections,
            (CodeStarConnectionsClientConfig config) => new CodeStarConnectionsClient(credentials, config));

    public ICodeCommit CodeCommit(AWSCredentials credentials, string region)
        => Get(credentials, region, AwsServiceIds.CodeCommit, (CodeCommitClientConfig config) => new CodeCommitClient(credentials, config));

    public IAmazonSecurityTokenService SecurityTokenService(AWSCredentials credentials, string region)
        => Get(credentials, region, AwsServiceIds.Sts,
            (AmazonSecurityTokenServiceConfig config) => new KitSecurityTokenServiceClient(credentials, config));

    /// <summary>IAM is global: the client signs for its partition's IAM region (us-east-1 in aws) and its calls are logged
    /// in that region.</summary>
    public IIdentityManagement Iam(AWSCredentials credentials, string partition = KnownRegions.Commercial)
        => Get(credentials, IdentityManagementClientConfig.SigningRegionOf(partition), AwsServiceIds.Iam,
            (IdentityManagementClientConfig config) => new IdentityManagementClient(credentials, config));

    /// <summary>Organizations is global: the client signs for us-east-1 and its calls are logged in that region.</summary>
    public IOrganizations Organizations(AWSCredentials credentials)
        => Get(credentials, OrganizationsClientConfig.SigningRegion, AwsServiceIds.Organizations,
            (OrganizationsClientConfig config) => new OrganizationsClient(credentials, config));

    public IAmazonKeyManagementService Kms(AWSCredentials credentials, string region)
        => Get(credentials, region, AwsServiceIds.Kms,
            (AmazonKeyManagementServiceConfig config) => new KitKeyManagementServiceClient(credentials, config));

    public IAmazonS3 S3(AWSCredentials credentials, string region)
        => Get(credentials, region, AwsServiceIds.S3, (AmazonS3Config config) => new KitS3Client(credentials, config),
            // Emulators serve buckets under the path, not as virtual hosts of their address.
            onCustomEndpoint: config => config.ForcePathStyle = true);

    public void Dispose()
    {
        foreach (var client in clients.Values.Where(c => c.IsValueCreated))
        {
            client.Value.Dispose();
        }

        clients.Clear();
    }

    /// <summary>Region, or a custom endpoint signed for that region. True when a custom endpoint is used.</summary>
    private bool Configure(ClientConfig config, string region, string serviceId)
    {
        config.RetryMode = RequestRetryMode.Adaptive;
        config.MaxErrorRetry = retrySettings.SafeAttempts - 1;
        var url = endpoints.Resolve(serviceId);
        if (url is null)
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(region);
            customize?.Invoke(config);
            return false;
        }

        // Generated configs read AWS_ENDPOINT_URL* themselves, ours does not; one explicit rule for all clients.
        config.ServiceURL = url;
        config.AuthenticationRegion = region;
        customize?.Invoke(config);
        return true;
    }

    /// <summary>The cached client for (credentials, region, service), or a new one configured by <see cref="Configure"/>;
    /// <paramref name="onCustomEndpoint"/> adjusts the config further when a custom endpoint is used.</summary>
    private TClient Get<TConfig, TClient>(
        AWSCredentials credentials, string region, string serviceId, Func<TConfig, TClient> create, Action<TConfig>? onCustomEndpoint = null)
        where TConfig : ClientConfig, new()
        where TClient : AmazonServiceClient, IPipelineClient
    {
        ArgumentNullException.ThrowIfNull(credentials);
        ArgumentException.ThrowIfNullOrWhiteSpace(region);
        var key = new ClientKey(credentials, region, serviceId);
        return (TClient)clients.GetOrAdd(key, _ => new Lazy<AmazonServiceClient>(() =>
        {
            var config = new TConfig();
            if (Configure(config, region, serviceId))
            {
                onCustomEndpoint?.Invoke(config);
            }

            var client = create(config);
            AwsRetryPipeline.Install(client.Pipeline, client.Config, retrySettings, serviceId, region, callLog, onRetry);
            RequestLimit.Install(client.Pipeline);
            client.BeforeRequestEvent += (_, e) =>
            {
                if (e is WebServiceRequestEventArgs args)
                {
                    var parameters = RequestParameters.From(args.Request, args.Headers);
                    var call = new AwsCall(serviceId, OperationName(args.Request), region);
                    callLog.Record(call.Service, call.Operation, region, credentials, parameters);
                    // Thrown here, before the retry loop and the signer, a refusal fails the call once, as the service's answer.
                    gate?.Admit(new TracedCall(call, credentials, parameters));
                }
            };
            client.AfterResponseEvent += (_, e) =>
            {
                if (gate is { } current && e is WebServiceResponseEventArgs args && args.Response is { } response)
                {
                    var call = new AwsCall(serviceId, OperationName(args.Request), region);
                    current.Answered(new TracedCall(call, credentials, RequestParameters.From(args.Request, args.RequestHeaders)), args.Request, response);
                }
            };
            return client;
        })).Value;
    }

    internal static string OperationName(AmazonWebServiceRequest? request) => request switch
    {
        QueryRequest query => query.Action,
        JsonProtocolRequest json => json.Operation,
        null => "Unknown",
        _ => request.GetType().Name is var name && name.EndsWith("Request", StringComparison.Ordinal)
            ? name[..^"Request".Length]
            : request.GetType().Name,
    };

    /// <summary>Credentials compare by instance: two sessions with equal keys are still two sessions.</summary>
    private readonly record struct ClientKey(AWSCredentials Credentials, string Region, string Service)
    {
        public bool Equals(ClientKey other)
            => ReferenceEquals(Credentials, other.Credentials) && Region == other.Region && Service == other.Service;

        public override int GetHashCode() => HashCode.Combine(RuntimeHelpers.GetHashCode(Credentials), Region, Service);
    }
}
