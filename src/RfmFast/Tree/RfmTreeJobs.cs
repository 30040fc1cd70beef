using System;
using System.Threading;

namespace RfmFast;

/// <summary>
/// A tree fit run as independent jobs, for a job engine (a Slurm job array, Kubernetes jobs, Spark's <c>pipe</c>, GNU
/// parallel): <c>PlanTree</c> of <see cref="RfmRegressor"/> or <see cref="RfmClassifier"/> writes a plan and one
/// shard per leaf; <see cref="FitLeaf"/> fits one shard (on any machine: the shard holds the leaf's rows and the
/// options); <see cref="Assemble"/> joins the fitted leaves, found in the plan's folder, into the model. Files are
/// checksummed and carry the plan's id; docs/tree-jobs.md has a recipe.
/// </summary>
public static class RfmTreeJobs
{
    /// <summary>Fits the leaf of one shard and writes it to <paramref name="output"/> (written under a temporary name
    /// and moved, so a job killed half way leaves no file that looks complete). For <see cref="Assemble"/> to find it,
    /// write it into the plan's folder with the extension .rfmleaf.</summary>
    /// <param name="shard">A shard written by PlanTree.</param>
    /// <param name="output">The leaf file to write.</param>
    /// <param name="progress">Optional per-phase progress of the leaf's fit.</param>
    /// <param name="cancellationToken">Cancels between phases.</param>
    /// <exception cref="RfmModelFormatException">The shard is not a valid shard.</exception>
    /// <exception cref="InvalidOperationException">Not even the leaf's plain kernel could be fitted.</exception>
    public static void FitLeaf(string shard, string output, IProgress<RfmProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(shard);
        ArgumentException.ThrowIfNullOrEmpty(output);
        TreeJobs.FitLeaf(shard, output, progress, cancellationToken);
    }

    /// <summary>The model of a plan folder whose leaves are all fitted (one .rfmleaf file per leaf of this plan; soft
    /// routing with a temperature to choose chooses it here, on the validation rows the plan kept).</summary>
    /// <param name="directory">The folder PlanTree wrote, holding the fitted leaves.</param>
    /// <param name="progress">Optional progress (the routing temperature's choice).</param>
    /// <param name="cancellationToken">Cancels while reading the leaves.</param>
    /// <exception cref="RfmModelFormatException">A file is not valid, or a leaf belongs to another plan.</exception>
    /// <exception cref="InvalidOperationException">A leaf is missing or fitted twice.</exception>
    public static RfmModel Assemble(string directory, IProgress<RfmProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        return TreeJobs.Assemble(directory, progress, cancellationToken);
    }
}
