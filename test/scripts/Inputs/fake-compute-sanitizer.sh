#!/usr/bin/env bash
# A stand-in for compute-sanitizer in sanitize-mode.test: what it prints for
# each tool (the --tool argument) comes from FAKE_<TOOL>: "pass" (a gtest and
# an ERROR SUMMARY line of 0 errors), "slow:N" (the same after N seconds),
# "errors" (2 errors, exit 1) or "silent" (nothing, exit 1).
tool=""
while [ $# -gt 0 ]; do
  if [ "$1" = --tool ]; then tool="$2"; break; fi
  shift
done
var="FAKE_$(echo "$tool" | tr a-z A-Z)"
mode="${!var:-pass}"
case "$mode" in
  slow:*) sleep "${mode#slow:}"; mode=pass ;;
esac
case "$mode" in
  pass)
    echo "[  PASSED  ] 3 tests."
    echo "========= ERROR SUMMARY: 0 errors" ;;
  errors)
    echo "[  PASSED  ] 3 tests."
    echo "========= ERROR SUMMARY: 2 errors"
    exit 1 ;;
  silent)
    exit 1 ;;
esac
