#!/usr/bin/env python3
"""The numpy/OpenBLAS side of bench/compare.sh.

Run with Debian's python and OpenBLAS's own kernel choice (not the machine's Haswell override):

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3 bench/peers/numpy_peer.py env
    ... numpy_peer.py make-checks SUITE DIR
    ... numpy_peer.py run SUITE [--reps N] [--min-time S] [--check-dir DIR] [--quick] [--checks-only] [--case NAME]...

SUITE is gemm, kernel (numpy), potrf, solve (scipy.linalg.lapack / scipy.linalg.cho_solve) or eigh
(numpy.linalg.eigh), all on the same OpenBLAS.

Output is tab-separated, like the C# side (RfmFast.Bench compare):
    info   KEY   VALUE
    result CASE  BEST_S  MEDIAN_S  FLOPS  REPS  INNER
    check  TAG   MESSAGE
Timing: two warm-up calls, an inner count calibrated on a third call so that one repetition lasts at
least --min-time seconds, then --reps repetitions; best and median seconds per call. Suites whose call
overwrites its input (potrf; RfmFast's solve) restore it before every call, outside the timed region:
each call is then timed alone and a repetition's time is the sum of its calls' times.

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
POTRF_SIZES = [1000, 2000, 5000, 10000]
SOLVE_SIZES = [2000, 5000, 10000]
SOLVE_RHS = [1, 10]
EIGH_SIZES = [100, 500, 1000]
# The SPD matrix of potrf and solve (RfmFast builds the same from its own generator, CompareShapes.SpdMatrix):
# Laplace kernel exp(-|x_i - x_j| / 10) of n standard normal points in 16 dimensions, plus 1e-3 I.
SPD_DIM, SPD_BANDWIDTH, SPD_REG = 16, 10.0, 1e-3
SUITES = ["gemm", "kernel", "potrf", "solve", "eigh"]
RESTORE_TIMING = ("every call preceded by an untimed restore of its overwritten input from a saved copy; "
                  "a repetition's time is the sum of its calls' own times")
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


def measure(call, reps, min_time, restore=None):
    if restore is not None:
        return measure_restoring(call, restore, reps, min_time)
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


def measure_restoring(call, restore, reps, min_time):
    """Like measure, for a call that overwrites its input: restore() runs before every call, untimed."""
    def timed():
        restore()
        t0 = time.perf_counter()
        call()
        return time.perf_counter() - t0
    timed()
    timed()
    one = timed()
    inner = int(min(max(-(-min_time // max(one, 1e-9)), 1), 100_000))
    times = []
    for _ in range(reps):
        times.append(sum(timed() for _ in range(inner)) / inner)
    times.sort()
    return times[0], times[reps // 2], reps, inner


def report(name, flops, t):
    best, median, reps, inner = t
    emit("result", name, repr(best), repr(median), repr(float(flops)), reps, inner)


def laplace_kernel(x, z, out, bandwidth):
    """The numpy Laplace kernel matrix, in and out in x's dtype (float32 in the kernel suite): |x|^2 + |z|^2
    - 2 X Z^T, clamp at 0, sqrt, exp(-r / L), in place in `out` (n x m) so no n x m temporaries are allocated."""
    t = out.dtype.type
    xx = np.einsum("ij,ij->i", x, x)
    zz = np.einsum("ij,ij->i", z, z)
    np.matmul(x, z.T, out=out)
    out *= t(-2)
    out += xx[:, None]
    out += zz[None, :]
    np.maximum(out, t(0), out=out)
    np.sqrt(out, out=out)
    out *= t(-1.0 / bandwidth)
    np.exp(out, out=out)
    return out


def spd_matrix(n, dt, seed, reg=SPD_REG):
    """The SPD matrix of the potrf and solve suites, C-ordered, both triangles: Laplace kernel of n standard
    normal points in SPD_DIM dimensions (computed in dt), diagonal set to exactly 1 + reg (as RfmFast's
    kernel matrix has an exact unit diagonal). Symmetric up to the GEMM's rounding; ?potrf reads one
    triangle only."""
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, SPD_DIM)).astype(dt)
    a = laplace_kernel(x, x, np.empty((n, n), dt), SPD_BANDWIDTH)
    a[np.diag_indices(n)] = dt(1) + dt(reg)
    return a


def wishart(d, dt, seed):
    """G G^T / d with G d x d standard normal, in float64, exactly symmetric, then cast to dt."""
    g = np.random.default_rng(seed).standard_normal((d, d))
    m = g @ g.T / d
    m = np.tril(m) + np.tril(m, -1).T
    return m.astype(dt)


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


def potrf_case(name, dt, n):
    """LAPACK ?potrf in place (overwrite_a=1, no copy) on a Fortran-ordered array, lower=1, clean=0 (the
    strict upper triangle is left alone, as RfmFast leaves it): the fastest Cholesky numpy users have. A is
    symmetric, so its C-ordered original transposed is the same matrix in Fortran order; the restore copies
    it back before every call, outside the timed region. RfmFast factors the row-major lower triangle, i.e.
    the column-major upper one: the same matrix, the same n^3/3 flops."""
    def run(reps, min_time):
        from scipy.linalg import lapack
        emit("info", "peer-timing-restore", RESTORE_TIMING)
        a = spd_matrix(n, dt, 6)
        work = np.empty((n, n), dt, order="F")
        potrf = lapack.get_lapack_funcs("potrf", (work,))

        def restore():
            np.copyto(work, a.T)

        def call():
            c, info = potrf(work, lower=1, clean=0, overwrite_a=1)
            if info != 0:
                raise RuntimeError(f"{name}: potrf info {info}")
        restore()
        c, _ = potrf(work, lower=1, clean=0, overwrite_a=1)
        if not np.shares_memory(c, work):
            raise RuntimeError("potrf copied its input: the peer is not in place")
        report(name, n ** 3 / 3, measure(call, reps, min_time, restore))
    return name, run


def lapack_factor(a):
    """The lower Cholesky factor of a (C-ordered symmetric), Fortran-ordered as cho_factor returns it (so
    cho_solve does not copy it), strict upper triangle left as A."""
    from scipy.linalg import lapack
    work = np.array(a.T, order="F")
    c, info = lapack.get_lapack_funcs("potrf", (work,))(work, lower=1, clean=0, overwrite_a=1)
    if info != 0:
        raise RuntimeError(f"potrf info {info}")
    return c


def solve_case(name, dt, n, k):
    """scipy.linalg.cho_solve((L, True), B, check_finite=False) with L precomputed (Fortran-ordered, as
    cho_factor gives it, so it is not copied); B is n x k and not overwritten (cho_solve's own O(n k) copy of
    B is inside the timed call). RfmFast solves in place and restores B untimed."""
    def run(reps, min_time):
        from scipy.linalg import cho_solve
        l = lapack_factor(spd_matrix(n, dt, 6))
        b = np.random.default_rng(7).standard_normal((n, k)).astype(dt)
        report(name, 2.0 * n * n * k, measure(lambda: cho_solve((l, True), b, check_finite=False), reps, min_time))
    return name, run


def eigh_case(name, dt, d):
    """numpy.linalg.eigh (LAPACK ?syevd: eigenvalues and eigenvectors) of a d x d Wishart matrix."""
    def run(reps, min_time):
        a = wishart(d, dt, 8)
        report(name, 9.0 * d ** 3, measure(lambda: np.linalg.eigh(a), reps, min_time))
    return name, run


def prefix(dt):
    return "f32" if dt == np.float32 else "f64"


def cases(suite, quick):
    """The cases in the order and with the names the C# side uses (RfmFast.Bench compare SUITE --list)."""
    dts = (np.float32, np.float64)
    if suite == "gemm":
        return [gemm_case(f"{name} n={n}", dt, n) for n in ([256, 512] if quick else GEMM_SIZES)
                for name, dt in (("sgemm", np.float32), ("dgemm", np.float64))]
    if suite == "potrf":
        return [potrf_case(f"{'s' if dt == np.float32 else 'd'}potrf n={n}", dt, n)
                for n in ([1000] if quick else POTRF_SIZES) for dt in dts]
    if suite == "solve":
        return [solve_case(f"cho_solve {prefix(dt)} n={n} c={k}", dt, n, k)
                for n in ([2000] if quick else SOLVE_SIZES) for k in SOLVE_RHS for dt in dts]
    if suite == "eigh":
        return [eigh_case(f"eigh {prefix(dt)} d={d}", dt, d) for d in ([100] if quick else EIGH_SIZES)
                for dt in (np.float64, np.float32)]
    return [kernel_case(f"laplace f32 n=m={n} d={d}", n, d) for n, d in ([(1000, 100)] if quick else KERNEL_SHAPES)]


# ---------------------------------------------------------------- correctness checks
# checks.tsv lines (the C# side reads the same file):
#   gemm    TAG DTYPE M N K TA TB ALPHA BETA   inputs TAG_a.bin (op(A) m x k), TAG_b.bin, TAG_c0.bin if beta != 0
#   syrk    TAG DTYPE N K                      input TAG_a.bin (n x k); lower C = A A^T
#   laplace TAG float32 N M D same|self L      inputs TAG_x.bin, TAG_z.bin (unless self: Z = X)
#   potrf   TAG DTYPE N                        input TAG_a.bin (n x n); factored in place
#   potrs   TAG DTYPE N C                      inputs TAG_l.bin (lower factor, strict upper NaN), TAG_b.bin (n x c)
#   eigh    TAG DTYPE D                        input TAG_a.bin (d x d symmetric)
# The C# side writes TAG_c_rfmfast.bin / TAG_k_rfmfast.bin / TAG_l_rfmfast.bin (+ TAG_info_rfmfast.txt when
# the factorization failed) / TAG_x_rfmfast.bin / TAG_w_rfmfast.bin and TAG_v_rfmfast.bin.
OUTPUT_OF = {"gemm": "c", "syrk": "c", "laplace": "k", "potrf": "l", "potrs": "x", "eigh": "w"}

GEMM_CHECKS = [  # tag, dtype, m, n, k, ta, tb, alpha, beta
    ("gemm_s_sq1024", "float32", 1024, 1024, 1024, "N", "N", "1", "0"),
    ("gemm_d_sq1024", "float64", 1024, 1024, 1024, "N", "N", "1", "0"),
    ("gemm_s_odd_nt", "float32", 1001, 777, 333, "N", "T", "1", "0"),
    ("gemm_d_odd_tn", "float64", 517, 1003, 259, "T", "N", "0.5", "2"),
    ("gemm_s_odd_tt", "float32", 67, 1031, 95, "T", "T", "-1.5", "0.25"),
]
SYRK_CHECKS = [("syrk_s_1000x256", "float32", 1000, 256), ("syrk_d_777x1001", "float64", 777, 1001)]
# tag, dtype, n, what: "spd" = Laplace kernel + 1e-3 I with the strict upper triangle NaN (must be neither
# read nor written); "gram" = A A^T / n + I, odd n, upper NaN; "indefinite" = full symmetric SPD matrix with
# A[700, 700] = -1: LAPACK stops at info 701, RfmFast must throw with the same pivot and restore A exactly.
POTRF_CHECKS = [
    ("potrf_s_1000", "float32", 1000, "spd"),
    ("potrf_d_1000", "float64", 1000, "spd"),
    ("potrf_s_777", "float32", 777, "gram"),
    ("potrf_d_1531", "float64", 1531, "gram"),
    ("potrf_s_indefinite_1000", "float32", 1000, "indefinite"),
    ("potrf_d_indefinite_1000", "float64", 1000, "indefinite"),
]
# tag, dtype, n, c: L = LAPACK's factor of the Laplace kernel + 0.1 I (strict upper NaN), B standard normal.
POTRS_CHECKS = [
    ("potrs_s_1000_c1", "float32", 1000, 1),
    ("potrs_s_1000_c10", "float32", 1000, 10),
    ("potrs_s_777_c3", "float32", 777, 3),
    ("potrs_d_1000_c10", "float64", 1000, 10),
    ("potrs_d_513_c1", "float64", 513, 1),
]
EIGH_CHECKS = [  # tag, dtype, d: Wishart G G^T / d; "_uppernan": the strict upper triangle is NaN (only the
    ("eigh_d_50", "float64", 50),  # lower triangle may be read, as numpy.linalg.eigh's default UPLO='L')
    ("eigh_d_200", "float64", 200),
    ("eigh_d_333_uppernan", "float64", 333),
    ("eigh_s_200", "float32", 200),
]
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
    elif args.suite == "potrf":
        for tag, dt, n, what in POTRF_CHECKS:
            dt = np.dtype(dt).type
            if what == "gram":
                g = rng.standard_normal((n, n))
                a = (g @ g.T / n + np.eye(n)).astype(dt)
            else:
                a = spd_matrix(n, dt, 10)
                a = np.tril(a) + np.tril(a, -1).T
            if what == "indefinite":
                a[700, 700] = -1
            else:
                a[np.triu_indices(n, 1)] = np.nan
            save(tag, "a", a)
            lines.append(f"potrf\t{tag}\t{np.dtype(dt).name}\t{n}\t{what}")
    elif args.suite == "solve":
        for tag, dt, n, k in POTRS_CHECKS:
            dt = np.dtype(dt).type
            l = np.tril(lapack_factor(spd_matrix(n, dt, 11, reg=0.1)))
            l[np.triu_indices(n, 1)] = np.nan
            save(tag, "l", l)
            save(tag, "b", rng.standard_normal((n, k)).astype(dt))
            lines.append(f"potrs\t{tag}\t{np.dtype(dt).name}\t{n}\t{k}")
    elif args.suite == "eigh":
        for tag, dt, dim in EIGH_CHECKS:
            a = wishart(dim, np.dtype(dt).type, 12)
            if tag.endswith("_uppernan"):
                a[np.triu_indices(dim, 1)] = np.nan
            save(tag, "a", a)
            lines.append(f"eigh\t{tag}\t{dt}\t{dim}")
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


def check_potrf(d, tag, dt, n, what):
    from scipy.linalg import lapack
    dt = np.dtype(dt)
    a = load(d, tag, "a", dt, (n, n))
    got = load(d, tag, "l_rfmfast", dt, (n, n))
    # LAPACK on the same lower triangle (a.T in Fortran order is a's row-major layout, upper = a's lower)
    work = np.array(a.T, order="F")
    c, info = lapack.get_lapack_funcs("potrf", (work,))(work, lower=0, clean=1, overwrite_a=1)
    info_path = os.path.join(d, f"{tag}_info_rfmfast.txt")
    ours_info = int(open(info_path).read()) if os.path.exists(info_path) else 0
    if what == "indefinite":
        restored = bool(np.array_equal(got, a, equal_nan=True))
        v = "OK" if ours_info == info and info > 0 and restored else "FAIL"
        emit("check", tag, f"{dt.name} n={n} indefinite (A[700,700] = -1): LAPACK info {info}, RfmFast "
                           f"NotPositiveDefiniteException.Info {ours_info or 'none (no exception)'}; "
                           f"A restored exactly: {restored} -> {v}")
        return
    if ours_info or info:
        emit("check", tag, f"FAIL (info: LAPACK {info}, RfmFast {ours_info})")
        return
    lower = np.tril_indices(n)
    upper_ok = bool(np.all(np.isnan(got[np.triu_indices(n, 1)])))
    a64 = np.tril(a.astype(np.float64)) + np.tril(a.astype(np.float64), -1).T
    amax = np.max(np.abs(a64))

    def residual(l):
        l64 = np.tril(l.astype(np.float64))
        return float(np.max(np.abs(l64 @ l64.T - a64)) / amax)
    ours_l = np.where(np.isnan(got), 0, got)
    peer_l = np.ascontiguousarray(c.T)  # LAPACK's upper factor of the row-major lower = our L
    ours, theirs = residual(ours_l), residual(peer_l)
    diff = float(np.max(np.abs(ours_l[lower].astype(np.float64) - peer_l[lower])) / np.max(np.abs(peer_l[lower])))
    v = verdict(ours, theirs, np.finfo(dt).eps * np.sqrt(n))
    if not np.all(np.isfinite(got[lower])):
        v = "FAIL (NaN or Inf in the factor: the NaN upper triangle was read?)"
    elif not upper_ok:
        v = "FAIL (the strict upper triangle was written)"
    emit("check", tag, f"{dt.name} n={n} {what}: max|L L^T - A|/max|A| rfmfast {ours:.2e}, LAPACK {theirs:.2e}; "
                       f"max|L - L_lapack|/max|L| {diff:.2e}; upper triangle (NaN) untouched: {upper_ok} -> {v}")


def check_potrs(d, tag, dt, n, k):
    from scipy.linalg import cho_solve, solve_triangular
    dt = np.dtype(dt)
    l = load(d, tag, "l", dt, (n, n))
    b = load(d, tag, "b", dt, (n, k))
    got = load(d, tag, "x_rfmfast", dt, (n, k)).astype(np.float64)
    l0 = np.where(np.isnan(l), 0, l)
    l64 = l0.astype(np.float64)
    ref = solve_triangular(l64.T, solve_triangular(l64, b.astype(np.float64), lower=True), lower=False)
    peer = cho_solve((np.asfortranarray(l0), True), b, check_finite=False).astype(np.float64)

    def err(x):
        return float(np.max(np.abs(x - ref)) / np.max(np.abs(ref))) if np.all(np.isfinite(x)) else float("nan")
    ours, theirs = err(got), err(peer)
    emit("check", tag, f"{dt.name} L L^T X = B, n={n} c={k}: max|X-ref|/max|ref| rfmfast {ours:.2e}, "
                       f"scipy cho_solve {theirs:.2e} (float64 solve with the same L as reference) -> "
                       f"{verdict(ours, theirs, np.finfo(dt).eps * np.sqrt(n))}")


def check_eigh(d, tag, dt, dim):
    dt = np.dtype(dt)
    a = load(d, tag, "a", dt, (dim, dim))
    a = np.tril(np.nan_to_num(a)) + np.tril(np.nan_to_num(a), -1).T  # the matrix of the lower triangle
    w = load(d, tag, "w_rfmfast", dt, (dim,)).astype(np.float64)
    v = load(d, tag, "v_rfmfast", dt, (dim, dim)).astype(np.float64)
    a64 = a.astype(np.float64)
    wref = np.linalg.eigvalsh(a64)
    wnp, vnp = np.linalg.eigh(a)
    norm = np.max(np.abs(wref))
    if not (np.all(np.isfinite(w)) and np.all(np.isfinite(v))):
        emit("check", tag, "FAIL (NaN or Inf in the RfmFast eigen-decomposition)")
        return
    order = "ascending" if np.all(np.diff(w) >= 0) else "descending" if np.all(np.diff(w) <= 0) else "unsorted"

    def residual(vecs, vals):  # vectors as columns
        return float(np.max(np.abs(a64 @ vecs - vecs * vals[None, :])) / norm)
    res_cols, res_rows = residual(v, w), residual(v.T, w)
    layout = "columns" if res_cols <= res_rows else "rows"
    vc = v if layout == "columns" else v.T
    ours_res = min(res_cols, res_rows)
    ours_orth = float(np.max(np.abs(vc.T @ vc - np.eye(dim))))
    ours_w = float(np.max(np.abs(np.sort(w) - wref)) / norm)
    vnp64 = vnp.astype(np.float64)
    np_res = residual(vnp64, wnp.astype(np.float64))
    np_orth = float(np.max(np.abs(vnp64.T @ vnp64 - np.eye(dim))))
    np_w = float(np.max(np.abs(wnp.astype(np.float64) - wref)) / norm)
    floor = np.finfo(dt).eps * dim
    ok = ours_res <= 10 * max(np_res, floor) and ours_orth <= 10 * max(np_orth, floor) and ours_w <= 10 * max(np_w, floor)
    emit("check", tag, f"{dt.name} d={dim} Wishart: eigenvalues {order}, vectors as {layout}; "
                       f"max|w - w_ref|/max|w| rfmfast {ours_w:.2e}, numpy {np_w:.2e}; "
                       f"max|A V - V diag(w)|/max|w| rfmfast {ours_res:.2e}, numpy {np_res:.2e}; "
                       f"max|V^T V - I| rfmfast {ours_orth:.2e}, numpy {np_orth:.2e} -> {'OK' if ok else 'SUSPECT'}")


def run_checks(d):
    with open(os.path.join(d, "checks.tsv")) as f:
        for line in f:
            p = line.rstrip("\n").split("\t")
            if not p[0] or p[0].startswith("#"):
                continue
            tag = p[1]
            if not os.path.exists(os.path.join(d, f"{tag}_{OUTPUT_OF[p[0]]}_rfmfast.bin")):
                emit("check", tag, "FAIL (RfmFast wrote no output)")
                continue
            if p[0] == "gemm":
                check_gemm(d, tag, p[2], int(p[3]), int(p[4]), int(p[5]), p[6], p[7], float(p[8]), float(p[9]))
            elif p[0] == "syrk":
                check_syrk(d, tag, p[2], int(p[3]), int(p[4]))
            elif p[0] == "potrf":
                check_potrf(d, tag, p[2], int(p[3]), p[4])
            elif p[0] == "potrs":
                check_potrs(d, tag, p[2], int(p[3]), int(p[4]))
            elif p[0] == "eigh":
                check_eigh(d, tag, p[2], int(p[3]))
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
    mk.add_argument("suite", choices=SUITES)
    mk.add_argument("dir")
    run = sub.add_parser("run")
    run.add_argument("suite", choices=SUITES)
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
