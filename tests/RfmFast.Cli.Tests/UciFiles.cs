using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;

namespace RfmFast.Cli.Tests;

/// <summary>A small UCI-121-style dataset: features as the CLI will read them back (printed with %g's 6
/// digits), labels 0..c-1, a tuning split and 4 evaluation splits.</summary>
sealed record UciToy(float[,] X, int[] Y, int Classes, int[] TuneTrain, int[] TuneValidation, (int[] Train, int[] Test)[] Folds)
{
    public int N => Y.Length;
    public int D => X.GetLength(1);
}

static class UciFiles
{
    static string G(double v) => v.ToString("G6", CultureInfo.InvariantCulture);

    /// <summary>3 classes decided by feature 0 (thresholds -0.5, 0.5); features 1..4 are noise of the same
    /// scale, so a learned metric that weighs feature 0 helps.</summary>
    public static UciToy Toy(int n, int seed)
    {
        var rng = new Random(seed);
        const int d = 5;
        var x = new float[n, d];
        var y = new int[n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < d; j++)
                x[i, j] = float.Parse(G(Synthetic.Gauss(rng)), CultureInfo.InvariantCulture);
            y[i] = x[i, 0] < -0.5f ? 0 : x[i, 0] < 0.5f ? 1 : 2;
        }
        var order = Enumerable.Range(0, n).ToArray();
        rng.Shuffle(order);
        int half = n / 2;
        var folds = new (int[], int[])[4];
        for (int r = 0; r < 4; r++)
        {
            var o = Enumerable.Range(0, n).ToArray();
            rng.Shuffle(o);
            int nt = n / 4;
            folds[r] = ([.. o[nt..].Order()], [.. o[..nt].Order()]);
        }
        return new UciToy(x, y, 3, [.. order[..half].Order()], [.. order[half..].Order()], folds);
    }

    /// <summary>Writes DIR/name/ with name.txt, name_R.dat, conxuntos.dat, conxuntos_kfold.dat as in FORMAT.md.</summary>
    public static string Write(string dir, string name, UciToy t)
    {
        string folder = Path.Combine(dir, name);
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, name + ".txt"),
            $"n_entradas= {t.D}\nn_clases= {t.Classes}\nn_arquivos= 1\nfich1= {name}_R.dat\nn_patrons1= {t.N}\n" +
            $"n_patrons_entrena= {t.TuneTrain.Length}\nn_patrons_valida= {t.TuneValidation.Length}\nn_conxuntos= 1\n");
        var sb = new StringBuilder();
        sb.Append('\t').Append(string.Join('\t', Enumerable.Range(1, t.D).Select(j => $"f{j}"))).Append("\tclase\n");
        for (int i = 0; i < t.N; i++)
        {
            sb.Append(i + 1);
            for (int j = 0; j < t.D; j++)
                sb.Append('\t').Append(G(t.X[i, j]));
            sb.Append('\t').Append(t.Y[i]).Append('\n');
        }
        File.WriteAllText(Path.Combine(folder, name + "_R.dat"), sb.ToString());
        File.WriteAllText(Path.Combine(folder, "conxuntos.dat"), Line(t.TuneTrain) + Line(t.TuneValidation));
        File.WriteAllText(Path.Combine(folder, "conxuntos_kfold.dat"), string.Concat(t.Folds.Select(f => Line(f.Train) + Line(f.Test))));
        return folder;
    }

    static string Line(int[] idx) => string.Join(' ', idx) + " \n";
}
