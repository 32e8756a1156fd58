namespace PipelineKit.Planning;

using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

/// <summary>A whole plan, every stack in graph order, rendered as text (the console summary), Markdown (a table per stack
/// to paste into a review) and JSON (for tools). Rendering returns text; where it is shown is the caller's business.</summary>
public sealed class PlanReport(string pipeline, IReadOnlyList<StackPlan> stacks)
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public IReadOnlyList<StackPlan> Stacks => stacks;

    public bool Failed => stacks.Any(s => s.Status == PlanStatus.Error);

    public bool ChangesPending => stacks.Any(s => s.HasChanges);

    public string Headline
    {
        get
        {
            var changing = stacks.Count(s => s.HasChanges && s.Status != PlanStatus.Error);
            var security = stacks.Sum(s => s.Resources.Count(r => r.Security));
            var errors = stacks.Count(s => s.Status == PlanStatus.Error);
            return $"{stacks.Count} stack(s): {stacks.Count(s => !s.HasChanges)} unchanged, {changing} would change" +
                   $" ({stacks.Count(s => s.Status == PlanStatus.Create)} new, {stacks.Count(s => s.Status == PlanStatus.Recreate)} recreated)" +
                   $"; {security} security-relevant resource change(s)" + (errors > 0 ? $"; {errors} could not be planned" : "");
        }
    }

    public string ToText()
    {
        var text = new StringBuilder();
        foreach (var stack in stacks)
        {
            text.AppendLine($"  {stack.StackName,-34} {stack.Location,-24} {Status(stack)}");
            if (stack.Note is { } note) text.AppendLine($"      {note}");
            foreach (var r in stack.Resources)
            {
                var replacement = r.Replacement is null ? "" : $" (replacement: {r.Replacement})";
                text.AppendLine($"      {Symbol(r.Action)} {r.LogicalId} {r.ResourceType}{replacement}{(r.Security ? "  [security]" : "")}");
                foreach (var w in r.Widening) text.AppendLine($"          widens: {w}");
            }
        }

        text.AppendLine(Headline);
        return text.ToString();
    }

    public string ToMarkdown()
    {
        var md = new StringBuilder($"# Plan: {pipeline}\n\n{Headline}\n");
        foreach (var stack in stacks)
        {
            md.Append($"\n## {stack.StackName} ({stack.Location}): {Status(stack)}\n\n");
            if (stack.Note is { } note) md.Append($"{Cell(note)}\n\n");
            if (stack.Resources.Count == 0) continue;
            md.Append("| Action | Logical id | Type | Replacement | Security |\n|---|---|---|---|---|\n");
            foreach (var r in stack.Resources)
            {
                var security = !r.Security ? "" : r.Widening.Count == 0 ? "yes" : "yes, widens:<br>" + string.Join("<br>", r.Widening);
                md.Append($"| {r.Action} | {r.LogicalId} | {r.ResourceType} | {r.Replacement ?? ""} | {Cell(security)} |\n");
            }
        }

        return md.ToString();
    }

    public string ToJson() => JsonSerializer.Serialize(new
    {
        pipeline,
        changesPending = ChangesPending,
        stacks = stacks.Select(s => new
        {
            s.Key, s.StackName, account = s.Location.AccountId, region = s.Location.Region, s.Status, s.Note,
            added = s.Count("Add"), modified = s.Count("Modify"), removed = s.Count("Remove"), s.Resources,
        }),
    }, Json);

    private static string Status(StackPlan stack) => stack.Status switch
    {
        PlanStatus.Unchanged => "unchanged",
        PlanStatus.Error => "could not be planned",
        _ => $"{stack.Status.ToString().ToLowerInvariant()}: {stack.Count("Add")} to add, {stack.Count("Modify")} to modify, " +
             $"{stack.Count("Remove")} to remove" + (stack.HasSecurityChanges ? ", security-relevant" : ""),
    };

    private static string Symbol(string action) => action switch { "Add" => "+", "Remove" => "-", "Modify" => "~", _ => "?" };

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
}
