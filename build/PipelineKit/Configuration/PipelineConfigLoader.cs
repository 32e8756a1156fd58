namespace PipelineKit.Configuration;

using System.Text.Json;

/// <summary>
/// Reads pipeline.json into a validated <see cref="PipelineConfig"/>, or throws a
/// <see cref="ConfigurationException"/> listing every problem with its file and JSON path.
/// Runs before any AWS call; the only outside lookup is <see cref="ConfigContext.ProfileExists"/>.
/// </summary>
public static class PipelineConfigLoader
{
    public const string SandboxResourceName = "config/sandbox.pipeline.json";
    public const string SandboxSourceName = "embedded:sandbox.pipeline.json";

    /// <summary>
    /// Every property the loader accepts, per object; keys are JSON paths with <c>[]</c> for array items.
    /// Anything else is reported as unknown. pipeline.schema.json must describe exactly these (tested).
    /// </summary>
    internal static IReadOnlyDictionary<string, IReadOnlyList<string>> AcceptedProperties { get; } =
        new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal)
        {
            [""] = RootSection.Properties,
            [BuildSection.Path] = BuildSection.Properties,
            [$"{EnvironmentsSection.Path}[]"] = EnvironmentsSection.Properties,
            [SourceSection.Path] = SourceSection.Properties,
            [NotificationsSection.Path] = NotificationsSection.Properties,
            [NotificationsSection.SlackPath] = NotificationsSection.SlackProperties,
            [ExecutionSection.Path] = ExecutionSection.Properties,
        };

    public static PipelineConfig Load(string path, ConfigContext context)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(context);

        // Reading a directory fails with "Access to the path is denied", which sends users after permissions.
        if (Directory.Exists(path))
        {
            throw new ConfigurationException(
                [new ConfigurationError(null, "", $"{path} is a directory; --config takes a pipeline.json file")]);
        }

        string json;
        try
        {
            json = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new ConfigurationException(
                [new ConfigurationError(path, "", $"file not found (looked for {Path.GetFullPath(path)})")]);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ConfigurationException([new ConfigurationError(path, "", $"cannot be read: {ex.Message}")]);
        }

        return Parse(json, path, context) with { SourceFile = Path.GetFullPath(path) };
    }

    /// <summary>The bundled sandbox configuration (no profiles: every session comes from the emulator).</summary>
    public static PipelineConfig LoadSandbox()
    {
        using var stream = typeof(PipelineConfigLoader).Assembly.GetManifestResourceStream(SandboxResourceName)
            ?? throw new InvalidOperationException($"The kit was built without its embedded resource {SandboxResourceName}.");
        using var reader = new StreamReader(stream);
        return Parse(reader.ReadToEnd(), SandboxSourceName, ConfigContext.WithoutProfiles);
    }

    /// <param name="sourceName">How errors name the file, and the resulting <see cref="PipelineConfig.SourceFile"/>.</param>
    public static PipelineConfig Parse(string json, string sourceName, ConfigContext context)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentException.ThrowIfNullOrEmpty(sourceName);
        ArgumentNullException.ThrowIfNull(context);

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException ex)
        {
            // JsonException positions are 0-based; editors count from 1.
            var line = (ex.LineNumber ?? 0) + 1;
            var column = (ex.BytePositionInLine ?? 0) + 1;
            throw new ConfigurationException(
                [new ConfigurationError(sourceName, "", $"line {line}, column {column}: not valid JSON: {ReaderReason(ex)}")]);
        }

        using (document)
        {
            var reader = new ConfigReader(sourceName, context);
            var config = Read(reader, document.RootElement);
            if (reader.Errors.Count > 0 || config is null)
            {
                throw new ConfigurationException(reader.Errors);
            }

            return config;
        }
    }

    private static string ReaderReason(JsonException ex)
    {
        var message = ex.Message;
        var at = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return (at >= 0 ? message[..at] : message).Trim();
    }

    /// <summary>Reads every section, then the rules between them; null when anything was reported.</summary>
    private static PipelineConfig? Read(ConfigReader reader, JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            reader.Error("", $"expected a JSON object at the top level, got {ConfigReader.Describe(root.ValueKind)}");
            return null;
        }

        reader.CheckProperties(root, "", RootSection.Properties);
        reader.OptionalString(root, "", "$schema");
        var name = RootSection.ReadName(reader, root);
        var build = BuildSection.Read(reader, root);
        reader.PipelineName = name;
        reader.BuildAccount = build?.Account;
        reader.BuildRegion = build?.Region;
        var assumeRoleName = RootSection.ReadAssumeRoleName(reader, root);
        var approvalTimeout = EnvironmentsSection.ReadApprovalTimeout(reader, root, "");
        var environments = EnvironmentsSection.Read(reader, root);
        CrossFieldRules.CheckAccountAccess(reader, environments, build);
        CrossFieldRules.CheckWaves(reader, environments);
        CrossFieldRules.CheckPartition(reader, environments, build);
        var source = SourceSection.Read(reader, root);
        var notifications = NotificationsSection.Read(reader, root);
        var execution = ExecutionSection.Read(reader, root);
        var retention = RootSection.ReadArtifactRetentionDays(reader, root);
        var selfUpdate = RootSection.ReadSelfUpdate(reader, root);
        var rollbackOnFailure = RootSection.ReadRollbackOnFailure(reader, root);
        var organizationId = RootSection.ReadOrganizationId(reader, root);
        OrganizationalUnitField.CheckOrganization(reader, environments, organizationId, reader.HasErrorAt("organizationId"), selfUpdate);
        var deployers = DeployersSection.Read(reader, root, build?.Account);

        if (reader.Errors.Count > 0 || name is null || build is null || environments is null || source is null)
        {
            return null;
        }

        return new PipelineConfig
        {
            SourceFile = reader.SourceName,
            Name = name,
            Build = build.Complete(reader.Context.ProfileOverride),
            AssumeRoleName = assumeRoleName,
            Environments = environments.Select(e => e.Complete(approvalTimeout)).ToArray(),
            Source = source,
            Notifications = notifications,
            CloudFormationExecution = execution,
            ArtifactRetentionDays = retention,
            SelfUpdate = selfUpdate,
            RollbackOnFailure = rollbackOnFailure,
            Deployers = deployers,
            OrganizationId = organizationId,
        };
    }
}
