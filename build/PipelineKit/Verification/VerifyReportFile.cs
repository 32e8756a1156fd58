namespace PipelineKit.Verification;

using System.Text.Json;
using System.Text.Json.Nodes;

/// <summary>
/// <c>artifacts/verify.json</c>: the matrix with every finding, for CI and for reading what the console abbreviates:
/// <code>{ "pipeline", "where", "passed", "columns": [{ "account", "label" }], "cells": [{ "check", "account", "status",
/// "checked", "failures": [{ "subject", "reason" }], "skipped": [...], "passed": [subject, ...] }] }</code> Written anew on every run;
/// <see cref="Read"/> gives the report back (for CI steps and tests that look at a run's findings).
/// </summary>
public static class VerifyReportFile
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static void Write(string path, VerifyReport report)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(report);
        var document = new JsonObject
        {
            ["pipeline"] = report.Pipeline,
            ["where"] = report.Where,
            ["passed"] = report.Passed,
            ["columns"] = new JsonArray([.. report.Columns.Select(c => (JsonNode)new JsonObject { ["account"] = c.Account, ["label"] = c.Label })]),
            ["cells"] = new JsonArray([.. report.Cells.Where(c => c.Status is not null).Select(Cell)]),
        };
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllText(path, document.ToJsonString(Indented) + "\n");
    }

    public static VerifyReport Read(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var root = document.RootElement;
        var columns = root.GetProperty("columns").EnumerateArray()
            .Select(c => new VerifyColumn(c.GetProperty("account").GetString()!, c.GetProperty("label").GetString()!)).ToArray();
        var findings = new List<CheckFinding>();
        foreach (var cell in root.GetProperty("cells").EnumerateArray())
        {
            var (check, account) = (cell.GetProperty("check").GetString()!, cell.GetProperty("account").GetString()!);
            CheckFinding Finding(JsonElement f, CheckStatus status) =>
                new(check, account, status, f.GetProperty("subject").GetString()!, f.GetProperty("reason").GetString());
            findings.AddRange(cell.GetProperty("failures").EnumerateArray().Select(f => Finding(f, CheckStatus.Fail)));
            findings.AddRange(cell.GetProperty("skipped").EnumerateArray().Select(f => Finding(f, CheckStatus.Skip)));
            findings.AddRange(cell.GetProperty("passed").EnumerateArray().Select(p => CheckFinding.Pass(check, account, p.GetString()!)));
        }

        return new VerifyReport(root.GetProperty("pipeline").GetString()!, root.GetProperty("where").GetString()!, columns, findings);
    }

    private static JsonNode Cell(VerifyCell cell) => new JsonObject
    {
        ["check"] = cell.Check,
        ["account"] = cell.Column.Account,
        ["status"] = cell.Status.ToString()!.ToLowerInvariant(),
        ["checked"] = cell.Findings.Count,
        ["failures"] = Findings(cell, CheckStatus.Fail),
        ["skipped"] = Findings(cell, CheckStatus.Skip),
        ["passed"] = new JsonArray([.. cell.Findings.Where(f => f.Status == CheckStatus.Pass).Select(f => (JsonNode)JsonValue.Create(f.Subject))]),
    };

    private static JsonArray Findings(VerifyCell cell, CheckStatus status) =>
        new([.. cell.Findings.Where(f => f.Status == status).Select(f => (JsonNode)new JsonObject { ["subject"] = f.Subject, ["reason"] = f.Reason })]);
}
