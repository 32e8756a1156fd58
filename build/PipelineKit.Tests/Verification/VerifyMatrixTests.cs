namespace PipelineKit.Tests.Verification;

using System.Text.Json;
using PipelineKit.Verification;

/// <summary>The matrix as the user reads it: a row per check, a column per account, one numbered reason per failed
/// cell (shared by skipped cells with the same reason), the verdict; and verify.json with every finding.</summary>
public sealed class VerifyMatrixTests
{
    private static readonly VerifyColumn[] Columns = [new("123456789012", "build"), new("222222222222", "dev")];

    private static readonly VerifyReport Report = new("hello", "endpoint http://127.0.0.1:5000", Columns,
    [
        CheckFinding.Pass(VerifyChecks.Accounts, "123456789012", "build acts in 123456789012"),
        CheckFinding.Pass(VerifyChecks.Accounts, "222222222222", "dev acts in 222222222222"),
        CheckFinding.Skip(VerifyChecks.Drift, "123456789012", "pipelinekit-hello-primary (us-east-1)", "drift detection: not offered by this endpoint"),
        CheckFinding.Skip(VerifyChecks.Drift, "222222222222", "pipelinekit-hello-target-roles (us-east-1)", "drift detection: not offered by this endpoint"),
        CheckFinding.Pass(VerifyChecks.ReadArtifacts, "222222222222", "role hello-pipeline-action: s3:GetObject on arn:aws:s3:::b/k"),
        CheckFinding.Fail(VerifyChecks.ReadArtifacts, "222222222222", "role hello-pipeline-action", "denied: the key policy of K does not allow it"),
        CheckFinding.Fail(VerifyChecks.ReadArtifacts, "222222222222", "role hello-cfn-execution", "denied: the key policy of K does not allow it either"),
    ]);

    [Fact]
    public void Render_PrintsTheMatrix_OneReasonPerFailedCell_AndTheVerdict()
    {
        var lines = VerifyMatrix.Render(Report, "artifacts/verify.json");

        var row = VerifyChecks.InOrder.Max(c => c.Length) + 2;
        string Line(string head, params string[] cells) => (head.PadRight(row) + string.Concat(cells.Select(c => c.PadRight(14)))).TrimEnd();
        Assert.Equal("Verify: hello (endpoint http://127.0.0.1:5000)", lines[0]);
        Assert.Equal(Line("", "build", "dev"), lines[2]);
        Assert.Equal(Line("", "123456789012", "222222222222"), lines[3]);
        Assert.Contains(Line(VerifyChecks.Accounts, "pass", "pass"), lines);
        Assert.Contains(Line(VerifyChecks.Drift, "skip [1]", "skip [1]"), lines);
        Assert.Contains(Line(VerifyChecks.ReadArtifacts, "-", "FAIL [2]"), lines);
        Assert.Contains(Line(VerifyChecks.Connection, "-", "-"), lines);
        Assert.Contains("[1] skipped: drift detection: not offered by this endpoint", lines);
        Assert.Contains($"[2] {VerifyChecks.ReadArtifacts}, dev 222222222222: role hello-pipeline-action: denied: the key policy of K does not allow it (and 1 more)", lines);
        Assert.Equal("Verify FAILED: 1 cells fail, 2 pass, 2 skipped; every finding in artifacts/verify.json.", lines[^1]);
        Assert.False(Report.Passed);
    }

    [Fact]
    public void ReportFile_HoldsEveryFindingOfEachCell_AndReadsBackAsTheReport()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("pipelinekit-verify-").FullName, "artifacts", "verify.json");

        VerifyReportFile.Write(path, Report);

        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var root = document.RootElement;
        Assert.False(root.GetProperty("passed").GetBoolean());
        var cell = root.GetProperty("cells").EnumerateArray().Single(c => c.GetProperty("check").GetString() == VerifyChecks.ReadArtifacts);
        Assert.Equal(("222222222222", "fail", 3), (cell.GetProperty("account").GetString(), cell.GetProperty("status").GetString(), cell.GetProperty("checked").GetInt32()));
        Assert.Equal(["role hello-pipeline-action", "role hello-cfn-execution"], cell.GetProperty("failures").EnumerateArray().Select(f => f.GetProperty("subject").GetString()));
        Assert.Equal(["role hello-pipeline-action: s3:GetObject on arn:aws:s3:::b/k"], cell.GetProperty("passed").EnumerateArray().Select(f => f.GetString()));
        var read = VerifyReportFile.Read(path);
        Assert.Equal((Report.Pipeline, Report.Where), (read.Pipeline, read.Where));
        Assert.Equal(Report.Columns, read.Columns);
        Assert.Equal(Report.Findings.OrderBy(f => f.ToString()), read.Findings.OrderBy(f => f.ToString()));
        Directory.Delete(Path.GetDirectoryName(Path.GetDirectoryName(path))!, recursive: true);
    }
}
