using System.Collections.Generic;
using System.Numerics;
using RfmFast.Core;

namespace RfmFast;

/// <summary>The fitted state in the kernel's space (after preprocessing) that the models are built from.</summary>
internal sealed record FitState<T>(DenseData<T> Centers, T[] Alpha, int Outputs, T[] Metric, KernelFunction Kernel,
    IReadOnlyList<RfmIteration> History, int BestIteration) where T : unmanaged, IFloatingPointIeee754<T>;
