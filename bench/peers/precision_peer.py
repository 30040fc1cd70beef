#!/usr/bin/env python3
"""The numpy/scipy side of bench/precision.sh: what SpdSolver's float, double and mixed precision do to the
predictions of a kernel ridge regression on real data, against a float64 LAPACK solve.

    precision_peer.py prepare DIR [--n N] [--dataset NAME] [--bandwidth L] [--regs R1,R2,...] [--seed S]
    precision_peer.py report DIR RFMFAST.tsv

prepare: loads /work/shared/data/pmlb/NAME/NAME.tsv.gz (default 537_houses: California housing, 20640 x 8,
  real, regression), takes N rows (default 5000) of a seeded permutation, standardizes every feature column
  and the target to zero mean and unit variance (over those N rows, population std), and writes DIR/x.bin
  (N x d float32), DIR/y.bin (N float32) and DIR/meta.tsv.
report: RfmFast (RfmFast.Bench precision DIR) has written DIR/k.bin, its float32 Laplace kernel matrix K,
  and one DIR/x_REG_PRECISION.bin (float64) per solve. For each reg the reference is scipy's float64 LAPACK
  solve (cho_factor + cho_solve) of exactly the float32 matrix RfmFast was given, A = fl32(K + reg I),
  widened to float64. The error of a solution x is that of its training predictions p = K x (K without the
  ridge, i.e. y - reg x), computed in float64: ||p - p_ref||_2 / ||p_ref||_2. Prints the Markdown tables.
"""
import argparse
import gzip
import math
import os
import sys
import time

import numpy as np

DATA = os.environ.get("RFMFAST_DATA", "/work/shared/data")
PRECISIONS = ["Float32", "Float64", "Mixed"]


def cmd_prepare(args):
    path = os.path.join(DATA, "pmlb", args.dataset, f"{args.dataset}.tsv.gz")
    with gzip.open(path, "rt") as f:
        header = f.readline().rstrip("\n").split("\t")
        data = np.loadtxt(f, delimiter="\t", dtype=np.float64)
    if header[-1] != "target":
        raise SystemExit(f"{path}: the last column is {header[-1]!r}, not 'target'")
    rng = np.random.default_rng(args.seed)
    rows = rng.permutation(data.shape[0])[: args.n]
    x, y = data[rows, :-1], data[rows, -1]
    std = x.std(axis=0)
    keep = std > 0
    x = (x[:, keep] - x[:, keep].mean(axis=0)) / std[keep]
    y = (y - y.mean()) / y.std()
    x.astype(np.float32).tofile(os.path.join(args.dir, "x.bin"))
    y.astype(np.float32).tofile(os.path.join(args.dir, "y.bin"))
    n, d = x.shape
    with open(os.path.join(args.dir, "meta.tsv"), "w") as f:
        f.write("n\td\tbandwidth\tregs\tdataset\tseed\trows_total\n")
        f.write(f"{n}\t{d}\t{args.bandwidth!r}\t{args.regs}\t{args.dataset}\t{args.seed}\t{data.shape[0]}\n")
    return 0


def cmd_report(args):
    from scipy.linalg import cho_factor, cho_solve
    from threadpoolctl import threadpool_info, threadpool_limits
    d = args.dir
    with open(os.path.join(d, "meta.tsv")) as f:
        f.readline()
        n, dim, bandwidth, regs, dataset, seed, total = f.readline().rstrip("\n").split("\t")
    n, dim = int(n), int(dim)
    k32 = np.fromfile(os.path.join(d, "k.bin"), dtype=np.float32).reshape(n, n)
    k64 = k32.astype(np.float64)
    y = np.fromfile(os.path.join(d, "y.bin"), dtype=np.float32).astype(np.float64)
    ours = {}
    info = []
    with open(args.rfmfast) as f:
        for line in f:
            p = line.rstrip("\n").split("\t")
            if p[0] == "solve":
                ours[(p[1], p[2])] = p[3:]
            elif p[0] == "info" and (p[1], p[2]) not in info:
                info.append((p[1], p[2]))
    blas = [i for i in threadpool_info() if i.get("user_api") == "blas"]

    with threadpool_limits(2, user_api="blas"):
        eig = np.linalg.eigvalsh(k64)  # spectrum of K (float64 eigvalsh of the float32 K), for the conditions
        print(f"## precision: SpdSolver on K + reg I vs float64 LAPACK ({dataset}, n = {n})")
        print()
        print(f"- data: PMLB `{dataset}` ({total} rows), {n} rows of a permutation with seed {seed}, d = {dim}; "
              "every feature and the target standardized (zero mean, unit variance over these rows)")
        print(f"- kernel: Laplace exp(-|x_i - x_j| / L), L = {bandwidth} (the RFM paper's bandwidth), computed in float32 "
              "by RfmFast; A = fl32(K + reg I) in float32, both triangles; b = the standardized target")
        print(f"- K's spectrum (float64 eigvalsh of the float32 K): lambda_max {eig[-1]:.4g}, lambda_min {eig[0]:.3g}")
        print("- reference: scipy.linalg.cho_factor + cho_solve in float64 (OpenBLAS LAPACK) on the same float32 A widened "
              "to float64; error = ||K x - K x_ref||_2 / ||K x_ref||_2 with K x (the training predictions, y - reg x) in "
              "float64")
        for key, value in info:
            print(f"- rfmfast {key}: {value}")
        for i in blas:
            print(f"- peer-blas: {i.get('internal_api')} {i.get('version')} {i.get('architecture')} "
                  f"threads={i.get('num_threads')}")
        rows, details = [], []
        for reg_text in regs.split(","):
            reg = float(reg_text)
            a32 = k32.copy()
            a32[np.diag_indices(n)] += np.float32(reg)
            a64 = a32.astype(np.float64)
            cond = (eig[-1] + reg) / max(eig[0] + reg, 1e-300)
            best = math.inf
            for _ in range(3):
                t0 = time.perf_counter()
                x_ref = cho_solve(cho_factor(a64, lower=True, check_finite=False), y, check_finite=False)
                best = min(best, time.perf_counter() - t0)
            p_ref = k64 @ x_ref
            # the SolveReport definition: ||b - A x||_inf / (n max(diag A) ||x||_inf + ||b||_inf)
            ref_backward = float(np.max(np.abs(y - a64 @ x_ref))
                                 / (n * np.max(np.diag(a64)) * np.max(np.abs(x_ref)) + np.max(np.abs(y))))
            rows.append((reg_text, "(reference) scipy float64 LAPACK", "0 (reference)", "-", "-", "-", f"{best:.3f}"))
            details.append((reg_text, "(reference)", f"{cond:.2e}", "-", f"{ref_backward:.2e}", ""))
            for prec in PRECISIONS:
                r = ours.get((reg_text, prec))
                if r is None:
                    rows.append((reg_text, prec, "missing", "-", "-", "-", "-"))
                    continue
                used, refinements, fell_back, backward, seconds, reason = r
                path = os.path.join(d, f"x_{reg_text}_{prec}.bin")
                if not os.path.exists(path):
                    rows.append((reg_text, prec, f"no solution: {reason}", used, refinements, fell_back, f"{float(seconds):.3f}"))
                    details.append((reg_text, prec, f"{cond:.2e}", "-", backward, reason))
                    continue
                x = np.fromfile(path, dtype=np.float64)
                p = k64 @ x
                err = float(np.linalg.norm(p - p_ref) / np.linalg.norm(p_ref))
                xerr = float(np.linalg.norm(x - x_ref) / np.linalg.norm(x_ref))
                bw = float(backward)
                rows.append((reg_text, prec, f"{err:.2e}", used, refinements, fell_back, f"{float(seconds):.3f}"))
                details.append((reg_text, prec, f"{cond:.2e}", f"{xerr:.2e}", "-" if math.isnan(bw) else f"{bw:.2e}", reason))
        print()
        print("| reg | precision | rel. error of K x vs float64 LAPACK | used | refinements | fell back | seconds |")
        print("|---|---|---:|---|---:|---|---:|")
        for row in rows:
            print("| " + " | ".join(row) + " |")
        print()
        print("Details: cond(A) = (lambda_max(K) + reg) / (lambda_min(K) + reg); the relative error of x itself; "
              "SolveReport.BackwardError (mixed precision only; the reference's by the same formula, ||b - A x||_inf / "
              "(n max(diag A) ||x||_inf + ||b||_inf)); "
              "SolveReport.Reason.")
        print()
        print("| reg | precision | cond(A) | rel. error of x vs float64 LAPACK | backward error | reason |")
        print("|---|---|---:|---:|---:|---|")
        for row in details:
            print("| " + " | ".join(row) + " |")
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    pr = sub.add_parser("prepare")
    pr.add_argument("dir")
    pr.add_argument("--n", type=int, default=5000)
    pr.add_argument("--dataset", default="537_houses")
    pr.add_argument("--bandwidth", type=float, default=10.0)
    pr.add_argument("--regs", default="1e-1,1e-3,1e-6")
    pr.add_argument("--seed", type=int, default=0)
    rp = sub.add_parser("report")
    rp.add_argument("dir")
    rp.add_argument("rfmfast")
    args = ap.parse_args()
    return {"prepare": cmd_prepare, "report": cmd_report}[args.cmd](args)


if __name__ == "__main__":
    sys.exit(main())
