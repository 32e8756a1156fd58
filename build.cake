// The task graph only. Every task is a call into the kit (build/PipelineKit); see README.md.
#r "build/PipelineKit/bin/Release/net10.0/PipelineKit.dll"

using PipelineKit;
using PipelineKit.Errors;
using PipelineKit.Orchestration;

// Cake exits with the code of a CakeException; the kit's say which class of failure ended the run (README.md, "Exit codes").
// The whole command line, not Cake's arguments: Cake keeps --exclusive for itself and passes typos on silently.
KitHost kit;
try { kit = KitHost.Create(Context.Environment.WorkingDirectory.FullPath, System.Environment.GetCommandLineArgs(), System.Environment.GetEnvironmentVariable); }
catch (Exception e) { throw new CakeException(ExitCodes.For(e), e.Message, e); }

// Finish reports the one summary of the stack targets that ran, when a failure left it unreported.
// A run that ends without an exception may still have an exit code of its own: Plan's 2, changes pending. Cake sets
// no exit code of a script's choosing on success, so the teardown ends the process with it.
// RunPipeline acts on the emulator only: refused before any task runs, so its prerequisites never reach AWS.
Setup(context => kit.CheckTarget(context.TargetTask.Name));
Teardown(_ => { kit.Finish(); kit.Dispose(); if (kit.ExitCode != 0) System.Environment.Exit(kit.ExitCode); });

Task("BootstrapPrimary")
    .Description("Build account, primary region: artifact KMS key, artifact bucket, source bucket")
    .Does(() => kit.Run(KitTarget.BootstrapPrimary));

Task("RegionalStacks")
    .Description("Build account, every extra deploy region: KMS key and artifact bucket")
    .Does(() => kit.Run(KitTarget.RegionalStacks));

Task("DeployTargetRoles")
    .Description("Each target account: CodePipeline action role and CloudFormation execution role")
    .Does(() => kit.Run(KitTarget.DeployTargetRoles));

Task("DeploySourceAccount")
    .Description("A CodeCommit source in another account: the role the pipeline reads it with and the forwarding of its changes")
    .IsDependentOn("BootstrapPrimary")
    .Does(() => kit.Run(KitTarget.DeploySourceAccount));

Task("UpdatePrimaryPolicy")
    .Description("Bring the build account's key and bucket grants in line with the target accounts")
    .IsDependentOn("BootstrapPrimary")
    .IsDependentOn("RegionalStacks")
    .Does(() => kit.Run(KitTarget.UpdatePrimaryPolicy));

Task("CreatePipeline")
    .Description("The CodePipeline stack, synthesized with the CDK from pipeline.json, in the build account")
    .IsDependentOn("RegionalStacks")
    .IsDependentOn("DeployTargetRoles")
    .IsDependentOn("DeploySourceAccount")
    .Does(() => kit.Run(KitTarget.CreatePipeline));

Task("BootstrapAll")
    .Description("Everything above as one graph, as parallel as the dependencies allow")
    .Does(() => kit.Run(KitTarget.BootstrapAll));

Task("Plan")
    .Description("What BootstrapAll would change, per stack and resource, security-relevant changes flagged; changes nothing (exit 2: changes pending)")
    .Does(() => kit.Plan());

Task("SecurityCheck")
    .Description("The pipeline's security gate for --environment NAME: its change set's security changes; approves when nothing widens")
    .Does(() => kit.SecurityCheck());

Task("SmokeTest")
    .Description("The sample app's smoke test of --environment NAME: GET /hello answers 200 with that environment and the version deployed")
    .Does(() => kit.SmokeTest());

Task("Rollback")
    .Description("Roll --environment NAME back to its previous successful deployment: the pipeline's RollbackStage (--direct: the previous DeploySampleApp --direct)")
    .Does(() => kit.Rollback());

Task("Destroy")
    .Description("Delete every stack, bucket and key of the pipeline, app stacks first; lists them and stops unless --yes (--keep-data, --key-deletion-days N)")
    .Does(() => kit.Destroy());

Task("Package")
    .Description("Build, test and zip the sample app; write its template and per-environment parameters to artifacts/sample-app")
    .Does(() => kit.Package());

Task("PublishSampleApp")
    .Description("Package, then put the sample app's code where each environment's parameters point (the pipeline's build stage runs this)")
    .Does(() => kit.PublishSampleApp());

Task("DeploySampleApp")
    .Description("Package the sample app, upload the source to the pipeline and follow the run; --direct deploys through the target roles instead")
    .IsDependentOn("CreatePipeline")
    .Does(() => kit.Run(KitTarget.DeploySampleApp));

Task("RunPipeline")
    .Description("Run the deployed pipeline locally against the emulator, stage by stage (--sandbox; --auto-approve, --full-build)")
    .IsDependentOn("CreatePipeline")
    .Does(() => kit.RunPipeline());

Task("Verify")
    .Description("Read only: checks that what is deployed works (accounts, stacks, permission chain); a pass/fail matrix and artifacts/verify.json")
    .Does(() => kit.Verify());

Task("Test")
    .Description("Unit, integration (moto_server) and template (cfn-lint) tests (--coverage: Cobertura coverage too, always in CodeBuild)")
    .Does(() => kit.Test());

Task("Benchmark")
    .Description("The kit next to the original script: critical path, 300 accounts, the emulator, start-up; artifacts/benchmark.json (--quick: no emulator)")
    .Does(() => DotNetRun("build/PipelineKit.Benchmarks/PipelineKit.Benchmarks.csproj", HasArgument("quick") ? "--quick" : "", new DotNetRunSettings { Configuration = "Release" }));

Task("ReliabilityReport")
    .Description("Faults, interruptions and lost state against the emulator: one line per scenario, whether the kit converged; fails when one was lost")
    .Does(() => DotNetRun("build/PipelineKit.Reliability/PipelineKit.Reliability.csproj", new DotNetRunSettings { Configuration = "Release" }));

try { RunTarget(Argument("target", "BootstrapAll")); }
catch (Exception e) { throw new CakeException(ExitCodes.For(e), e.Message, e); }
