namespace PipelineKit.Tests.LocalPipeline;

using System.Collections;
using System.Diagnostics;
using Amazon.Runtime;
using PipelineKit.LocalPipeline;

/// <summary>A local build sees what a CodeBuild container would: none of this machine's secrets or AWS setup, and no
/// git checkout above it; the files that carry its shell state (the role's keys) are the user's alone and gone after it.</summary>
public sealed class BuildIsolationTests : IDisposable
{
    private readonly LocalBuildFixture f = new();

    public void Dispose() => f.Dispose();

    private string StateDirectory => Path.Combine(f.WorkRoot, "builds", "proj", "Build", "shell");

    [Fact]
    public void The_build_inherits_only_the_allowlisted_variables_and_never_this_machines_AWS_setup()
    {
        var process = new Hashtable
        {
            ["PATH"] = "/usr/bin", ["HOME"] = "/home/me", ["LC_ALL"] = "C.UTF-8", ["DOTNET_ROOT"] = "/dotnet", ["NUGET_PACKAGES"] = "/nuget",
            ["GITHUB_TOKEN"] = "ghp_secret", ["NPM_TOKEN"] = "npm_secret", ["AWS_PROFILE"] = "admin", ["AWS_CONFIG_FILE"] = "/home/me/.aws/config",
            ["AWS_SHARED_CREDENTIALS_FILE"] = "/home/me/.aws/credentials", ["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"] = "true",
            ["AWS_ACCESS_KEY_ID"] = "AKIAMINE",
        };
        var isolation = new BuildIsolation("/work/builds/p/aws/config", "/work/builds/p/aws/credentials", "/work/builds");

        var env = BuildEnvironment.Compose(process, [], [new("AWS_PROFILE", "from-buildspec")], [], [],
            new ImmutableCredentials("AKIAROLE", "secret", "token"), "http://127.0.0.1:5999", isolation);

        Assert.Equal(("/usr/bin", "/home/me", "C.UTF-8", "/dotnet", "/nuget"),
            (env["PATH"], env["HOME"], env["LC_ALL"], env["DOTNET_ROOT"], env["NUGET_PACKAGES"]));
        Assert.DoesNotContain("GITHUB_TOKEN", env.Keys);
        Assert.DoesNotContain("NPM_TOKEN", env.Keys);
        Assert.DoesNotContain("AWS_PROFILE", env.Keys);
        Assert.DoesNotContain("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", env.Keys);
        Assert.Equal(("/work/builds/p/aws/config", "/work/builds/p/aws/credentials"), (env["AWS_CONFIG_FILE"], env["AWS_SHARED_CREDENTIALS_FILE"]));
        Assert.Equal(("AKIAROLE", "true", "/work/builds"), (env["AWS_ACCESS_KEY_ID"], env["AWS_EC2_METADATA_DISABLED"], env["GIT_CEILING_DIRECTORIES"]));
    }

    [Fact]
    public async Task The_build_reads_empty_AWS_files_of_its_own_and_git_finds_no_checkout_above_it()
    {
        Git(f.Root, "init", "-q");
        const string spec = """
            version: 0.2
            phases:
              build:
                commands:
                  - wc -c < "$AWS_CONFIG_FILE" > aws-sizes.txt && wc -c < "$AWS_SHARED_CREDENTIALS_FILE" >> aws-sizes.txt
                  - git rev-parse --show-toplevel > git.txt 2>&1 || echo "no repository" > git.txt
            """;

        await f.Executor().RunAsync(f.Run(spec, outputs: []), CancellationToken.None);

        Assert.Equal("0\n0\n", File.ReadAllText(Path.Combine(f.BuildSource, "aws-sizes.txt")));
        Assert.Equal("no repository\n", File.ReadAllText(Path.Combine(f.BuildSource, "git.txt")));
    }

    [Fact]
    public async Task The_shell_state_is_private_while_the_build_runs_and_deleted_after_it()
    {
        if (OperatingSystem.IsWindows()) return;
        const string spec = """
            version: 0.2
            phases:
              build:
                commands:
                  - SECRET_COPY="$AWS_SECRET_ACCESS_KEY"
                  - stat -c %a ../shell ../shell/vars.sh > modes.txt
            """;

        await f.Executor().RunAsync(f.Run(spec, outputs: []), CancellationToken.None);

        Assert.Equal("700\n600\n", File.ReadAllText(Path.Combine(f.BuildSource, "modes.txt")));
        Assert.False(Directory.Exists(StateDirectory));
    }

    [Fact]
    public async Task The_shell_state_is_deleted_after_a_failed_build_too()
    {
        const string spec = "version: 0.2\nphases:\n  build:\n    commands:\n      - export KEPT=1\n      - exit 4\n";

        await Assert.ThrowsAsync<ActionFailedException>(() => f.Executor().RunAsync(f.Run(spec, outputs: []), CancellationToken.None));

        Assert.False(Directory.Exists(StateDirectory));
    }

    private static void Git(string directory, params string[] arguments)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = directory, UseShellExecute = false };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        process.WaitForExit();
        Assert.Equal(0, process.ExitCode);
    }
}
