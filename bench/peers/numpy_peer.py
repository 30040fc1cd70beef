#!/usr/bin/env python3
"""The numpy/OpenBLAS side of bench/compare.sh.

Run with Debian's python and OpenBLAS's own kernel choice (not the machine's Haswell override):

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3 bench/peers/numpy_peer.py env
    ... numpy_peer.py make-checks gemm|kernel DIR
    ... numpy_peer.py run gemm|kernel [--reps N] [--min-time S] [--check-dir DIR] [--quick] [--checks-only] [--case NAME]...

Output is tab-separated, like the C# side (RfmFast.Bench compare):
    info   KEY   VALUE
    result CASE  BEST_S  MEDIAN_S  FLOPS  REPS  INNER
    check  TAG   MESSAGE
Timing: two warm-up calls, an inner count calibrated on a third call so that one repetition lasts at
least --min-time seconds, then --reps repetitions; best and median seconds per call.

`env` exits 3 when the active BLAS is not libopenblas0-pthread's OpenBLAS, printing the apt-get command.
"""
import argparse
import os
import sys
import time

THREADS = 2
KERNEL_BANDWIDTH = 10.0
GEMM_SIZES = [256, 512, 1024, 2048, 4096]
KERNEL_SHAPES = [(1000, 100), (4000, 16), (4000, 1024), (10000, 100)]  # (n = m, d)
APT = "apt-get install -y python3-numpy python3-scipy python3-threadpoolctl libopenblas0-pthread"

try:
    import numpy as np
    import scipy
    from threadpoolctl import threadpool_info, threadpool_limits
except ImportError as e:  # compare.sh checks this first; this is for direct use
    print(f"missing Python package for /usr/bin/python3: {e.name}; install with: {APT}", file=sys.stderr)
    sys.exit(3)


def emit(*fields):
    print("\t".join(str(f) for f in fields), flush=True)


def blas_info():
    return [i for i in threadpool_info() if i.get("user_api") == "blas"]


def cmd_env(_args):
    infos = blas_info()
    emit("info", "peer", f"numpy {np.__version__}, scipy {scipy.__version__}, Python {sys.version.split()[0]} ({sys.executable})")
    for i in infos:
        emit("info", "peer-blas",
             f"internal_api={i.get('internal_api')} version={i.get('version')} architecture={i.get('architecture')} "
             f"threading_layer={i.get('threading_layer')} num_threads={i.get('num_threads')} filepath={i.get('filepath')}")
    emit("info", "peer-env", f"OPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE')} "
                             f"OPENBLAS_L2_SIZE={os.environ.get('OPENBLAS_L2_SIZE')} "
                             f"OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS')}")
    ok = [i for i in infos if i.get("internal_api") == "openblas" and "openblas-pthread" in (i.get("filepath") or "")]
    if not ok:
        found = ", ".join(f"{i.get('internal_api')} at {i.get('filepath')}" for i in infos) or "no BLAS seen by threadpoolctl"
        print(f"The active BLAS is not libopenblas0-pthread's OpenBLAS ({found}). Install it with: {APT}\n"
              f"(and check `update-alternatives --display libblas.so.3-x86_64-linux-gnu` points at openblas-pthread)",
              file=sys.stderr)
        return 3
    if os.environ.get("OPENBLAS_CORETYPE"):
        print("warning: OPENBLAS_CORETYPE is set; run with env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE", file=sys.stderr)
    return 0


def measure(call, reps, min_time):
    call()
    call()
    t0 = time.perf_counter()
    call()
    one = time.perf_counter() - t0
    inner = int(min(max(-(-min_time // max(one, 1e-9)), 1), 100_000))
    times = []
    for _ in range(reps):
        t0 = time.perf_counter()
        for _ in range(inner):
            call()
        times.append((time.perf_counter() - t0) / inner)
    times.sort()
    return times[0], times[reps // 2], reps, inner


def report(name, flops, t):
    best, median, reps, inner = t
    emit("result", name, repr(best), repr(median), repr(float(flops)), reps, inner)


def laplace_kernel(x, z, out, bandwidth):
    """The numpy Laplace kernel matrix, float32 in and out: |x|^2 + |z|^2 - 2 X Z^T, clamp at 0, sqrt,
    exp(-r / L), in place in `out` (n x m) so no n x m temporaries are allocated."""
    xx = np.einsum("ij,ij->i", x, x)
    zz = np.einsum("ij,ij->i", z, z)
    np.matmul(x, z.T, out=out)
    out *= np.float32(-2)
    out += xx[:, None]
    out += zz[None, :]
    np.maximum(out, np.float32(0), out=out)
    np.sqrt(out, out=out)
    out *= np.float32(-1.0 / bandwidth)
    np.exp(out, out=out)
    return out


def gemm_case(name, dt, n):
    def run(reps, min_time):
        rng = np.random.default_rng(0)
        a = rng.standard_normal((n, n)).astype(dt)
        b = rng.standard_normal((n, n)).astype(dt)
        c = np.empty((n, n), dt)
        report(name, 2.0 * n ** 3, measure(lambda: np.matmul(a, b, out=c), reps, min_time))
    return name, run


def kernel_case(name, n, d):
    def run(reps, min_time):
        rng = np.random.default_rng(1)
        x = rng.standard_normal((n, d), dtype=np.float32)
        z = rng.standard_normal((n, d), dtype=np.float32)
        k = np.empty((n, n), np.float32)
        report(name, 2.0 * n * n * d + n * n, measure(lambda: laplace_kernel(x, z, k, KERNEL_BANDWIDTH), reps, min_time))
    return name, run


def cases(suite, quick):
    """The cases in the order and with the names the C# side uses (RfmFast.Bench compare SUITE --list)."""
    if suite == "gemm":
        return [gemm_case(f"{name} n={n}", dt, n) for n in ([256, 512] if quick else GEMM_SIZES)
                for name, dt in (("sgemm", np.float32), ("dgemm", np.float64))]
    return [kernel_case(f"laplace f32 n=m={n} d={d}", n, d) for n, d in ([(1000, 100)] if quick else KERNEL_SHAPES)]


# ---------------------------------------------------------------- correctness checks
# checks.tsv lines (the C# side reads the same file):
#   gemm    TAG DTYPE M N K TA TB ALPHA BETA   inputs TAG_a.bin (op(A) m x k), TAG_b.bin, TAG_c0.bin if beta != 0
#   syrk    TAG DTYPE N K                      input TAG_a.bin (n x k); lower C = A A^T
#   laplace TAG float32 N M D same|self L      inputs TAG_x.bin, TAG_z.bin (unless self: Z = X)
# The C# side writes TAG_c_rfmfast.bin / TAG_k_rfmfast.bin.

GEMM_CHECKS = [  # tag, dtype, m, n, k, ta, tb, alpha, beta
    ("gemm_s_sq1024", "float32", 1024, 1024, 1024, "N", "N", "1", "0"),
    ("gemm_d_sq1024", "float64", 1024, 1024, 1024, "N", "N", "1", "0"),
    ("gemm_s_odd_nt", "float32", 1001, 777, 333, "N", "T", "1", "0"),
    ("gemm_d_odd_tn", "float64", 517, 1003, 259, "T", "N", "0.5", "2"),
    ("gemm_s_odd_tt", "float32", 67, 1031, 95, "T", "T", "-1.5", "0.25"),
]
SYRK_CHECKS = [("syrk_s_1000x256", "float32", 1000, 256), ("syrk_d_777x1001", "float64", 777, 1001)]
LAPLACE_CHECKS = [  # tag, n, m, d, same|self
    ("laplace_2000x1500_d100", 2000, 1500, 100, "same"),
    ("laplace_self_1000_d1024", 1000, 1000, 1024, "self"),
    ("laplace_333x517_d7", 333, 517, 7, "same"),
]


def cmd_make_checks(args):
    rng = np.random.default_rng(2)
    d = args.dir
    lines = []

    def save(tag, suffix, arr):
        np.ascontiguousarray(arr).tofile(os.path.join(d, f"{tag}_{suffix}.bin"))

    if args.suite == "gemm":
        for tag, dt, m, n, k, ta, tb, alpha, beta in GEMM_CHECKS:
            save(tag, "a", rng.standard_normal((k, m) if ta == "T" else (m, k)).astype(dt))
            save(tag, "b", rng.standard_normal((n, k) if tb == "T" else (k, n)).astype(dt))
            if float(beta) != 0:
                save(tag, "c0", rng.standard_normal((m, n)).astype(dt))
            lines.append(f"gemm\t{tag}\t{dt}\t{m}\t{n}\t{k}\t{ta}\t{tb}\t{alpha}\t{beta}")
        for tag, dt, n, k in SYRK_CHECKS:
            save(tag, "a", rng.standard_normal((n, k)).astype(dt))
            lines.append(f"syrk\t{tag}\t{dt}\t{n}\t{k}")
    else:
        for tag, n, m, dim, mode in LAPLACE_CHECKS:
            save(tag, "x", rng.standard_normal((n, dim), dtype=np.float32))
            if mode != "self":
                save(tag, "z", rng.standard_normal((m, dim), dtype=np.float32))
            lines.append(f"laplace\t{tag}\tfloat32\t{n}\t{m}\t{dim}\t{mode}\t{KERNEL_BANDWIDTH!r}")
    with open(os.path.join(d, "checks.tsv"), "w") as f:
        f.write("\n".join(lines) + "\n")
    return 0


def load(d, tag, suffix, dt, shape):
    return np.fromfile(os.path.join(d, f"{tag}_{suffix}.bin"), dtype=dt).reshape(shape)


def rel_err(got, ref):
    """max |got - ref| / max |ref|, in float64 (NaN if got has a NaN)."""
    got = got.astype(np.float64)
    if not np.all(np.isfinite(got)):
        return float("nan")
    return float(np.max(np.abs(got - ref)) / max(np.max(np.abs(ref)), 1e-300))


def verdict(ours, peer, floor):
    """OK when RfmFast's error is within 10x of the larger of numpy's error and a floor (eps sqrt(k))."""
    if not np.isfinite(ours):
        return "FAIL (NaN or Inf in the RfmFast output)"
    return "OK" if ours <= 10 * max(peer, floor) else "SUSPECT"


def check_gemm(d, tag, dt, m, n, k, ta, tb, alpha, beta):
    dt = np.dtype(dt)
    a = load(d, tag, "a", dt, (k, m) if ta == "T" else (m, k))
    b = load(d, tag, "b", dt, (n, k) if tb == "T" else (k, n))
    opa = a.T if ta == "T" else a
    opb = b.T if tb == "T" else b
    c0 = load(d, tag, "c0", dt, (m, n)) if beta != 0 else np.zeros((m, n), dt)
    got = load(d, tag, "c_rfmfast", dt, (m, n))
    peer = (dt.type(alpha) * (opa @ opb) + dt.type(beta) * c0).astype(dt)
    if dt == np.float32:
        ref = alpha * (opa.astype(np.float64) @ opb.astype(np.float64)) + beta * c0.astype(np.float64)
        what = "float64 reference"
    else:
        ref = peer.astype(np.float64)  # no wider BLAS at hand: compare with numpy's dgemm itself
        what = "numpy dgemm as reference"
    ours, theirs = rel_err(got, ref), rel_err(peer, ref)
    floor = np.finfo(dt).eps * np.sqrt(k)
    emit("check", tag, f"{dt.name} C = {alpha} op{ta}(A) op{tb}(B) + {beta} C, {m}x{n}x{k}: max|C-ref|/max|ref| "
                       f"rfmfast {ours:.2e}, numpy {theirs:.2e} ({what}) -> {verdict(ours, theirs, floor)}")


def check_syrk(d, tag, dt, n, k):
    dt = np.dtype(dt)
    a = load(d, tag, "a", dt, (n, k))
    got = load(d, tag, "c_rfmfast", dt, (n, n))
    lower = np.tril_indices(n)
    upper = np.triu_indices(n, 1)
    peer = (a @ a.T)[lower]
    ref = (a.astype(np.float64) @ a.astype(np.float64).T)[lower] if dt == np.float32 else peer.astype(np.float64)
    ours, theirs = rel_err(got[lower], ref), rel_err(peer, ref)
    upper_ok = bool(np.all(np.isnan(got[upper])))
    v = verdict(ours, theirs, np.finfo(dt).eps * np.sqrt(k))
    if not upper_ok:
        v = "FAIL (the strict upper triangle was written)"
    emit("check", tag, f"{dt.name} lower C = A A^T, n={n} k={k}: max|C-ref|/max|ref| rfmfast {ours:.2e}, "
                       f"numpy {theirs:.2e}; upper triangle untouched: {upper_ok} -> {v}")


def check_laplace(d, tag, n, m, dim, mode, bandwidth):
    x = load(d, tag, "x", np.float32, (n, dim))
    z = x if mode == "self" else load(d, tag, "z", np.float32, (m, dim))
    got = load(d, tag, "k_rfmfast", np.float32, (n, m)).astype(np.float64)
    peer = laplace_kernel(x, z, np.empty((n, m), np.float32), bandwidth).astype(np.float64)
    x64, z64 = x.astype(np.float64), z.astype(np.float64)
    d2 = (x64 * x64).sum(1)[:, None] + (z64 * z64).sum(1)[None, :] - 2 * (x64 @ z64.T)
    ref = np.exp(-np.sqrt(np.maximum(d2, 0)) / bandwidth)
    if not np.all(np.isfinite(got)):
        emit("check", tag, "FAIL (NaN or Inf in the RfmFast kernel matrix)")
        return
    abs_ours, abs_peer = float(np.max(np.abs(got - ref))), float(np.max(np.abs(peer - ref)))
    rel_ours = float(np.max(np.abs(got - ref) / ref))
    rel_peer = float(np.max(np.abs(peer - ref) / ref))
    extra = ""
    if mode == "self":
        diag = np.diagonal(got)
        extra = f"; diag(K) == 1 exactly: {bool(np.all(diag == 1))}"
    v = "OK" if abs_ours <= 10 * max(abs_peer, 1e-6) and rel_ours <= 10 * max(rel_peer, 1e-6) else "SUSPECT"
    emit("check", tag, f"float32 Laplace L={bandwidth:g} {n}x{m} d={dim}{' (Z = X)' if mode == 'self' else ''} "
                       f"vs float64 reference: max abs err rfmfast {abs_ours:.2e}, numpy {abs_peer:.2e}; "
                       f"max rel err rfmfast {rel_ours:.2e}, numpy {rel_peer:.2e}{extra} -> {v}")


def run_checks(d):
    with open(os.path.join(d, "checks.tsv")) as f:
        for line in f:
            p = line.rstrip("\n").split("\t")
            if not p[0] or p[0].startswith("#"):
                continue
            tag = p[1]
            if not os.path.exists(os.path.join(d, f"{tag}_{'k' if p[0] == 'laplace' else 'c'}_rfmfast.bin")):
                emit("check", tag, "FAIL (RfmFast wrote no output)")
                continue
            if p[0] == "gemm":
                check_gemm(d, tag, p[2], int(p[3]), int(p[4]), int(p[5]), p[6], p[7], float(p[8]), float(p[9]))
            elif p[0] == "syrk":
                check_syrk(d, tag, p[2], int(p[3]), int(p[4]))
            else:
                check_laplace(d, tag, int(p[3]), int(p[4]), int(p[5]), p[6], float(p[7]))


def cmd_run(args):
    rc = cmd_env(args)
    if rc:
        return rc
    emit("info", "peer-timing", f"best and median of {args.reps} repetitions, each >= {args.min_time} s of "
                                f"back-to-back calls, after 2 warm-up calls")
    all_cases = cases(args.suite, args.quick)
    unknown = set(args.case or []) - {name for name, _ in all_cases}
    if unknown:
        print(f"unknown case(s) {sorted(unknown)}", file=sys.stderr)
        return 2
    with threadpool_limits(THREADS, user_api="blas"):
        emit("info", "peer-threads", str([i.get("num_threads") for i in blas_info()]))
        if args.check_dir:
            run_checks(args.check_dir)
        if args.checks_only:
            return 0
        for name, run in all_cases:
            if not args.case or name in args.case:
                run(args.reps, args.min_time)
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    sub.add_parser("env")
    mk = sub.add_parser("make-checks")
    mk.add_argument("suite", choices=["gemm", "kernel"])
    mk.add_argument("dir")
    run = sub.add_parser("run")
    run.add_argument("suite", choices=["gemm", "kernel"])
    run.add_argument("--reps", type=int, default=5)
    run.add_argument("--min-time", type=float, default=0.2)
    run.add_argument("--check-dir")
    run.add_argument("--quick", action="store_true")
    run.add_argument("--case", action="append", help="run only this case (repeatable)")
    run.add_argument("--checks-only", action="store_true", help="verify --check-dir and time nothing")
    args = ap.parse_args()
    return {"env": cmd_env, "make-checks": cmd_make_checks, "run": cmd_run}[args.cmd](args)


if __name__ == "__main__":
    sys.exit(main())
