#!/usr/bin/env bash
# The test command: installs what the tests need, builds everything, runs the whole suite and ends
# with one line "N passed, N failed, N skipped". Exit status 0 only if nothing failed.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/install-deps.sh
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

if ! build_log="$(dotnet build MpegCoder.sln -c Release -nologo 2>&1)"; then
  echo "$build_log" | grep -E "error|Error" >&2 || echo "$build_log" >&2
  echo "0 passed, 1 failed, 0 skipped"
  exit 1
fi

set +e
results="$(mktemp -d)"
trap 'rm -rf "$results"' EXIT
dotnet test MpegCoder.sln -c Release --no-build -nologo --results-directory "$results" \
  --logger "console;verbosity=normal" --logger "trx" 2>&1
status=$?
# The pure-managed unit tests once more in Debug, where the engine's Debug.Assert invariant checks
# (the frame ring's) are compiled in and fail the run if broken.
dotnet test tests/MpegCoder.Tests/MpegCoder.Tests.csproj -c Debug -nologo --results-directory "$results" \
  --filter "FullyQualifiedName~MpegCoder.Tests.Unit" --logger "console;verbosity=minimal" --logger "trx" 2>&1
debug_status=$?
if [[ $status -eq 0 ]]; then status=$debug_status; fi
set -e

# Sum the counters of every test assembly's TRX report (a skipped xunit test is "notExecuted").
count() { cat "$results"/*.trx 2>/dev/null | grep -o "<Counters [^>]*" | grep -o " $1=\"[0-9]*\"" | grep -o "[0-9]*" | awk '{ n += $1 } END { print n + 0 }'; }
passed=$(count passed); failed=$(( $(count failed) + $(count error) + $(count timeout) + $(count aborted) )); skipped=$(count notExecuted)
if [[ "$failed" == 0 && $status -ne 0 ]]; then failed=1; fi
# Name every failed test once more just above the summary, so the end of a long log says what failed.
/usr/bin/python3 - "$results" <<'PY' || true
import glob, sys, xml.etree.ElementTree as ET
ns = "{http://microsoft.com/schemas/VisualStudio/TeamTest/2010}"
for trx in glob.glob(sys.argv[1] + "/*.trx"):
    for r in ET.parse(trx).iter(ns + "UnitTestResult"):
        if r.get("outcome") == "Failed":
            message = r.find(f"{ns}Output/{ns}ErrorInfo/{ns}Message")
            text = " ".join((message.text or "").split()) if message is not None else ""
            print(f"FAILED: {r.get('testName')}: {text[:400]}")
PY
echo "$passed passed, $failed failed, $skipped skipped"
exit $status
