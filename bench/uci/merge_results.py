#!/usr/bin/python3
"""Merges several `rfm uci` RESULTS.json files (e.g. the small datasets and the large ones, run separately)
into one JSON array and one Markdown table in the layout `rfm uci` prints, with the means over all datasets.

usage: merge_results.py OUT_PREFIX RESULTS.json [RESULTS2.json ...]
Writes OUT_PREFIX.json and OUT_PREFIX.md; a dataset present in several inputs is taken from the last one.
"""
import json
import sys


def pct(v):
    return f"{100 * v:.2f}"


def onoff(b):
    return "on" if b else "off"


def reg(v):
    return f"{v:g}"


def main():
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    out = sys.argv[1]
    merged = {}
    for path in sys.argv[2:]:
        for r in json.load(open(path)):
            merged[r["dataset"]] = r
    rows = [merged[k] for k in sorted(merged)]
    json.dump(rows, open(out + ".json", "w"), indent=2)
    header = ["dataset", "n", "d", "classes", "RFM test acc %", "RFM re-run %", "Laplace test acc %",
              "RFM reg / norm / iter", "Laplace reg / norm", "seconds"]
    lines = ["| " + " | ".join(header) + " |", "|---|---:|---:|---:|---:|---:|---:|---|---|---:|"]
    for r in rows:
        lines.append("| " + " | ".join([
            r["dataset"], str(r["n"]), str(r["d"]), str(r["classes"]), pct(r["rfm_test_accuracy"]),
            pct(r["rfm_rerun_test_accuracy"]), pct(r["laplace_test_accuracy"]),
            f"{reg(r['rfm_reg'])} / {onoff(r['rfm_normalize'])} / {r['rfm_iteration']}",
            f"{reg(r['laplace_reg'])} / {onoff(r['laplace_normalize'])}", f"{r['seconds']:.1f}"]) + " |")
    n = len(rows)
    mean = lambda key: sum(r[key] for r in rows) / n
    lines.append(f"| mean ({n}) | | | | {pct(mean('rfm_test_accuracy'))} | {pct(mean('rfm_rerun_test_accuracy'))} | "
                 f"{pct(mean('laplace_test_accuracy'))} | | | {sum(r['seconds'] for r in rows):.1f} |")
    text = ("# rfm uci results, merged\n\nMerged by `bench/uci/merge_results.py` from: "
            + ", ".join(f"`{p}`" for p in sys.argv[2:]) + ". The protocol and the columns are those of `rfm uci` "
            "(see the inputs' Markdown files); seconds are per dataset as each run measured them.\n\n"
            + "\n".join(lines) + "\n")
    open(out + ".md", "w").write(text)
    print(f"{n} datasets: RFM {pct(mean('rfm_test_accuracy'))} %, RFM re-run {pct(mean('rfm_rerun_test_accuracy'))} %, "
          f"Laplace {pct(mean('laplace_test_accuracy'))} %; wrote {out}.json and {out}.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
