namespace PipelineKit.Reliability.Runner;

/// <summary>How a scenario ended: survived (the kit converged within the runs allowed; <paramref name="Detail"/> says
/// which: the faulty run alone, or one re-run) or lost (<paramref name="Detail"/> says why).</summary>
public sealed record ScenarioResult(
    string Name,
    string Fault,
    bool Survived,
    string Detail,
    int Unsettled,
    int Duplicates,
    TimeSpan Elapsed,
    IReadOnlyList<string> Notes)
{
    public string Outcome => Survived ? "survived" : "lost";
}
