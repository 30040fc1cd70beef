#!/usr/bin/env python3
"""Runs the numpy reference RFM (../shared/peers/numpy_rfm.py, imported by path) on data written by the
RfmFast tests and writes what happened at every iteration, so the tests can compare RfmFast with it.

Usage:  /usr/bin/python3 oracle.py PEERS_DIR WORK_DIR

WORK_DIR/meta.json (written by the test):
    {"n": .., "m": .., "d": .., "c": .., "bandwidth": .., "reg": .., "iters": .., "dtype": "float64"|"float32",
     "m_norm": "n"|"max"}
WORK_DIR/x.f64 (n x d), y.f64 (n x c), xte.f64 (m x d), yte.f64 (m x c): row-major little-endian float64.

Outputs in WORK_DIR, one set per iteration t = 0..iters (t = iters is the reference's final refit):
    M_t.f64      the d x d feature matrix the iteration's kernel used (M_0 = I)
    alpha_t.f64  the n x c coefficients
    pred_t.f64   the m x c test predictions
(all float64, computed in the requested dtype), and result.json with the per-iteration test MSE of this
loop ("mse") and of numpy_rfm.fit itself ("fit_mse"): the two must agree, which shows the loop below is
the reference's own loop, only with the intermediate results kept.

Exit code 3 with a line "MISSING: <modules>" when numpy, scipy or threadpoolctl cannot be imported.
"""
import importlib.util
import json
import os
import sys


def main():
    peers, work = sys.argv[1], sys.argv[2]
    missing = []
    for mod in ("numpy", "scipy", "threadpoolctl"):
        if importlib.util.find_spec(mod) is None:
            missing.append(mod)
    if missing:
        print("MISSING: " + " ".join(missing), flush=True)
        sys.exit(3)

    import numpy as np
    from threadpoolctl import threadpool_info

    spec = importlib.util.spec_from_file_location("numpy_rfm", os.path.join(peers, "numpy_rfm.py"))
    ref = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(ref)

    with open(os.path.join(work, "meta.json")) as f:
        meta = json.load(f)
    n, m, d, c = meta["n"], meta["m"], meta["d"], meta["c"]
    L, reg, iters = float(meta["bandwidth"]), float(meta["reg"]), int(meta["iters"])
    dt = np.dtype(meta.get("dtype", "float64"))
    m_norm = meta.get("m_norm", "n")

    def load(name, rows, cols):
        a = np.fromfile(os.path.join(work, name), dtype="<f8")
        assert a.size == rows * cols, (name, a.size, rows, cols)
        return a.reshape(rows, cols).astype(dt)

    X, Y = load("x.f64", n, d), load("y.f64", n, c)
    Xte, Yte = load("xte.f64", m, d), load("yte.f64", m, c)

    def save(name, a):
        np.ascontiguousarray(a, dtype="<f8").tofile(os.path.join(work, name))

    # The reference's fit loop (numpy_rfm.fit), one round at a time, keeping M, alpha and the predictions.
    M = np.eye(d, dtype=dt)
    mses = []
    for t in range(iters + 1):
        D = ref.mahalanobis_dist(X, X, M)
        K = ref.laplace_from_dist(D, L)
        alpha = ref.solve_chol(K, Y, reg)
        Dt = ref.mahalanobis_dist(Xte, X, M)
        pred = ref.laplace_from_dist(Dt, L) @ alpha
        mses.append(float(np.mean((pred - Yte) ** 2)))
        save(f"M_{t}.f64", M)
        save(f"alpha_{t}.f64", alpha)
        save(f"pred_{t}.f64", pred)
        if t < iters:
            M = ref.agop(X, M, alpha, K, D, L).astype(dt, copy=False)
            if m_norm == "max":
                M /= M.max()

    _, _, _, fit_mses = ref.fit(X, Y, Xte, Yte, L, reg, iters, m_norm)
    ob = [i for i in threadpool_info() if i.get("internal_api") == "openblas"]
    with open(os.path.join(work, "result.json"), "w") as f:
        json.dump({"mse": mses, "fit_mse": fit_mses, "dtype": str(dt), "numpy": np.__version__,
                   "openblas": ob[0].get("version") if ob else None}, f)


if __name__ == "__main__":
    main()
