using System;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Microsoft.FSharp.Core;

namespace RfmFast.PropertyTests.Infrastructure;

/// <summary>
/// Runs an FsCheck property with a fixed seed derived from its name (so every run generates the same
/// cases, and different properties different ones), a case count scaled by <see cref="TestScale"/>,
/// shrinking on failure, and the failing case in the exception message.
/// </summary>
public static class PropertyRunner
{
    public static void Check<TCase>(string name, Arbitrary<TCase> cases, Action<TCase> body, int maxTest)
    {
        ulong seed = StableHash(name);
        var config = Config.QuickThrowOnFailure
            .WithName(name)
            .WithMaxTest(TestScale.Count(maxTest))
            .WithQuietOnSuccess(true)
            .WithReplay(FSharpOption<Replay>.Some(new Replay(new Rnd(seed, 0x9E3779B97F4A7C15UL), FSharpOption<int>.None)));
        Prop.ForAll(cases, body).Check(config);
    }

    /// <summary>FNV-1a of the UTF-8 name: stable across runs and machines, unlike string.GetHashCode.</summary>
    public static ulong StableHash(string name)
    {
        ulong h = 14695981039346656037UL;
        foreach (byte b in Encoding.UTF8.GetBytes(name))
        {
            h ^= b;
            h *= 1099511628211UL;
        }
        return h;
    }
}
