namespace PipelineKit.Orchestration;

using System.Reflection;

/// <summary>The foundation templates, embedded from cloudformation/ at build time: the bytes cfn-lint
/// checks are the bytes deployed.</summary>
public static class Templates
{
    /// <summary>The build account's stack of each deploy region; StackRole says primary (build region) or regional.</summary>
    public static string Foundation { get; } = Read("foundation.yaml");
    public static string TargetRoles { get; } = Read("target-roles.yaml");

    /// <summary>A CodeCommit source account's stack: the source role and the forwarding of the branch's changes.</summary>
    public static string SourceAccount { get; } = Read("source-account.yaml");

    public static string Read(string fileName)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("templates/" + fileName)
            ?? throw new InvalidOperationException($"The kit was built without cloudformation/{fileName}.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
