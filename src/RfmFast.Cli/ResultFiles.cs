using System.IO;

namespace RfmFast.Cli;

/// <summary>OUT.md and OUT.json of a protocol run (<c>rfm uci</c>, <c>rfm pmlb</c>), rewritten after every dataset.</summary>
/// <remarks>A run over the large datasets takes hours: written only at the end, a run killed on its last dataset
/// would lose all the others. Each file is written beside its target and then renamed over it, so a kill mid-write
/// leaves the previous complete version, never a truncated file.</remarks>
static class ResultFiles
{
    public static void Write(string prefix, string markdown, string json)
    {
        Replace(prefix + ".md", markdown);
        Replace(prefix + ".json", json);
    }

    /// <summary>The line a Markdown file carries while its run is still going.</summary>
    public static string InProgress(int done, int total) =>
        $"\n**In progress**: {done} of {total} dataset(s) processed so far; the run rewrites this file after each one.\n";

    static void Replace(string path, string text)
    {
        string temporary = path + ".partial";
        File.WriteAllText(temporary, text);
        File.Move(temporary, path, overwrite: true);
    }
}
