using System.Diagnostics;
using Amazon.CDK;
using Amazon.CDK.AWS.Chatbot;
using Amazon.CDK.AWS.CodeBuild;
using Amazon.CDK.AWS.CodeCommit;
using Amazon.CDK.AWS.CodePipeline;
using Amazon.CDK.AWS.CodePipeline.Actions;
using Amazon.CDK.AWS.CodeStarNotifications;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.KMS;
using Amazon.CDK.AWS.S3;
using Amazon.CDK.AWS.SNS;
using Amazon.CDK.AWS.SNS.Subscriptions;
using PipelineKit.Configuration;
using PipelineKit.Naming;
using PipelineKit.Orchestration;

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

    /// <summary>The self-update project's buildspec: re-synthesizes and deploys this stack (CreatePipeline).</summary>
    public const string PipelineBuildSpecPath = "buildspecs/buildspec-pipeline.yml";

    public const string UpdateStageName = "UpdatePipeline";

    /// <summary>Channel guardrail of the Slack configuration: nothing may be run from the channel; it only receives.</summary>
    public const string ChatbotGuardrailPolicyArn = "arn:aws:iam::aws:policy/AWSDenyAll";

    /// <summary>The CloudFormation console's page of a change set, in the environment's region (sign in to its account to open it).</summary>
    public static string ChangeSetConsoleUrl(PipelineConfig config, EnvironmentSettings environment) =>
        $"https://{environment.Region}.console.aws.amazon.com/cloudformation/home?region={environment.Region}#/stacks/changesets/changes" +
        $"?stackId={Uri.EscapeDataString(KitNames.AppStack(config.Name, environment.Name))}&changeSetId={Uri.EscapeDataString(KitNames.PipelineChangeSet(config.Name, environment.Name))}";

    public static string ApprovalMessage(PipelineConfig config, EnvironmentSettings environment) =>
        $"Review change set {KitNames.PipelineChangeSet(config.Name, environment.Name)} for stack {KitNames.AppStack(config.Name, environment.Name)} " +
        $"in {environment.Account}/{environment.Region} before it is executed.";

    public static string AppParametersPath(EnvironmentSettings environment) => $"sample-app/params-{environment.Name}.json";

    public static SynthesizedPipeline Synthesize(PipelineConfig config, FoundationOutputs outputs, string outDir)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(outputs);
        ArgumentException.ThrowIfNullOrEmpty(outDir);
        outputs.EnsureCovers(config);

        return CdkRuntime.Run(() =>
        {
            var clock = Stopwatch.StartNew();
            Directory.CreateDirectory(outDir);
            var app = new App(new AppProps { Outdir = Path.GetFullPath(outDir), AnalyticsReporting = false });
            var stack = new PipelineStack(app, config, outputs);
            var assembly = app.Synth();
            var artifact = assembly.GetStackByName(stack.StackName);
            var body = File.ReadAllText(artifact.TemplateFullPath);
            return new SynthesizedPipeline(stack.StackName, body, artifact.TemplateFullPath, clock.Elapsed);
        });
    }

    private sealed class PipelineStack : Stack
    {
        public PipelineStack(App app, PipelineConfig config, FoundationOutputs outputs)
            : base(app, KitNames.PipelineStack(config.Name), new StackProps
            {
                StackName = KitNames.PipelineStack(config.Name),
                Description = $"PipelineKit pipeline {config.Name}: source, build and one deploy stage per {(config.UsesWaves ? "wave" : "environment")} (synthesized from {Path.GetFileName(config.SourceFile)}).",
                Env = new Amazon.CDK.Environment { Account = config.Build.Account, Region = config.Build.Region },
                // No CDK bootstrap in any account: the kit deploys the template itself.
                Synthesizer = new BootstraplessSynthesizer(new BootstraplessSynthesizerProps()),
            })
        {
            var name = config.Name;
            var account = config.Build.Account;

            // Every role of this stack carries the primary stack's boundary: CloudFormation deploys this stack as the
            // primary stack's execution role, which may create or change these roles only with it.
            Amazon.CDK.AWS.IAM.PermissionsBoundary.Of(this).Apply(ManagedPolicy.FromManagedPolicyArn(this, "PipelineBoundary",
                KitNames.PolicyArn(account, KitNames.PipelineBoundary(name))));

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

            // The target accounts' action roles trust this role by its exact name (and the deployer role), so it is named.
            // CodePipeline sets aws:SourceAccount and aws:SourceArn when it assumes its service role.
            // https://docs.aws.amazon.com/codepipeline/latest/userguide/security-iam.html
            var pipelineRole = new Role(this, "PipelineRole", new RoleProps
            {
                RoleName = KitNames.PipelineRole(name),
                AssumedBy = ServiceFor("codepipeline.amazonaws.com", account,
                    $"arn:aws:codepipeline:{config.Build.Region}:{account}:{KitNames.Pipeline(name)}"),
                Description = $"CodePipeline service role of the {name} pipeline.",
            });

            // Same-account actions (source, build, approval) run as this role instead of one generated,
            // unnamed role per action.
            var actionsRole = new Role(this, "PipelineActionsRole", new RoleProps
            {
                RoleName = KitNames.PipelineActionsRole(name),
                AssumedBy = new ArnPrincipal(pipelineRole.RoleArn),
                Description = $"Runs the {name} pipeline's source, build and approval actions in the build account.",
            });

            var buildRole = new Role(this, "BuildRole", new RoleProps
            {
                RoleName = KitNames.BuildRole(name),
                AssumedBy = ServiceFor("codebuild.amazonaws.com", account,
                    $"arn:aws:codebuild:{config.Build.Region}:{account}:project/{KitNames.BuildProject(name)}"),
                Description = $"CodeBuild service role of the {name} pipeline's build project.",
            });

            // The topic's key is the primary stack's: nothing this stack's roles may do reaches a KMS key.
            var notificationsKey = Key.FromKeyArn(this, "NotificationsKey", outputs.NotificationsKeyArn);

            var topic = new Topic(this, "Notifications", new TopicProps
            {
                TopicName = KitNames.NotificationsTopic(name),
                DisplayName = $"{name} pipeline",
                MasterKey = notificationsKey,
            });
            foreach (var email in config.Notifications.Emails)
            {
                topic.AddSubscription(new EmailSubscription(email));
            }

            var project = new PipelineProject(this, "BuildProject", new PipelineProjectProps
            {
                ProjectName = KitNames.BuildProject(name),
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
            AddLogGroup("BuildLogs", KitNames.BuildProject(name));

            // The action names the project by its fixed name, not by reference: the ARN is then known
            // without a GetAtt, so the stack also deploys where the project type is skipped (the
            // sandbox's emulator). An imported project gets no artifact grants from the action, so
            // the build role gets them here.
            var projectByName = Project.FromProjectName(this, "BuildProjectByName", KitNames.BuildProject(name));
            // The primary region's bucket: this pipeline's artifacts and the app's code, not the templates the self-update
            // stages there (CloudFormation reads those with the update role's credentials).
            stores[config.Build.Region].GrantReadWrite(buildRole, $"{KitNames.PipelineArtifactPrefix(name)}/*");
            stores[config.Build.Region].GrantReadWrite(buildRole, $"{KitNames.SampleCodePrefix}*");
            // PublishSampleApp puts the function's zip in every deploy region's artifact bucket, under sample-app/ only;
            // read (with List, so a missing key is a 404) lets it skip code that is there already.
            foreach (var region in config.ExtraRegions)
            {
                stores[region].GrantRead(buildRole, $"{KitNames.SampleCodePrefix}*");
                stores[region].GrantPut(buildRole, $"{KitNames.SampleCodePrefix}*");
            }

            var sourceOutput = new Artifact_("Source");
            var buildOutput = new Artifact_("BuildOutput");

            var pipeline = new Amazon.CDK.AWS.CodePipeline.Pipeline(this, "Pipeline", new PipelineProps
            {
                PipelineName = KitNames.Pipeline(config.Name),
                PipelineType = PipelineType.V2,
                Role = pipelineRole,
                CrossRegionReplicationBuckets = stores,
                // A self-updated pipeline restarts, so the run that changed it continues with its new shape.
                RestartExecutionOnUpdate = config.SelfUpdate,
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
                Actions = [SourceAction(config, sourceBucket, sourceOutput, actionsRole)],
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

            if (config.SelfUpdate)
            {
                AddSelfUpdate(config, pipeline, stores[config.Build.Region], primaryKey, sourceOutput, actionsRole);
            }

            var importedRoles = new Dictionary<string, (IRole Action, IRole Execution)>(StringComparer.Ordinal);
            (IRole Action, IRole Execution) RolesOf(EnvironmentSettings environment)
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

                return roles;
            }

            // CodePipeline's manual approval timeout (ActionDeclaration.TimeoutInMinutes) has no property on the CDK's
            // ManualApprovalAction in this version, so it is set on the rendered action: stage and action by index.
            // https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-codepipeline-pipeline-actiondeclaration.html
            var timeouts = new List<(int Stage, int Action, int Minutes)>();
            var stageIndex = config.SelfUpdate ? 3 : 2;
            foreach (var deployStage in config.DeployStages)
            {
                // In a wave every environment's actions share one stage: all change sets first, then the approvals,
                // then all executions, so the wave deploys together and only after every approval.
                var inWave = deployStage.Wave is not null;
                string Named(string action, EnvironmentSettings environment) => inWave ? $"{action}-{environment.Name}" : action;
                var actions = new List<IAction>();
                foreach (var environment in deployStage.Environments)
                {
                    var roles = RolesOf(environment);
                    actions.Add(new CloudFormationCreateReplaceChangeSetAction(new CloudFormationCreateReplaceChangeSetActionProps
                    {
                        ActionName = Named("CreateChangeSet", environment),
                        RunOrder = 1,
                        StackName = KitNames.AppStack(config.Name, environment.Name),
                        ChangeSetName = KitNames.PipelineChangeSet(config.Name, environment.Name),
                        AdminPermissions = false,
                        TemplatePath = buildOutput.AtPath(AppTemplatePath),
                        TemplateConfiguration = buildOutput.AtPath(AppParametersPath(environment)),
                        CfnCapabilities = [CfnCapabilities.NAMED_IAM, CfnCapabilities.AUTO_EXPAND],
                        Account = environment.Account,
                        Region = environment.Region,
                        Role = roles.Action,
                        DeploymentRole = roles.Execution,
                    }));
                }

                foreach (var environment in deployStage.Environments.Where(e => e.Approval))
                {
                    if (environment.ApprovalTimeoutMinutes is { } minutes)
                    {
                        timeouts.Add((stageIndex, actions.Count, minutes));
                    }

                    actions.Add(new ManualApprovalAction(new ManualApprovalActionProps
                    {
                        ActionName = Named("Approve", environment),
                        RunOrder = 2,
                        NotificationTopic = topic,
                        AdditionalInformation = ApprovalMessage(config, environment),
                        ExternalEntityLink = ChangeSetConsoleUrl(config, environment),
                        Role = actionsRole,
                    }));
                }

                foreach (var environment in deployStage.Environments)
                {
                    actions.Add(new CloudFormationExecuteChangeSetAction(new CloudFormationExecuteChangeSetActionProps
                    {
                        ActionName = Named("ExecuteChangeSet", environment),
                        RunOrder = inWave || environment.Approval ? 3 : 2,
                        StackName = KitNames.AppStack(config.Name, environment.Name),
                        ChangeSetName = KitNames.PipelineChangeSet(config.Name, environment.Name),
                        Account = environment.Account,
                        Region = environment.Region,
                        Role = RolesOf(environment).Action,
                    }));
                }

                pipeline.AddStage(new StageOptions { StageName = deployStage.Name, Actions = actions.ToArray() });
                stageIndex++;
            }

            var cfnPipeline = (CfnPipeline)pipeline.Node.DefaultChild!;
            foreach (var (stage, action, minutes) in timeouts)
            {
                cfnPipeline.AddPropertyOverride($"Stages.{stage}.Actions.{action}.TimeoutInMinutes", minutes);
            }

            // Publishing to the encrypted topic (approval requests) needs the topic key as well.
            notificationsKey.Grant(actionsRole, "kms:GenerateDataKey*", "kms:Decrypt");

            var rule = pipeline.NotifyOn("PipelineNotifications", topic, new PipelineNotifyOnOptions
            {
                NotificationRuleName = KitNames.NotificationRule(name),
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

            if (config.Notifications.Slack is { } slack)
            {
                AddSlack(config, slack, topic, rule);
            }

            _ = new CfnOutput(this, "PipelineName", new CfnOutputProps { Value = KitNames.Pipeline(name), Description = "Name of the pipeline." });
            _ = new CfnOutput(this, "NotificationTopicArn", new CfnOutputProps { Value = topic.TopicArn, Description = "Topic for pipeline and approval notifications." });
        }

        private IAction SourceAction(PipelineConfig config, IBucket sourceBucket, Artifact_ output, IRole actionsRole)
        {
            var source = config.Source;
            switch (source.Type)
            {
                case "CodeStarConnection":
                {
                    // The action grants its role codestar-connections:UseConnection on this connection only.
                    var repository = source.Repository!.Split('/', 2);
                    return new CodeStarConnectionsSourceAction(new CodeStarConnectionsSourceActionProps
                    {
                        ActionName = "Source",
                        ConnectionArn = source.ConnectionArn!,
                        Owner = repository[0],
                        Repo = repository[1],
                        Branch = source.Branch!,
                        Output = output,
                        TriggerOnPush = true,
                        Role = actionsRole,
                    });
                }

                case "CodeCommit":
                {
                    // The repository is in the source account and is read through the role there, which the pipeline role
                    // assumes. The role is owned by that account (README, "Sources"), so nothing is added to it here.
                    // POLL: CodeCommit's change events arrive on the source account's event bus; starting this pipeline
                    // from them needs a rule there forwarding to the build account, which this stack cannot create.
                    var repository = Repository.FromRepositoryArn(this, "SourceRepository",
                        $"arn:aws:codecommit:{config.Build.Region}:{source.Account}:{source.Repository}");
                    return new CodeCommitSourceAction(new CodeCommitSourceActionProps
                    {
                        ActionName = "Source",
                        Repository = repository,
                        Branch = source.Branch!,
                        Output = output,
                        Trigger = CodeCommitTrigger.POLL,
                        Role = Role.FromRoleArn(this, "SourceAccountRole", source.RoleArn!, new FromRoleArnOptions { Mutable = false }),
                    });
                }

                default:
                    // POLL: the EVENTS trigger needs a CloudTrail trail and creates an unnamed events role.
                    return new S3SourceAction(new S3SourceActionProps
                    {
                        ActionName = "Source",
                        Bucket = sourceBucket,
                        BucketKey = source.ObjectKey,
                        Output = output,
                        Trigger = S3Trigger.POLL,
                        Role = actionsRole,
                    });
            }
        }

        /// <summary>
        /// Stage UpdatePipeline: CodeBuild runs ./build.sh CreatePipeline --exclusive from the source, so a change to
        /// pipeline.json changes this stack before anything deploys. The build container holds no IAM or KMS write (the
        /// CDK Pipelines model): its role may create and execute change sets of this stack only, and only with the primary
        /// stack's execution role passed to CloudFormation, which changes this stack's roles by exact name and with the
        /// boundary. Whoever can push to the source can still reshape the pipeline within that bound: protect the branch.
        /// </summary>
        private void AddSelfUpdate(
            PipelineConfig config, Amazon.CDK.AWS.CodePipeline.Pipeline pipeline, IBucket primaryStore,
            IKey primaryKey, Artifact_ sourceOutput, IRole actionsRole)
        {
            var name = config.Name;
            var account = config.Build.Account;
            var region = config.Build.Region;
            var role = new Role(this, "PipelineUpdateRole", new RoleProps
            {
                RoleName = KitNames.UpdateRole(name),
                AssumedBy = ServiceFor("codebuild.amazonaws.com", account, $"arn:aws:codebuild:{region}:{account}:project/{KitNames.UpdateProject(name)}"),
                Description = $"Runs CreatePipeline for the {name} pipeline's self-update stage.",
            });

            _ = new PipelineProject(this, "PipelineUpdateProject", new PipelineProjectProps
            {
                ProjectName = KitNames.UpdateProject(name),
                Description = $"Re-synthesizes and deploys the {name} pipeline from its source ({PipelineBuildSpecPath}).",
                Role = role,
                BuildSpec = BuildSpec.FromSourceFilename(PipelineBuildSpecPath),
                EncryptionKey = primaryKey,
                Environment = new BuildEnvironment { BuildImage = LinuxBuildImage.STANDARD_7_0, ComputeType = ComputeType.MEDIUM },
                Timeout = Duration.Minutes(30),
            });
            AddLogGroup("PipelineUpdateLogs", KitNames.UpdateProject(name));

            // The source artifact, and templates over CloudFormation's inline limit (S3TemplateStore's prefix for this stack),
            // which CloudFormation reads with the caller's permissions.
            primaryStore.GrantRead(role);
            primaryStore.GrantReadWrite(role, $"{KitNames.TemplatesPrefix}{KitNames.PipelineStack(config.Name)}/*");

            var stack = $"arn:aws:cloudformation:{region}:{account}:stack/{KitNames.PipelineStack(config.Name)}/*";
            var executionRole = KitNames.RoleArn(account, KitNames.PipelineExecutionRole(name));
            var statements = new List<PolicyStatement>
            {
                // Without RoleARN CloudFormation would use the caller's own permissions (or a role the stack had before).
                new(new PolicyStatementProps
                {
                    Sid = "PipelineStackChangeSetsAsItsExecutionRole",
                    Actions = ["cloudformation:CreateChangeSet"],
                    Resources = [stack],
                    Conditions = new Dictionary<string, object>
                    {
                        ["ArnEquals"] = new Dictionary<string, object> { ["cloudformation:RoleArn"] = executionRole },
                    },
                }),
                Allow("PipelineStackReviewAndExecute", [stack],
                    "cloudformation:DescribeStacks", "cloudformation:DescribeStackEvents", "cloudformation:GetTemplate",
                    "cloudformation:DescribeChangeSet", "cloudformation:ListChangeSets", "cloudformation:ExecuteChangeSet",
                    "cloudformation:DeleteChangeSet"),
                // --exclusive reads the artifact key ARNs from the primary and regional stacks.
                Allow("FoundationStacksRead",
                    [$"arn:aws:cloudformation:*:{account}:stack/{KitNames.PrimaryStack(name)}/*", $"arn:aws:cloudformation:*:{account}:stack/{KitNames.RegionalStack(name)}/*"],
                    "cloudformation:DescribeStacks"),
                new(new PolicyStatementProps
                {
                    Sid = "PassTheExecutionRoleToCloudFormation",
                    Actions = ["iam:PassRole"],
                    Resources = [executionRole],
                    Conditions = new Dictionary<string, object>
                    {
                        ["StringEquals"] = new Dictionary<string, object> { ["iam:PassedToService"] = "cloudformation.amazonaws.com" },
                    },
                }),
            };

            _ = new Amazon.CDK.AWS.IAM.Policy(this, "PipelineUpdatePolicy", new Amazon.CDK.AWS.IAM.PolicyProps
            {
                PolicyName = KitNames.UpdatePolicy(name),
                Roles = [role],
                Statements = statements.ToArray(),
            });

            pipeline.AddStage(new StageOptions
            {
                StageName = UpdateStageName,
                Actions =
                [
                    new CodeBuildAction(new CodeBuildActionProps
                    {
                        ActionName = "CreatePipeline",
                        Project = Project.FromProjectName(this, "PipelineUpdateProjectByName", KitNames.UpdateProject(name)),
                        Input = sourceOutput,
                        Role = actionsRole,
                    }),
                ],
            });
        }

        /// <summary>A CodeBuild project's log group, declared so that its logs expire (CodeBuild would make one that keeps them forever).</summary>
        private void AddLogGroup(string id, string projectName) =>
            _ = new Amazon.CDK.AWS.Logs.LogGroup(this, id, new Amazon.CDK.AWS.Logs.LogGroupProps
            {
                LogGroupName = $"/aws/codebuild/{projectName}",
                Retention = Amazon.CDK.AWS.Logs.RetentionDays.ONE_MONTH,
                RemovalPolicy = RemovalPolicy.DESTROY,
            });

        /// <summary>A service principal whose assumption must come from this account and resource (confused-deputy
        /// protection the service documents).</summary>
        private static ServicePrincipal ServiceFor(string service, string account, string sourceArn) =>
            new(service, new ServicePrincipalOpts
            {
                Conditions = new Dictionary<string, object>
                {
                    ["StringEquals"] = new Dictionary<string, object> { ["aws:SourceAccount"] = account },
                    ["ArnLike"] = new Dictionary<string, object> { ["aws:SourceArn"] = sourceArn },
                },
            });

        private static PolicyStatement Allow(string sid, string[] resources, params string[] actions) =>
            new(new PolicyStatementProps { Sid = sid, Actions = actions, Resources = resources });

        /// <summary>
        /// AWS Chatbot posts the topic's messages to the channel. Delivering notifications uses none of the role's
        /// permissions: those (capped by the guardrail) serve only commands run from the channel, which this channel
        /// does not offer, so the role has no policy and the guardrail denies everything.
        /// https://docs.aws.amazon.com/chatbot/latest/adminguide/understanding-permissions.html
        /// </summary>
        private void AddSlack(PipelineConfig config, SlackSettings slack, ITopic topic, Amazon.CDK.AWS.CodeStarNotifications.INotificationRule rule)
        {
            var role = new Role(this, "ChatbotRole", new RoleProps
            {
                RoleName = KitNames.ChatbotRole(config.Name),
                AssumedBy = new ServicePrincipal("chatbot.amazonaws.com"),
                Description = $"AWS Chatbot's role for the {config.Name} pipeline's Slack channel; notifications only, no permissions.",
            });

            var channel = new CfnSlackChannelConfiguration(this, "SlackChannel", new CfnSlackChannelConfigurationProps
            {
                ConfigurationName = KitNames.ChatConfiguration(config.Name),
                IamRoleArn = role.RoleArn,
                SlackWorkspaceId = slack.WorkspaceId,
                SlackChannelId = slack.ChannelId,
                SnsTopicArns = [topic.TopicArn],
                GuardrailPolicies = [ChatbotGuardrailPolicyArn],
                UserRoleRequired = false,
                LoggingLevel = "ERROR",
            });

            // The notification rule also targets the channel (Ref is the configuration's ARN). The L2 rule takes only
            // targets that implement its interface, which the L1 configuration does not, so its Targets are set whole.
            var cfnRule = (CfnNotificationRule)rule.Node.DefaultChild!;
            cfnRule.AddPropertyOverride("Targets", new object[]
            {
                new Dictionary<string, object> { ["TargetType"] = "SNS", ["TargetAddress"] = topic.TopicArn },
                new Dictionary<string, object> { ["TargetType"] = "AWSChatbotSlack", ["TargetAddress"] = channel.Ref },
            });
        }
    }
}
