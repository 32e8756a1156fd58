namespace PipelineKit.Tests.Messages;

using System.Text.RegularExpressions;
using PipelineKit.Messages;

/// <summary>The message registry against the kit's code: every kind is made in the registry and nowhere else, so every
/// code in use is registered; codes are unique; every registered kind is used; and the parts write no line of their
/// own beside the channel.</summary>
public sealed class MessageCodesTests
{
    private const string Registry = "Messages/MessageCodes.cs";

    [Fact]
    public void Codes_AreUnique_AreAreaDotEvent_AndDescribed()
    {
        var duplicates = MessageCodes.All.GroupBy(k => k.Code, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).Select(g => g.Key);

        Assert.Empty(duplicates);
        Assert.All(MessageCodes.All, k => Assert.Matches(@"^[A-Z][A-Za-z]+\.[A-Z][A-Za-z]+$", k.Code));
        Assert.All(MessageCodes.All, k => Assert.False(string.IsNullOrWhiteSpace(k.Description), k.Code));
    }

    [Fact]
    public void MessageKinds_AreMadeOnlyInTheRegistry()
    {
        var elsewhere = KitSource.Files()
            .Where(f => f.Path != Registry && Regex.IsMatch(f.Text, @"new\s+MessageKind\s*\(|new\s*\(\s*""[A-Z]\w*\.[A-Z]\w*""\s*,\s*MessageLevel"))
            .Select(f => f.Path);

        Assert.Empty(elsewhere);
    }

    [Fact]
    public void EveryRegisteredKind_IsReportedSomewhere()
    {
        var fields = typeof(MessageCodes).GetFields().Where(f => f.FieldType == typeof(MessageKind)).Select(f => f.Name);
        var source = string.Join("\n", KitSource.Files().Where(f => f.Path != Registry).Select(f => f.Text));

        var unused = fields.Where(name => !source.Contains($"MessageCodes.{name}", StringComparison.Ordinal));

        Assert.Empty(unused);
    }

    /// <summary>Writing lines is the sinks' job (Reporting: the console view, the live view, the summary, the log's
    /// formatters; Messages: the line adapter). PipelineFollower still writes to the TextWriter it is given, which the
    /// host makes a <see cref="MessageLineWriter"/>.</summary>
    [Fact]
    public void NoPartWritesLinesOfItsOwn()
    {
        var writers = KitSource.Files()
            .Where(f => !f.Path.StartsWith("Reporting/", StringComparison.Ordinal) && !f.Path.StartsWith("Messages/", StringComparison.Ordinal)
                && f.Path != "Pipeline/PipelineFollower.cs")
            .Where(f => Regex.IsMatch(f.Text, @"\.WriteLine\(|Console\.(Write|Error)"))
            .Select(f => f.Path);

        Assert.Empty(writers);
    }
}
