#!/usr/bin/env bash
# Benchmark: POST /v1/verify latency and throughput, the no-op floor, the index's heap cost and the
# lag from a create to the index (see BENCHMARKS.md, "Verification: latency, throughput, index heap").
#
#   mvn -q install -DskipTests        # once: builds infra's jar and bench's jar
#   bench/verify-bench.sh [options]   # from anywhere
#
# Options (defaults in brackets):
#   --mandates N        mandates in the index [1000000]
#   --tenants N         tenants, each with an API key [1000]
#   --real N            of them created through POST /v1/mandates at full speed [5000]
#   --trickle N         before those, created at --trickle-rate per second: the lag when idle [100, 10]
#   --paced N           after them, at --paced-rate per second: the lag at a moderate rate [1000, 100]
#   --transitions N     then N of the paced ones suspended and reactivated, and N DRAFTs created
#                       and approved, each at --paced-rate per second: the lag of those writes
#                       [1000; 0 = none]
#   --duration S        seconds per scenario and round of the open-loop runs [10]
#   --rounds N          open-loop rounds (scenarios interleaved, order rotated) [3]
#   --rate R            open-loop requests per second [1000]
#   --warmup S          seconds of open-loop load over all scenarios before anything is measured,
#                       so that the JIT has compiled the path (the "jit" column shows what is left)
#                       [180; 20 before 2026-12-06 evening]; a short closed-loop spell per
#                       saturation scenario comes first (last, before 2026-12-06 21:30)
#   --sat-workers N[,M] closed-loop workers for the saturation runs, in turn [32,128]
#   --sat-duration S    seconds per scenario and round of the saturation runs [10]
#   --scenarios LIST    open-loop scenarios, comma-separated [noop,verify,verify+proof,deny]
#   --sat-scenarios LIST saturation scenarios [noop,verify,verify+proof,deny]
#   --heap SIZE         the service JVM's heap [8g]
#   --jfr FILE          record a JFR profile of the service JVM into FILE
#   --server-jvm "OPTS" extra options for the service JVM (for example "-XX:+UseZGC")
#   --java-home DIR     run the service and the load client on the JDK in DIR [the java on PATH]
#   --publisher-batch N experiment: the Kafka publisher takes N events per batch (infra: 1)
# Output goes to the terminal and to bench/target/verify-bench-<time>.txt.
set -euo pipefail
cd "$(dirname "$0")/.."

JAR=infra/target/infra-0.1.0-SNAPSHOT.jar
BENCH_JAR=bench/target/bench-0.1.0-SNAPSHOT.jar
for f in "$JAR" "$BENCH_JAR" bench/target/lib; do
  [[ -e $f ]] || { echo "missing $f: run 'mvn -q install -DskipTests' first" >&2; exit 2; }
done

ARGS="$*"   # for the output's first line; the loop below consumes them
SERVER=(); CLIENT=(); HEAP=8g; JFR=(); EXTRA=(); JAVA=java
while [[ $# -gt 0 ]]; do
  case $1 in
    --mandates|--tenants|--real|--paced|--paced-rate|--trickle|--trickle-rate|--transitions|--create-workers|--ledger-drain-timeout|--publisher-batch)
      SERVER+=("$1" "$2"); shift 2 ;;
    --keep-data) SERVER+=("$1"); shift ;;
    --duration) CLIENT+=(--slice "$2"); shift 2 ;;
    --sat-duration) CLIENT+=(--sat-slice "$2"); shift 2 ;;
    --rounds|--rate|--warmup|--connections|--sat-workers|--sat-rounds|--scenarios|--sat-scenarios)
      CLIENT+=("$1" "$2"); shift 2 ;;
    --heap) HEAP=$2; shift 2 ;;
    --java-home) JAVA=$2/bin/java; [[ -x $JAVA ]] || { echo "no $JAVA" >&2; exit 2; }; shift 2 ;;
    --server-jvm) read -ra EXTRA <<< "$2"; shift 2 ;;
    --jfr) JFR=("-XX:StartFlightRecording=filename=$2,settings=profile" "-XX:FlightRecorderOptions=stackdepth=256"); shift 2 ;;
    *) echo "unknown option $1 (see the top of $0)" >&2; exit 2 ;;
  esac
done

LIB=$(ls bench/target/lib/*.jar | paste -sd, -)
OUT=bench/target/verify-bench-$(date +%Y%m%d-%H%M%S).txt
GCLOG=${OUT%.txt}-gc.log
{
  echo "# bench/verify-bench.sh $ARGS"
  echo "# $(date -u +%FT%TZ), $(nproc) processors, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | xargs)"
  echo "# $("$JAVA" -version 2>&1 | head -1), load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$OUT"
# The service runs inside its own executable jar (PropertiesLauncher), with the bench's classes
# and HdrHistogram added by loader.path; the load client runs in a second, small JVM.
GC=(-XX:+UseG1GC)
[[ " ${EXTRA[*]} " == *"-XX:+Use"*"GC "* ]] && GC=()
"$JAVA" -Xms"$HEAP" -Xmx"$HEAP" "${GC[@]}" "${EXTRA[@]}" "${JFR[@]}" -Xlog:gc,gc+phases,gc+cpu:file="$GCLOG":uptime \
    -Dloader.path="$BENCH_JAR,$LIB" \
    -Dloader.main=com.mandateregistry.bench.VerifyBench \
    -Dbench.client.classpath="$BENCH_JAR:${LIB//,/:}" \
    -cp "$JAR" org.springframework.boot.loader.launch.PropertiesLauncher \
    "${SERVER[@]}" -- "${CLIENT[@]}" 2>&1 | tee -a "$OUT"
echo "# load average after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT"
# GC pauses of the service JVM while the load client ran (the window the bench printed)
read -r FROM TO < <(sed -n 's/^load window (JVM uptime, s): //p' "$OUT" | tail -1) || true
awk -v from="${FROM:-0}" -v to="${TO:-1e12}" '
  /Pause/ && /ms$/ {
    t = substr($1, 2) + 0; if (t < from || t > to) next
    kind = ($0 ~ /Pause Full/) ? "full" : "other"; if ($0 ~ /Pause Young|Pause Mixed|Pause Mark|Pause Relocate/) kind = "young/mixed/STW phases"
    d = $NF; sub(/ms$/, "", d); d += 0; n[kind]++; sum[kind] += d; if (d > max[kind]) max[kind] = d; m++
    if (kind != "full") pend[$2] = 1 }
  # gc+cpu: CPU of the collector threads in the pause just logged; Sys is mostly page faults, the
  # first touch of heap regions the pause copies into
  /User=.*Sys=/ && ($2 in pend) {
    delete pend[$2]; for (i = 3; i <= NF; i++) { split($i, kv, "="); v = kv[2]; sub(/s$/, "", v); cpu[kv[1]] += v } }
  END { for (k in n) printf "# GC pauses during the load (%s): %d, total %.0f ms, mean %.1f ms, max %.1f ms\n", k, n[k], sum[k], sum[k]/n[k], max[k]
        if (m == 0) print "# GC pauses during the load: none logged"
        else if (cpu["Real"] > 0) printf "# their collector threads: user %.0f ms, kernel (sys) %.0f ms, over %.0f ms of wall time\n", 1000 * cpu["User"], 1000 * cpu["Sys"], 1000 * cpu["Real"] }' "$GCLOG" | tee -a "$OUT"
echo "(saved in $OUT)"
