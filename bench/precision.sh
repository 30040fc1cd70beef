#!/usr/bin/env bash
# SpdSolver's float, double and mixed precision on a real kernel ridge regression, against float64 LAPACK.
#
#   bench/precision.sh [--n N] [--dataset PMLB_NAME] [--bandwidth L] [--regs 1e-1,1e-3,1e-6] [--seed S]
#
# 1. bench/peers/precision_peer.py prepare: N rows (default 5000) of a seeded permutation of PMLB's
#    537_houses (California housing, d = 8), every feature and the target standardized.
# 2. RfmFast.Bench precision: the float32 Laplace kernel matrix K (L = 10 by default, the RFM paper's), then
#    for each reg SpdSolver.Solve(K + reg I, y) with SolvePrecision.Float32, Float64 and Mixed (best of 3
#    solves, each from a fresh copy of A), writing each solution and its SolveReport.
# 3. precision_peer.py report: scipy's float64 cho_factor/cho_solve on the same float32 A as reference; the
#    relative error of the training predictions K x, the report fields and the seconds, as Markdown.
#
# Installs nothing; needs /usr/bin/python3 with numpy, scipy and threadpoolctl (as compare.sh) and the
# shared data folder (RFMFAST_DATA, default /work/shared/data). The data exchange goes through a
# temporary directory (about 100 MB for n = 5000), removed at exit.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
PY=(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OPENBLAS_NUM_THREADS=2 /usr/bin/python3)
if ! "${PY[@]}" -c 'import numpy, scipy, threadpoolctl' 2>/dev/null; then
  echo "missing numpy/scipy/threadpoolctl for /usr/bin/python3; install with: apt-get install -y python3-numpy python3-scipy python3-threadpoolctl libopenblas0-pthread" >&2
  exit 3
fi
command -v dotnet >/dev/null || { echo "missing: dotnet (the .NET 10 SDK) on PATH" >&2; exit 3; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/rfmfast-precision.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
PROJ="$HERE/RfmFast.Bench/RfmFast.Bench.csproj"
if ! dotnet build -c Release "$PROJ" --nologo -v quiet >"$WORK/build.log" 2>&1; then
  cat "$WORK/build.log" >&2
  echo "build of $PROJ failed" >&2
  exit 1
fi
DLL=$(dotnet msbuild "$PROJ" -p:Configuration=Release -getProperty:TargetPath)

"${PY[@]}" "$HERE/peers/precision_peer.py" prepare "$WORK" "$@"
{
  if core_rev=$(git -C "$ROOT" log -1 --format='%h %cs' -- native-free-core 2>/dev/null); then
    dirty=$(git -C "$ROOT" status --porcelain -- native-free-core | wc -l)
    printf 'info\tcore source\tnative-free-core at %s, %s uncommitted file(s)\n' "$core_rev" "$dirty"
  fi
  printf 'info\tload average before\t%s\n' "$(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cpus"
  dotnet "$DLL" precision "$WORK"
  printf 'info\tload average after\t%s\n' "$(cut -d' ' -f1-3 /proc/loadavg)"
} >"$WORK/rfmfast.tsv"
"${PY[@]}" "$HERE/peers/precision_peer.py" report "$WORK" "$WORK/rfmfast.tsv"
