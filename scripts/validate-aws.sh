#!/usr/bin/env bash
# AWS's own validators on what would be deployed: the stack synthesized offline (no bundling: the
# template is the same, and this takes seconds, not a minute), cfn-lint on the template (zero
# errors; warnings only where suppressed in the template with a reason), asl-validator on the ASL
# files and on the definition embedded in the template.
# Prints one PASS/FAIL line per check and ends with "validators: N passed, N failed"; with
# VALIDATE_AWS_RESULTS=<file>, also writes {"passed":N,"failed":N} there. Exit code: 0 if all passed.
set -uo pipefail
cd "$(dirname "$0")/.."

out=$(mktemp -d "${TMPDIR:-/tmp}/arbiter-validate-XXXXXX")
trap 'rm -rf "$out"' EXIT
passed=0
failed=0
pass() { echo "PASS $1"; passed=$((passed + 1)); }
fail() { echo "FAIL $1"; failed=$((failed + 1)); }

export CDK_DISABLE_VERSION_CHECK=1 ARBITER_SYNTH_WITHOUT_ASSETS=1
template="$out/Arbiter.template.json"
if npx cdk synth --quiet --output "$out" >"$out/synth.log" 2>&1 && [ -s "$template" ]; then
  pass "cdk synth"
else
  cat "$out/synth.log"
  fail "cdk synth"
fi

if [ -s "$template" ]; then
  if ! command -v cfn-lint >/dev/null 2>&1; then
    fail "cfn-lint: not installed (pip install cfn-lint)"
  # cfn-lint exits 0 only with no error, warning or informational finding left unsuppressed.
  elif cfn-lint --format parseable -- "$template"; then
    pass "cfn-lint $(cfn-lint --version 2>&1 | tr -d '\n')"
  else
    fail "cfn-lint (findings above)"
  fi

  asl_log="$out/asl.log"
  node --import tsx scripts/validate-asl.ts "$template" | tee "$asl_log"
  passed=$((passed + $(grep -c '^PASS' "$asl_log")))
  failed=$((failed + $(grep -c '^FAIL' "$asl_log")))
  # A crash before any line is a failure too.
  [ -s "$asl_log" ] || fail "asl-validator (no result)"
fi

echo "validators: $passed passed, $failed failed"
[ -n "${VALIDATE_AWS_RESULTS:-}" ] && printf '{"passed":%d,"failed":%d}\n' "$passed" "$failed" >"$VALIDATE_AWS_RESULTS"
[ "$failed" -eq 0 ]
