#!/usr/bin/env bash
# Fails when a registered test has no TIMEOUT, or one over MAX seconds (default 900): CI has 90
# minutes on 2 cores, and a test without a deadline that hangs (a dead server, an orphaned child
# holding ctest's pipe) would eat all of it. tests/CMakeLists.txt gives every test a default.
# usage: test_timeouts.sh BUILD_DIR [MAX]
set -euo pipefail
build=${1:?usage: test_timeouts.sh BUILD_DIR [MAX]}
max=${2:-900}
ctest --test-dir "$build" --show-only=json-v1 | /usr/bin/python3 -c '
import json, sys
limit = float(sys.argv[1])
tests = json.load(sys.stdin)["tests"]
bad = []
for test in tests:
    props = {p["name"]: p["value"] for p in test.get("properties", [])}
    timeout = float(props.get("TIMEOUT", 0))
    if not 0 < timeout <= limit:
        bad.append("%s: TIMEOUT %s" % (test["name"], props.get("TIMEOUT", "unset")))
if len(tests) < 10:
    sys.exit(f"error: only {len(tests)} tests listed: is the build directory right?")
if bad:
    sys.exit("error: tests without a TIMEOUT of at most %g s:\n  " % limit + "\n  ".join(bad))
print(f"PASS: all {len(tests)} tests have a TIMEOUT of at most {limit:g} s")
' "$max"
