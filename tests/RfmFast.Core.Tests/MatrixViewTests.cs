using System;
using Xunit;

namespace RfmFast.Core.Tests;

public sealed class MatrixViewTests
{
    [Theory]
    [InlineData(-1, 2, 2, "rows")]
    [InlineData(2, -1, 2, "cols")]
    [InlineData(2, 3, 2, "ld")]   // ld < cols
    [InlineData(2, 0, 0, "ld")]   // ld must be at least 1
    [InlineData(3, 3, 3, "data")] // needs 9 elements, has 8
    [InlineData(2, 4, 5, "data")] // needs 9 elements, has 8
    public void Bad_shapes_throw_naming_the_argument(int rows, int cols, int ld, string param)
    {
        var data = new float[8];
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => { _ = new MatrixView<float>(data, rows, cols, ld); });
        Assert.Equal(param, e.ParamName);
        var r = Assert.Throws<ArgumentOutOfRangeException>(() => { _ = new ReadOnlyMatrixView<float>(data, rows, cols, ld); });
        Assert.Equal(param, r.ParamName);
    }

    [Fact]
    public void The_span_only_has_to_reach_the_last_element()
    {
        // 3 x 2 with ld 4: (3 - 1) * 4 + 2 = 10 elements, not 12.
        var data = new double[10];
        var v = new MatrixView<double>(data, 3, 2, 4);
        v[2, 1] = 5;
        Assert.Equal(5, data[9]);
        Assert.Throws<ArgumentOutOfRangeException>(() => { _ = new MatrixView<double>(new double[9], 3, 2, 4); });
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(0, 5)]
    [InlineData(5, 0)]
    public void Zero_sized_views_over_an_empty_span_are_valid(int rows, int cols)
    {
        var v = new MatrixView<float>(Span<float>.Empty, rows, cols);
        Assert.Equal(rows, v.Rows);
        Assert.Equal(cols, v.Cols);
        Assert.True(v.Ld >= Math.Max(cols, 1));
        var r = new ReadOnlyMatrixView<float>(ReadOnlySpan<float>.Empty, rows, cols, Math.Max(cols, 1) + 3);
        Assert.Equal(rows, r.Rows);
        var s = v.Slice(0, 0, 0, 0);
        Assert.Equal(0, s.Rows);
        Assert.Equal(0, s.Cols);
    }

    [Fact]
    public void Indexer_and_rows_follow_the_leading_dimension()
    {
        var data = new float[3 * 5];
        for (int x = 0; x < data.Length; x++)
            data[x] = x;
        var v = new MatrixView<float>(data, 3, 4, 5);
        Assert.Equal(7f, v[1, 2]);
        Assert.Equal(new float[] { 10, 11, 12, 13 }, v.Row(2).ToArray());
        ReadOnlyMatrixView<float> r = v;
        Assert.Equal(13f, r[2, 3]);
        Assert.Equal(v.Ld, r.Ld);
        Assert.Throws<ArgumentOutOfRangeException>(() => { _ = new MatrixView<float>(data, 3, 4, 5)[3, 0]; });
        Assert.Throws<ArgumentOutOfRangeException>(() => { _ = new MatrixView<float>(data, 3, 4, 5)[0, 4]; });
        Assert.Throws<ArgumentOutOfRangeException>(() => { _ = new MatrixView<float>(data, 3, 4, 5)[-1, 0]; });
        Assert.Throws<ArgumentOutOfRangeException>(() => { _ = new ReadOnlyMatrixView<float>(data, 3, 4, 5)[0, -1]; });
        Assert.Throws<ArgumentOutOfRangeException>(() => { _ = new MatrixView<float>(data, 3, 4, 5).Row(3); });
    }

    [Fact]
    public void Slices_share_memory_and_the_leading_dimension()
    {
        var data = new double[4 * 6];
        var v = new MatrixView<double>(data, 4, 5, 6);
        var s = v.Slice(1, 2, 2, 3);
        Assert.Equal((2, 3, 6), (s.Rows, s.Cols, s.Ld));
        Assert.Equal(6 + 3, s.Data.Length); // trimmed to the last element of the slice
        s[1, 2] = 42;
        Assert.Equal(42, v[2, 4]);
        Assert.Equal(42, data[2 * 6 + 4]);

        var rs = v.AsReadOnly().Slice(1, 2, 2, 3).Slice(1, 1, 1, 2);
        Assert.Equal(42, rs[0, 1]);

        // Empty slices at the far edges are allowed.
        Assert.Equal(0, v.Slice(4, 0, 0, 5).Rows);
        Assert.Equal(0, v.Slice(0, 5, 4, 0).Cols);
    }

    [Theory]
    [InlineData(0, 0, 5, 1)]  // too many rows
    [InlineData(0, 0, 1, 6)]  // too many cols
    [InlineData(3, 0, 2, 1)]  // runs past the last row
    [InlineData(0, 4, 1, 2)]  // runs past the last col
    [InlineData(-1, 0, 1, 1)]
    [InlineData(0, -1, 1, 1)]
    [InlineData(0, 0, -1, 1)]
    [InlineData(0, 0, 1, -1)]
    [InlineData(5, 0, 0, 0)]  // start beyond the end
    public void Slices_outside_the_matrix_throw(int row, int col, int rows, int cols)
    {
        var data = new float[4 * 6];
        Assert.Throws<ArgumentOutOfRangeException>(() => { _ = new MatrixView<float>(data, 4, 5, 6).Slice(row, col, rows, cols); });
        Assert.Throws<ArgumentOutOfRangeException>(() => { _ = new ReadOnlyMatrixView<float>(data, 4, 5, 6).Slice(row, col, rows, cols); });
    }
}
