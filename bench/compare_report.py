#!/usr/bin/env python3
"""Joins the tab-separated output of the RfmFast side (RfmFast.Bench compare) and the peer side
(peers/numpy_peer.py run) into the Markdown table bench/compare.sh prints. Standard library only.

    compare_report.py SUITE PEER_NAME RFMFAST.tsv PEER.tsv

A case may appear once per round on each side: the table uses the best repetition over all rounds.
The last line is always `SUITE geomean speedup vs PEER_NAME: X.XX` (speedup = peer s / rfmfast s, from
the best repetition of each side). Exits 1 if a case is missing on either side or a check failed.
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
    "fit": "a NOMINAL 6 n^3/3, the six Cholesky factorizations only",
    "predict": "2 n d per predicted row (the cross term of the distances)",
}


def parse(path):
    info, results, checks = [], {}, []
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
    for r in results.values():
        r["best"] = min(r["bests"])
        r["median"] = sorted(r["medians"])[len(r["medians"]) // 2]
    return info, results, checks


def main():
    suite, peer_name, ours_path, peer_path = sys.argv[1:5]
    ours_info, ours, ours_checks = parse(ours_path)
    peer_info, peer, peer_checks = parse(peer_path)
    print(f"## {suite}: RfmFast vs {peer_name}")
    print()
    for k, v in ours_info:
        print(f"- {k}: {v}" if k.startswith("machine") else f"- rfmfast {k}: {v}")
    for k, v in peer_info:
        print(f"- {k}: {v}")
    rounds = max((len(r["bests"]) for r in ours.values()), default=0)
    how = ("both sides in one process per case, the first side swapped each round" if suite == "potrf-mathnet"
           else "the two sides alternating case by case")
    print(f"- seconds are the best repetition per side over {rounds} round(s), {how}; "
          f"GFLOP/s = flops / best s ({FLOPS.get(suite, '?')})")
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
    print("| case | rfmfast s | rfmfast GFLOP/s | peer s | peer GFLOP/s | speedup (peer / rfmfast) |")
    print("|---|---:|---:|---:|---:|---:|")
    logs = []
    for case in list(ours) + [c for c in peer if c not in ours]:
        o, p = ours.get(case), peer.get(case)
        if o is None or p is None:
            failed = True
            def secs(r):
                return "-" if r is None else f"{r['best']:.4g}"
            print(f"| {case} | {secs(o)} | - | {secs(p)} | - | missing on one side |")
            continue
        s = p["best"] / o["best"]
        logs.append(math.log(s))
        print(f"| {case} | {o['best']:.4g} | {o['flops'] / o['best'] / 1e9:.1f} | {p['best']:.4g} | "
              f"{p['flops'] / p['best'] / 1e9:.1f} | {s:.2f} |")
    print()
    geo = math.exp(sum(logs) / len(logs)) if logs else float("nan")
    print(f"{suite} geomean speedup vs {peer_name}: {geo:.2f}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
