#!/usr/bin/env bash
# Benchmark: offline verification of an audit-ledger export (see BENCHMARKS.md).
#
#   bench/ledger-verify.sh [N] [RUNS] [ENGINE] [SIGNING]   from anywhere; defaults: 1000000 3 FAST per-entry
#
# Compiles audit-ledger and its test classes (and the modules it needs), then runs the test-only
# LedgerVerifyBenchmark: it writes a trail of N signed entries to a temporary file and times
# `ledger verify --expect-count N` on it RUNS times, in-process, printing each time and the median.
# ENGINE is `ledger verify --engine`: FAST (default) or JCA (SunEC; slow, use a small N).
# SIGNING is how the trail is signed: per-entry (format v1, default), batch-own (format v2, batches of
# 100 entries of this tenant: one signature per 100) or batch-shared (format v2, each entry alone of
# its tenant in a batch of 100: one signature and a 7-hash proof per entry).
set -euo pipefail
cd "$(dirname "$0")/.."

N=${1:-1000000}
RUNS=${2:-3}
ENGINE=${3:-FAST}
SIGNING=${4:-per-entry}
CLASSPATH_FILE=$PWD/audit-ledger/target/ledger-bench.classpath

# One reactor build: audit-ledger's dependencies inside the project resolve to their target/classes,
# so this works on a clean checkout, with or without `mvn install`.
mvn -q -pl audit-ledger -am test-compile dependency:build-classpath \
    -Dmdep.outputFile="$CLASSPATH_FILE" -Dmdep.includeScope=test

TRAIL=$(mktemp --tmpdir ledger-bench-XXXXXX.jsonl)   # about 0.9 KB per entry
trap 'rm -f "$TRAIL"' EXIT
java -cp "audit-ledger/target/test-classes:audit-ledger/target/classes:$(cat "$CLASSPATH_FILE")" \
    com.mandateregistry.ledger.bench.LedgerVerifyBenchmark "$N" "$RUNS" "$TRAIL" "$ENGINE" "$SIGNING"
