#!/usr/bin/env bash
# The whole test suite: type check, lint, unit and integration tests (against a
# real production build), then one line `N passed, N failed` totalling them all.
set -uo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1

bash scripts/ensure-system-packages.sh || exit 1
[ -d node_modules/next ] || npm ci --no-audit --no-fund || exit 1

passed=0
failed=0
check() { # name, command...
  local name=$1; shift
  echo "== $name"
  if "$@"; then passed=$((passed + 1)); echo "== $name: passed"; else failed=$((failed + 1)); echo "== $name: FAILED"; fi
}

check typecheck npx tsc --noEmit
check lint npx eslint --max-warnings=0 .
check build npx next build

mkdir -p .tmp
report="$PWD/.tmp/vitest-report.json" # absolute: require() would read a bare relative path as a package name
rm -f "$report"
npx vitest run --reporter=default --reporter=json --outputFile="$report"
vitest_status=$?
if [ -s "$report" ]; then
  read -r vp vf < <(node -e 'const r=require(process.argv[1]); console.log(r.numPassedTests, r.numFailedTests + (r.numRuntimeErrorTestSuites ?? 0) + r.testResults.filter(f => f.status === "failed" && f.assertionResults.length === 0).length)' "$report")
  if [ -z "${vp:-}" ] || [ -z "${vf:-}" ]; then echo "could not read the vitest report"; vp=0; vf=1; fi
  passed=$((passed + vp)); failed=$((failed + vf))
  if [ "$vitest_status" -ne 0 ] && [ "$vf" -eq 0 ]; then failed=$((failed + 1)); fi
else
  echo "vitest wrote no report"; failed=$((failed + 1))
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
