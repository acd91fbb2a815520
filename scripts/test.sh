#!/usr/bin/env bash
# The whole test suite: type check, lint, unit and integration tests (against a
# real production build), end-to-end tests in Chromium, then one line
# `N passed, N failed` totalling them all.
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
check build npm run build

mkdir -p .tmp
report=.tmp/vitest-report.json
rm -f "$report"
npx vitest run --reporter=default --reporter=json --outputFile="$report"
vitest_status=$?
counts=$(node -e '
  const r = require(require("node:path").resolve(process.argv[1]));
  const brokenFiles = r.testResults.filter((f) => f.status === "failed" && f.assertionResults.length === 0).length;
  console.log(r.numPassedTests, r.numFailedTests + brokenFiles);' "$report" 2>/dev/null)
if [ -n "$counts" ]; then
  read -r vitest_passed vitest_failed <<< "$counts"
  passed=$((passed + vitest_passed)); failed=$((failed + vitest_failed))
  # A non-zero exit with no failed test (an unhandled error, a crashed worker) still fails the run.
  if [ "$vitest_status" -ne 0 ] && [ "$vitest_failed" -eq 0 ]; then failed=$((failed + 1)); fi
else
  echo "vitest wrote no readable report"; failed=$((failed + 1))
fi

# End to end: Playwright in Debian's Chromium against the same production build.
pw_report=.tmp/playwright-report.json
rm -f "$pw_report"
npx playwright test
pw_status=$?
counts=$(node -e '
  const r = require(require("node:path").resolve(process.argv[1]));
  console.log(r.stats.expected + r.stats.flaky, r.stats.unexpected + (r.errors ? r.errors.length : 0));' "$pw_report" 2>/dev/null)
if [ -n "$counts" ]; then
  read -r pw_passed pw_failed <<< "$counts"
  passed=$((passed + pw_passed)); failed=$((failed + pw_failed))
  if [ "$pw_status" -ne 0 ] && [ "$pw_failed" -eq 0 ]; then failed=$((failed + 1)); fi
else
  echo "playwright wrote no readable report"; failed=$((failed + 1))
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
