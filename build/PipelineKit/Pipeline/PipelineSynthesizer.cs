namespace PipelineKit.Pipeline;

using System.Diagnostics;
using Amazon.CDK;
using Amazon.CDK.AWS.CodePipeline;
using Amazon.CDK.AWS.IAM;
using Constructs;
using PipelineKit.Configuration;
using PipelineKit.Naming;
using PipelineKit.Orchestration;
using PipelineKit.Pipeline.Parts;

/// <summary>The synthesized pipeline stack: its name, the CloudFormation template (JSON) and where it was written.</summary>
public sealed record SynthesizedPipeline(string StackName, string TemplateBody, string TemplatePath, TimeSpan Elapsed);

/// <summary>
/// Builds the pipeline stack with the CDK from the configuration and the foundation's outputs, and
/// synthesizes it without a CDK bootstrap: no assets, no bootstrap version parameter or rule, so the
/// kit's own deployer can deploy the template like any other stack.
/// </summary>
public static class PipelineSynthesizer
{
    public static SynthesizedPipeline Synthesize(PipelineConfig config, FoundationOutputs outputs, string outDir) =>
        Synthesize(config, outputs, outDir, Notifications.Channels);

    /// <summary>As <see cref="Synthesize(PipelineConfig, FoundationOutputs, string)"/>, with other notification channels than
    /// the kit's.</summary>
    internal static SynthesizedPipeline Synthesize(
        PipelineConfig config, FoundationOutputs outputs, string outDir, IReadOnlyList<NotificationChannel> channels)
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
            var stack = new PipelineStack(app, config, outputs, channels);
            var assembly = app.Synth();
            var artifact = assembly.GetStackByName(stack.StackName);
            var body = File.ReadAllText(artifact.TemplateFullPath);
            return new SynthesizedPipeline(stack.StackName, body, artifact.TemplateFullPath, clock.Elapsed);
        });
    }

    /// <summary>The stack, composed of its parts (Pipeline/Parts) in the order the template lists their resources.</summary>
    private sealed class PipelineStack : Stack
    {
        public PipelineStack(App app, PipelineConfig config, FoundationOutputs outputs, IReadOnlyList<NotificationChannel> channels)
            : base(app, KitNames.PipelineStack(config.Name), new StackProps
            {
                StackName = KitNames.PipelineStack(config.Name),
                Description = $"PipelineKit pipeline {config.Name}: source, build and one deploy stage per {(config.UsesWaves ? "wave" : "environment")} (synthesized from {Path.GetFileName(config.SourceFile)}).",
                Env = new Amazon.CDK.Environment { Account = config.Build.Account, Region = config.Build.Region },
                // No CDK bootstrap in any account: the kit deploys the template itself.
                Synthesizer = new BootstraplessSynthesizer(new BootstraplessSynthesizerProps()),
            })
        {
            // Every role of this stack carries the primary stack's boundary: CloudFormation deploys this stack as the
            // primary stack's execution role, which may create or change these roles only with it.
            Amazon.CDK.AWS.IAM.PermissionsBoundary.Of(this).Apply(ManagedPolicy.FromManagedPolicyArn(this, "PipelineBoundary",
                KitNames.PolicyArn(config.Partition, config.Build.Account, KitNames.PipelineBoundary(config.Name))));

            var stores = new ArtifactStores(this, config, outputs);
            var roles = new PipelineRoles(this, config);
            var notifications = new Notifications(this, config, outputs, channels);
            var build = new BuildStage(this, config, stores, roles.Build);

            var sourceOutput = new Artifact_("Source");
            var buildOutput = new Artifact_("BuildOutput");
            var pipeline = NewPipeline(config, stores, roles.Pipeline, build.Project);
            SourceStage.Add(this, pipeline, config, stores.Source, sourceOutput, roles.Actions);
            build.AddTo(pipeline, sourceOutput, buildOutput, roles.Actions);
            if (config.SelfUpdate)
            {
                SelfUpdateStage.Add(this, config, pipeline, stores, sourceOutput, roles.Actions);
            }

            var approvals = new Approvals(config, notifications.Topic, roles.Actions);
            var gate = SecurityGate.IsNeeded(config)
                ? new SecurityGate(this, config, stores, sourceOutput, outputs, roles.Actions)
                : null;
            var smokeTests = new SmokeTests(this, config, stores, sourceOutput, roles.Actions);
            new DeployStages(config, buildOutput, new ImportedTargetRoles(this, outputs), approvals, gate, smokeTests).AddTo(pipeline);
            notifications.Notify(pipeline, roles.Actions);

            _ = new CfnOutput(this, "PipelineName", new CfnOutputProps { Value = KitNames.Pipeline(config.Name), Description = "Name of the pipeline." });
            _ = new CfnOutput(this, "NotificationTopicArn", new CfnOutputProps { Value = notifications.Topic.TopicArn, Description = "Topic for pipeline and approval notifications." });
        }

        private Amazon.CDK.AWS.CodePipeline.Pipeline NewPipeline(PipelineConfig config, ArtifactStores stores, IRole pipelineRole, IConstruct buildProject)
        {
            var pipeline = new Amazon.CDK.AWS.CodePipeline.Pipeline(this, "Pipeline", new PipelineProps
            {
                PipelineName = KitNames.Pipeline(config.Name),
                PipelineType = PipelineType.V2,
                Role = pipelineRole,
                CrossRegionReplicationBuckets = stores.ByRegion,
                // A self-updated pipeline restarts, so the run that changed it continues with its new shape.
                RestartExecutionOnUpdate = config.SelfUpdate,
            });

            // CDK makes the pipeline depend on its role explicitly although RoleArn's GetAtt already
            // does; cfn-lint warns about the redundant DependsOn (W3005), which is harmless.
            pipeline.Node.AddDependency(buildProject);
            ((CfnResource)pipeline.Node.DefaultChild!).AddMetadata(
                "cfn-lint",
                new Dictionary<string, object> { ["config"] = new Dictionary<string, object> { ["ignore_checks"] = new[] { "W3005" } } });
            return pipeline;
        }
    }
}
