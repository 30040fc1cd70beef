#!/usr/bin/python3
"""Compares `rfm uci` results (RESULTS.json) with ../shared/peers/uci_protocol.py's JSON lines (the float64 oracle)
on the datasets both hold: per-dataset test accuracies and chosen settings, and the means.

usage: compare_oracle.py RESULTS.json ORACLE.jsonl [ORACLE2.jsonl ...] [--md OUT.md]
Prints a Markdown table and, last, the line
    mean test accuracy over N datasets: RFM rfmfast X.XX % vs oracle Y.YY % (diff Z.ZZ points); Laplace ...
Exit code 1 when |RFM mean diff| > 0.2 points (the issue's bar), else 0.
"""
import json
import sys


def main():
    args = sys.argv[1:]
    md = None
    if "--md" in args:
        i = args.index("--md")
        md = args[i + 1]
        del args[i:i + 2]
    ours = {r["dataset"]: r for r in json.load(open(args[0]))}
    oracle = {}
    for path in args[1:]:
        for line in open(path):
            if line.strip():
                r = json.loads(line)
                if "error" not in r:
                    oracle[r["dataset"]] = r
    names = sorted(set(ours) & set(oracle))
    lines = ["| dataset | n | RFM rfmfast | RFM oracle | diff | settings rfmfast (reg, norm, iter) | settings oracle | Laplace rfmfast | Laplace oracle |",
             "|---|---:|---:|---:|---:|---|---|---:|---:|"]
    sums = [0.0, 0.0, 0.0, 0.0]
    for n in names:
        a, b = ours[n], oracle[n]
        ra, rb = a["rfm_test_accuracy"] * 100, b["rfm"]["test"] * 100
        la, lb = a["laplace_test_accuracy"] * 100, b["laplace"]["test"] * 100
        sums[0] += ra; sums[1] += rb; sums[2] += la; sums[3] += lb
        sa = f'{a["rfm_reg"]:g}, {"on" if a["rfm_normalize"] else "off"}, {a["rfm_iteration"]}'
        sb = f'{b["rfm"]["reg"]:g}, {"on" if b["rfm"]["normalize"] else "off"}, {b["rfm"]["iter"]}'
        lines.append(f"| {n} | {a['n']} | {ra:.2f} | {rb:.2f} | {ra - rb:+.2f} | {sa} | {sb} | {la:.2f} | {lb:.2f} |")
    k = max(len(names), 1)
    m = [s / k for s in sums]
    summary = (f"mean test accuracy over {len(names)} datasets: RFM rfmfast {m[0]:.2f} % vs oracle {m[1]:.2f} % "
               f"(diff {m[0] - m[1]:+.2f} points); Laplace rfmfast {m[2]:.2f} % vs oracle {m[3]:.2f} % (diff {m[2] - m[3]:+.2f} points)")
    text = "\n".join(lines) + "\n\n" + summary + "\n"
    if md:
        open(md, "w").write(text)
    print(text, end="")
    only_ours = sorted(set(ours) - set(oracle))
    only_oracle = sorted(set(oracle) - set(ours))
    if only_ours or only_oracle:
        print(f"not compared: only in rfmfast {only_ours}, only in oracle {only_oracle}", file=sys.stderr)
    sys.exit(1 if abs(m[0] - m[1]) > 0.2 else 0)


if __name__ == "__main__":
    main()
