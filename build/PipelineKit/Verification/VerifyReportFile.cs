namespace PipelineKit.Verification;

using System.Text.Json;
using System.Text.Json.Nodes;

/// <summary>
/// <c>artifacts/verify.json</c>: the matrix with every finding, for CI and for reading what the console abbreviates:
/// <code>{ "pipeline", "where", "passed", "columns": [{ "account", "label" }], "cells": [{ "check", "account", "status",
/// "checked", "failures": [{ "subject", "reason" }], "skipped": [...], "passed": [subject, ...] }] }</code> Written anew on every run.
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
