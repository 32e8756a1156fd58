namespace PipelineKit.Aws;

using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.Credentials.Internal;
using Amazon.Runtime.Endpoints;
using Amazon.Runtime.Internal;
using Amazon.Runtime.Internal.Auth;
using Amazon.Runtime.Internal.Transform;

/// <summary>
/// What a generated AWSSDK config carries, for the services whose packages are not available here: Standard
/// defaults mode with Standard retries (<see cref="AwsClientFactory"/> sets adaptive retries on every config it makes), SigV4 for the service's signing name, and the regional endpoint
/// https://SIGNINGNAME.REGION.amazonaws.com unless <see cref="ClientConfig.ServiceURL"/> is set. Unlike the
/// generated configs it does not read AWS_ENDPOINT_URL itself: <see cref="AwsClientFactory"/> resolves the
/// endpoint settings (<see cref="AwsEndpoints"/>) and sets ServiceURL.
/// </summary>
public abstract class NarrowServiceConfig : ClientConfig
{
    private readonly string signingName;
    private readonly string apiVersion;

    protected NarrowServiceConfig(string serviceId, string signingName, string apiVersion)
        : base(new DefaultConfigurationProvider(
        [
            new DefaultConfiguration
            {
                Name = DefaultConfigurationMode.Standard,
                RetryMode = RequestRetryMode.Standard,
                S3UsEast1RegionalEndpoint = S3UsEast1RegionalEndpointValue.Regional,
                ConnectTimeout = TimeSpan.FromSeconds(3.1),
                TlsNegotiationTimeout = TimeSpan.FromSeconds(3.1),
            },
        ]))
    {
        this.signingName = signingName;
        this.apiVersion = apiVersion;
        ServiceId = serviceId;
        AuthenticationServiceName = signingName;
    }

    public override string RegionEndpointServiceName => signingName;

    public override string ServiceVersion => apiVersion;

    public override string UserAgent => $"pipelinekit-{signingName}/1.0";

    public override Endpoint DetermineServiceOperationEndpoint(ServiceOperationEndpointParameters parameters)
        => new(ServiceURL ?? RegionalUrl(signingName, RegionEndpoint ?? RegionEndpoint.USEast1));

    protected static string RegionalUrl(string hostPrefix, RegionEndpoint region)
    {
        var suffix = region.SystemName.StartsWith("cn-", StringComparison.Ordinal) ? "amazonaws.com.cn" : "amazonaws.com";
        return $"https://{hostPrefix}.{region.SystemName}.{suffix}";
    }
}

/// <summary>A client for one of those services on AWSSDK.Core's pipeline (credentials, signing, retries, errors);
/// subclasses add only the wire format.</summary>
public abstract class NarrowServiceClient : AmazonServiceClient, IPipelineClient
{
    private readonly IServiceMetadata metadata;

    protected NarrowServiceClient(AWSCredentials credentials, ClientConfig config)
        : base(credentials, config)
    {
        metadata = new Metadata(config.ServiceId);
    }

    protected override IServiceMetadata ServiceMetadata => metadata;

    RuntimePipeline IPipelineClient.Pipeline => RuntimePipeline;

    /// <summary>The call's result, or null when the service answers that what the call names does not exist.</summary>
    protected static async Task<T?> NullWhenMissingAsync<T>(Func<Task<T>> call, Func<AmazonServiceException, bool> isMissing)
        where T : class?
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (AmazonServiceException e) when (isMissing(e))
        {
            return null;
        }
    }

    /// <summary>Sends one request through the SDK pipeline in the service's wire format.</summary>
    protected Task<TResponse> SendAsync<TResponse>(
        AmazonWebServiceRequest request, IMarshaller<IRequest, AmazonWebServiceRequest> marshaller, ResponseUnmarshaller unmarshaller,
        CancellationToken ct)
        where TResponse : AmazonWebServiceResponse, new()
        => InvokeAsync<TResponse>(request, new InvokeOptions { RequestMarshaller = marshaller, ResponseUnmarshaller = unmarshaller }, ct);

    protected override void CustomizeRuntimePipeline(RuntimePipeline pipeline)
    {
        ArgumentNullException.ThrowIfNull(pipeline);

        // Generated clients carry a modeled auth-scheme resolver; without one nothing picks a signer.
        pipeline.AddHandlerBefore<Signer>(new SigV4AuthSchemeHandler());
    }

    private sealed class Metadata(string serviceId) : IServiceMetadata
    {
        public string ServiceId { get; } = serviceId;

        public IDictionary<string, string> OperationNameMapping { get; } = new Dictionary<string, string>();
    }

    /// <summary>These services have one auth scheme for every operation: SigV4 (aws.auth#sigv4).</summary>
    private sealed class SigV4AuthSchemeHandler : BaseAuthResolverHandler
    {
        protected override List<IAuthSchemeOption> ResolveAuthOptions(IExecutionContext executionContext)
            => AuthSchemeOption.DEFAULT_SIGV4;
    }
}
