namespace PipelineKit.LocalPipeline;

using System.Text;
using System.Text.RegularExpressions;
using PipelineKit.Errors;

/// <summary>
/// Recognises a buildspec command that runs the kit itself (<c>./build.sh Target ...</c>, <c>bash build.sh ...</c>) and
/// splits its arguments as bash would: single and double quotes, backslash escapes, <c>$VAR</c> and <c>${VAR}</c> from the
/// build's environment (unquoted values split on blanks). Such a command runs in process through <see cref="IKitCommands"/>,
/// so anything bash would do around it (<c>&amp;&amp;</c>, pipes, redirections, <c>$(...)</c>, <c>${VAR:-default}</c>) cannot
/// be honoured and is refused by name rather than dropped.
/// </summary>
public static partial class KitCommandLine
{
    /// <summary>The arguments after <c>./build.sh</c>, expanded from <paramref name="environment"/>; null when
    /// <paramref name="command"/> does not run the kit (it runs in bash).</summary>
    /// <exception cref="LocalPipelineException">The command runs the kit among shell operators or expansions the kit
    /// cannot honour in process.</exception>
    public static IReadOnlyList<string>? Arguments(string command, IReadOnlyDictionary<string, string> environment)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(environment);
        var text = command.Trim();
        var start = Invocation().Match(text);
        if (!start.Success)
        {
            return MentionsKit().IsMatch(text)
                ? throw Refused(command, "runs ./build.sh after other shell words")
                : null;
        }

        return Split(command, text[start.Length..], environment);
    }

    /// <summary>Checks that <paramref name="command"/>, if it runs the kit, can run in process; values are not needed.</summary>
    public static void Check(string command) => _ = Arguments(command, new Dictionary<string, string>());

    private static List<string> Split(string command, string rest, IReadOnlyDictionary<string, string> environment)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        var inWord = false;
        for (var i = 0; i < rest.Length; i++)
        {
            var c = rest[i];
            switch (c)
            {
                case ' ' or '\t':
                    if (inWord) { words.Add(word.ToString()); word.Clear(); inWord = false; }
                    break;
                case '#' when !inWord:
                    i = rest.Length;
                    break;
                case '\'':
                    var close = rest.IndexOf('\'', i + 1);
                    if (close < 0) throw Refused(command, "has an unclosed quote");
                    word.Append(rest, i + 1, close - i - 1);
                    inWord = true;
                    i = close;
                    break;
                case '"':
                    i = DoubleQuoted(command, rest, i + 1, word, environment);
                    inWord = true;
                    break;
                case '\\':
                    if (i + 1 >= rest.Length || rest[i + 1] == '\n') throw Refused(command, "continues on another line");
                    word.Append(rest[++i]);
                    inWord = true;
                    break;
                case '$':
                    var (name, end) = Variable(command, rest, i);
                    i = end;
                    var value = environment.TryGetValue(name, out var v) ? v : "";
                    var pieces = value.Split([' ', '\t', '\n'], StringSplitOptions.None);
                    for (var p = 0; p < pieces.Length; p++)
                    {
                        if (p > 0 && inWord) { words.Add(word.ToString()); word.Clear(); inWord = false; }
                        if (pieces[p].Length > 0) { word.Append(pieces[p]); inWord = true; }
                    }

                    break;
                case ';' or '&' or '|' or '<' or '>' or '(' or ')' or '`' or '\n' or '*' or '?' or '[' or '{' or '~':
                    throw Refused(command, $"uses the shell's '{c}'");
                default:
                    word.Append(c);
                    inWord = true;
                    break;
            }
        }

        if (inWord) words.Add(word.ToString());
        return words;
    }

    /// <summary>Reads a double-quoted string from <paramref name="i"/> (after the quote); returns the closing quote's index.</summary>
    private static int DoubleQuoted(string command, string rest, int i, StringBuilder word, IReadOnlyDictionary<string, string> environment)
    {
        for (; i < rest.Length; i++)
        {
            var c = rest[i];
            switch (c)
            {
                case '"':
                    return i;
                case '\\' when i + 1 < rest.Length && rest[i + 1] is '$' or '"' or '\\' or '`':
                    word.Append(rest[++i]);
                    break;
                case '$':
                    var (name, end) = Variable(command, rest, i);
                    i = end;
                    word.Append(environment.TryGetValue(name, out var v) ? v : "");
                    break;
                case '`':
                    throw Refused(command, "uses the shell's '`'");
                default:
                    word.Append(c);
                    break;
            }
        }

        throw Refused(command, "has an unclosed quote");
    }

    /// <summary>The variable named at <paramref name="i"/> (a '$'): its name and the index of its last character.</summary>
    private static (string Name, int End) Variable(string command, string rest, int i)
    {
        if (i + 1 < rest.Length && rest[i + 1] == '{')
        {
            var close = rest.IndexOf('}', i + 2);
            var inner = close < 0 ? "" : rest[(i + 2)..close];
            return Name().Match(inner) is { Success: true } m && m.Length == inner.Length
                ? (inner, close)
                : throw Refused(command, $"uses the shell expansion ${{{inner}}}, which only bash can evaluate");
        }

        var match = Name().Match(rest[(i + 1)..]);
        return match.Success && match.Index == 0
            ? (match.Value, i + match.Length)
            : throw Refused(command, "uses '$' other than $NAME or ${NAME}");
    }

    private static LocalPipelineException Refused(string command, string why) => new(
        ErrorCodes.LocalPipelineRefused.Code,
        $"The buildspec command `{command.Trim()}` {why}: the local run executes ./build.sh in process, so a command that runs the kit must be ./build.sh and its arguments alone.",
        "Put ./build.sh on a line of its own in the buildspec.");

    [GeneratedRegex(@"^(\./build\.sh|bash\s+(\./)?build\.sh)(?=\s|$)")]
    private static partial Regex Invocation();

    [GeneratedRegex(@"(^|[\s;&|(`])(\./build\.sh|bash\s+(\./)?build\.sh)(?=[\s;&|)`]|$)")]
    private static partial Regex MentionsKit();

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]*")]
    private static partial Regex Name();
}
