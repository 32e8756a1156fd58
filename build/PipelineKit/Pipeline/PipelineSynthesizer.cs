using System.Diagnostics;
using Amazon.CDK;
using Amazon.CDK.AWS.CodeBuild;
using Amazon.CDK.AWS.CodePipeline;
using Amazon.CDK.AWS.CodePipeline.Actions;
using Amazon.CDK.AWS.CodeStarNotifications;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.KMS;
using Amazon.CDK.AWS.S3;
using Amazon.CDK.AWS.SNS;
using Amazon.CDK.AWS.SNS.Subscriptions;
using PipelineKit.Configuration;

namespace PipelineKit.Pipeline;

/// <summary>The synthesized pipeline stack: its name, the CloudFormation template (JSON) and where it was written.</summary>
public sealed record SynthesizedPipeline(string StackName, string TemplateBody, string TemplatePath, TimeSpan Elapsed);

/// <summary>
/// Builds the pipeline stack with the CDK from the configuration and the foundation's outputs, and
/// synthesizes it without a CDK bootstrap: no assets, no bootstrap version parameter or rule, so the
/// kit's own deployer can deploy the template like any other stack.
/// </summary>
public static class PipelineSynthesizer
{
    /// <summary>Where the build stage's artifact keeps the sample app's template and parameter files.</summary>
    public const string AppTemplatePath = "sample-app/template.yaml";

    public const string BuildSpecPath = "buildspecs/buildspec.yml";

    public static string StackName(PipelineConfig config) => $"{config.Name}-pipeline";

    /// <summary>The pipeline's name (its stack and the pipeline share it).</summary>
    public static string PipelineName(PipelineConfig config) => $"{config.Name}-pipeline";

    /// <summary>The stack an environment's deploy stage creates and updates in its account.</summary>
    public static string AppStackName(PipelineConfig config, EnvironmentSettings environment) => $"{config.Name}-{environment.Name}-app";

    public static string DeployStageName(EnvironmentSettings environment) => $"Deploy-{environment.Name}";

    public static string AppParametersPath(EnvironmentSettings environment) => $"sample-app/params-{environment.Name}.json";

    /// <summary>
    /// The CDK's runtime (JSII) logs to the console, and inside Cake it warns about every assembly Cake loaded that
    /// it cannot scan. Its logger factory is replaced by a silent one before the first synthesis, unless JSII_DEBUG
    /// asks for its output; its errors still surface as exceptions.
    /// </summary>
    private static readonly Lazy<bool> QuietJsii = new(() =>
    {
        if (!string.IsNullOrEmpty(System.Environment.GetEnvironmentVariable("JSII_DEBUG"))) return false;
        Amazon.JSII.Runtime.Services.ServiceContainer.ServiceProviderOverride =
            Amazon.JSII.Runtime.Services.ServiceContainer.BuildServiceProvider(Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance);
        return true;
    });

    public static SynthesizedPipeline Synthesize(PipelineConfig config, FoundationOutputs outputs, string outDir)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(outputs);
        ArgumentException.ThrowIfNullOrEmpty(outDir);
        outputs.EnsureCovers(config);
        if (config.Source.Type != "S3")
        {
            throw new NotSupportedException(
                $"{config.SourceFile}: source.type \"{config.Source.Type}\" is not supported by the pipeline yet; use \"S3\".");
        }

        // One synthesis at a time: the CDK drives a single node process per .NET process (JSII), and two
        // apps built from two threads at once interleave on it.
        lock (SynthesisGate)
        {
            QuietJsii.Value.ToString();
            var clock = Stopwatch.StartNew();
            Directory.CreateDirectory(outDir);
            var app = new App(new AppProps { Outdir = Path.GetFullPath(outDir), AnalyticsReporting = false });
            var stack = new PipelineStack(app, config, outputs);
            var assembly = app.Synth();
            var artifact = assembly.GetStackByName(stack.StackName);
            var body = File.ReadAllText(artifact.TemplateFullPath);
            return new SynthesizedPipeline(stack.StackName, body, artifact.TemplateFullPath, clock.Elapsed);
        }
    }

    private static readonly Lock SynthesisGate = new();

    private sealed class PipelineStack : Stack
    {
        public PipelineStack(App app, PipelineConfig config, FoundationOutputs outputs)
            : base(app, StackName(config), new StackProps
            {
                StackName = StackName(config),
                Description = $"PipelineKit pipeline {config.Name}: source, build and one deploy stage per environment (synthesized from {Path.GetFileName(config.SourceFile)}).",
                Env = new Amazon.CDK.Environment { Account = config.Build.Account, Region = config.Build.Region },
                // No CDK bootstrap in any account: the kit deploys the template itself.
                Synthesizer = new BootstraplessSynthesizer(new BootstraplessSynthesizerProps()),
            })
        {
            var name = config.Name;

            // Every region's store is given here, the primary's included: CDK then uses the imported
            // primary bucket as the pipeline's own store and creates no cross-region support stacks.
            var stores = new Dictionary<string, IBucket>(StringComparer.Ordinal);
            foreach (var region in config.Regions)
            {
                var store = outputs.ArtifactStores[region];
                stores[region] = Bucket.FromBucketAttributes(this, $"ArtifactStore-{region}", new BucketAttributes
                {
                    BucketName = store.BucketName,
                    Account = config.Build.Account,
                    Region = region,
                    EncryptionKey = Key.FromKeyArn(this, $"ArtifactKey-{region}", store.KeyArn),
                });
            }

            var primaryKey = Key.FromKeyArn(this, "SourceKey", outputs.ArtifactStores[config.Build.Region].KeyArn);
            var sourceBucket = Bucket.FromBucketAttributes(this, "SourceBucket", new BucketAttributes
            {
                BucketName = outputs.SourceBucketName,
                Account = config.Build.Account,
                Region = config.Build.Region,
                EncryptionKey = primaryKey,
            });

            // The target accounts' action roles trust only build-account roles named <name>-*,
            // so every role here has an explicit name with that prefix.
            var pipelineRole = new Role(this, "PipelineRole", new RoleProps
            {
                RoleName = $"{name}-pipeline-role",
                AssumedBy = new ServicePrincipal("codepipeline.amazonaws.com"),
                Description = $"CodePipeline service role of the {name} pipeline.",
            });

            // Same-account actions (source, build, approval) run as this role instead of one generated,
            // unnamed role per action.
            var actionsRole = new Role(this, "PipelineActionsRole", new RoleProps
            {
                RoleName = $"{name}-pipeline-actions",
                AssumedBy = new ArnPrincipal(pipelineRole.RoleArn),
                Description = $"Runs the {name} pipeline's source, build and approval actions in the build account.",
            });

            var buildRole = new Role(this, "BuildRole", new RoleProps
            {
                RoleName = $"{name}-pipeline-build",
                AssumedBy = new ServicePrincipal("codebuild.amazonaws.com"),
                Description = $"CodeBuild service role of the {name} pipeline's build project.",
            });

            var notificationsKey = new Key(this, "NotificationsKey", new KeyProps
            {
                Description = $"Encrypts the {name} pipeline's notification topic.",
                EnableKeyRotation = true,
                Alias = $"alias/{name}-pipeline-notifications",
                RemovalPolicy = RemovalPolicy.DESTROY,
            });
            // SNS encrypts with the topic key on the publisher's behalf; the AWS managed alias/aws/sns
            // key cannot grant that to a service principal, so the topic has its own key.
            // https://docs.aws.amazon.com/dtconsole/latest/userguide/set-up-sns.html
            notificationsKey.AddToResourcePolicy(new PolicyStatement(new PolicyStatementProps
            {
                Sid = "CodeStarNotificationsPublish",
                Principals = [new ServicePrincipal("codestar-notifications.amazonaws.com")],
                Actions = ["kms:GenerateDataKey*", "kms:Decrypt"],
                Resources = ["*"],
                Conditions = new Dictionary<string, object>
                {
                    ["StringEquals"] = new Dictionary<string, object> { ["kms:ViaService"] = $"sns.{config.Build.Region}.amazonaws.com" },
                },
            }));

            var topic = new Topic(this, "Notifications", new TopicProps
            {
                TopicName = $"{name}-pipeline-notifications",
                DisplayName = $"{name} pipeline",
                MasterKey = notificationsKey,
            });
            foreach (var email in config.Notifications.Emails)
            {
                topic.AddSubscription(new EmailSubscription(email));
            }

            var project = new PipelineProject(this, "BuildProject", new PipelineProjectProps
            {
                ProjectName = $"{name}-build",
                Description = $"Builds, tests and packages the {name} pipeline's source ({BuildSpecPath}).",
                Role = buildRole,
                BuildSpec = BuildSpec.FromSourceFilename(BuildSpecPath),
                EncryptionKey = primaryKey,
                Environment = new BuildEnvironment
                {
                    BuildImage = LinuxBuildImage.STANDARD_7_0,
                    ComputeType = ComputeType.MEDIUM,
                },
                Timeout = Duration.Minutes(30),
            });

            // The action names the project by its fixed name, not by reference: the ARN is then known
            // without a GetAtt, so the stack also deploys where the project type is skipped (the
            // sandbox's emulator). An imported project gets no artifact grants from the action, so
            // the build role gets them here.
            var projectByName = Project.FromProjectName(this, "BuildProjectByName", $"{name}-build");
            stores[config.Build.Region].GrantReadWrite(buildRole);

            var sourceOutput = new Artifact_("Source");
            var buildOutput = new Artifact_("BuildOutput");

            var pipeline = new Amazon.CDK.AWS.CodePipeline.Pipeline(this, "Pipeline", new PipelineProps
            {
                PipelineName = PipelineName(config),
                PipelineType = PipelineType.V2,
                Role = pipelineRole,
                CrossRegionReplicationBuckets = stores,
                RestartExecutionOnUpdate = false,
            });

            // CDK makes the pipeline depend on its role explicitly although RoleArn's GetAtt already
            // does; cfn-lint warns about the redundant DependsOn (W3005), which is harmless.
            pipeline.Node.AddDependency(project);
            ((CfnResource)pipeline.Node.DefaultChild!).AddMetadata(
                "cfn-lint",
                new Dictionary<string, object> { ["config"] = new Dictionary<string, object> { ["ignore_checks"] = new[] { "W3005" } } });

            pipeline.AddStage(new StageOptions
            {
                StageName = "Source",
                Actions =
                [
                    // POLL: the EVENTS trigger needs a CloudTrail trail and creates an unnamed events role.
                    new S3SourceAction(new S3SourceActionProps
                    {
                        ActionName = "Source",
                        Bucket = sourceBucket,
                        BucketKey = config.Source.ObjectKey,
                        Output = sourceOutput,
                        Trigger = S3Trigger.POLL,
                        Role = actionsRole,
                    }),
                ],
            });

            pipeline.AddStage(new StageOptions
            {
                StageName = "Build",
                Actions =
                [
                    new CodeBuildAction(new CodeBuildActionProps
                    {
                        ActionName = "BuildAndTest",
                        Project = projectByName,
                        Input = sourceOutput,
                        Outputs = [buildOutput],
                        Role = actionsRole,
                    }),
                ],
            });

            var importedRoles = new Dictionary<string, (IRole Action, IRole Execution)>(StringComparer.Ordinal);
            foreach (var environment in config.Environments)
            {
                if (!importedRoles.TryGetValue(environment.Account, out var roles))
                {
                    var arns = outputs.TargetRoles[environment.Account];
                    // Immutable: the roles live in the target account and are owned by its target-roles stack.
                    roles = (
                        Role.FromRoleArn(this, $"PipelineActionRole-{environment.Account}", arns.PipelineActionRoleArn, new FromRoleArnOptions { Mutable = false }),
                        Role.FromRoleArn(this, $"ExecutionRole-{environment.Account}", arns.ExecutionRoleArn, new FromRoleArnOptions { Mutable = false }));
                    importedRoles[environment.Account] = roles;
                }

                var stackName = AppStackName(config, environment);
                var changeSetName = $"{stackName}-pipeline";
                var actions = new List<IAction>
                {
                    new CloudFormationCreateReplaceChangeSetAction(new CloudFormationCreateReplaceChangeSetActionProps
                    {
                        ActionName = "CreateChangeSet",
                        RunOrder = 1,
                        StackName = stackName,
                        ChangeSetName = changeSetName,
                        AdminPermissions = false,
                        TemplatePath = buildOutput.AtPath(AppTemplatePath),
                        TemplateConfiguration = buildOutput.AtPath(AppParametersPath(environment)),
                        CfnCapabilities = [CfnCapabilities.NAMED_IAM, CfnCapabilities.AUTO_EXPAND],
                        Account = environment.Account,
                        Region = environment.Region,
                        Role = roles.Action,
                        DeploymentRole = roles.Execution,
                    }),
                };
                if (environment.Approval)
                {
                    actions.Add(new ManualApprovalAction(new ManualApprovalActionProps
                    {
                        ActionName = "Approve",
                        RunOrder = 2,
                        NotificationTopic = topic,
                        AdditionalInformation =
                            $"Review change set {changeSetName} of stack {stackName} in account {environment.Account}, " +
                            $"{environment.Region}, before it is executed.",
                        Role = actionsRole,
                    }));
                }

                actions.Add(new CloudFormationExecuteChangeSetAction(new CloudFormationExecuteChangeSetActionProps
                {
                    ActionName = "ExecuteChangeSet",
                    RunOrder = environment.Approval ? 3 : 2,
                    StackName = stackName,
                    ChangeSetName = changeSetName,
                    Account = environment.Account,
                    Region = environment.Region,
                    Role = roles.Action,
                }));

                pipeline.AddStage(new StageOptions { StageName = DeployStageName(environment), Actions = actions.ToArray() });
            }

            // Publishing to the encrypted topic (approval requests) needs the topic key as well.
            notificationsKey.Grant(actionsRole, "kms:GenerateDataKey*", "kms:Decrypt");

            pipeline.NotifyOn("PipelineNotifications", topic, new PipelineNotifyOnOptions
            {
                NotificationRuleName = $"{name}-pipeline",
                DetailType = DetailType.FULL,
                Events =
                [
                    PipelineNotificationEvents.PIPELINE_EXECUTION_STARTED,
                    PipelineNotificationEvents.PIPELINE_EXECUTION_SUCCEEDED,
                    PipelineNotificationEvents.PIPELINE_EXECUTION_FAILED,
                    PipelineNotificationEvents.PIPELINE_EXECUTION_CANCELED,
                    PipelineNotificationEvents.PIPELINE_EXECUTION_SUPERSEDED,
                    PipelineNotificationEvents.MANUAL_APPROVAL_NEEDED,
                    PipelineNotificationEvents.MANUAL_APPROVAL_SUCCEEDED,
                    PipelineNotificationEvents.MANUAL_APPROVAL_FAILED,
                ],
            });

            _ = new CfnOutput(this, "PipelineName", new CfnOutputProps { Value = $"{name}-pipeline", Description = "Name of the pipeline." });
            _ = new CfnOutput(this, "NotificationTopicArn", new CfnOutputProps { Value = topic.TopicArn, Description = "Topic for pipeline and approval notifications." });
        }
    }
}
