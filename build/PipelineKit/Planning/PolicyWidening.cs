namespace PipelineKit.Planning;

using System.Text.Json.Nodes;

/// <summary>
/// What a change to one policy document grants that the deployed one did not, statement by statement: a new principal,
/// action or resource in an Allow statement, a condition removed or changed, a Deny statement removed. Each new Allow
/// statement is compared with the deployed statement of the same Sid, else the one it shares most with; one that shares
/// nothing is new as a whole. Values are compared as resolved by <see cref="TemplateValues"/>; what could not be resolved
/// compares as its JSON text.
/// </summary>
public static class PolicyWidening
{
    public static IReadOnlyList<string> Compare(JsonNode? deployed, JsonNode? desired)
    {
        var before = Statement.AllOf(deployed);
        var after = Statement.AllOf(desired);
        var found = new List<string>();
        foreach (var statement in after.Where(s => s.Allow))
        {
            var match = MatchFor(statement, before.Where(s => s.Allow).ToList());
            if (match is null)
            {
                found.Add($"new statement{statement.Label}: {Describe(statement)}");
                continue;
            }

            found.AddRange(statement.Principals.Except(match.Principals).Select(p => $"new principal {p}{statement.Label}"));
            found.AddRange(statement.Actions.Except(match.Actions).Select(a => $"new action {a}{statement.Label}"));
            found.AddRange(statement.Resources.Except(match.Resources).Select(r => $"new resource {r}{statement.Label}"));
            foreach (var (key, values) in match.Conditions)
            {
                if (!statement.Conditions.TryGetValue(key, out var now)) found.Add($"condition removed {key}{statement.Label}");
                else if (!now.SetEquals(values)) found.Add(ConditionChange(key, values, now) + statement.Label);
            }
        }

        var denies = after.Where(s => !s.Allow).Select(s => s.Text).ToHashSet(StringComparer.Ordinal);
        found.AddRange(before.Where(s => !s.Allow && !denies.Contains(s.Text)).Select(s => $"Deny statement removed{s.Label}"));
        return found;
    }

    /// <summary>Only the values that differ: a key's list of allowed values is often long (every target role).</summary>
    private static string ConditionChange(string key, HashSet<string> before, HashSet<string> after)
    {
        var added = after.Except(before).ToList();
        var removed = before.Except(after).ToList();
        return $"condition {key} changed:" + (added.Count > 0 ? " adds " + string.Join(", ", added) : "") +
               (removed.Count > 0 ? (added.Count > 0 ? ";" : "") + " drops " + string.Join(", ", removed) : "");
    }

    private static Statement? MatchFor(Statement statement, List<Statement> candidates)
    {
        if (statement.Sid is { } sid && candidates.FirstOrDefault(c => c.Sid == sid) is { } same) return same;
        return candidates
            .Select(c => (c, score: c.Principals.Intersect(statement.Principals).Count() + c.Actions.Intersect(statement.Actions).Count()
                                    + c.Resources.Intersect(statement.Resources).Count()))
            .Where(p => p.score > 0)
            .OrderByDescending(p => p.score)
            .Select(p => p.c)
            .FirstOrDefault();
    }

    private static string Describe(Statement s) =>
        string.Join("; ", new[]
        {
            s.Principals.Count > 0 ? "principals " + string.Join(", ", s.Principals) : null,
            "actions " + string.Join(", ", s.Actions),
            s.Resources.Count > 0 ? "resources " + string.Join(", ", s.Resources) : null,
            s.Conditions.Count > 0 ? "conditions " + string.Join(", ", s.Conditions.Keys) : "no condition",
        }.OfType<string>());

    private sealed record Statement(
        string? Sid, bool Allow, HashSet<string> Principals, HashSet<string> Actions, HashSet<string> Resources,
        Dictionary<string, HashSet<string>> Conditions, string Text)
    {
        public string Label => Sid is null ? "" : $" (Sid {Sid})";

        public static List<Statement> AllOf(JsonNode? document) =>
            (document?["Statement"] switch
            {
                JsonArray list => list.OfType<JsonObject>(),
                JsonObject one => [one],
                _ => [],
            }).Select(Of).ToList();

        private static Statement Of(JsonObject s) => new(
            s["Sid"] is { } sid ? PolicyResources.Text(sid) : null,
            PolicyResources.Text(s["Effect"]) != "Deny",
            [.. PrincipalsOf(s["Principal"]), .. PrincipalsOf(s["NotPrincipal"]).Select(p => "NOT " + p)],
            [.. Values(s["Action"]), .. Values(s["NotAction"]).Select(a => "NOT " + a)],
            [.. Values(s["Resource"]), .. Values(s["NotResource"]).Select(r => "NOT " + r)],
            ConditionsOf(s["Condition"] as JsonObject),
            s.ToJsonString());

        private static IEnumerable<string> Values(JsonNode? node) =>
            node is JsonArray list ? list.Select(PolicyResources.Text) : node is null ? [] : [PolicyResources.Text(node)];

        private static IEnumerable<string> PrincipalsOf(JsonNode? node) =>
            node is JsonObject kinds ? kinds.SelectMany(k => Values(k.Value).Select(v => $"{k.Key}:{v}")) : Values(node);

        private static Dictionary<string, HashSet<string>> ConditionsOf(JsonObject? condition) =>
            (condition ?? []).SelectMany(op => (op.Value as JsonObject ?? []).Select(k =>
                    KeyValuePair.Create($"{op.Key} {k.Key}", Values(k.Value).ToHashSet(StringComparer.Ordinal))))
                .ToDictionary(StringComparer.Ordinal);
    }
}
