#!/usr/bin/env python3
"""Joins the tab-separated output of the RfmFast side (RfmFast.Bench compare) and the peer side
(peers/numpy_peer.py run) into the Markdown table bench/compare.sh prints. Standard library only.

    compare_report.py SUITE PEER_NAME RFMFAST.tsv PEER.tsv

A case may appear once per round on each side: the table uses the best repetition over all rounds.
The last line is always `SUITE geomean speedup vs PEER_NAME: X.XX` (speedup = peer s / rfmfast s, from
the best repetition of each side). Exits 1 if a case is missing on either side or a check failed.
fit and predict have no GFLOP/s columns (a whole fit or prediction has no single flop count worth quoting);
predict also prints `single-sample predict median: X us, allocated: Y B` from the RfmFast side's `single`
lines (`single MEDIAN_US ALLOCATED_B CALLS CENTERS`, one per round: the lower median, the larger allocation).
"""
import math
import sys


# The flop count of each suite's GFLOP/s columns (RfmFast.Bench FlopModel.cs, numpy_peer.py).
FLOPS = {
    "gemm": "GEMM 2n^3",
    "kernel": "kernel 2nmd + nm",
    "potrf": "Cholesky n^3/3",
    "potrf-mathnet": "Cholesky n^3/3",
    "solve": "Cholesky solve 2n^2 c",
    "eigh": "a NOMINAL 9 d^3 for eigenvalues and eigenvectors, not a measured count",
}
# Suites whose table shows seconds only.
NO_FLOPS = {"fit", "predict"}


def parse(path):
    info, results, checks, singles = [], {}, [], []
    with open(path) as f:
        for line in f:
            p = line.rstrip("\n").split("\t")
            if p[0] == "info":
                if (p[1], p[2]) not in info:  # each per-case process repeats its header
                    info.append((p[1], p[2]))
            elif p[0] == "result":
                # one line per round: keep the best repetition over all rounds, the median of the medians
                r = results.setdefault(p[1], {"bests": [], "medians": [], "flops": float(p[4])})
                r["bests"].append(float(p[2]))
                r["medians"].append(float(p[3]))
            elif p[0] == "check":
                checks.append((p[1], p[2]))
            elif p[0] == "single":
                singles.append((float(p[1]), int(p[2]), int(p[3])))
    for r in results.values():
        r["best"] = min(r["bests"])
        r["median"] = sorted(r["medians"])[len(r["medians"]) // 2]
    return info, results, checks, singles


def main():
    suite, peer_name, ours_path, peer_path = sys.argv[1:5]
    ours_info, ours, ours_checks, singles = parse(ours_path)
    peer_info, peer, peer_checks, _ = parse(peer_path)
    flops = suite not in NO_FLOPS
    print(f"## {suite}: RfmFast vs {peer_name}")
    print()
    for k, v in ours_info:
        print(f"- {k}: {v}" if k.startswith("machine") else f"- rfmfast {k}: {v}")
    for k, v in peer_info:
        print(f"- {k}: {v}")
    rounds = max((len(r["bests"]) for r in ours.values()), default=0)
    how = ("both sides in one process per case, the first side swapped each round" if suite == "potrf-mathnet"
           else "the two sides alternating case by case")
    print(f"- seconds are the best repetition per side over {rounds} round(s), {how}"
          + (f"; GFLOP/s = flops / best s ({FLOPS.get(suite, '?')})" if flops else ""))
    if singles:
        print(f"- single-sample line: the lower median of {len(singles)} round(s), each over {singles[0][2]} individually "
              f"timed calls; allocated = bytes allocated on the calling thread, in total over those calls (not per call), "
              f"the largest of the rounds")
    print()
    failed = False
    written = {t for t, _ in ours_checks}
    for tag, msg in peer_checks:
        print(f"- check {tag}: {msg}")
        failed |= "FAIL" in msg
    missing_checks = written - {t for t, _ in peer_checks}
    if missing_checks:
        print(f"- checks written but not verified: {sorted(missing_checks)}")
    print()
    if suite == "predict" and not singles:
        print("single-sample predict median: missing (no `single` line from RfmFast)")
        print()
        failed = True
    if singles:
        median = min(m for m, _, _ in singles)
        allocated = max(a for _, a, _ in singles)
        print(f"single-sample predict median: {median:.1f} us, allocated: {allocated} B")
        print()
    if flops:
        print("| case | rfmfast s | rfmfast GFLOP/s | peer s | peer GFLOP/s | speedup (peer / rfmfast) |")
        print("|---|---:|---:|---:|---:|---:|")
    else:
        print("| case | rfmfast s | peer s | speedup (peer / rfmfast) |")
        print("|---|---:|---:|---:|")
    logs = []
    for case in list(ours) + [c for c in peer if c not in ours]:
        o, p = ours.get(case), peer.get(case)
        if o is None or p is None:
            failed = True
            def secs(r):
                return "-" if r is None else f"{r['best']:.4g}"
            gap = " - |" if flops else ""
            print(f"| {case} | {secs(o)} |{gap} {secs(p)} |{gap} missing on one side |")
            continue
        s = p["best"] / o["best"]
        logs.append(math.log(s))
        if flops:
            print(f"| {case} | {o['best']:.4g} | {o['flops'] / o['best'] / 1e9:.1f} | {p['best']:.4g} | "
                  f"{p['flops'] / p['best'] / 1e9:.1f} | {s:.2f} |")
        else:
            print(f"| {case} | {o['best']:.4g} | {p['best']:.4g} | {s:.2f} |")
    print()
    geo = math.exp(sum(logs) / len(logs)) if logs else float("nan")
    print(f"{suite} geomean speedup vs {peer_name}: {geo:.2f}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
