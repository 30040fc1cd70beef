using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using RfmFast.Core;

namespace RfmFast.Tabular;

/// <summary>The lines that name the machine and the code at the top of the output.</summary>
internal static class MachineInfo
{
    /// <summary>CPU (model name, family/model), cores, .NET runtime, RfmFast's ISA tier, load average.</summary>
    public static string Describe()
    {
        string model = "unknown CPU", family = "?", number = "?";
        try
        {
            foreach (string line in File.ReadLines("/proc/cpuinfo"))
            {
                string value = line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
                if (line.StartsWith("model name", StringComparison.Ordinal)) model = value;
                else if (line.StartsWith("cpu family", StringComparison.Ordinal)) family = value;
                else if (line.StartsWith("model\t", StringComparison.Ordinal)) number = value;
                else if (line.Length == 0) break;
            }
        }
        catch (IOException) { /* not Linux: keep "unknown" */ }
        catch (UnauthorizedAccessException) { }
        return $"machine: {model} (family {family}, model {number}), {Environment.ProcessorCount} cpus, load average {LoadAverage()}\n" +
               $"runtime: {RuntimeInformation.FrameworkDescription} {RuntimeInformation.ProcessArchitecture}; RfmFast ISA: {Isa.Describe()}";
    }

    /// <summary>The 1, 5 and 15 minute load averages (the machine is shared: read the times with them).</summary>
    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";

    /// <summary>The repo's last commit (short hash, date) and whether the tree has changes, or null without git.</summary>
    public static string? Commit(string repoRoot)
    {
        string? Git(string args)
        {
            try
            {
                var psi = new ProcessStartInfo("git", $"-C \"{repoRoot}\" {args}") { RedirectStandardOutput = true, RedirectStandardError = true };
                using var p = Process.Start(psi);
                if (p is null) return null;
                string output = p.StandardOutput.ReadToEnd();
                p.WaitForExit();
                return p.ExitCode == 0 ? output.Trim() : null;
            }
            catch (System.ComponentModel.Win32Exception) { return null; }
        }
        string? head = Git("log -1 --format=\"%h %cs\"");
        if (head is null) return null;
        int dirty = Git("status --porcelain")?.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length ?? 0;
        return $"{head}, {dirty} uncommitted file(s)";
    }
}
