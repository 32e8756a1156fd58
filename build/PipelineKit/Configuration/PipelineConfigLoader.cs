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
    public const string DefaultAssumeRoleName = "OrganizationAccountAccessRole";
    public const string DefaultManagedPolicyArn = "arn:aws:iam::aws:policy/PowerUserAccess";
    public const string DefaultSourceType = "S3";
    public const string DefaultObjectKey = "source.zip";
    public const int DefaultArtifactRetentionDays = 30;
    public const int MaxNameLength = 20;

    /// <summary>CodePipeline's bounds for a manual approval's timeout (ActionDeclaration.TimeoutInMinutes; default 7 days).
    /// https://docs.aws.amazon.com/codepipeline/latest/userguide/limits.html</summary>
    public const int MinApprovalTimeoutMinutes = 5;

    public const int MaxApprovalTimeoutMinutes = 86400;

    /// <summary>Which source fields each source type takes; a field set for another type is an error, not ignored.</summary>
    internal static IReadOnlyDictionary<string, IReadOnlyList<string>> SourceFields { get; } =
        new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal)
        {
            ["S3"] = ["objectKey"],
            ["CodeStarConnection"] = ["connectionArn", "repository", "branch"],
            ["CodeCommit"] = ["repository", "branch", "account", "roleArn"],
        };

    /// <summary>S3: a zip in the build account's source bucket; CodeStarConnection: GitHub, Bitbucket or GitLab through a
    /// connection; CodeCommit: a repository in a source account, read through a role there.</summary>
    public static IReadOnlyList<string> SourceTypes { get; } = ["S3", "CodeStarConnection", "CodeCommit"];

    /// <summary>
    /// Every property the loader accepts, per object; keys are JSON paths with <c>[]</c> for array items.
    /// Anything else is reported as unknown. pipeline.schema.json must describe exactly these (tested).
    /// </summary>
    internal static IReadOnlyDictionary<string, IReadOnlyList<string>> AcceptedProperties { get; } =
        new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal)
        {
            [""] =
            [
                "$schema", "name", "build", "assumeRoleName", "environments", "source", "notifications",
                "cloudFormationExecution", "artifactRetentionDays", "approvalTimeoutMinutes", "selfUpdate", "deployers",
            ],
            ["build"] = ["account", "region", "profile"],
            ["environments[]"] = ["name", "account", "region", "profile", "roleArn", "approval", "approvalTimeoutMinutes", "wave"],
            ["source"] = ["type", "objectKey", "connectionArn", "repository", "branch", "account", "roleArn"],
            ["notifications"] = ["emails", "slack"],
            ["notifications.slack"] = ["workspaceId", "channelId"],
            ["cloudFormationExecution"] = ["managedPolicyArns", "permissionsBoundaryArn"],
        };

    public static PipelineConfig Load(string path, ConfigContext context)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(context);

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
            var config = reader.Read(document.RootElement);
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

    /// <summary>One pass over the document; records every problem instead of stopping at the first.</summary>
    private sealed class ConfigReader(string sourceName, ConfigContext context)
    {
        private readonly List<ConfigurationError> errors = [];

        public IReadOnlyList<ConfigurationError> Errors => errors;

        public PipelineConfig? Read(JsonElement root)
        {
            if (root.ValueKind != JsonValueKind.Object)
            {
                Error("", $"expected a JSON object at the top level, got {Describe(root.ValueKind)}");
                return null;
            }

            CheckProperties(root, "", "");
            OptionalString(root, "", "$schema");

            var name = RequiredString(root, "", "name");
            if (name is not null)
            {
                if (name.Length > MaxNameLength)
                {
                    Error("name", $"\"{name}\" is {name.Length} characters; at most {MaxNameLength} are allowed (it prefixes S3 bucket names, which must stay within 63)");
                }
                else if (!ConfigPatterns.PipelineName().IsMatch(name))
                {
                    Error("name", $"\"{name}\" must be lower-case letters, digits and hyphens, start with a letter and not end with a hyphen");
                }
                else if (ConfigPatterns.ReservedName().Match(name) is { Success: true } reserved)
                {
                    Error("name", reserved.Groups["kit"].Success
                        ? $"\"{name}\" may not start with \"pipelinekit\": the kit's own stacks are named pipelinekit-<name>-..., and the pipeline may act on every stack named <name>-*"
                        : $"\"{name}\" starts with \"{reserved.Value}\", which S3 reserves for bucket names (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html)");
                }
            }

            var build = ReadBuild(root);

            var assumeRoleName = OptionalString(root, "", "assumeRoleName") ?? DefaultAssumeRoleName;
            if (!ConfigPatterns.RoleName().IsMatch(assumeRoleName))
            {
                Error("assumeRoleName", $"\"{assumeRoleName}\" is not a valid IAM role name (1 to 64 of letters, digits and +=,.@_-)");
            }

            var approvalTimeout = ApprovalTimeout(root, "");
            var environments = ReadEnvironments(root);
            CheckAccountAccess(environments, build);
            CheckWaves(environments);

            var sourceSettings = ReadSource(root);
            var notifications = ReadNotifications(root);
            var execution = ReadExecution(root);

            var retention = OptionalInteger(root, "", "artifactRetentionDays") ?? DefaultArtifactRetentionDays;
            if (retention is < 1 or > 3650)
            {
                Error("artifactRetentionDays", $"{retention} is out of range; use 1 to 3650 days");
            }

            var selfUpdate = OptionalBoolean(root, "", "selfUpdate") ?? false;
            var deployers = ReadDeployers(root, build?.Account);

            if (errors.Count > 0 || name is null || build is null || environments is null)
            {
                return null;
            }

            return new PipelineConfig
            {
                SourceFile = sourceName,
                Name = name,
                Build = new BuildSettings(build.Account!, build.Region!, context.ProfileOverride ?? build.Profile),
                AssumeRoleName = assumeRoleName,
                Environments = environments
                    .Select(e => new EnvironmentSettings(e.Name!, e.Account!, e.Region!, e.Profile, e.RoleArn, e.Approval, e.Wave,
                        e.Approval ? e.ApprovalTimeoutMinutes ?? approvalTimeout : null))
                    .ToArray(),
                Source = sourceSettings!,
                Notifications = notifications!,
                CloudFormationExecution = execution!,
                ArtifactRetentionDays = retention,
                SelfUpdate = selfUpdate,
                Deployers = deployers,
            };
        }

        /// <summary>deployers: the build account's roles and users that may assume NAME-deployer (DeploySampleApp --direct).
        /// The target accounts' action roles trust that role, so whoever may assume it may deploy without the pipeline.</summary>
        private string[] ReadDeployers(JsonElement root, string? buildAccount)
        {
            var deployers = OptionalStringArray(root, "", "deployers") ?? [];
            for (var i = 0; i < deployers.Count; i++)
            {
                if (deployers[i] is not { } arn) continue;
                var match = ConfigPatterns.Deployer().Match(arn);
                if (!match.Success)
                {
                    Error($"deployers[{i}]", $"\"{arn}\" is not the ARN of an IAM role or user (arn:aws:iam::ACCOUNT:role/NAME), " +
                        "or names one with a comma, which the template parameter that carries it cannot hold");
                }
                else if (buildAccount is not null && match.Groups["account"].Value != buildAccount)
                {
                    Error($"deployers[{i}]", $"\"{arn}\" is in account {match.Groups["account"].Value}, not the build account {buildAccount}; " +
                        "only principals of the build account may assume the deployer role");
                }
            }

            return deployers.OfType<string>().Distinct(StringComparer.Ordinal).ToArray();
        }

        private sealed record PartialBuild(string? Account, string? Region, string? Profile);

        private sealed record PartialEnvironment(
            int Index, string? Name, string? Account, string? Region, string? Profile, string? RoleArn, bool Approval,
            int? Wave = null, int? ApprovalTimeoutMinutes = null)
        {
            public string Path => $"environments[{Index}]";
        }

        private PartialBuild? ReadBuild(JsonElement root)
        {
            var build = RequiredObject(root, "", "build");
            if (build is not { } b)
            {
                return null;
            }

            CheckProperties(b, "build", "build");
            var account = AccountId(b, "build");
            var region = Region(b, "build");
            // With --profile the file's build profile is not used, so it need not exist on this machine (CI).
            var profile = Profile(b, "build", mustExist: context.ProfileOverride is null);

            if (context.ProfileOverride is { } overridden && !context.ProfileExists(overridden))
            {
                errors.Add(new ConfigurationError(null, "--profile", ProfileNotFound(overridden)));
            }

            return new PartialBuild(account, region, profile);
        }

        private List<PartialEnvironment>? ReadEnvironments(JsonElement root)
        {
            var array = RequiredArray(root, "", "environments");
            if (array is not { } items)
            {
                return null;
            }

            if (items.GetArrayLength() == 0)
            {
                Error("environments", "needs at least one environment");
                return null;
            }

            var result = new List<PartialEnvironment>();
            var namesSeen = new Dictionary<string, (int Index, string Name)>(StringComparer.OrdinalIgnoreCase);
            var index = 0;
            foreach (var item in items.EnumerateArray())
            {
                var path = $"environments[{index}]";
                if (item.ValueKind != JsonValueKind.Object)
                {
                    Error(path, $"expected an object, got {Describe(item.ValueKind)}");
                    index++;
                    continue;
                }

                CheckProperties(item, path, "environments[]");

                var name = RequiredString(item, path, "name");
                if (name is not null)
                {
                    if (!ConfigPatterns.EnvironmentName().IsMatch(name))
                    {
                        Error(Join(path, "name"), $"\"{name}\" must be 1 to 20 lower-case letters, digits and hyphens, starting with a letter");
                    }

                    // Case-insensitive: stack and role names derived from these must not collide either.
                    if (namesSeen.TryGetValue(name, out var first))
                    {
                        var sameSpelling = first.Name == name ? "" : $" (\"{first.Name}\"; names are compared ignoring case)";
                        Error(Join(path, "name"), $"\"{name}\" is already the name of environments[{first.Index}]{sameSpelling}; environment names must be unique");
                    }
                    else
                    {
                        namesSeen[name] = (index, name);
                    }
                }

                var account = AccountId(item, path);
                var region = Region(item, path);
                var profile = Profile(item, path);

                var roleArn = OptionalString(item, path, "roleArn");
                if (roleArn is not null)
                {
                    var match = ConfigPatterns.RoleArn().Match(roleArn);
                    if (!match.Success)
                    {
                        Error(Join(path, "roleArn"), $"\"{roleArn}\" is not an IAM role ARN (arn:aws:iam::ACCOUNT:role/NAME)");
                        roleArn = null;
                    }
                    else if (account is not null && match.Groups["account"].Value != account)
                    {
                        Error(Join(path, "roleArn"), $"\"{roleArn}\" is a role in account {match.Groups["account"].Value}, but the environment's account is {account}");
                        roleArn = null;
                    }
                }

                var approval = OptionalBoolean(item, path, "approval") ?? false;
                var timeout = ApprovalTimeout(item, path);
                if (timeout is not null && !approval)
                {
                    Error(Join(path, "approvalTimeoutMinutes"), "applies only to an environment with \"approval\": true");
                }

                var wave = OptionalInteger(item, path, "wave");
                if (wave is < 1)
                {
                    Error(Join(path, "wave"), $"{wave} is out of range; waves are numbered from 1");
                    wave = null;
                }

                result.Add(new PartialEnvironment(index, name, account, region, profile, roleArn, approval, wave, timeout));
                index++;
            }

            return result;
        }

        private int? ApprovalTimeout(JsonElement obj, string path)
        {
            var minutes = OptionalInteger(obj, path, "approvalTimeoutMinutes");
            if (minutes is < MinApprovalTimeoutMinutes or > MaxApprovalTimeoutMinutes)
            {
                Error(Join(path, "approvalTimeoutMinutes"), $"{minutes} is out of range; CodePipeline accepts {MinApprovalTimeoutMinutes} to {MaxApprovalTimeoutMinutes} minutes (60 days)");
                return null;
            }

            return minutes;
        }

        /// <summary>Waves deploy in ascending order, so the file lists them in that order; all environments have one, or none.</summary>
        private void CheckWaves(List<PartialEnvironment>? environments)
        {
            if (environments is null || environments.FirstOrDefault(e => e.Wave is not null) is not { } withWave)
            {
                return;
            }

            PartialEnvironment? previous = null;
            foreach (var environment in environments)
            {
                // Present in the file but invalid (already reported) counts as present.
                var present = environment.Wave is not null || HasWaveProperty(environment);
                if (!present)
                {
                    Error(Join(environment.Path, "wave"), $"is required because {Label(withWave)} has a wave; give every environment a wave, or none");
                    continue;
                }

                if (environment.Wave is null)
                {
                    continue;
                }

                if (previous is not null && environment.Wave < previous.Wave)
                {
                    Error(Join(environment.Path, "wave"), $"{environment.Wave} comes after wave {previous.Wave} of {Label(previous)}; waves must not decrease in file order: list the environments in the order their waves deploy");
                }
                else
                {
                    previous = environment;
                }
            }
        }

        private bool HasWaveProperty(PartialEnvironment environment) => errors.Any(e => e.Path == Join(environment.Path, "wave"));

        /// <summary>Roles are per account, so every environment in one account must reach it the same way.</summary>
        private void CheckAccountAccess(List<PartialEnvironment>? environments, PartialBuild? build)
        {
            if (environments is null)
            {
                return;
            }

            foreach (var group in environments.Where(e => e.Account is not null).GroupBy(e => e.Account!, StringComparer.Ordinal))
            {
                PartialEnvironment? firstWithProfile = null;
                PartialEnvironment? firstWithRole = null;
                foreach (var environment in group)
                {
                    if (environment.Profile is not null)
                    {
                        if (firstWithProfile is null)
                        {
                            firstWithProfile = environment;
                        }
                        else if (firstWithProfile.Profile != environment.Profile)
                        {
                            Error(Join(environment.Path, "profile"), $"\"{environment.Profile}\" conflicts with profile \"{firstWithProfile.Profile}\" of {Label(firstWithProfile)}; both environments are in account {group.Key}, which is reached one way only: use the same profile or leave it out of one of them");
                        }
                    }

                    if (environment.RoleArn is not null)
                    {
                        if (firstWithRole is null)
                        {
                            firstWithRole = environment;
                        }
                        else if (firstWithRole.RoleArn != environment.RoleArn)
                        {
                            Error(Join(environment.Path, "roleArn"), $"\"{environment.RoleArn}\" conflicts with roleArn \"{firstWithRole.RoleArn}\" of {Label(firstWithRole)}; both environments are in account {group.Key}, which is reached one way only: use the same roleArn or leave it out of one of them");
                        }
                    }
                }

                // A profile wins over a roleArn (TargetAccount), so mixing them across environments
                // would silently ignore the roleArn.
                if (firstWithProfile is not null && firstWithRole is not null && firstWithProfile != firstWithRole)
                {
                    var later = firstWithProfile.Index > firstWithRole.Index ? firstWithProfile : firstWithRole;
                    var earlier = later == firstWithProfile ? firstWithRole : firstWithProfile;
                    var (field, value) = later == firstWithProfile ? ("profile", later.Profile) : ("roleArn", later.RoleArn);
                    var (otherField, otherValue) = later == firstWithProfile ? ("roleArn", earlier.RoleArn) : ("profile", earlier.Profile);
                    Error(Join(later.Path, field), $"\"{value}\" conflicts with {otherField} \"{otherValue}\" of {Label(earlier)}; both environments are in account {group.Key}, which is reached one way only (a profile wins over a roleArn): give every environment in the account the same profile or the same roleArn");
                }

                if (build?.Account != group.Key)
                {
                    continue;
                }

                // The build session already acts in this account; a second profile for it would be
                // a second identity in one account, which the roles cannot tell apart.
                foreach (var environment in group.Where(e => e.Profile is not null && e.Profile != build.Profile))
                {
                    var expected = build.Profile is null ? "build.profile is not set" : $"build.profile is \"{build.Profile}\"";
                    Error(Join(environment.Path, "profile"), $"\"{environment.Profile}\" differs from the build profile ({expected}); {Label(environment)} is in the build account {group.Key}, which is reached with the build credentials: remove the profile or make it match build.profile");
                }
            }
        }

        private SourceSettings? ReadSource(JsonElement root)
        {
            var element = OptionalObject(root, "", "source");
            if (element is not { } s)
            {
                return new SourceSettings(DefaultSourceType, DefaultObjectKey);
            }

            CheckProperties(s, "source", "source");
            var type = OptionalString(s, "source", "type") ?? DefaultSourceType;
            if (!SourceTypes.Contains(type, StringComparer.Ordinal))
            {
                var hint = DidYouMean.ClosestMatch(type, SourceTypes) is { } near ? $"; did you mean {near}?" : "";
                Error("source.type", $"\"{type}\" is not one of {string.Join(", ", SourceTypes)}{hint}");
                return null;
            }

            var fields = SourceFields[type];
            foreach (var property in s.EnumerateObject().Select(p => p.Name).Distinct(StringComparer.Ordinal))
            {
                if (property is "type" or "$schema" || fields.Contains(property, StringComparer.Ordinal)
                    || !AcceptedProperties["source"].Contains(property, StringComparer.Ordinal))
                {
                    continue;
                }

                var owners = SourceFields.Where(f => f.Value.Contains(property, StringComparer.Ordinal)).Select(f => f.Key);
                Error(Join("source", property), $"applies only to source type {string.Join(" and ", owners)}, not {type}");
            }

            foreach (var field in fields.Where(f => f != "objectKey" && !s.TryGetProperty(f, out _)))
            {
                Error(Join("source", field), $"is required for source type {type}");
            }

            var objectKey = DefaultObjectKey;
            if (type == "S3")
            {
                objectKey = OptionalString(s, "source", "objectKey") ?? DefaultObjectKey;
                if (objectKey.Length is 0 or > 1024)
                {
                    Error("source.objectKey", "must be an S3 object key of 1 to 1024 characters");
                }

                return new SourceSettings(type, objectKey);
            }

            var repository = s.TryGetProperty("repository", out _) ? RequiredString(s, "source", "repository") : null;
            var branch = s.TryGetProperty("branch", out _) ? RequiredString(s, "source", "branch") : null;
            if (branch is not null && (branch.Length == 0 || branch.Any(char.IsWhiteSpace)))
            {
                Error("source.branch", $"\"{branch}\" is not a branch name (not empty, no spaces)");
            }

            if (type == "CodeStarConnection")
            {
                var connectionArn = s.TryGetProperty("connectionArn", out _) ? RequiredString(s, "source", "connectionArn") : null;
                if (connectionArn is not null && !ConfigPatterns.ConnectionArn().IsMatch(connectionArn))
                {
                    Error("source.connectionArn", $"\"{connectionArn}\" is not a connection ARN (arn:aws:codestar-connections:REGION:ACCOUNT:connection/ID, as the console shows it under Settings, Connections)");
                }

                if (repository is not null && !ConfigPatterns.FullRepositoryId().IsMatch(repository))
                {
                    Error("source.repository", $"\"{repository}\" must be the full repository id, OWNER/NAME (for example my-org/my-service)");
                }

                return new SourceSettings(type, objectKey, ConnectionArn: connectionArn, Repository: repository, Branch: branch);
            }

            if (repository is not null && !ConfigPatterns.CodeCommitRepository().IsMatch(repository))
            {
                Error("source.repository", $"\"{repository}\" is not a CodeCommit repository name (1 to 100 letters, digits, '.', '_' and '-')");
            }

            var account = s.TryGetProperty("account", out _) ? AccountId(s, "source") : null;
            var roleArn = s.TryGetProperty("roleArn", out _) ? RequiredString(s, "source", "roleArn") : null;
            if (roleArn is not null)
            {
                var match = ConfigPatterns.RoleArn().Match(roleArn);
                if (!match.Success)
                {
                    Error("source.roleArn", $"\"{roleArn}\" is not an IAM role ARN (arn:aws:iam::ACCOUNT:role/NAME)");
                }
                else if (account is not null && match.Groups["account"].Value != account)
                {
                    Error("source.roleArn", $"\"{roleArn}\" is a role in account {match.Groups["account"].Value}, but source.account is {account}; the pipeline reads the repository through a role in the repository's account");
                }
            }

            return new SourceSettings(type, objectKey, Repository: repository, Branch: branch, Account: account, RoleArn: roleArn);
        }

        private NotificationSettings? ReadNotifications(JsonElement root)
        {
            var element = OptionalObject(root, "", "notifications");
            if (element is not { } n)
            {
                return new NotificationSettings([]);
            }

            CheckProperties(n, "notifications", "notifications");
            var emails = OptionalStringArray(n, "notifications", "emails") ?? [];
            for (var i = 0; i < emails.Count; i++)
            {
                if (emails[i] is { } email && !ConfigPatterns.Email().IsMatch(email))
                {
                    Error($"notifications.emails[{i}]", $"\"{email}\" is not an email address");
                }
            }

            SlackSettings? slack = null;
            if (OptionalObject(n, "notifications", "slack") is { } slackElement)
            {
                CheckProperties(slackElement, "notifications.slack", "notifications.slack");
                var workspace = RequiredString(slackElement, "notifications.slack", "workspaceId");
                var channel = RequiredString(slackElement, "notifications.slack", "channelId");
                if (workspace is not null && !ConfigPatterns.SlackId().IsMatch(workspace))
                {
                    Error("notifications.slack.workspaceId", $"\"{workspace}\" is not a Slack workspace id (upper-case letters and digits, such as T0123ABCD; AWS Chatbot's console shows it after you authorize the workspace)");
                }

                if (channel is not null && !ConfigPatterns.SlackId().IsMatch(channel))
                {
                    Error("notifications.slack.channelId", $"\"{channel}\" is not a Slack channel id (upper-case letters and digits, such as C0123ABCD; Slack shows it under the channel's details)");
                }

                slack = workspace is null || channel is null ? null : new SlackSettings(workspace, channel);
            }

            return new NotificationSettings(emails.OfType<string>().ToArray(), slack);
        }

        private ExecutionRoleSettings? ReadExecution(JsonElement root)
        {
            const string path = "cloudFormationExecution";
            var element = OptionalObject(root, "", path);
            if (element is not { } e)
            {
                return new ExecutionRoleSettings([DefaultManagedPolicyArn], null);
            }

            CheckProperties(e, path, path);
            var policies = OptionalStringArray(e, path, "managedPolicyArns") ?? [DefaultManagedPolicyArn];
            if (policies.Count == 0)
            {
                Error(Join(path, "managedPolicyArns"), "needs at least one policy ARN: the execution role could deploy nothing; leave the field out for the default (PowerUserAccess)");
            }

            for (var i = 0; i < policies.Count; i++)
            {
                if (policies[i] is { } arn && !ConfigPatterns.PolicyArn().IsMatch(arn))
                {
                    Error($"{path}.managedPolicyArns[{i}]", $"\"{arn}\" is not an IAM policy ARN (arn:aws:iam::aws:policy/NAME or arn:aws:iam::ACCOUNT:policy/NAME)");
                }
            }

            var boundary = OptionalString(e, path, "permissionsBoundaryArn");
            if (boundary is not null && !ConfigPatterns.PolicyArn().IsMatch(boundary))
            {
                Error(Join(path, "permissionsBoundaryArn"), $"\"{boundary}\" is not an IAM policy ARN (arn:aws:iam::aws:policy/NAME or arn:aws:iam::ACCOUNT:policy/NAME)");
            }

            return new ExecutionRoleSettings(policies.OfType<string>().ToArray(), boundary);
        }

        private string? AccountId(JsonElement obj, string path)
        {
            var fieldPath = Join(path, "account");
            if (!obj.TryGetProperty("account", out var value))
            {
                Error(fieldPath, "is required (the 12-digit AWS account id, in quotes)");
                return null;
            }

            if (value.ValueKind == JsonValueKind.Number)
            {
                Error(fieldPath, $"expected a string, got a number; write the account id in quotes (\"{value.GetRawText()}\") so leading zeros survive");
                return null;
            }

            if (value.ValueKind != JsonValueKind.String)
            {
                Error(fieldPath, $"expected a string, got {Describe(value.ValueKind)}");
                return null;
            }

            var account = value.GetString()!;
            if (!ConfigPatterns.AccountId().IsMatch(account))
            {
                Error(fieldPath, $"\"{account}\" is not a 12-digit AWS account id");
                return null;
            }

            return account;
        }

        private string? Region(JsonElement obj, string path)
        {
            var region = RequiredString(obj, path, "region");
            if (region is null)
            {
                return null;
            }

            if (KnownRegions.Contains(region))
            {
                return region;
            }

            var hint = DidYouMean.ClosestMatch(region, KnownRegions.All) is { } near ? $"; did you mean {near}?" : "";
            Error(Join(path, "region"), $"\"{region}\" is not a known AWS commercial region{hint}");
            return null;
        }

        private string? Profile(JsonElement obj, string path, bool mustExist = true)
        {
            var profile = OptionalString(obj, path, "profile");
            if (profile is null)
            {
                return null;
            }

            if (profile.Length == 0)
            {
                Error(Join(path, "profile"), "must not be empty; leave the field out to use the default credentials");
                return null;
            }

            if (mustExist && !context.ProfileExists(profile))
            {
                Error(Join(path, "profile"), ProfileNotFound(profile));
            }

            return profile;
        }

        private static string ProfileNotFound(string profile) =>
            $"profile \"{profile}\" was not found in the shared AWS config or credentials files; create it (aws configure --profile {profile}) or remove it";

        private static string Label(PartialEnvironment environment) =>
            environment.Name is null ? environment.Path : $"{environment.Path} (\"{environment.Name}\")";

        private void CheckProperties(JsonElement obj, string path, string shape)
        {
            var accepted = AcceptedProperties[shape];
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var property in obj.EnumerateObject())
            {
                if (!seen.Add(property.Name))
                {
                    Error(Join(path, property.Name), "appears more than once");
                }
                else if (!accepted.Contains(property.Name, StringComparer.Ordinal))
                {
                    var hint = DidYouMean.ClosestMatch(property.Name, accepted.Where(a => a != "$schema")) is { } near
                        ? $"; did you mean {near}?"
                        : $"; allowed here: {string.Join(", ", accepted.Where(a => a != "$schema"))}";
                    Error(Join(path, property.Name), $"unknown property{hint}");
                }
            }
        }

        private JsonElement? Property(JsonElement obj, string path, string name, bool required, JsonValueKind kind, string expected)
        {
            if (!obj.TryGetProperty(name, out var value))
            {
                if (required)
                {
                    Error(Join(path, name), "is required");
                }

                return null;
            }

            var matches = kind == JsonValueKind.True
                ? value.ValueKind is JsonValueKind.True or JsonValueKind.False
                : value.ValueKind == kind;
            if (!matches)
            {
                Error(Join(path, name), $"expected {expected}, got {Describe(value.ValueKind)}");
                return null;
            }

            return value;
        }

        private string? RequiredString(JsonElement obj, string path, string name) =>
            Property(obj, path, name, required: true, JsonValueKind.String, "a string")?.GetString();

        private string? OptionalString(JsonElement obj, string path, string name) =>
            Property(obj, path, name, required: false, JsonValueKind.String, "a string")?.GetString();

        private bool? OptionalBoolean(JsonElement obj, string path, string name) =>
            Property(obj, path, name, required: false, JsonValueKind.True, "a boolean (true or false)")?.GetBoolean();

        private JsonElement? RequiredObject(JsonElement obj, string path, string name) =>
            Property(obj, path, name, required: true, JsonValueKind.Object, "an object");

        private JsonElement? OptionalObject(JsonElement obj, string path, string name) =>
            Property(obj, path, name, required: false, JsonValueKind.Object, "an object");

        private JsonElement? RequiredArray(JsonElement obj, string path, string name) =>
            Property(obj, path, name, required: true, JsonValueKind.Array, "an array");

        private int? OptionalInteger(JsonElement obj, string path, string name)
        {
            var value = Property(obj, path, name, required: false, JsonValueKind.Number, "an integer");
            if (value is not { } number)
            {
                return null;
            }

            if (!number.TryGetInt32(out var result))
            {
                Error(Join(path, name), $"expected an integer, got {number.GetRawText()}");
                return null;
            }

            return result;
        }

        /// <summary>Items that are not strings are reported and come back as null, keeping indexes aligned.</summary>
        private List<string?>? OptionalStringArray(JsonElement obj, string path, string name)
        {
            var array = Property(obj, path, name, required: false, JsonValueKind.Array, "an array of strings");
            if (array is not { } items)
            {
                return null;
            }

            var result = new List<string?>();
            var index = 0;
            foreach (var item in items.EnumerateArray())
            {
                if (item.ValueKind == JsonValueKind.String)
                {
                    result.Add(item.GetString());
                }
                else
                {
                    Error($"{Join(path, name)}[{index}]", $"expected a string, got {Describe(item.ValueKind)}");
                    result.Add(null);
                }

                index++;
            }

            return result;
        }

        private void Error(string path, string problem) => errors.Add(new ConfigurationError(sourceName, path, problem));

        private static string Join(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";

        private static string Describe(JsonValueKind kind) => kind switch
        {
            JsonValueKind.Object => "an object",
            JsonValueKind.Array => "an array",
            JsonValueKind.String => "a string",
            JsonValueKind.Number => "a number",
            JsonValueKind.True or JsonValueKind.False => "a boolean",
            JsonValueKind.Null => "null",
            _ => "nothing",
        };
    }
}
