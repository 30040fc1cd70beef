#!/usr/bin/python3
"""The peer side of bench/compare.sh fit|predict: ../shared/peers/numpy_rfm.py (imported by path, not copied),
float32, 2 OpenBLAS threads. Prints the tab-separated lines compare_report.py reads.

    fit_peer.py list fit|predict [--quick]
    fit_peer.py run fit|predict [--case NAME]... [--quick] [--reps N]
    fit_peer.py make-checks DIR      writes a small fit problem (float64 raw) for the RfmFast side
    fit_peer.py verify DIR           fits it with numpy_rfm.fit in float64 and compares per-iteration MSEs

fit: numpy_rfm.fit(X, Y, Xte, Yte, L=10, reg=1e-3, iters=5) (5 rounds + the final refit: 6 solves), data from
numpy_rfm.make_data. predict: the reference's prediction (Mahalanobis distances, Laplace kernel, K @ alpha) for
a batch of 10000 rows and for one row, from 10000 centers, d = 100.
"""
import importlib.util
import os
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
PEERS = os.environ.get("RFMFAST_PEERS_DIR", os.path.join(HERE, "..", "..", "..", "shared", "peers"))
spec = importlib.util.spec_from_file_location("numpy_rfm", os.path.join(PEERS, "numpy_rfm.py"))
ref = importlib.util.module_from_spec(spec)
spec.loader.exec_module(ref)

D = 100


def emit(*f):
    print("\t".join(str(x) for x in f), flush=True)


def cases(suite, quick):
    if suite == "fit":
        return [(f"fit n={n} d={D} c={c}", n, c) for n in ([1000, 2000] if quick else [5000, 10000]) for c in (1, 10)]
    n = 2000 if quick else 10000
    return [(f"predict batch centers={n} rows={n} d={D}", n, "batch"), (f"predict single centers={n} d={D}", n, "single")]


def header():
    from threadpoolctl import threadpool_info
    blas = [f"{i.get('internal_api')} {i.get('version')} {i.get('architecture')} threads={i.get('num_threads')}" for i in threadpool_info()]
    emit("info", "peer", f"numpy_rfm.py on numpy {np.__version__}, {'; '.join(blas)}")


def run_fit(name, n, c, reps):
    X, Y, Xte, Yte = ref.make_data(n, n, D, c, np.float32)
    wx = ref.make_data(500, 500, D, c, np.float32)
    ref.fit(*wx, 10.0, 1e-3, 5)  # warm-up: BLAS threads and imports, as the RfmFast side
    times = []
    for _ in range(reps):
        t0 = time.perf_counter()
        ref.fit(X, Y, Xte, Yte, 10.0, 1e-3, 5)
        times.append(time.perf_counter() - t0)
    times.sort()
    emit("result", name, repr(times[0]), repr(times[len(times) // 2]), repr(6.0 * n ** 3 / 3), reps, 1)


def predict_fn(X, M, alpha):
    def predict(Q):
        K = ref.laplace_from_dist(ref.mahalanobis_dist(Q, X, M), 10.0)
        return K @ alpha
    return predict


def run_predict(name, n, kind, reps):
    rng = np.random.default_rng(1)
    X = rng.standard_normal((n, D)).astype(np.float32)
    G = rng.standard_normal((D, D)).astype(np.float32)
    M = (G @ G.T / D).astype(np.float32)
    alpha = rng.standard_normal((n, 1)).astype(np.float32)
    Q = rng.standard_normal((n, D)).astype(np.float32)
    predict = predict_fn(X, M, alpha)
    if kind == "batch":
        call = lambda: predict(Q)
        call(); call()
        t0 = time.perf_counter(); call(); one = time.perf_counter() - t0
        inner = max(1, int(np.ceil(0.2 / max(one, 1e-9))))
        times = []
        for _ in range(reps):
            t0 = time.perf_counter()
            for _ in range(inner):
                call()
            times.append((time.perf_counter() - t0) / inner)
        times.sort()
        emit("result", name, repr(times[0]), repr(times[len(times) // 2]), repr(2.0 * n * n * D), reps, inner)
        return
    row = Q[:1]
    for _ in range(200):
        predict(row)
    t = []
    for _ in range(2000):
        t0 = time.perf_counter()
        predict(row)
        t.append(time.perf_counter() - t0)
    t.sort()
    emit("result", name, repr(t[0]), repr(t[len(t) // 2]), repr(2.0 * n * D), 1, len(t))


def main():
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd in ("list", "run"):
        suite = args[0]
        quick = "--quick" in args
        reps = int(args[args.index("--reps") + 1]) if "--reps" in args else (1 if suite == "fit" else 5)
        only = [args[i + 1] for i, a in enumerate(args) if a == "--case"]
        cs = cases(suite, quick)
        if cmd == "list":
            for c in cs:
                print(c[0])
            return 0
        header()
        for name, n, k in cs:
            if only and name not in only:
                continue
            (run_fit if suite == "fit" else run_predict)(name, n, k, reps)
        return 0
    d = args[0]
    if cmd == "make-checks":
        X, Y, Xte, Yte = ref.make_data(1000, 1000, 20, 2, np.float64, seed=5)
        for name, a in (("fit_x", X), ("fit_y", Y), ("fit_xv", Xte), ("fit_yv", Yte)):
            a.astype("<f8").tofile(os.path.join(d, name + ".f64"))
        open(os.path.join(d, "fit_meta.txt"), "w").write("1000 20 2")
        return 0
    if cmd == "verify":
        path = os.path.join(d, "fit_mse_rfmfast.txt")
        if not os.path.exists(path):
            return 0
        load = lambda name, cols: np.fromfile(os.path.join(d, name + ".f64"), dtype="<f8").reshape(-1, cols)
        _, _, _, mses = ref.fit(load("fit_x", 20), load("fit_y", 2), load("fit_xv", 20), load("fit_yv", 2), 10.0, 1e-3, 5)
        ours = [float(v) for v in open(path).read().split()]
        worst = max(abs(a - b) / b for a, b in zip(ours, mses)) if len(ours) == len(mses) else float("inf")
        verdict = "OK" if worst <= 1e-3 else "FAIL"
        emit("check", "fit_small",
             f"n=1000 d=20 c=2, per-iteration validation MSE, RfmFast float vs numpy_rfm float64: worst relative difference {worst:.2e} "
             f"(limit 1e-3; rfmfast {', '.join(f'{v:.5g}' for v in ours)}; numpy {', '.join(f'{v:.5g}' for v in mses)}) -> {verdict}")
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
