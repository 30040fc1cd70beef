using System;

namespace RfmFast.Cli;

/// <summary>A problem with the user's input (a file, a column, a value): printed as one line on stderr, exit code 1.</summary>
sealed class CliException : Exception
{
    public CliException(string message) : base(message) { }

    public CliException(string message, Exception inner) : base(message, inner) { }

    public CliException() { }
}
