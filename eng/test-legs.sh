#!/usr/bin/env bash
# Runs RfmFast's xunit v3 test executables (tests/RfmFast.Core.Tests, property-tests/RfmFast.PropertyTests,
# tests/RfmFast.Tests)
# once per ISA environment leg, each leg telling the tests which tier it must produce (RFMFAST_EXPECT_TIER);
# the rfm tool's end-to-end tests (tests/RfmFast.Cli.Tests) run in the default leg only:
#
#   x64, in this process's hardware: default, DOTNET_EnableAVX512=0, DOTNET_PreferredVectorBitWidth=256,
#   DOTNET_EnableAVX2=0, DOTNET_EnableHWIntrinsic=0, RFMFAST_FORCE_TIER=V128, DOTNET_TieredCompilation=0;
#   linux-arm64 (NEON) under qemu-aarch64-static: default and DOTNET_EnableHWIntrinsic=0.
#
# The expected tiers follow from the CPU (/proc/cpuinfo), so a host without AVX-512 expects V256 where this
# project's AVX-512 machine expects V512. The last line printed is "N passed, N failed" over all runs; the exit
# code is non-zero if any run failed, crashed, timed out or ran no test.
#
# Usage: eng/test-legs.sh [--no-build] [--no-arm64]
#   --no-build  use the executables already built (dotnet build RfmFast.sln -c Release)
#   --no-arm64  skip the qemu legs (they need qemu-user-static and arm64 libc/libstdc++/libgcc/libssl; .ci/run
#               installs them)
# Environment: RFMFAST_QEMU_TEST_SCALE (default 0.5) scales the property tests' case counts under qemu.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
started=$SECONDS

build=1
arm64=1
for arg in "$@"; do
  case "$arg" in
    --no-build) build=0 ;;
    --no-arm64) arm64=0 ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) echo "unknown argument: $arg" >&2; exit 2 ;;
  esac
done

projects=(tests/RfmFast.Core.Tests/RfmFast.Core.Tests.csproj property-tests/RfmFast.PropertyTests/RfmFast.PropertyTests.csproj
  tests/RfmFast.Tests/RfmFast.Tests.csproj)
# Run once, in the x64 (or native) default leg: they test the command-line tool's files, output and exit codes,
# which no ISA knob changes, and they start rfm processes of their own.
default_leg_projects=(tests/RfmFast.Cli.Tests/RfmFast.Cli.Tests.csproj)
logs="$root/artifacts/test-logs"
mkdir -p "$logs"

# Start from a clean slate: a knob left in the caller's environment would skew every leg.
unset RFMFAST_FORCE_TIER RFMFAST_EXPECT_TIER RFMFAST_TEST_SCALE DOTNET_EnableAVX512 DOTNET_EnableAVX2 \
  DOTNET_EnableHWIntrinsic DOTNET_PreferredVectorBitWidth DOTNET_TieredCompilation DOTNET_EnableWriteXorExecute \
  DOTNET_EnableAVX512F DOTNET_EnableFMA DOTNET_TieredPGO DOTNET_ReadyToRun || true
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# ---- expected tiers -------------------------------------------------------------------------------------------
tier_rank() { case "$1" in Scalar) echo 0 ;; V128) echo 1 ;; V256) echo 2 ;; V512) echo 3 ;; *) echo "bad tier $1" >&2; exit 2 ;; esac; }
tier_min() { if (( $(tier_rank "$1") <= $(tier_rank "$2") )); then echo "$1"; else echo "$2"; fi; }

# What Isa.Hardware must be on this CPU: V512 needs the .NET 10 "AVX512" group (F, BW, CD, DQ, VL) and FMA,
# V256 AVX2 and FMA, V128 SSE4.1 (x64) or NEON (arm64).
host_tier() {
  local arch flags
  arch="$(uname -m)"
  if [[ "$arch" == aarch64 || "$arch" == arm64 ]]; then echo V128; return; fi
  flags=" $(grep -m1 '^flags' /proc/cpuinfo | cut -d: -f2) "
  has() { for f in "$@"; do [[ "$flags" == *" $f "* ]] || return 1; done; }
  if has avx512f avx512bw avx512cd avx512dq avx512vl fma avx2; then echo V512
  elif has avx2 fma; then echo V256
  elif has sse4_1; then echo V128
  else echo Scalar
  fi
}

hw="$(host_tier)"
echo "== host $(uname -m), expected hardware tier $hw"

# ---- build ------------------------------------------------------------------------------------------------------
if (( build )); then
  echo "== dotnet build RfmFast.sln -c Release"
  dotnet build RfmFast.sln -c Release -nologo -v:q
fi

exe_of() { # the apphost of a project's Release build, wherever its output path is
  local proj="$1" dir
  dir="$(dotnet msbuild "$proj" -nologo -getProperty:TargetDir -p:Configuration=Release)"
  echo "${dir%/}/$(basename "$proj" .csproj)"
}
native_exes=()
for p in "${projects[@]}"; do
  e="$(exe_of "$p")"
  [[ -x "$e" ]] || { echo "missing test executable $e (build first, or drop --no-build)" >&2; exit 1; }
  native_exes+=("$e")
done
default_leg_exes=()
for p in "${default_leg_projects[@]}"; do
  e="$(exe_of "$p")"
  [[ -x "$e" ]] || { echo "missing test executable $e (build first, or drop --no-build)" >&2; exit 1; }
  default_leg_exes+=("$e")
done

# ---- running and counting ---------------------------------------------------------------------------------------
total_passed=0
total_failed=0
bad_runs=0
summary=()

# run_one LEG EXPECTED TIMEOUT_S EXE [ENV=VALUE ...] [-- PREFIX_COMMAND ...]
run_one() {
  local leg="$1" expect="$2" limit="$3" exe="$4"
  shift 4
  local envs=() prefix=()
  while (( $# )); do
    if [[ "$1" == -- ]]; then shift; prefix=("$@"); break; fi
    envs+=("$1"); shift
  done
  local name log rc line total errors failed skipped notrun passed
  name="$(basename "$exe")"
  log="$logs/$leg.$name.log"
  echo "== [$leg] $name  (${envs[*]:-no knobs}) expect $expect"
  set +e
  (cd "$(dirname "$exe")" && env "${envs[@]}" RFMFAST_EXPECT_TIER="$expect" \
      timeout --kill-after=30 "$limit" "${prefix[@]}" "./$name" -noColor -noLogo </dev/null) >"$log" 2>&1
  rc=$?
  set -e
  # xunit v3's summary: "   RfmFast.Core.Tests  Total: 122, Errors: 0, Failed: 0, Skipped: 0, Not Run: 0, Time: 1.9s"
  line="$(grep -E "^[[:space:]]*${name}[[:space:]]+Total: [0-9]+, Errors: [0-9]+, Failed: [0-9]+, Skipped: [0-9]+, Not Run: [0-9]+" "$log" | tail -n1 || true)"
  if [[ -z "$line" ]]; then
    echo "   no test summary (exit code $rc$([[ $rc == 124 || $rc == 137 ]] && echo ', timed out')); last lines of $log:"
    tail -n 40 "$log" | sed 's/^/   | /'
    total_failed=$((total_failed + 1))
    bad_runs=$((bad_runs + 1))
    summary+=("$(printf '%-9s %-22s %-7s %s' "$leg" "$name" "$expect" "CRASHED (exit $rc)")")
    return
  fi
  total=$(sed -E 's/.*Total: ([0-9]+).*/\1/' <<<"$line")
  errors=$(sed -E 's/.*Errors: ([0-9]+).*/\1/' <<<"$line")
  failed=$(sed -E 's/.*Failed: ([0-9]+).*/\1/' <<<"$line")
  skipped=$(sed -E 's/.*Skipped: ([0-9]+).*/\1/' <<<"$line")
  notrun=$(sed -E 's/.*Not Run: ([0-9]+).*/\1/' <<<"$line")
  passed=$((total - failed - skipped - notrun))
  total_passed=$((total_passed + passed))
  total_failed=$((total_failed + failed + errors))
  local verdict=ok
  if (( rc != 0 || failed + errors > 0 )); then
    verdict="FAILED (exit $rc)"
    grep -E '\[FAIL\]' "$log" | sed 's/^ */   /' | head -n 50 || true
    bad_runs=$((bad_runs + 1))
  elif (( passed == 0 )); then
    verdict="RAN NO TEST"
    bad_runs=$((bad_runs + 1))
  fi
  echo "   $passed passed, $((failed + errors)) failed, $skipped skipped: $verdict"
  summary+=("$(printf '%-9s %-22s %-7s %4d passed %3d failed %3d skipped  %s' "$leg" "$name" "$expect" "$passed" "$((failed + errors))" "$skipped" "$verdict")")
}

# ---- x64 legs (or native arm64) -----------------------------------------------------------------------------------
legs=()
if [[ "$(uname -m)" == x86_64 ]]; then
  legs+=("default|$hw|")
  legs+=("no512|$(tier_min "$hw" V256)|DOTNET_EnableAVX512=0")
  legs+=("pref256|$(tier_min "$hw" V256)|DOTNET_PreferredVectorBitWidth=256")
  legs+=("noavx2|$(tier_min "$hw" V128)|DOTNET_EnableAVX2=0")
  legs+=("scalar|Scalar|DOTNET_EnableHWIntrinsic=0")
  legs+=("forced|$(tier_min "$hw" V128)|RFMFAST_FORCE_TIER=V128")
  legs+=("opt|$hw|DOTNET_TieredCompilation=0")
else
  legs+=("default|$hw|")
  legs+=("scalar|Scalar|DOTNET_EnableHWIntrinsic=0")
  legs+=("forced|$(tier_min "$hw" V128)|RFMFAST_FORCE_TIER=V128")
  arm64=0 # the qemu legs are for x64 hosts; on arm64 the legs above already are NEON
fi

for spec in "${legs[@]}"; do
  IFS='|' read -r leg expect knob <<<"$spec"
  for e in "${native_exes[@]}"; do
    if [[ -n "$knob" ]]; then run_one "$leg" "$expect" 900 "$e" "$knob"; else run_one "$leg" "$expect" 900 "$e"; fi
  done
  if [[ "$leg" == default ]]; then
    for e in "${default_leg_exes[@]}"; do run_one "$leg" "$expect" 900 "$e"; done
  fi
done

# ---- NEON under qemu-user -----------------------------------------------------------------------------------------
if (( arm64 )); then
  qemu="$(command -v qemu-aarch64-static || true)"
  if [[ -z "$qemu" ]]; then
    echo "qemu-aarch64-static not found: install qemu-user-static and the arm64 libraries (see .ci/run), or pass --no-arm64" >&2
    total_failed=$((total_failed + 1))
    bad_runs=$((bad_runs + 1))
    summary+=("arm64     (not run: qemu-aarch64-static missing)")
  else
    arm_exes=()
    for p in "${projects[@]}"; do
      name="$(basename "$p" .csproj)"
      out="$root/artifacts/arm64/out/$name"
      echo "== dotnet publish $name -r linux-arm64 --self-contained"
      # A separate artifacts path keeps the arm64 restore and obj/ away from the x64 build's.
      dotnet publish "$p" -c Release -r linux-arm64 --self-contained -p:InvariantGlobalization=true \
        --artifacts-path "$root/artifacts/arm64" -o "$out" -nologo -v:q
      arm_exes+=("$out/$name")
    done
    scale="${RFMFAST_QEMU_TEST_SCALE:-0.5}"
    for e in "${arm_exes[@]}"; do
      run_one neon V128 2400 "$e" DOTNET_EnableWriteXorExecute=0 RFMFAST_TEST_SCALE="$scale" -- "$qemu" -L /
    done
    for e in "${arm_exes[@]}"; do
      run_one neon-scal Scalar 2400 "$e" DOTNET_EnableWriteXorExecute=0 DOTNET_EnableHWIntrinsic=0 RFMFAST_TEST_SCALE="$scale" -- "$qemu" -L /
    done
  fi
fi

echo
echo "== legs (logs in artifacts/test-logs/)"
printf '%s\n' "${summary[@]}"
echo
echo "test legs took $((SECONDS - started)) s"
if (( bad_runs > 0 )); then
  echo "$bad_runs run(s) failed, crashed or ran no test."
fi
echo "$total_passed passed, $total_failed failed"
(( bad_runs == 0 ))
