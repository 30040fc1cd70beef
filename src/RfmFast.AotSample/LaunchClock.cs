using System;
using System.Diagnostics;
using System.Globalization;

namespace RfmFast.AotSample;

/// <summary>How long ago the process started, as precisely as the machine can say.</summary>
/// <remarks>
/// On Linux <see cref="Process.StartTime"/> is the boot time from /proc/stat (whole seconds, and moved by clock
/// adjustments) plus the process's start in 10 ms clock ticks: off by a machine-specific offset that drifts
/// (10 to 50 ms on the machine where this was written, where the whole program takes about 10 ms). So a launcher
/// may pass its wall clock at launch in <c>RFM_LAUNCH_EPOCH</c> (Unix seconds with a fraction, e.g. bash's
/// <c>$EPOCHREALTIME</c>); Process.StartTime is the fallback, labelled as coarse.
/// </remarks>
static class LaunchClock
{
    const string Variable = "RFM_LAUNCH_EPOCH";

    /// <summary>The time since the process started, and where the start time came from.</summary>
    public static (TimeSpan Elapsed, string Source) SinceStart()
    {
        DateTime now = DateTime.UtcNow;
        // bash writes $EPOCHREALTIME with the locale's decimal separator.
        string? text = Environment.GetEnvironmentVariable(Variable)?.Replace(',', '.');
        if (decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out decimal seconds)
            && seconds < (decimal)(DateTime.MaxValue - DateTime.UnixEpoch).TotalSeconds)
        {
            TimeSpan elapsed = now - DateTime.UnixEpoch.AddTicks((long)(seconds * TimeSpan.TicksPerSecond));
            // A value inherited from an older launch (or from the future) says nothing about this process.
            if (elapsed >= TimeSpan.Zero && elapsed < TimeSpan.FromMinutes(1))
                return (elapsed, $"{Variable}, set at launch");
        }
        return (now - Process.GetCurrentProcess().StartTime.ToUniversalTime(), "Process.StartTime, coarse: whole-second boot time plus 10 ms ticks");
    }
}
