#!/usr/bin/python3
"""The peer side of bench/compare.sh fit|predict: ../shared/peers/numpy_rfm.py (imported by path, not copied),
float32, 2 OpenBLAS threads. Prints the tab-separated lines compare_report.py reads (numpy_peer.py's format).

    fit_peer.py make-data fit|predict DIR [--quick]   the seeded synthetic data both sides read (raw float32)
    fit_peer.py verify fit|predict DIR                 checks what RfmFast wrote into DIR against numpy_rfm
    fit_peer.py run fit|predict --data-dir DIR [--case NAME]... [--quick] [--reps N] [--min-time S]

Data (make-data): X standard normal, d = 100; output k is a different smooth nonlinear function of four of the
first ten coordinates (sin, a product, an absolute value) plus 0.1 N(0, 1) noise, so the AGOP has real structure
to find. DIR/data.tsv lists every array (name, rows, cols); DIR/NAME.f32 holds it, little-endian row-major.

fit: numpy_rfm.fit(X, Y, Xv, Yv, L=10, reg=1e-3, iters=5, m_norm="n") in float32: 5 rounds of kernel, Cholesky
solve, validation prediction and AGOP, then the final kernel, solve and prediction (6 solves), a validation set of
n rows. One fit per repetition (default 1), after one warm-up fit on the first 500 rows.

predict: the model RfmFast fitted on the peer's data and saved (DIR/predict_nN.rfm, read here by the documented
format, docs/model-format.md): the batch is numpy_rfm's own prediction (mahalanobis_dist, laplace_from_dist,
K @ alpha) of 10000 rows into a preallocated buffer; a single row goes through numpy's best one-row path (the
centers' |x_i|_M^2 precomputed once, then q M, X (q M), the distance, exp and the dot with alpha).
"""
import argparse
import importlib.util
import os
import struct
import sys
import time

import numpy as np
from threadpoolctl import threadpool_limits

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import numpy_peer as common  # noqa: E402  (emit, measure, report, the OpenBLAS environment check)

PEERS = os.environ.get("RFMFAST_PEERS_DIR", os.path.join(HERE, "..", "..", "..", "shared", "peers"))
_spec = importlib.util.spec_from_file_location("numpy_rfm", os.path.join(PEERS, "numpy_rfm.py"))
ref = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(ref)

D = 100
BANDWIDTH, REG, ITERS = 10.0, 1e-3, 5
WARMUP_ROWS = 500
CHECK_N, CHECK_D, CHECK_C = 1000, 20, 2
MSE_LIMIT = 1e-3
PREDICT_LIMIT = 1e-4
SINGLE_ROWS = 256      # query rows predicted one at a time (checked, and cycled through when timing)
SINGLE_CALLS = 10000   # individually timed single-row calls for the median info line
EXACT_ROWS = 1000      # query rows of the float64 reference in the predict check
SUITES = ["fit", "predict"]


def fit_cases(quick):
    return [(f"fit n={n} d={D} c={c}", n, c) for n in ([1000, 2000] if quick else [5000, 10000]) for c in (1, 10)]


def predict_cases(quick):
    n = 2000 if quick else 10000
    return [(f"predict batch centers={n} rows={n} d={D}", n, "batch"), (f"predict single centers={n} d={D}", n, "single")]


def predict_sizes(quick):
    return sorted({n for _, n, _ in predict_cases(quick)})


# ---- data

def synth(rows, d, c, seed):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((rows, d))
    Y = np.empty((rows, c))
    r = min(d, 10)
    for k in range(c):
        a, b, e, f = ((k + o) % r for o in (0, 1, 3, 6))
        Y[:, k] = (np.sin((1.0 + 0.25 * (k % 4)) * X[:, a]) + 0.5 * X[:, b] * X[:, e]
                   + np.abs(X[:, f]) - np.sqrt(2 / np.pi) + 0.1 * rng.standard_normal(rows))
    return X.astype(np.float32), Y.astype(np.float32)


def write(d, name, a):
    a = np.ascontiguousarray(a, dtype="<f4")
    a.tofile(os.path.join(d, name + ".f32"))
    with open(os.path.join(d, "data.tsv"), "a") as f:
        f.write(f"{name}\t{a.shape[0]}\t{a.shape[1]}\n")


def load(d, name):
    with open(os.path.join(d, "data.tsv")) as f:
        for line in f:
            p = line.split()
            if p[0] == name:
                return np.fromfile(os.path.join(d, name + ".f32"), dtype="<f4").reshape(int(p[1]), int(p[2]))
    raise SystemExit(f"{name} is not in {d}/data.tsv (run make-data first)")


def fit_tag(n, c):
    return f"fit_n{n}_c{c}"


def write_fit_set(d, tag, n, dim, c, seed):
    X, Y = synth(2 * n, dim, c, seed)
    for suffix, a in (("x", X[:n]), ("y", Y[:n]), ("xv", X[n:]), ("yv", Y[n:])):
        write(d, f"{tag}_{suffix}", a)


def cmd_make_data(args):
    if args.suite == "fit":
        write_fit_set(args.dir, "fitcheck", CHECK_N, CHECK_D, CHECK_C, seed=7)
        for _, n, c in fit_cases(args.quick):
            write_fit_set(args.dir, fit_tag(n, c), n, D, c, seed=100 * n + c)
    else:
        for n in predict_sizes(args.quick):
            X, Y = synth(2 * n, D, 1, seed=3)
            write(args.dir, f"predict_n{n}_x", X[:n])
            write(args.dir, f"predict_n{n}_y", Y[:n])
            write(args.dir, f"predict_n{n}_q", X[n:])
    return 0


# ---- the model file (docs/model-format.md): header fields at fixed offsets, centers, alpha and M at the end

def read_model(path):
    b = open(path, "rb").read()
    if b[:8] != b"RFMFAST\0":
        raise SystemExit(f"{path}: not an RfmFast model file")
    version, = struct.unpack_from("<H", b, 8)
    task, precision, kernel = b[12], b[13], b[14]
    bandwidth, = struct.unpack_from("<d", b, 16)
    n, d, c = struct.unpack_from("<3i", b, 32)
    # Version 2 inserts its label kind and preprocessing before the arrays; the bench's models have no
    # preprocessing, so the kernel's rows are the caller's and the arrays are still the file's last bytes.
    if version not in (1, 2) or task != 0 or precision != 0 or kernel != 0:
        raise SystemExit(f"{path}: expected a version-1 or 2 float32 Laplace regressor "
                         f"(version {version}, task {task}, precision {precision}, kernel {kernel})")
    end = len(b) - 4  # CRC-32C (RfmModel.Load checks it; the arrays are what matters here)
    start = end - 4 * (n * d + n * c + d * d)
    a = np.frombuffer(b, dtype="<f4", count=n * d + n * c + d * d, offset=start)
    X = a[:n * d].reshape(n, d).copy()
    alpha = a[n * d:n * d + n * c].reshape(n, c).copy()
    M = a[n * d + n * c:].reshape(d, d).copy()
    return X, alpha, M, bandwidth


def batch_predictor(X, alpha, M, L, rows):
    """numpy_rfm's prediction (fit's predict(): distances, Laplace kernel, K @ alpha), into one reused buffer."""
    buf = np.empty((rows, X.shape[0]), X.dtype)

    def predict(Q):
        K = ref.laplace_from_dist(ref.mahalanobis_dist(Q, X, M, out=buf[:len(Q)]), L, out=buf[:len(Q)])
        return K @ alpha
    return predict


def row_predictor(X, alpha, M, L):
    """numpy's best one-row path: |x_i|_M^2 of the centers once, then per row q M (d^2), X (q M) (n d), distance,
    exp and the dot with alpha, in reused buffers."""
    zn = np.einsum("ij,ij->i", X @ M, X)
    buf = np.empty(X.shape[0], X.dtype)

    def predict(q):
        qm = q @ M
        t = np.matmul(X, qm, out=buf)
        t *= -2
        t += qm @ q
        t += zn
        np.maximum(t, 0, out=t)
        np.sqrt(t, out=t)
        return ref.laplace_from_dist(t, L, out=t) @ alpha
    return predict


# ---- peak memory (Linux): writing 5 to clear_refs resets VmHWM to the current RSS

def mem_status():
    v = {}
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(("VmHWM:", "VmRSS:")):
                v[line.split(":")[0]] = int(line.split()[1]) * 1024
    return v.get("VmRSS", 0), v.get("VmHWM", 0)


def reset_peak():
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


# ---- run

def run_fit(name, n, c, args):
    tag = fit_tag(n, c)
    X, Y, Xv, Yv = (load(args.data_dir, f"{tag}_{s}") for s in ("x", "y", "xv", "yv"))
    w = WARMUP_ROWS
    ref.fit(X[:w], Y[:w], Xv[:w], Yv[:w], BANDWIDTH, REG, ITERS)  # BLAS threads, imports, code paths
    times = []
    for r in range(args.reps):
        if r == 0:
            reset = reset_peak()
            rss0, hwm0 = mem_status()
        t0 = time.perf_counter()
        _, _, phases, _ = ref.fit(X, Y, Xv, Yv, BANDWIDTH, REG, ITERS)
        times.append(time.perf_counter() - t0)
        if r == 0:
            _, hwm1 = mem_status()
            extra = hwm1 - (rss0 if reset else hwm0)
            mat = 4.0 * n * n
            common.emit("info", f"peer peak memory fit n={n} c={c}",
                        f"peak extra memory / (n^2 * 4 B) = {extra / mat:.2f} ({extra / 2**20:.0f} MiB over the RSS before "
                        f"the first timed fit{'' if reset else ' (VmHWM growth only: clear_refs not writable)'}; "
                        f"n^2 * 4 B = {mat / 2**20:.0f} MiB)")
            other = phases["total"] - sum(phases[k] for k in ("kernel", "solve", "predict", "agop"))
            common.emit("info", f"peer phases fit n={n} c={c}",
                        f"first timed fit {times[0]:.3f} s: kernel {phases['kernel']:.3f}, solve {phases['solve']:.3f}, "
                        f"validation predict {phases['predict']:.3f}, agop {phases['agop']:.3f}, other {other:.3f}")
    times.sort()
    common.report(name, 6.0 * n ** 3 / 3, (times[0], times[len(times) // 2], len(times), 1))


def run_predict(name, n, kind, args):
    X, alpha, M, L = read_model(os.path.join(args.data_dir, f"predict_n{n}.rfm"))
    Q = load(args.data_dir, f"predict_n{n}_q")
    if kind == "batch":
        predict = batch_predictor(X, alpha, M, L, len(Q))
        common.report(name, 2.0 * len(Q) * n * D, common.measure(lambda: predict(Q), args.reps, args.min_time))
        return
    predict = row_predictor(X, alpha, M, L)
    rows = [Q[i].copy() for i in range(SINGLE_ROWS)]
    state = [0]

    def call():
        i = state[0] = (state[0] + 1) % SINGLE_ROWS
        predict(rows[i])
    common.report(name, 2.0 * n * D, common.measure(call, args.reps, args.min_time))
    t = []
    for i in range(SINGLE_CALLS):
        q = rows[i % SINGLE_ROWS]
        t0 = time.perf_counter()
        predict(q)
        t.append(time.perf_counter() - t0)
    t.sort()
    # The reference's batch function on a 1-row batch recomputes X M (n d^2) and |x_i|_M^2 on every call.
    one = batch_predictor(X, alpha, M, L, 1)
    tb = []
    for i in range(50):
        q = Q[i % SINGLE_ROWS:i % SINGLE_ROWS + 1]
        t0 = time.perf_counter()
        one(q)
        tb.append(time.perf_counter() - t0)
    tb.sort()
    common.emit("info", f"peer single-row median centers={n}",
                f"{t[len(t) // 2] * 1e6:.1f} us over {SINGLE_CALLS} individually timed calls (the one-row path); "
                f"numpy_rfm's batch function on a 1-row batch: {tb[len(tb) // 2] * 1e6:.0f} us (median of {len(tb)})")


def cmd_run(args):
    rc = common.cmd_env(args)
    if rc:
        return rc
    if args.data_dir is None:
        print("run needs --data-dir (the directory make-data wrote)", file=sys.stderr)
        return 2
    if args.suite == "fit":
        cases, runner = fit_cases(args.quick), run_fit
        args.reps = args.reps or 1
        common.emit("info", "peer-timing", f"one whole fit per repetition, best and median of {args.reps}, after one "
                                           f"warm-up fit on the first {WARMUP_ROWS} rows")
    else:
        cases, runner = predict_cases(args.quick), run_predict
        args.reps = args.reps or 5
        common.emit("info", "peer-timing", f"best and median of {args.reps} repetitions, each >= {args.min_time} s of "
                                           f"back-to-back calls, after 2 warm-up calls")
    unknown = set(args.case or []) - {cs[0] for cs in cases}
    if unknown:
        print(f"unknown case(s) {sorted(unknown)}", file=sys.stderr)
        return 2
    common.emit("info", "peer", f"numpy_rfm.py ({os.path.abspath(os.path.join(PEERS, 'numpy_rfm.py'))}), float32")
    with threadpool_limits(common.THREADS, user_api="blas"):
        common.emit("info", "peer-threads", str([i.get("num_threads") for i in common.blas_info()]))
        for name, n, k in cases:
            if not args.case or name in args.case:
                runner(name, n, k, args)
    return 0


# ---- verify

def rel(a, b):
    return float(np.abs(a.astype(np.float64) - b.astype(np.float64)).max() / np.abs(b.astype(np.float64)).max())


def verify_fit(d):
    path = os.path.join(d, "fitcheck_mse.txt")
    if not os.path.exists(path):
        common.emit("check", "fit_small", f"RfmFast wrote no {path} -> FAIL")
        return
    data = [load(d, f"fitcheck_{s}") for s in ("x", "y", "xv", "yv")]
    with threadpool_limits(common.THREADS, user_api="blas"):
        _, _, _, m32 = ref.fit(*data, BANDWIDTH, REG, ITERS)
        _, _, _, m64 = ref.fit(*(a.astype(np.float64) for a in data), BANDWIDTH, REG, ITERS)
    ours = [float(v) for v in open(path).read().split()]
    if len(ours) != len(m32):
        common.emit("check", "fit_small", f"RfmFast has {len(ours)} iterations, numpy_rfm {len(m32)} -> FAIL")
        return
    worst = max(abs(a - b) / b for a, b in zip(ours, m32))
    worst64 = max(abs(a - b) / b for a, b in zip(ours, m64))
    peer64 = max(abs(a - b) / b for a, b in zip(m32, m64))
    fmt = lambda v: ", ".join(f"{x:.6g}" for x in v)  # noqa: E731
    verdict = "OK" if worst <= MSE_LIMIT else "FAIL"
    common.emit("check", "fit_small",
                f"n={CHECK_N} d={CHECK_D} c={CHECK_C}, validation MSE per iteration (0..{ITERS}), the timed settings on "
                f"both sides: rfmfast {fmt(ours)}; numpy_rfm float32 {fmt(m32)}; worst relative difference {worst:.2e} "
                f"(limit {MSE_LIMIT:g}). For scale, vs numpy_rfm float64 ({fmt(m64)}): rfmfast {worst64:.2e}, "
                f"numpy float32 {peer64:.2e} -> {verdict}")


def verify_predict(d, quick):
    with threadpool_limits(common.THREADS, user_api="blas"):
        for n in predict_sizes(quick):
            tag = f"predict_n{n}"
            model = os.path.join(d, tag + ".rfm")
            if not os.path.exists(model):
                common.emit("check", tag, f"RfmFast wrote no {model} -> FAIL")
                continue
            X, alpha, M, L = read_model(model)
            Q = load(d, tag + "_q")
            same_centers = np.array_equal(X, load(d, tag + "_x"))
            ours_b, ours_s = load(d, tag + "_rfmfast_batch"), load(d, tag + "_rfmfast_single")
            peer_b = batch_predictor(X, alpha, M, L, len(Q))(Q)
            row = row_predictor(X, alpha, M, L)
            peer_s = np.stack([row(Q[i]) for i in range(SINGLE_ROWS)])
            m = min(len(Q), EXACT_ROWS)  # the float64 reference on the first rows only (10000 x 10000 doubles: 800 MB)
            X64, a64, M64, Q64 = (v.astype(np.float64) for v in (X, alpha, M, Q[:m]))
            K64 = ref.laplace_from_dist(ref.mahalanobis_dist(Q64, X64, M64), L)
            exact = K64 @ a64
            cond = float((K64 @ np.abs(a64)).max() / np.abs(exact).max())
            del K64
            eb, es = rel(ours_b, peer_b), rel(ours_s, peer_s)
            verdict = "OK" if eb <= PREDICT_LIMIT and es <= PREDICT_LIMIT and same_centers else "FAIL"
            common.emit("check", tag,
                        f"{n} centers, d={X.shape[1]}, L={L:g}, the model RfmFast saved: max|rfmfast - numpy| / max|numpy| "
                        f"batch ({len(Q)} rows) {eb:.2e}, single-sample path ({SINGLE_ROWS} rows vs numpy's one-row path) "
                        f"{es:.2e} (limit {PREDICT_LIMIT:g}); vs float64 of the same model on the first {m} rows: rfmfast batch "
                        f"{rel(ours_b[:m], exact):.2e}, numpy batch {rel(peer_b[:m], exact):.2e} (sum|k||alpha| / max|f| = {cond:.3g}); "
                        f"centers in the file {'equal' if same_centers else 'DIFFER from'} the data -> {verdict}")


def cmd_verify(args):
    (verify_fit if args.suite == "fit" else lambda d: verify_predict(d, args.quick))(args.dir)
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    for cmd in ("make-data", "verify"):
        p = sub.add_parser(cmd)
        p.add_argument("suite", choices=SUITES)
        p.add_argument("dir")
        p.add_argument("--quick", action="store_true")
    run = sub.add_parser("run")
    run.add_argument("suite", choices=SUITES)
    run.add_argument("--data-dir")
    run.add_argument("--reps", type=int, default=None, help="default 1 (fit), 5 (predict)")
    run.add_argument("--min-time", type=float, default=0.2, help="predict only; a fit repetition is one fit")
    run.add_argument("--quick", action="store_true")
    run.add_argument("--case", action="append", help="run only this case (repeatable)")
    args = ap.parse_args()
    return {"make-data": cmd_make_data, "verify": cmd_verify, "run": cmd_run}[args.cmd](args)


if __name__ == "__main__":
    sys.exit(main())
