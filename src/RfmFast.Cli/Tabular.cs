using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace RfmFast.Cli;

/// <summary>The kind of supervised task.</summary>
enum TaskKind
{
    Auto,
    Classification,
    Regression,
}

/// <summary>A CSV table turned into features and a target: every column but the target is a numeric feature.</summary>
sealed class Tabular
{
    /// <summary>Classification by default when the target is not numeric, or holds integers with at most this
    /// many distinct values.</summary>
    public const int MaxAutoClasses = 20;

    public required string[] Features { get; init; }

    /// <summary>n x d, row-major.</summary>
    public required float[] X { get; init; }

    public int N => X.Length / Math.Max(Features.Length, 1);

    public int D => Features.Length;

    /// <summary>The raw target cells.</summary>
    public required string[] Target { get; init; }

    /// <summary>The 1-based line of each row in its file, for messages.</summary>
    public required int[] Lines { get; init; }

    /// <summary>The categorical feature columns (by feature index) and their category names: a category's code is
    /// its position in the list.</summary>
    public IReadOnlyDictionary<int, IReadOnlyList<string>> Categories { get; init; } = new Dictionary<int, IReadOnlyList<string>>();

    /// <summary>Reads the feature columns (all but <paramref name="target"/>) and the target cells. With
    /// <paramref name="features"/> the table must have those columns (in any order) and they are read in that order.
    /// A column most of whose cells are not numbers is categorical: its cells become codes into its category names
    /// (the distinct cells in ordinal order, or <paramref name="categories"/>, the training data's, where a cell not
    /// among them gets code -1, an unseen category).</summary>
    public static Tabular From(CsvTable t, string target, string[]? features = null, IReadOnlyDictionary<int, IReadOnlyList<string>>? categories = null)
    {
        int ti = t.IndexOf(target);
        features ??= [.. t.Columns.Where((_, j) => j != ti)];
        if (features.Length == 0)
            throw new CliException($"{t.Path}: no feature columns besides the target '{target}'");
        var cols = new int[features.Length];
        for (int k = 0; k < features.Length; k++)
        {
            cols[k] = Array.IndexOf(t.Columns, features[k]);
            if (cols[k] < 0)
                throw new CliException($"{t.Path}: no column '{features[k]}' (the training data has it)");
        }
        if (t.Columns.Length != features.Length + 1)
        {
            var extra = t.Columns.Where(c => c != target && !features.Contains(c)).ToArray();
            throw new CliException($"{t.Path}: column(s) {string.Join(", ", extra.Select(c => $"'{c}'"))} are not in the training data");
        }
        int n = t.Rows.Count, d = features.Length;
        categories ??= DetectCategories(t, cols);
        var x = new float[n * d];
        var y = new string[n];
        for (int k = 0; k < d; k++)
        {
            if (categories.TryGetValue(k, out var names))
            {
                var code = new Dictionary<string, int>(StringComparer.Ordinal);
                for (int q = 0; q < names.Count; q++)
                    code[names[q]] = q;
                for (int i = 0; i < n; i++)
                    x[i * d + k] = code.TryGetValue(t.Rows[i][cols[k]], out int c) ? c : -1;
            }
            else
            {
                for (int i = 0; i < n; i++)
                    x[i * d + k] = t.Number(i, cols[k]);
            }
        }
        for (int i = 0; i < n; i++)
            y[i] = t.Rows[i][ti];
        return new Tabular { Features = features, X = x, Target = y, Lines = [.. t.Lines], Categories = categories };
    }

    /// <summary>The columns most of whose cells are not numbers, with their distinct cells in ordinal order.</summary>
    static Dictionary<int, IReadOnlyList<string>> DetectCategories(CsvTable t, int[] cols)
    {
        var found = new Dictionary<int, IReadOnlyList<string>>();
        for (int k = 0; k < cols.Length; k++)
        {
            int numbers = t.Rows.Count(r => CsvTable.TryNumber(r[cols[k]], out _));
            if (2 * numbers < t.Rows.Count)
                found[k] = [.. t.Rows.Select(r => r[cols[k]]).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
        }
        return found;
    }

    /// <summary>The task: the one asked for, or classification when the target is non-numeric or integer
    /// with at most <see cref="MaxAutoClasses"/> distinct values, else regression.</summary>
    public TaskKind Resolve(TaskKind asked, out string why)
    {
        if (asked != TaskKind.Auto)
        {
            why = "as asked";
            return asked;
        }
        bool numeric = Target.All(s => CsvTable.TryNumber(s, out _));
        if (!numeric)
        {
            why = "auto: the target is not numeric";
            return TaskKind.Classification;
        }
        bool integers = Target.All(s => CsvTable.TryNumber(s, out float v) && v == MathF.Round(v));
        int distinct = Target.Distinct(StringComparer.Ordinal).Count();
        if (integers && distinct <= MaxAutoClasses)
        {
            why = $"auto: {distinct} distinct integer target values; use --task regression to override";
            return TaskKind.Classification;
        }
        why = "auto: numeric target; use --task classification to override";
        return TaskKind.Regression;
    }

    /// <summary>The target as class labels: integers when every cell is one (so classes sort numerically), else
    /// the cells as strings.</summary>
    public ClassTarget Labels(string path, string target)
    {
        if (Target.Distinct(StringComparer.Ordinal).Take(2).Count() < 2)
            throw new CliException($"{path}: the target '{target}' has a single class ('{Target.FirstOrDefault()}') in the training rows; classification needs two");
        var ints = new int[Target.Length];
        for (int i = 0; i < ints.Length; i++)
        {
            if (!ClassTarget.TryInt(Target[i], out ints[i]))
                return new ClassTarget(null, Target);
        }
        return new ClassTarget(ints, Target);
    }

    /// <summary>The features as an n x d array.</summary>
    public float[,] Matrix()
    {
        int n = N, d = D;
        var r = new float[n, d];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < d; j++)
                r[i, j] = X[i * d + j];
        return r;
    }

    /// <summary>The target as numbers (regression).</summary>
    public float[] Numbers(string path, string target)
    {
        var y = new float[Target.Length];
        for (int i = 0; i < y.Length; i++)
        {
            if (!CsvTable.TryNumber(Target[i], out float v))
            {
                string shown = Target[i].Length == 0 ? "an empty cell" : $"'{Target[i]}'";
                throw new CliException($"{path} line {Lines[i]}, column '{target}': {shown} is not a finite number (regression needs a numeric target)");
            }
            y[i] = v;
        }
        return y;
    }

    /// <summary>Rows by index, as a new table.</summary>
    public Tabular Take(int[] rows)
    {
        int d = D;
        var x = new float[rows.Length * d];
        for (int i = 0; i < rows.Length; i++)
            Array.Copy(X, rows[i] * d, x, i * d, d);
        return new Tabular { Features = Features, X = x, Target = [.. rows.Select(r => Target[r])], Lines = [.. rows.Select(r => Lines[r])], Categories = Categories };
    }
}

/// <summary>Per-column standardisation with the training rows' mean and standard deviation (n - 1; a
/// constant column is only centred).</summary>
sealed class Standardizer
{
    readonly double[] _mean;
    readonly double[] _scale;

    Standardizer(double[] mean, double[] scale)
    {
        _mean = mean;
        _scale = scale;
    }

    /// <summary>The column means subtracted.</summary>
    public IReadOnlyList<double> Mean => _mean;

    /// <summary>The column scales divided by (1 where standardisation is off or a column is constant).</summary>
    public IReadOnlyList<double> Scale => _scale;

    /// <summary>A standardiser with given means and scales (read back from a model file).</summary>
    public static Standardizer From(double[] mean, double[] scale)
    {
        if (mean.Length != scale.Length || Array.Exists(scale, v => !(v > 0) || !double.IsFinite(v)) || Array.Exists(mean, v => !double.IsFinite(v)))
            throw new CliException("the model's standardisation is invalid");
        return new Standardizer(mean, scale);
    }

    public static Standardizer Fit(float[] x, int d, bool enabled)
    {
        var mean = new double[d];
        var scale = new double[d];
        Array.Fill(scale, 1.0);
        int n = x.Length / d;
        if (!enabled || n == 0)
            return new Standardizer(mean, scale);
        for (int i = 0; i < n; i++)
            for (int j = 0; j < d; j++)
                mean[j] += x[i * d + j];
        for (int j = 0; j < d; j++)
            mean[j] /= n;
        if (n > 1)
        {
            var ss = new double[d];
            for (int i = 0; i < n; i++)
                for (int j = 0; j < d; j++)
                {
                    double e = x[i * d + j] - mean[j];
                    ss[j] += e * e;
                }
            for (int j = 0; j < d; j++)
            {
                double sd = Math.Sqrt(ss[j] / (n - 1));
                scale[j] = sd > 0 ? sd : 1;
            }
        }
        return new Standardizer(mean, scale);
    }

    /// <summary>The standardised rows as an n x d array.</summary>
    public float[,] Apply(float[] x, int d)
    {
        int n = x.Length / d;
        var r = new float[n, d];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < d; j++)
                r[i, j] = (float)((x[i * d + j] - _mean[j]) / _scale[j]);
        return r;
    }
}

/// <summary>A classification target read from CSV cells: integer labels when every training cell is an
/// integer, else string labels.</summary>
sealed record ClassTarget(int[]? Ints, string[] Cells)
{
    public static bool TryInt(string cell, out int value)
    {
        value = 0;
        if (!CsvTable.TryNumber(cell, out float v) || v != MathF.Round(v) || Math.Abs(v) > 1 << 24)
            return false;
        value = (int)v;
        return true;
    }

    /// <summary>Cells as the model names its classes (an integer cell in invariant form); a cell that is not a
    /// label of this kind stays as it is, so it matches no class.</summary>
    public string[] Normalized(string[] cells) => Ints is null ? cells
        : Array.ConvertAll(cells, c => TryInt(c, out int v) ? v.ToString(CultureInfo.InvariantCulture) : c);

    /// <summary>Fits a classifier on these labels; validation cells (from <paramref name="validationPath"/>) must be
    /// labels of the same kind.</summary>
    public RfmClassifierModel Fit(RfmClassifier classifier, float[,] x, float[,]? xValidation, string[]? validationCells,
        string? validationPath, IProgress<RfmProgress> progress)
    {
        return Ints is null
            ? classifier.Fit(x, Cells, xValidation, validationCells, progress)
            : classifier.Fit(x, Ints, xValidation, IntCells(validationCells, validationPath), progress);
    }

    /// <summary>Validation cells as integer labels (the training labels are integers), or a one-line error naming a
    /// cell that is not one.</summary>
    static int[]? IntCells(string[]? cells, string? path)
    {
        if (cells is null)
            return null;
        var v = new int[cells.Length];
        for (int i = 0; i < v.Length; i++)
            if (!TryInt(cells[i], out v[i]))
                throw new CliException($"{path}: class '{cells[i]}' does not occur in the training data");
        return v;
    }

    /// <summary>The tree fit as jobs (<see cref="RfmClassifier.PlanTree(CommunityToolkit.HighPerformance.ReadOnlySpan2D{float}, string[], string, CommunityToolkit.HighPerformance.ReadOnlySpan2D{float}, string[], System.Collections.Generic.IReadOnlyList{string}, string, IProgress{RfmProgress}, System.Threading.CancellationToken)"/>)
    /// with the labels of <see cref="Fit"/>.</summary>
    public System.Collections.Generic.IReadOnlyList<string> Plan(RfmClassifier classifier, float[,] x, string directory, float[,]? xValidation,
        string[]? validationCells, string? validationPath, string[] features, string target, IProgress<RfmProgress> progress)
    {
        return Ints is null
            ? classifier.PlanTree(x, Cells, directory, xValidation, validationCells, features, target, progress)
            : classifier.PlanTree(x, Ints, directory, xValidation, IntCells(validationCells, validationPath), features, target, progress);
    }
}
