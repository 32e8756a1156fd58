namespace PipelineKit.LocalPipeline;

using System.Text;
using System.Text.RegularExpressions;

/// <summary>
/// The file patterns of a buildspec's artifacts and reports: paths relative to a base directory, '/'-separated, where
/// <c>*</c> matches within one folder, <c>**</c> across folders (<c>**/*</c>: every file below) and <c>?</c> one character.
/// </summary>
public static class FileGlob
{
    /// <summary>The files under <paramref name="baseDirectory"/> that any of <paramref name="patterns"/> matches, as
    /// relative '/'-separated paths in ordinal order.</summary>
    public static IReadOnlyList<string> Match(string baseDirectory, IEnumerable<string> patterns)
    {
        if (!Directory.Exists(baseDirectory)) return [];
        var regexes = patterns.Select(ToRegex).ToArray();
        return Directory.EnumerateFiles(baseDirectory, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(baseDirectory, f).Replace(Path.DirectorySeparatorChar, '/'))
            .Where(f => regexes.Any(r => r.IsMatch(f)))
            .OrderBy(f => f, StringComparer.Ordinal)
            .ToList();
    }

    public static Regex ToRegex(string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        var p = pattern.Replace('\\', '/');
        while (p.StartsWith("./", StringComparison.Ordinal)) p = p[2..];
        p = p.TrimStart('/');
        var regex = new StringBuilder("^");
        for (var i = 0; i < p.Length; i++)
        {
            var c = p[i];
            if (c == '*' && i + 1 < p.Length && p[i + 1] == '*')
            {
                var slash = i + 2 < p.Length && p[i + 2] == '/';
                regex.Append(slash ? "(?:.*/)?" : ".*");
                i += slash ? 2 : 1;
            }
            else
            {
                regex.Append(c switch
                {
                    '*' => "[^/]*",
                    '?' => "[^/]",
                    _ => Regex.Escape(c.ToString()),
                });
            }
        }

        return new Regex(regex.Append('$').ToString(), RegexOptions.CultureInvariant);
    }
}
