#!/usr/bin/env bash
# RfmFast vs numpy on OpenBLAS, same shapes and dtypes, in one invocation.
#
#   bench/compare.sh gemm|kernel|potrf|solve|eigh|potrf-mathnet|fit|predict [--quick] [--reps N] [--min-time S] [--rounds R]
#   bench/compare.sh tabular [--quick] [--sets a,b,c] [--rfm-max-rows N] [--seed S] [--data DIR] [--out FILE]
#
# gemm:   sgemm and dgemm, square n = 256, 512, 1024, 2048, 4096 (C = A B, beta = 0)
# kernel: float32 Laplace kernel matrix exp(-|x_i - z_j| / 10), n = m and d in
#         (1000, 100), (4000, 16), (4000, 1024), (10000, 100)
# potrf:  Cholesky in place, float and double, n = 1000, 2000, 5000, 10000: Cholesky.Factor vs LAPACK
#         ?potrf (scipy.linalg.lapack, Fortran order, overwrite_a=1, lower=1, clean=0); the matrix is restored
#         from a saved copy before every call, outside the timed region, on both sides
# solve:  Cholesky.Solve vs scipy.linalg.cho_solve with a precomputed factor, float and double,
#         n = 2000, 5000, 10000, c = 1 and 10 right-hand sides
# eigh:   SymmetricEigen.Decompose vs numpy.linalg.eigh, double and float, d = 100, 500, 1000
#         (GFLOP/s from a NOMINAL 9 d^3)
# fit:    the whole RFM fit, RfmRegressor (float) vs ../shared/peers/numpy_rfm.py's fit (float32): n = 5000 and
#         10000, d = 100, c = 1 and 10; Laplace L = 10, reg 1e-3, 5 rounds of kernel, solve, validation predict and
#         AGOP + the final kernel, solve and predict, a validation set of n rows; the same seeded synthetic data on
#         both sides (written once by the peer); one fit per repetition (--reps, default 1), after one small warm-up
#         fit; info lines: each fit's peak extra memory / (n^2 * 4 B) and its time per phase. Check first: the
#         per-iteration validation MSE of both sides at n = 1000, d = 20, c = 2 must agree to 1e-3 relative
# predict: batch predictions (10000 query rows, 10000 centers, d = 100, c = 1) and one row at a time (RfmFast's
#         zero-allocation single-sample path vs numpy's best one-row path) from the same model (RfmFast fits and
#         saves it, the peer reads centers, alpha and M from the file); the predictions must agree to 1e-4
#         relative; prints `single-sample predict median: X us, allocated: Y B` before the table
# potrf-mathnet: Cholesky.Factor vs MathNet.Numerics 5.0.0's managed Cholesky, float and double,
#         n = 1000, 2000 (--large adds 5000: 8-12 s per MathNet call on an idle machine, 40 s and more
#         when loaded, so 20-60 minutes), both in one .NET process per case on the same matrix (no python)
# tabular: accuracy and fit time, RfmClassifier (standardised features, library defaults) vs LightGBM through ML.NET
#         (bench/RfmFast.Tabular; ML.NET's defaults, and a small grid tuned on an inner 80/20 split of the training
#         part, tuning included in its time) on the 27 classification sets of ../shared/data/pmlb (all n >= 5000),
#         the same seeded stratified 80/20 train/test split on both sides, 2 threads each; one process, no python,
#         none of the timing rounds below; prints a Markdown table. --quick: the 3 smallest sets and a 2-configuration
#         grid; --sets picks sets by name; --rfm-max-rows N skips RfmFast where the training part has more than N rows
#         (a single RFM holds an n x n matrix; the default is no limit)
#
# Both sides use 2 threads. Each case runs in a fresh process per side, the sides alternating case by
# case for --rounds rounds (default 2, the first side swapped each round); each process warms up
# (2 calls), then times --reps repetitions (default 5) of enough back-to-back calls to last --min-time
# seconds (default 0.2). The table shows the BEST repetition over all rounds (best because the machine
# has 2 cores and background work only ever slows a run down). Before timing, correctness checks run on
# a few shapes (inputs written by the peer, run through RfmFast, compared by the peer against a float64
# reference and against numpy).
#
# Installs nothing. Needs /usr/bin/python3 with Debian's numpy, scipy and threadpoolctl and the
# pthread OpenBLAS as the active BLAS; otherwise it prints the apt-get command and exits 3.
# The last line printed is `SUITE geomean speedup vs PEER: X.XX` (peer s / rfmfast s), PEER being
# numpy-openblas (gemm, kernel, eigh), scipy-lapack-openblas (potrf, solve) or mathnet-managed.
set -euo pipefail

usage() {
  echo "usage: $0 gemm|kernel|potrf|solve|eigh|potrf-mathnet|fit|predict [--quick] [--reps N] [--min-time S] [--rounds R] [--large (potrf-mathnet)]" >&2
  echo "       $0 tabular [--quick] [--sets a,b,c] [--rfm-max-rows N] [--seed S] [--data DIR] [--out FILE]" >&2
  exit 2
}
[[ $# -ge 1 ]] || usage
SUITE=$1; shift
case $SUITE in gemm|kernel|potrf|solve|eigh|potrf-mathnet|fit|predict|tabular) ;; *) usage ;; esac

# ---- tabular: a single .NET program (bench/RfmFast.Tabular) runs both sides; no python peer, no rounds
if [[ $SUITE == tabular ]]; then
  TAB=()
  while [[ $# -gt 0 ]]; do
    case $1 in
      --quick) TAB+=(--quick); shift ;;
      --sets|--rfm-max-rows|--seed) [[ $# -ge 2 ]] || usage; TAB+=("$1" "$2"); shift 2 ;;
      --data|--out) [[ $# -ge 2 ]] || usage; TAB+=("$1" "$(realpath -m -- "$2")"); shift 2 ;;  # paths as given here
      *) usage ;;
    esac
  done
  command -v dotnet >/dev/null || { echo "missing: dotnet (the .NET 10 SDK) on PATH" >&2; exit 3; }
  # From the repo root: the program finds ../shared/data/pmlb from the folder holding RfmFast.sln.
  cd "$(dirname "${BASH_SOURCE[0]}")/.."
  exec dotnet run -c Release --project bench/RfmFast.Tabular -- ${TAB[@]+"${TAB[@]}"}
fi
OPTS=()
ROUNDS=2
while [[ $# -gt 0 ]]; do
  case $1 in
    --quick) OPTS+=(--quick); shift ;;
    --large) [[ $SUITE == potrf-mathnet ]] || usage; OPTS+=(--large); shift ;;
    --reps|--min-time) [[ $# -ge 2 ]] || usage; OPTS+=("$1" "$2"); shift 2 ;;
    --rounds) [[ $# -ge 2 ]] || usage; ROUNDS=$2; shift 2 ;;
    *) usage ;;
  esac
done

# One fit is one repetition (several seconds at n = 10000): a single repetition per round unless --reps says otherwise.
if [[ $SUITE == fit && " ${OPTS[*]-} " != *" --reps "* ]]; then OPTS+=(--reps 1); fi

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
case $SUITE in
  potrf|solve) PEER_NAME=scipy-lapack-openblas ;;
  potrf-mathnet) PEER_NAME=mathnet-managed ;;
  fit|predict) PEER_NAME=numpy-rfm ;;
  *) PEER_NAME=numpy-openblas ;;
esac
APT="apt-get install -y python3-numpy python3-scipy python3-threadpoolctl libopenblas0-pthread"
# OpenBLAS picks its own (AVX-512) kernel only with the machine's Haswell override removed.
PY=(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OPENBLAS_NUM_THREADS=2 /usr/bin/python3)

# ---- prerequisites (nothing is installed here; potrf-mathnet needs no numpy, but the report runs on python3)
if [[ ! -x /usr/bin/python3 ]]; then
  echo "missing: /usr/bin/python3 (Debian's python). Install with: apt-get install -y python3 ${APT#apt-get install -y }" >&2
  exit 3
fi
missing=$("${PY[@]}" - <<'EOF'
import importlib.util
pkgs = {"numpy": "python3-numpy", "scipy": "python3-scipy", "threadpoolctl": "python3-threadpoolctl"}
print(" ".join(deb for mod, deb in pkgs.items() if importlib.util.find_spec(mod) is None))
EOF
)
if [[ -n $missing && $SUITE != potrf-mathnet ]]; then
  echo "missing for /usr/bin/python3: $missing. Install with: apt-get install -y $missing libopenblas0-pthread" >&2
  exit 3
fi
if [[ $SUITE != potrf-mathnet ]] && ! env_out=$("${PY[@]}" "$HERE/peers/numpy_peer.py" env); then
  echo "$env_out" >&2
  echo "the peer is not numpy on libopenblas0-pthread; install with: $APT" >&2
  exit 3
fi
if ! command -v dotnet >/dev/null; then
  echo "missing: dotnet (the .NET 10 SDK) on PATH" >&2
  exit 3
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/rfmfast-compare.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

# ---- build once, then run the built program (no build inside the timed process)
PROJ="$HERE/RfmFast.Bench/RfmFast.Bench.csproj"
if ! dotnet build -c Release "$PROJ" --nologo -v quiet >"$WORK/build.log" 2>&1; then
  cat "$WORK/build.log" >&2
  echo "build of $PROJ failed" >&2
  exit 1
fi
DLL=$(dotnet msbuild "$PROJ" -p:Configuration=Release -getProperty:TargetPath)

# ---- correctness: the peer writes inputs, RfmFast computes, the peer verifies (potrf-mathnet: the C#
# program factors the same matrices with both libraries and writes MathNet's check lines to peer.tsv)
if [[ $SUITE == potrf-mathnet ]]; then
  dotnet "$DLL" compare "$SUITE" --checks-only --peer-out "$WORK/peer.tsv" ${OPTS[@]+"${OPTS[@]}"} >>"$WORK/rfmfast.tsv"
elif [[ $SUITE == fit || $SUITE == predict ]]; then
  # The peer writes the data both sides read (every case's, and the check's); RfmFast runs the check (predict:
  # fits and saves the model both sides time), the peer verifies; a failed check stops the suite before timing.
  QUICK=(); [[ " ${OPTS[*]-} " == *" --quick "* ]] && QUICK=(--quick)
  "${PY[@]}" "$HERE/peers/fit_peer.py" make-data "$SUITE" "$WORK" ${QUICK[@]+"${QUICK[@]}"}
  dotnet "$DLL" compare "$SUITE" --check-dir "$WORK" --checks-only ${OPTS[@]+"${OPTS[@]}"} >>"$WORK/rfmfast.tsv"
  "${PY[@]}" "$HERE/peers/fit_peer.py" verify "$SUITE" "$WORK" ${QUICK[@]+"${QUICK[@]}"} >>"$WORK/peer.tsv"
  if grep -q $'^check\t.*FAIL' "$WORK/peer.tsv"; then
    grep $'^check\t' "$WORK/peer.tsv" | cut -f2- >&2
    echo "$SUITE: the correctness check failed; not timing" >&2
    exit 1
  fi
else
  "${PY[@]}" "$HERE/peers/numpy_peer.py" make-checks "$SUITE" "$WORK"
  dotnet "$DLL" compare "$SUITE" --check-dir "$WORK" --checks-only ${OPTS[@]+"${OPTS[@]}"} >>"$WORK/rfmfast.tsv"
  "${PY[@]}" "$HERE/peers/numpy_peer.py" run "$SUITE" --check-dir "$WORK" --checks-only ${OPTS[@]+"${OPTS[@]}"} >>"$WORK/peer.tsv"
fi

# ---- timing: case by case, one fresh process per side and case, the two sides alternating (and
# swapping who goes first each round) so that background load drifts over both alike
ROOT=$(cd "$HERE/.." && pwd)
if core_rev=$(git -C "$ROOT" log -1 --format='%h %cs' -- native-free-core 2>/dev/null); then
  dirty=$(git -C "$ROOT" status --porcelain -- native-free-core | wc -l)
  printf 'info\tmachine core source\tnative-free-core at %s, %s uncommitted file(s)\n' "$core_rev" "$dirty" >>"$WORK/rfmfast.tsv"
fi
printf 'info\tmachine load average before timing\t%s\n' "$(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cpus" >>"$WORK/rfmfast.tsv"
mapfile -t CASES < <(dotnet "$DLL" compare "$SUITE" --list ${OPTS[@]+"${OPTS[@]}"})
PEER_SCRIPT=numpy_peer.py
DATA=()
if [[ $SUITE == fit || $SUITE == predict ]]; then PEER_SCRIPT=fit_peer.py; DATA=(--data-dir "$WORK"); fi
run_ours() { dotnet "$DLL" compare "$SUITE" --case "$1" ${DATA[@]+"${DATA[@]}"} ${OPTS[@]+"${OPTS[@]}"} >>"$WORK/rfmfast.tsv"; }
run_peer() { "${PY[@]}" "$HERE/peers/$PEER_SCRIPT" run "$SUITE" --case "$1" ${DATA[@]+"${DATA[@]}"} ${OPTS[@]+"${OPTS[@]}"} >>"$WORK/peer.tsv"; }
# potrf-mathnet: both sides in one process per case, on the same matrix, the first side swapped each round
run_both() { dotnet "$DLL" compare "$SUITE" --case "$1" --first "$2" --peer-out "$WORK/peer.tsv" ${OPTS[@]+"${OPTS[@]}"} >>"$WORK/rfmfast.tsv"; }
for ((round = 1; round <= ROUNDS; round++)); do
  for c in "${CASES[@]}"; do
    if [[ $SUITE == potrf-mathnet ]]; then
      if ((round % 2)); then run_both "$c" rfmfast; else run_both "$c" mathnet; fi
    elif ((round % 2)); then run_ours "$c"; run_peer "$c"; else run_peer "$c"; run_ours "$c"; fi
  done
done
printf 'info\tmachine load average after timing\t%s\n' "$(cut -d' ' -f1-3 /proc/loadavg)" >>"$WORK/rfmfast.tsv"
/usr/bin/python3 "$HERE/compare_report.py" "$SUITE" "$PEER_NAME" "$WORK/rfmfast.tsv" "$WORK/peer.tsv"
