using System.IO;

namespace RfmFast.Cli;

/// <summary>The MODEL argument of <c>rfm predict</c> and <c>rfm plot</c>: a saved model, loaded with one clear line
/// for a folder, a missing file or a file that is not a usable model.</summary>
static class ModelFileArgument
{
    public static RfmModel Load(string path)
    {
        if (Directory.Exists(path))
            throw new CliException($"{path}: is a folder, not a model file");
        if (!File.Exists(path))
            throw new CliException($"{path}: no such model file");
        try
        {
            return RfmModel.Load(path);
        }
        catch (RfmModelFormatException e)
        {
            throw new CliException($"{path}: not a usable model file: {e.Message}");
        }
    }
}
