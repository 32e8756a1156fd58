namespace PipelineKit.Aws;

/// <summary>
/// Where each service's client sends its requests, following the SDKs' shared endpoint settings:
/// AWS_ENDPOINT_URL_&lt;SERVICE_ID&gt; (service id upper-cased, spaces as underscores) wins over AWS_ENDPOINT_URL;
/// neither set means the AWS regional endpoint (null here). An explicit override (the sandbox passes the
/// emulator URL) wins over both. https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html
/// </summary>
public sealed class AwsEndpoints
{
    public const string GlobalVariable = "AWS_ENDPOINT_URL";

    private readonly Func<string, string?> environment;

    public AwsEndpoints(Func<string, string?> environment, string? overrideUrl = null)
    {
        this.environment = environment ?? throw new ArgumentNullException(nameof(environment));
        OverrideUrl = string.IsNullOrWhiteSpace(overrideUrl) ? null : overrideUrl.Trim();
    }

    /// <summary>The URL every service uses regardless of the environment, or null.</summary>
    public string? OverrideUrl { get; }

    /// <summary>The configured endpoint URL for a service id ("CloudFormation", "STS", "S3", "CodePipeline"...),
    /// or null to use the service's regional AWS endpoint.</summary>
    public string? Resolve(string serviceId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(serviceId);
        return OverrideUrl ?? Value(VariableFor(serviceId)) ?? Value(GlobalVariable);
    }

    /// <summary>AWS_ENDPOINT_URL_ + the service id upper-cased with spaces as underscores.</summary>
    public static string VariableFor(string serviceId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(serviceId);
        return GlobalVariable + "_" + serviceId.Trim().Replace(' ', '_').ToUpperInvariant();
    }

    private string? Value(string variable)
        => environment(variable) is { } value && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;
}

/// <summary>Service ids as the SDKs' endpoint settings name them.</summary>
public static class AwsServiceIds
{
    public const string CloudFormation = "CloudFormation";
    public const string Sts = "STS";
    public const string S3 = "S3";
    public const string Iam = "IAM";
    public const string Kms = "KMS";
    public const string CodePipeline = "CodePipeline";
    public const string Sns = "SNS";
    public const string CodeStarConnections = "CodeStar connections";
    public const string Organizations = "Organizations";
    public const string CodeCommit = "CodeCommit";
}
