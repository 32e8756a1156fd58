namespace PipelineKit.Tests.LocalPipeline;

using PipelineKit.Errors;
using PipelineKit.LocalPipeline;
using PipelineKit.Messages;

public sealed class CodeBuildActionTests : IDisposable
{
    private readonly LocalBuildFixture f = new();

    public void Dispose() => f.Dispose();

    [Fact]
    public async Task Exports_variables_and_the_directory_carry_across_commands_and_phases()
    {
        const string spec = """
            version: 0.2
            env:
              exported-variables: [GREETING]
            phases:
              pre_build:
                commands:
                  - export GREETING=hello
                  - PLAIN=kept
                  - mkdir -p out/deep && cd out
              build:
                commands:
                  - cd deep
                  - echo "$GREETING $PLAIN $(basename "$PWD") $FROM_PROJECT" > result.txt
            artifacts:
              files: ['out/**/*']
            """;

        var outcome = await f.Executor().RunAsync(f.Run(spec), CancellationToken.None);

        var entries = LocalBuildFixture.Entries(Assert.Single(outcome.Outputs));
        Assert.Equal("hello kept deep project-value\n", entries["out/deep/result.txt"]);
        Assert.Equal("hello", outcome.Variables["GREETING"]);
        Assert.Equal("build 5 commands, 1 file in BuildOutput", outcome.Summary);
    }

    [Fact]
    public async Task A_kit_command_runs_in_process_with_its_variables_expanded_and_the_role_credentials()
    {
        const string spec = """
            version: 0.2
            env:
              variables:
                TARGET: SecurityCheck
            phases:
              build:
                commands:
                  - cd sub
                  - ./build.sh ${TARGET} --environment "$KIT_ENVIRONMENT" --note 'two words' $UNSET
            """;
        f.Write("sub/keep.txt", "x");
        var config = new Dictionary<string, string>
        {
            ["EnvironmentVariables"] = """[{"name":"KIT_ENVIRONMENT","value":"dev eu","type":"PLAINTEXT"}]""",
        };

        await f.Executor().RunAsync(f.Run(spec, config, outputs: []), CancellationToken.None);

        var call = Assert.Single(f.Kit.Calls);
        Assert.Equal(["SecurityCheck", "--environment", "dev eu", "--note", "two words"], call.Arguments);
        Assert.Equal(Path.Combine(f.BuildSource, "sub"), call.Directory);
        Assert.Equal(LocalBuildFixture.RoleAccessKey, call.Environment["AWS_ACCESS_KEY_ID"]);
        Assert.Equal("http://127.0.0.1:5999", call.Environment["AWS_ENDPOINT_URL"]);
        Assert.Equal("codepipeline/demo-pipeline", call.Environment["CODEBUILD_INITIATOR"]);
        Assert.StartsWith("proj:", call.Environment["CODEBUILD_BUILD_ID"], StringComparison.Ordinal);
        Assert.Equal(["arn:aws:iam::111111111111:role/proj-build"], f.RolesAssumed);
        Assert.All(f.Store.Calls, c => Assert.Equal(LocalBuildFixture.RoleAccessKey, c.AccessKey));
        Assert.DoesNotContain(f.LogLines, l => l.Contains(LocalBuildFixture.RoleSecret, StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_kits_buildspec_skips_install_with_a_notice_runs_Test_and_PublishSampleApp_and_packages_the_sample_app()
    {
        File.Copy(LocalBuildFixture.RepositoryBuildspec("buildspec.yml"), Path.Combine(f.Source, "buildspec.yml"));
        f.Kit.Handlers["Test"] = (dir, output) =>
        {
            Write(dir, "artifacts/test-results/kit.trx", "<TestRun/>");
            Write(dir, "artifacts/sample-app/test-results/app/app.trx", "<TestRun/>");
            output("Passed!");
            return 0;
        };
        f.Kit.Handlers["PublishSampleApp"] = (dir, _) =>
        {
            Write(dir, "artifacts/sample-app/template.yaml", "Resources: {}");
            Write(dir, "artifacts/sample-app/params-dev.json", "[]");
            Write(dir, "artifacts/sample-app/params-prod.json", "[]");
            Write(dir, "artifacts/sample-app/function-abc123.zip", "zip");
            Write(dir, "artifacts/sample-app/build/notes.txt", "not packaged");
            return 0;
        };

        var outcome = await f.Executor().RunAsync(f.Run("buildspec.yml"), CancellationToken.None);

        Assert.Equal([["Test"], ["PublishSampleApp"]], f.Kit.Calls.Select(c => c.Arguments.ToArray()));
        var notice = Assert.Single(f.Messages.Messages, m => m.Kind == MessageCodes.LocalPipelineNotice);
        Assert.Contains("install phase skipped", notice.Text, StringComparison.Ordinal);
        Assert.Contains("nodejs 20, python 3.11", notice.Text, StringComparison.Ordinal);
        Assert.Contains("5 commands", notice.Text, StringComparison.Ordinal);
        var entries = LocalBuildFixture.Entries(Assert.Single(outcome.Outputs));
        Assert.Equal(["sample-app/function-abc123.zip", "sample-app/params-dev.json", "sample-app/params-prod.json", "sample-app/template.yaml"],
            entries.Keys.Order(StringComparer.Ordinal));
        Assert.True(File.Exists(Path.Combine(f.WorkRoot, "reports", "exec-1", "kit-tests", "kit.trx")));
        Assert.True(File.Exists(Path.Combine(f.WorkRoot, "reports", "exec-1", "sample-app-tests", "app", "app.trx")));
        Assert.Equal("build 2 commands, 4 files in BuildOutput, 2 report files", outcome.Summary);
    }

    [Fact]
    public async Task Without_full_build_the_kits_suite_is_skipped_with_a_notice()
    {
        File.Copy(LocalBuildFixture.RepositoryBuildspec("buildspec.yml"), Path.Combine(f.Source, "buildspec.yml"));
        f.Kit.Handlers["PublishSampleApp"] = (dir, _) => { Write(dir, "artifacts/sample-app/template.yaml", "x"); return 0; };

        await f.Executor(fullBuild: false).RunAsync(f.Run("buildspec.yml"), CancellationToken.None);

        Assert.Equal([["PublishSampleApp"]], f.Kit.Calls.Select(c => c.Arguments.ToArray()));
        Assert.Contains(f.Messages.Messages, m => m.Kind == MessageCodes.LocalPipelineNotice && m.Text.Contains("--full-build", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_security_checks_summary_becomes_the_actions_output_variable()
    {
        File.Copy(LocalBuildFixture.RepositoryBuildspec("buildspec-security-check.yml"), Path.Combine(f.Source, "buildspec.yml"));
        f.Kit.Handlers["SecurityCheck"] = (dir, _) => { Write(dir, "artifacts/security-check/summary.txt", "no widening: 3 changes"); return 0; };
        var config = new Dictionary<string, string> { ["EnvironmentVariables"] = """[{"name":"KIT_ENVIRONMENT","value":"prod"}]""" };

        var outcome = await f.Executor().RunAsync(f.Run("buildspec.yml", config, outputs: []), CancellationToken.None);

        Assert.Equal(["SecurityCheck", "--environment", "prod"], Assert.Single(f.Kit.Calls).Arguments);
        Assert.Equal("no widening: 3 changes", outcome.Variables["SUMMARY"]);
    }

    [Fact]
    public void The_kits_pipeline_buildspec_parses_with_its_artifacts()
    {
        var spec = BuildspecParser.Parse(File.ReadAllText(LocalBuildFixture.RepositoryBuildspec("buildspec-pipeline.yml")), "buildspec-pipeline.yml");

        Assert.Equal(["./build.sh CreatePipeline --exclusive"], spec.Phases.Single(p => p.Name == "build").Commands);
        Assert.Equal(["outputs.json", "logs/**/*"], spec.Artifacts!.Files);
        KitCommandLine.Check(spec.Phases.Single(p => p.Name == "build").Commands[0]);
    }

    [Fact]
    public async Task A_failing_command_fails_the_action_naming_the_phase_the_command_and_the_last_lines()
    {
        const string spec = """
            version: 0.2
            phases:
              build:
                commands:
                  - for i in $(seq 1 30); do echo "line $i"; done
                  - echo "about to fail" >&2; exit 3
                  - echo never > never.txt
            """;

        var e = await Assert.ThrowsAsync<ActionFailedException>(() => f.Executor().RunAsync(f.Run(spec), CancellationToken.None));

        Assert.Equal("JobFailed", e.ErrorCode);
        Assert.StartsWith("build phase failed: command `echo \"about to fail\" >&2; exit 3` exited with 3; last lines:", e.Message, StringComparison.Ordinal);
        Assert.Contains("about to fail", e.Message, StringComparison.Ordinal);
        Assert.Contains("line 30", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("line 10\n", e.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(f.BuildSource, "never.txt")));
    }

    [Fact]
    public async Task After_a_failed_build_finally_and_post_build_run_with_the_build_marked_failing()
    {
        const string spec = """
            version: 0.2
            phases:
              build:
                commands:
                  - "false"
                finally:
                  - touch finally-ran
              post_build:
                commands:
                  - echo "$CODEBUILD_BUILD_SUCCEEDING" > post-build-saw
            """;

        await Assert.ThrowsAsync<ActionFailedException>(() => f.Executor().RunAsync(f.Run(spec), CancellationToken.None));

        Assert.True(File.Exists(Path.Combine(f.BuildSource, "finally-ran")));
        Assert.Equal("0\n", File.ReadAllText(Path.Combine(f.BuildSource, "post-build-saw")));
    }

    [Fact]
    public async Task On_failure_ABORT_ends_the_build_and_a_failed_pre_build_skips_the_build()
    {
        const string abort = """
            version: 0.2
            phases:
              build:
                on-failure: ABORT
                commands: ["false"]
              post_build:
                commands: [touch post-build-ran]
            """;
        await Assert.ThrowsAsync<ActionFailedException>(() => f.Executor().RunAsync(f.Run(abort), CancellationToken.None));
        Assert.False(File.Exists(Path.Combine(f.BuildSource, "post-build-ran")));

        const string preBuild = """
            version: 0.2
            phases:
              pre_build:
                commands: ["false"]
              build:
                commands: [touch build-ran]
            """;
        var e = await Assert.ThrowsAsync<ActionFailedException>(() => f.Executor().RunAsync(f.Run(preBuild), CancellationToken.None));
        Assert.StartsWith("pre_build phase failed", e.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(f.BuildSource, "build-ran")));
    }

    [Fact]
    public async Task The_project_timeout_fails_the_build_with_a_clear_message()
    {
        const string spec = "version: 0.2\nphases:\n  build:\n    commands: [sleep 30]\n  post_build:\n    commands: [touch post-build-ran]\n";
        var executor = f.Executor();
        executor.MinuteLength = TimeSpan.FromMilliseconds(300);

        var e = await Assert.ThrowsAsync<ActionFailedException>(() => executor.RunAsync(f.Run(spec, timeoutMinutes: 1), CancellationToken.None));

        Assert.StartsWith("Build timed out after 1 minutes (the project's TimeoutInMinutes) in the build phase, running `sleep 30`", e.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(f.BuildSource, "post-build-ran")));
    }

    [Fact]
    public async Task A_stopped_run_stops_the_running_command()
    {
        const string spec = "version: 0.2\nphases:\n  build:\n    commands: [sleep 30]\n";
        var started = DateTime.UtcNow;
        using var stop = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => f.Executor().RunAsync(f.Run(spec), stop.Token));

        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task Discard_paths_keeps_only_the_file_names()
    {
        const string spec = """
            version: 0.2
            phases:
              build:
                commands: [mkdir -p a/b && echo 1 > a/b/one.txt && echo 2 > a/two.txt]
            artifacts:
              base-directory: a
              files: ['**/*.txt']
              discard-paths: yes
            """;

        var outcome = await f.Executor().RunAsync(f.Run(spec), CancellationToken.None);

        Assert.Equal(["one.txt", "two.txt"], LocalBuildFixture.Entries(Assert.Single(outcome.Outputs)).Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task No_matching_artifact_paths_fails_as_CodeBuild_does()
    {
        const string spec = "version: 0.2\nphases:\n  build:\n    commands: ['true']\nartifacts:\n  files: [missing/*.zip]\n";

        var e = await Assert.ThrowsAsync<ActionFailedException>(() => f.Executor().RunAsync(f.Run(spec), CancellationToken.None));

        Assert.Contains("no matching artifact paths found", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(f.Store.Calls, c => c.Operation.StartsWith("put", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("version: 0.2\ncache:\n  paths: [x]\n", "cache")]
    [InlineData("version: 0.2\nenv:\n  parameter-store:\n    X: /p\n", "env/parameter-store")]
    [InlineData("version: 0.2\nphases:\n  build:\n    commandz: [x]\n", "phases/build/commandz")]
    [InlineData("version: 0.2\nartifacts:\n  files: [x]\n  secondary-artifacts: {}\n", "artifacts/secondary-artifacts")]
    [InlineData("version: 0.2\nenv:\n  shell: sh\n", "env/shell")]
    [InlineData("version: 0.2\nphases:\n  build:\n    commands: [./build.sh Test && echo done]\n", "./build.sh Test && echo done")]
    public async Task What_the_local_run_cannot_honour_is_refused_by_name(string spec, string named)
    {
        var e = await Assert.ThrowsAsync<LocalPipelineException>(() => f.Executor().RunAsync(f.Run(spec), CancellationToken.None));

        Assert.Equal(ErrorCodes.LocalPipelineRefused.Code, e.Code);
        Assert.Contains(named, e.Message, StringComparison.Ordinal);
        Assert.Empty(f.Kit.Calls);
    }

    [Fact]
    public async Task The_source_directory_keeps_bin_and_obj_between_runs_and_loses_everything_else()
    {
        const string spec = "version: 0.2\nphases:\n  build:\n    commands: ['mkdir -p p/obj p/stale && touch p/obj/cache p/stale/old leftover']\n";
        await f.Executor().RunAsync(f.Run(spec, outputs: []), CancellationToken.None);
        const string check = "version: 0.2\nphases:\n  build:\n    commands: ['true']\n";

        await f.Executor().RunAsync(f.Run(check, outputs: []), CancellationToken.None);

        Assert.True(File.Exists(Path.Combine(f.BuildSource, "p", "obj", "cache")));
        Assert.False(Directory.Exists(Path.Combine(f.BuildSource, "p", "stale")));
        Assert.False(File.Exists(Path.Combine(f.BuildSource, "leftover")));
    }

    private static void Write(string dir, string relative, string text)
    {
        var path = Path.Combine(dir, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }
}
