namespace RfmFast;

/// <summary>A model file that cannot be loaded: wrong magic, a newer format version, truncation, a bad checksum,
/// or sizes and values that do not add up. The message says which. (A <see cref="System.FormatException"/>:
/// System.IO.InvalidDataException is sealed.)</summary>
public sealed class RfmModelFormatException : System.FormatException
{
    /// <summary>Creates the exception with a message.</summary>
    public RfmModelFormatException(string message) : base(message) { }

    /// <summary>Creates the exception with no message.</summary>
    public RfmModelFormatException() { }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public RfmModelFormatException(string message, System.Exception innerException) : base(message, innerException) { }
}
