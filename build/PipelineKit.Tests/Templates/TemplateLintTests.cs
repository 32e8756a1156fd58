namespace PipelineKit.Tests.Templates;

using PipelineKit.Naming;

// The foundation templates are data the engine codes against: the same bytes are linted here,
// embedded in the kit and deployed. Parameter and output names are the contract with the engine.
public sealed class TemplateLintTests
{
    private static readonly Dictionary<string, (string[] Parameters, string[] Outputs)> Contract = new()
    {
        ["foundation.yaml"] = (
            ["StackRole", "PipelineName", "TargetAccountIds", "OrganizationId", "TargetOrganizationPaths", "SourceRoleArn", "PipelineArtifactPrefix", "DeployerPrincipalArns",
             "SourceConnectionArn", "SlackNotifications", "ArtifactRetentionDays"],
            ["ArtifactBucketName", "ArtifactBucketArn", "ArtifactKeyArn", "ArtifactKeyAlias", "SourceBucketName", "SourceBucketArn",
             "NotificationsKeyArn", "DeployerRoleArn", "PipelineExecutionRoleArn", "PipelineBoundaryArn"]),
        ["target-roles.yaml"] = (
            ["PipelineName", "BuildAccountId", "ArtifactBucketArns", "ArtifactObjectArns", "ArtifactKeyArns", "AppStackArns", "ExecutionPolicyArns",
             "PermissionsBoundaryArn"],
            ["PipelineActionRoleArn", "ExecutionRoleArn", "PermissionsBoundaryArn"]),
        ["source-account.yaml"] = (
            ["PipelineName", "BuildAccountId", "RepositoryName", "BranchName", "SourceRoleName", "SourceRolePath", "ArtifactBucketArn",
             "PipelineArtifactPrefix", "ArtifactKeyArn"],
            ["SourceRoleArn", "ForwardingRuleArn"]),
    };

    // The sample app's template is deployed by the pipeline, not embedded in the kit; its parameters are what
    // SamplePackager writes into the per-environment parameter files.
    private const string SampleAppTemplate = "sample-app/template.yaml";

    [Fact]
    public async Task CfnLint_OverEveryTemplate_ReportsNothing()
    {
        var templates = TemplateFiles().Append(Path.Combine(RepositoryRoot(), SampleAppTemplate)).ToArray();
        Assert.Equal(4, templates.Length);

        var (exitCode, findings) = await CfnLint.RunAsync(RepositoryRoot(), templates);
        Assert.True(exitCode == 0 && findings.Length == 0,
            $"cfn-lint exited with {exitCode}; findings:{Environment.NewLine}{findings}");
    }

    [Fact]
    public void EmbeddedTemplates_AreTheFilesInCloudformationFolder()
    {
        var assembly = typeof(KitHost).Assembly;
        var embedded = assembly.GetManifestResourceNames()
            .Where(name => name.StartsWith("templates/", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToArray();
        var files = TemplateFiles().Select(file => "templates/" + Path.GetFileName(file)).ToArray();

        Assert.Equal(files, embedded);
        foreach (var file in TemplateFiles())
        {
            using var stream = assembly.GetManifestResourceStream("templates/" + Path.GetFileName(file))!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            Assert.True(File.ReadAllBytes(file).AsSpan().SequenceEqual(copy.ToArray()),
                $"The embedded templates/{Path.GetFileName(file)} differs from {file}; rebuild the kit.");
        }
    }

    [Theory]
    [InlineData("foundation.yaml")]
    [InlineData("target-roles.yaml")]
    [InlineData("source-account.yaml")]
    public void EmbeddedTemplate_DeclaresTheParametersAndOutputsTheEngineUses(string template)
    {
        var text = ReadEmbedded(template);
        var (parameters, outputs) = Contract[template];

        Assert.Equal(parameters.Order(StringComparer.Ordinal), TopLevelKeys(text, "Parameters").Order(StringComparer.Ordinal));
        Assert.Equal(outputs.Order(StringComparer.Ordinal), TopLevelKeys(text, "Outputs").Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Contract_CoversEveryTemplateFile()
    {
        Assert.Equal(
            Contract.Keys.Order(StringComparer.Ordinal),
            TemplateFiles().Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void SampleAppTemplate_DeclaresTheParametersThePackagerWritesAndTheApiUrlOutput()
    {
        var text = File.ReadAllText(Path.Combine(RepositoryRoot(), SampleAppTemplate));

        Assert.Equal(
            ["AppVersion", "CodeBucket", "CodeKey", "CodeObjectVersion", "EnvironmentName", "PipelineName"],
            TopLevelKeys(text, "Parameters").Order(StringComparer.Ordinal));
        Assert.Equal(["ApiUrl", "AppVersion", "EnvironmentName", "FunctionName"], TopLevelKeys(text, "Outputs").Order(StringComparer.Ordinal));
    }

    public static TheoryData<string, string> NamesTheTemplatesSpell => new()
    {
        { "foundation.yaml", KitNames.ArtifactBucket("${PipelineName}", "${AWS::AccountId}", "${AWS::Region}") },
        { "foundation.yaml", KitNames.ArtifactKeyAlias("${PipelineName}") },
        { "foundation.yaml", KitNames.NotificationsKeyAlias("${PipelineName}") },
        { "foundation.yaml", KitNames.DeployerRole("${PipelineName}") },
        { "foundation.yaml", KitNames.PipelineExecutionRole("${PipelineName}") },
        { "foundation.yaml", KitNames.PipelineBoundary("${PipelineName}") },
        { "foundation.yaml", KitNames.PipelineRole("${PipelineName}") },
        { "foundation.yaml", KitNames.BuildRole("${PipelineName}") },
        { "foundation.yaml", KitNames.UpdateRole("${PipelineName}") },
        { "foundation.yaml", KitNames.SecurityCheckRole("${PipelineName}") },
        { "foundation.yaml", KitNames.SecurityCheckProject("${PipelineName}") },
        { "foundation.yaml", KitNames.SmokeTestRole("${PipelineName}") },
        { "foundation.yaml", KitNames.SmokeTestProject("${PipelineName}") },
        { "foundation.yaml", KitNames.PrimaryStack("${PipelineName}") },
        { "foundation.yaml", KitNames.RegionalStack("${PipelineName}") },
        { "target-roles.yaml", KitNames.PipelineActionRole("${PipelineName}") },
        { "target-roles.yaml", KitNames.ExecutionRole("${PipelineName}") },
        { "target-roles.yaml", KitNames.PermissionsBoundary("${PipelineName}") },
        { "target-roles.yaml", $"role{KitNames.AppRolePath("${PipelineName}")}*" },
        { "target-roles.yaml", KitNames.PipelineRole("${PipelineName}") },
        { "target-roles.yaml", KitNames.DeployerRole("${PipelineName}") },
        { "target-roles.yaml", KitNames.ChangeSetReaderRole("${PipelineName}") },
        // The forwarding rule and its role share one name; the build account's bus admits that role.
        { "source-account.yaml", KitNames.SourceForwardingRule("${PipelineName}") },
        { "foundation.yaml", KitNames.SourceForwardingRole("${PipelineName}") },
        { "source-account.yaml", KitNames.PipelineRole("${PipelineName}") },
        { "target-roles.yaml", KitNames.SecurityCheckRole("${PipelineName}") },
    };

    [Theory]
    [MemberData(nameof(NamesTheTemplatesSpell))]
    public void Templates_SpellTheNamesTheKitDerives(string template, string name) =>
        // A name changed on one side only would leave a grant naming a role or bucket that does not exist.
        Assert.Contains(name, File.ReadAllText(Path.Combine(RepositoryRoot(), "cloudformation", template)), StringComparison.Ordinal);

    // The keys indented by two spaces under a top-level section, e.g. "  PipelineName:".
    [Theory]
    [InlineData("foundation.yaml", "TargetRolesUseKey", "TargetRolesReadArtifacts")]
    [InlineData("target-roles.yaml", "DecryptArtifactsThroughS3", "ReadArtifacts")]
    public void TargetAccountRoles_MayOnlyReadArtifacts_NotWriteOrEncryptThem(string template, params string[] sids)
    {
        // The deploy actions have no output artifacts, and Lambda only reads its code: a role in one target account
        // that could write the artifact buckets could swap what another account (prod) deploys.
        var text = File.ReadAllText(Path.Combine(RepositoryRoot(), "cloudformation", template));
        foreach (var sid in sids)
        {
            var statements = System.Text.RegularExpressions.Regex.Matches(text, $@"Sid: {sid}\n(?<body>(?:(?!\s*-? ?Sid: ).*\n)*)");
            Assert.NotEmpty(statements);
            foreach (System.Text.RegularExpressions.Match statement in statements)
            {
                var body = statement.Groups["body"].Value;
                Assert.Contains("- ", body);
                Assert.DoesNotContain("s3:PutObject", body);
                Assert.DoesNotContain("kms:Encrypt", body);
                Assert.DoesNotContain("kms:GenerateDataKey", body);
                Assert.DoesNotContain("kms:ReEncrypt", body);
            }
        }
    }

    private static List<string> TopLevelKeys(string yaml, string section)
    {
        var keys = new List<string>();
        var inSection = false;
        foreach (var line in yaml.Split('\n').Select(l => l.TrimEnd('\r')))
        {
            if (line.Length == 0 || line.TrimStart().StartsWith('#'))
            {
                continue;
            }

            if (!char.IsWhiteSpace(line[0]))
            {
                inSection = line == section + ":";
                continue;
            }

            if (inSection && line.StartsWith("  ", StringComparison.Ordinal) && !char.IsWhiteSpace(line[2]) && line.EndsWith(':'))
            {
                keys.Add(line[2..^1]);
            }
        }

        return keys;
    }

    private static string ReadEmbedded(string template)
    {
        using var stream = typeof(KitHost).Assembly.GetManifestResourceStream("templates/" + template)
            ?? throw new InvalidOperationException($"templates/{template} is not embedded in the kit.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static string[] TemplateFiles() =>
        Directory.GetFiles(Path.Combine(RepositoryRoot(), "cloudformation"), "*.yaml")
            .Order(StringComparer.Ordinal)
            .ToArray();

    internal static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "PipelineKit.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No PipelineKit.slnx above {AppContext.BaseDirectory}.");
    }
}
