namespace PipelineKit.Tests.LocalPipeline;

using System.Text.Json.Nodes;
using PipelineKit.Pipeline;

/// <summary>
/// A small source for the pipeline's S3 source: buildspecs/buildspec.yml (and the smoke test's) and what it packages as BuildOutput, in the layout
/// the deploy actions read (sample-app/template.yaml, sample-app/params-&lt;environment&gt;.json). The app is one SNS topic
/// named by a parameter, so a run deploys in seconds and without building the sample app; the pipeline, its template and
/// every executor are the kit's own.
/// </summary>
internal sealed class LightSource
{
    public const string Template =
        "AWSTemplateFormatVersion: '2010-09-09'\n" +
        "Parameters:\n" +
        "  TopicName:\n" +
        "    Type: String\n" +
        "Resources:\n" +
        "  Topic:\n" +
        "    Type: AWS::SNS::Topic\n" +
        "    Properties:\n" +
        "      TopicName: !Ref TopicName\n" +
        "Outputs:\n" +
        "  TopicArn:\n" +
        "    Value: !Ref Topic\n" +
        // The outputs the pipeline's smoke test reads through the execute action's variables.
        "  ApiUrl:\n" +
        "    Value: !Sub 'https://${TopicName}.example.invalid/'\n" +
        "  EnvironmentName:\n" +
        "    Value: !Ref TopicName\n" +
        "  AppVersion:\n" +
        "    Value: light\n";

    /// <summary>Build commands that pass and package the app.</summary>
    public static readonly string[] Passing = ["test -f sample-app/template.yaml", "echo packaged"];

    private readonly Dictionary<string, string> files = new(StringComparer.Ordinal);

    /// <param name="commands">The buildspec's build phase.</param>
    /// <param name="topics">Per environment, its TopicName; an environment given null gets a parameter file without it.</param>
    public LightSource(IReadOnlyList<string> commands, IReadOnlyDictionary<string, string?> topics)
    {
        files["buildspecs/buildspec.yml"] =
            "version: 0.2\n" +
            "phases:\n" +
            "  build:\n" +
            "    commands:\n" +
            string.Concat(commands.Select(c => $"      - {c}\n")) +
            "artifacts:\n" +
            "  files:\n" +
            "    - sample-app/template.yaml\n" +
            "    - sample-app/params-*.json\n";
        files["sample-app/template.yaml"] = Template;
        // The smoke test's project reads its buildspec from the source: this one checks that the variables arrived.
        files["buildspecs/buildspec-smoke-test.yml"] =
            "version: 0.2\n" +
            "phases:\n" +
            "  build:\n" +
            "    commands:\n" +
            "      - test -n \"$SMOKE_API_URL\"\n";
        foreach (var (environment, topic) in topics)
        {
            var parameters = new JsonObject();
            if (topic is not null) parameters["TopicName"] = topic;
            files[$"sample-app/params-{environment}.json"] = new JsonObject { ["Parameters"] = parameters }.ToJsonString();
        }
    }

    /// <summary>Uploads the zip to the pipeline's source bucket and key with the build account's credentials, as DeploySampleApp
    /// does (<see cref="SourceUpload"/>); returns the object's new version.</summary>
    public async Task<string> UploadAsync(Amazon.S3.IAmazonS3 s3, string bucket, string key)
    {
        var uploaded = await SourceUpload.UploadAsync(s3, bucket, key, LocalActions.Zip(files), "a test's source", CancellationToken.None);
        return uploaded.VersionId;
    }
}
