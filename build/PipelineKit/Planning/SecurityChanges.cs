namespace PipelineKit.Planning;

using System.Text;
using PipelineKit.Aws;

/// <summary>
/// The security changes of one change set, as CDK Pipelines' security diff: the permission-bearing resources it adds,
/// modifies or removes (<see cref="PolicyResources"/>), and what each widens over the deployed stack
/// (<see cref="TemplateWidening"/>: a new principal, action or resource, a condition removed or changed, a Deny or
/// boundary removed). Each template is resolved under its own parameters.
/// </summary>
public sealed class SecurityChanges
{
    /// <summary>The summary goes into an approval's CustomData (at most 500 characters) after a short message.</summary>
    public const int SummaryMaxLength = 400;

    private SecurityChanges(IReadOnlyList<ResourceChange> resources, IReadOnlyDictionary<string, IReadOnlyList<string>> widening)
    {
        Resources = resources;
        Widening = widening;
    }

    /// <summary>Permission-bearing resources the change set adds, modifies or removes.</summary>
    public IReadOnlyList<ResourceChange> Resources { get; }

    /// <summary>What widens, by logical id.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Widening { get; }

    public bool Widens => Widening.Count > 0;

    /// <param name="deployedTemplate">The stack's template; "{}" when the change set creates the stack.</param>
    public static SecurityChanges Of(
        string deployedTemplate, IReadOnlyDictionary<string, string> deployedParameters,
        string changeSetTemplate, IReadOnlyDictionary<string, string> changeSetParameters,
        IReadOnlyList<ResourceChange> changes)
    {
        var resources = changes.Where(c => PolicyResources.IsSecurityRelevant(c.ResourceType)).ToList();
        var widening = TemplateWidening.Of(deployedTemplate, deployedParameters, changeSetTemplate, changeSetParameters);
        return new SecurityChanges(resources, widening);
    }

    /// <summary>One line for an approval: whether it widens and the first findings, cut to <see cref="SummaryMaxLength"/>.</summary>
    public string Summary()
    {
        var text = Widens
            ? $"WIDENS permissions ({Widening.Sum(w => w.Value.Count)}): " +
              string.Join("; ", Widening.Select(w => $"{w.Key}: {string.Join(", ", w.Value)}"))
            : Resources.Count > 0
                ? $"nothing widens; policy resources changed: {string.Join(", ", Resources.Select(r => $"{r.LogicalResourceId} ({r.Action})"))}"
                : "no security changes";
        return text.Length <= SummaryMaxLength ? text : text[..(SummaryMaxLength - 3)] + "...";
    }

    /// <summary>Everything found, one finding a line, for the notification and the log.</summary>
    public string Diff(string stackName, string changeSetName)
    {
        var diff = new StringBuilder();
        diff.AppendLine($"Security changes of change set {changeSetName} on stack {stackName}");
        diff.AppendLine(Resources.Count == 0 ? "Policy resources changed: none" : "Policy resources changed:");
        foreach (var r in Resources)
        {
            diff.AppendLine($"  {r.Action} {r.LogicalResourceId} ({r.ResourceType}){(r.Replacement is "True" ? ", replaced" : "")}");
        }

        diff.AppendLine(Widens ? "Widening:" : "Widening: none");
        foreach (var (logicalId, findings) in Widening)
        {
            foreach (var finding in findings)
            {
                diff.AppendLine($"  {logicalId}: {finding}");
            }
        }

        return diff.ToString();
    }
}
