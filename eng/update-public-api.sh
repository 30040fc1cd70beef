#!/usr/bin/env bash
# Adds the public symbols a build reports as undeclared (RS0016) to PROJECT_DIR/PublicAPI.Unshipped.txt, so that a
# reviewed API change is one command; removed symbols (RS0017) are listed for deleting by hand.
# usage: eng/update-public-api.sh src/RfmFast
set -euo pipefail
dir=${1:?usage: eng/update-public-api.sh PROJECT_DIR}
out=$(dotnet build "$dir" -c Release -nologo -v:q 2>&1 || true)
grep -o "error RS0016: Symbol '[^']*'" <<<"$out" | sed "s/^error RS0016: Symbol '//; s/'\$//" | sort -u >> "$dir/PublicAPI.Unshipped.txt" || true
{ head -1 "$dir/PublicAPI.Unshipped.txt"; tail -n +2 "$dir/PublicAPI.Unshipped.txt" | sort -u; } > "$dir/PublicAPI.Unshipped.tmp"
mv "$dir/PublicAPI.Unshipped.tmp" "$dir/PublicAPI.Unshipped.txt"
grep -o "error RS0017: Symbol '[^']*'" <<<"$out" | sort -u | sed 's/^/remove by hand: /' || true
