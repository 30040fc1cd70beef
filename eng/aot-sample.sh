#!/usr/bin/env bash
# Publishes the NativeAOT sample (src/RfmFast.AotSample, trimmed, IlcInstructionSet x86-64-v3) with every build,
# trim and AOT warning an error, saves a small model with the rfm tool, runs the native binary on it and checks
# its output. Prints the binary's size and its time from process start to the first prediction.
# Needs clang (or clang-14) and zlib1g-dev; .ci/run installs them.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
out="$root/artifacts/aot-sample"
rm -rf "$out"
mkdir -p "$out"

extra=()
if ! command -v clang >/dev/null && command -v clang-14 >/dev/null; then
  extra+=(-p:CppCompilerAndLinker=clang-14)
fi
echo "== dotnet publish src/RfmFast.AotSample -r linux-x64 (NativeAOT, trimmed, warnings as errors)"
dotnet publish src/RfmFast.AotSample -c Release -r linux-x64 -warnaserror -nologo -v:q -o "$out/bin" ${extra[@]+"${extra[@]}"}
bin="$out/bin/rfm-predict-aot"
[[ -x $bin ]] || { echo "aot-sample: no binary at $bin" >&2; exit 1; }

# A seeded regression data set: y = sin(2 x1) + x2 x3 (+ x4 as noise), 300 rows.
awk 'BEGIN { srand(7); print "x1,x2,x3,x4,y";
  for (i = 0; i < 300; i++) { a = 2*rand()-1; b = 2*rand()-1; c = 2*rand()-1; d = 2*rand()-1;
    printf "%.6f,%.6f,%.6f,%.6f,%.6f\n", a, b, c, d, sin(2*a) + b*c } }' > "$out/train.csv"
head -4 "$out/train.csv" | cut -d, -f1-4 > "$out/rows.csv"

echo "== rfm fit --out (the model the native binary loads)"
dotnet build src/RfmFast.Cli -c Release -nologo -v:q >/dev/null
dotnet src/RfmFast.Cli/bin/Release/net10.0/rfm.dll fit "$out/train.csv" --target y --iters 2 --out "$out/model.rfm" | tail -2

# RFM_LAUNCH_EPOCH: bash's microsecond wall clock at launch. Without it the binary falls back to .NET's
# Process.StartTime, which on Linux is a whole-second boot time plus 10 ms ticks (off by tens of ms).
echo "== $bin model.rfm rows.csv"
RFM_LAUNCH_EPOCH=$EPOCHREALTIME "$bin" "$out/model.rfm" "$out/rows.csv" | tee "$out/run.txt"
grep -q '^tier V' "$out/run.txt" || { echo "aot-sample: no tier line" >&2; exit 1; }
grep -q '^start to first prediction: .*RFM_LAUNCH_EPOCH' "$out/run.txt" || { echo "aot-sample: no start-to-prediction time" >&2; exit 1; }
[[ $(grep -c '^row [0-9]*: ' "$out/run.txt") == 3 ]] || { echo "aot-sample: expected 3 predictions" >&2; exit 1; }

# Start-up time varies with the machine's load: five more runs (one sample each).
times=()
for _ in 1 2 3 4 5; do
  times+=("$(RFM_LAUNCH_EPOCH=$EPOCHREALTIME "$bin" "$out/model.rfm" | sed -n 's/^start to first prediction: \([0-9.]*\) ms.*/\1/p')")
done
# The baseline: how long this shell takes to start and reap /bin/true. Process creation alone can cost several
# ms on a VM, and the figure above includes it.
base=()
for _ in 1 2 3 4 5; do
  s=$EPOCHREALTIME; /bin/true; e=$EPOCHREALTIME
  base+=("$(awk -v s="${s/,/.}" -v e="${e/,/.}" 'BEGIN { printf "%.1f", (e - s) * 1000 }')")
done
size=$(stat -c %s "$bin")
echo "aot-sample: binary $size bytes ($((size / 1024)) KiB); start to first prediction ${times[*]} ms (5 runs;" \
  "the shell runs /bin/true in ${base[*]} ms); load average $(cut -d' ' -f1 /proc/loadavg)"
