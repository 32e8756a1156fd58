namespace PipelineKit.LocalPipeline;

/// <summary>
/// A version 0.2 buildspec as the local CodeBuild runs it: what it runs, what it exports, what it packages and what it
/// reports. Made only by <see cref="BuildspecParser"/>, which refuses by name every key the local run does not honour,
/// so nothing a buildspec asks for is skipped in silence.
/// </summary>
/// <remarks>Follows the CodeBuild user guide, "Build specification reference for CodeBuild" (buildspec syntax).</remarks>
/// <param name="Variables">env/variables, in the file's order.</param>
/// <param name="ExportedVariables">env/exported-variables: their values at the end of the build become the action's
/// output variables.</param>
/// <param name="Phases">The phases present, in CodeBuild's order (install, pre_build, build, post_build).</param>
/// <param name="Artifacts">The artifacts section, when there is one.</param>
/// <param name="Reports">The reports section: report group name to its files.</param>
public sealed record Buildspec(
    IReadOnlyList<KeyValuePair<string, string>> Variables,
    IReadOnlyList<string> ExportedVariables,
    IReadOnlyList<BuildspecPhase> Phases,
    BuildspecArtifacts? Artifacts,
    IReadOnlyList<BuildspecReport> Reports)
{
    /// <summary>CodeBuild's phase names, in the order a build runs them.</summary>
    public static readonly IReadOnlyList<string> PhaseOrder = ["install", "pre_build", "build", "post_build"];

    public int CommandCount => Phases.Sum(p => p.Commands.Count + p.Finally.Count);
}

/// <summary>What a phase does after one of its commands failed (the phase's <c>on-failure</c>).</summary>
public enum PhaseOnFailure
{
    /// <summary>No <c>on-failure</c>: CodeBuild's phase transitions (a failed build still runs post_build; a failed
    /// install or pre_build ends the build).</summary>
    Transitions,

    /// <summary><c>ABORT</c>: the build ends; no later phase runs.</summary>
    Abort,

    /// <summary><c>CONTINUE</c>: the next phase runs; the build still fails.</summary>
    Continue,
}

/// <summary>One phase: its commands, its <c>finally</c> block (run even when a command failed), and the install phase's
/// runtime-versions.</summary>
public sealed record BuildspecPhase(
    string Name,
    IReadOnlyList<string> Commands,
    IReadOnlyList<string> Finally,
    PhaseOnFailure OnFailure,
    IReadOnlyList<KeyValuePair<string, string>> RuntimeVersions);

/// <summary>The artifacts section: patterns relative to <see cref="BaseDirectory"/> (itself relative to the source
/// directory); <see cref="DiscardPaths"/> flattens the zip's entries to file names.</summary>
public sealed record BuildspecArtifacts(IReadOnlyList<string> Files, string? BaseDirectory, bool DiscardPaths, string? Name);

/// <summary>One report group: its test result files.</summary>
public sealed record BuildspecReport(string Group, IReadOnlyList<string> Files, string? BaseDirectory, bool DiscardPaths, string? FileFormat);
