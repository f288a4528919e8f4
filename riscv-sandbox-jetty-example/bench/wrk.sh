#!/usr/bin/env bash
# wrk against the Jetty demo: /riscv (Host bench.example: the sandbox runs guests/bin/bench-hello-forge, which appends
# a request header and forges a small JSON response) and /native (a Java handler doing the same work), in one run,
# alternating riscv/native, at -c1 -t1 and -c2 -t2. Prints a table of requests/s, p50 and p99 and the ratios, and the
# demo JVM's CPU time per request (user + system, from /proc, divided by the requests wrk completed).
#
#   riscv-sandbox-jetty-example/bench/wrk.sh [-d 10s] [-w 10s] [-r 3] [-p 18080] [-c "1 2"] [-j JAR] [-P]
#
#   -d  duration of each measured wrk run (default 10s)
#   -w  warm-up per target before measuring (default 10s, at -c2 -t2)
#   -r  rounds: each round runs every connection count against both targets (default 3; the table gives medians)
#   -p  port for the demo (default 18080)
#   -c  connection counts, each run with as many wrk threads (default "1 2")
#   -j  the demo jar (default riscv-sandbox-jetty-example/target/riscv-sandbox-jetty-example.jar, built if missing)
#   -P  separate client and server (taskset): the demo on the last CPU, wrk on the others, as if wrk ran on another
#       machine; without it both share every CPU, so wrk's work evicts the server's caches between requests
# Environment: JAVA (default java), JAVA_OPTS (extra JVM options for the demo), KEEP_LOGS=1 keeps the wrk outputs.
set -euo pipefail

DURATION=10s WARMUP=10s ROUNDS=3 PORT=18080 CONNECTIONS="1 2" JAR= PIN=0
while getopts "d:w:r:p:c:j:Ph" opt; do
  case "$opt" in
    d) DURATION=$OPTARG ;;
    w) WARMUP=$OPTARG ;;
    r) ROUNDS=$OPTARG ;;
    p) PORT=$OPTARG ;;
    c) CONNECTIONS=$OPTARG ;;
    j) JAR=$OPTARG ;;
    P) PIN=1 ;;
    *) sed -n '2,19p' "$0"; exit 2 ;;
  esac
done

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
JAR=${JAR:-$ROOT/riscv-sandbox-jetty-example/target/riscv-sandbox-jetty-example.jar}
JAVA=${JAVA:-java}

if ! command -v wrk >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "installing wrk (Debian package)" >&2
    apt-get update -qq >/dev/null && apt-get install -y -qq wrk >/dev/null
  else
    echo "wrk is not installed: apt-get install wrk" >&2
    exit 1
  fi
fi
if [ ! -f "$JAR" ]; then
  echo "building $JAR" >&2
  (cd "$ROOT" && mvn -B -q install -DskipTests -pl riscv-sandbox-jetty-example -am)
fi

SERVER_CPUS=() CLIENT_CPUS=()
if [ "$PIN" = 1 ]; then
  CPUS=$(nproc)
  if [ "$CPUS" -lt 2 ] || ! command -v taskset >/dev/null; then
    echo "-P needs at least two CPUs and taskset (util-linux)" >&2
    exit 1
  fi
  SERVER_CPUS=(taskset -c "$((CPUS - 1))")
  if [ "$CPUS" = 2 ]; then CLIENT_CPUS=(taskset -c 0); else CLIENT_CPUS=(taskset -c "0-$((CPUS - 2))"); fi
fi

WORK=$(mktemp -d)
LOG=$WORK/demo.log
# shellcheck disable=SC2086
"${SERVER_CPUS[@]}" "$JAVA" ${JAVA_OPTS:-} -jar "$JAR" --port "$PORT" >"$LOG" 2>&1 &
DEMO=$!
cleanup() {
  kill "$DEMO" 2>/dev/null || true
  wait "$DEMO" 2>/dev/null || true
  if [ "${KEEP_LOGS:-0}" = 1 ]; then echo "logs kept in $WORK" >&2; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

BASE=http://127.0.0.1:$PORT
for _ in $(seq 1 100); do
  if curl -fsS -o /dev/null -H 'Host: bench.example' "$BASE/riscv" 2>/dev/null; then break; fi
  if ! kill -0 "$DEMO" 2>/dev/null; then cat "$LOG" >&2; echo "the demo did not start" >&2; exit 1; fi
  sleep 0.2
done
R=$(curl -fsS -H 'Host: bench.example' "$BASE/riscv")
N=$(curl -fsS -H 'Host: bench.example' "$BASE/native")
if [ "$R" != "$N" ]; then echo "riscv and native answer differently: $R / $N" >&2; exit 1; fi

cpu_ticks() { # user + system clock ticks of the demo's JVM so far
  awk '{ print $14 + $15 }' "/proc/$DEMO/stat"
}
run() { # target connections output: the wrk output, then a line "cpu TICKS" with the JVM's CPU time during the run
  local before after
  before=$(cpu_ticks)
  "${CLIENT_CPUS[@]}" wrk -c"$2" -t"$2" -d"$DURATION" --latency -H 'Host: bench.example' "$BASE/$1" >"$3"
  after=$(cpu_ticks)
  echo "cpu $((after - before))" >>"$3"
}

placement="client and server share all CPUs"
if [ "$PIN" = 1 ]; then placement="server on CPU ${SERVER_CPUS[2]}, wrk on CPU ${CLIENT_CPUS[2]}"; fi
echo "demo: $("$JAVA" -version 2>&1 | head -1); $(nproc) CPUs, $placement; wrk -d$DURATION, $ROUNDS rounds, warm-up $WARMUP" >&2
for t in riscv native; do
  "${CLIENT_CPUS[@]}" wrk -c2 -t2 -d"$WARMUP" -H 'Host: bench.example' "$BASE/$t" >/dev/null
done

for round in $(seq 1 "$ROUNDS"); do
  for c in $CONNECTIONS; do
    # alternate which target goes first, so drift in the machine's speed favours neither
    if [ $(((round + c) % 2)) = 0 ]; then order="riscv native"; else order="native riscv"; fi
    for t in $order; do
      run "$t" "$c" "$WORK/$t-c$c-r$round.txt"
      echo "round $round -c$c $t: $(grep 'Requests/sec' "$WORK/$t-c$c-r$round.txt")" >&2
    done
  done
done

# requests/s, p50 and p99 (µs), and the JVM's CPU time per request (µs) of one run
parse() {
  awk -v hz="$(getconf CLK_TCK)" '
    function us(v) {
      if (v ~ /us$/) return v + 0; if (v ~ /ms$/) return (v + 0) * 1000; if (v ~ /s$/) return (v + 0) * 1000000
      return v + 0
    }
    /Requests\/sec/ { rps = $2 }
    / requests in / { n = $1 }
    $1 == "cpu" { ticks = $2 }
    $1 == "50%" { p50 = us($2) }
    $1 == "99%" { p99 = us($2) }
    /Non-2xx|Socket errors/ { errors = errors " " $0 }
    END { if (errors != "") print "errors:" errors > "/dev/stderr"; printf "%s %s %s %s\n", rps, p50, p99, ticks * 1000000 / hz / n }' "$1"
}
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

echo
printf '| wrk | riscv req/s | native req/s | riscv/native | riscv p50 | native p50 | riscv p99 | native p99 | p99 riscv/native | JVM CPU/request riscv | native |\n'
printf '|---|---|---|---|---|---|---|---|---|---|---|\n'
for c in $CONNECTIONS; do
  declare -A m=()
  for t in riscv native; do
    for round in $(seq 1 "$ROUNDS"); do parse "$WORK/$t-c$c-r$round.txt"; done >"$WORK/$t-c$c.parsed"
    m[$t.rps]=$(awk '{ print $1 }' "$WORK/$t-c$c.parsed" | median)
    m[$t.p50]=$(awk '{ print $2 }' "$WORK/$t-c$c.parsed" | median)
    m[$t.p99]=$(awk '{ print $3 }' "$WORK/$t-c$c.parsed" | median)
    m[$t.cpu]=$(awk '{ print $4 }' "$WORK/$t-c$c.parsed" | median)
  done
  awk -v c="$c" -v rr="${m[riscv.rps]}" -v nr="${m[native.rps]}" -v r50="${m[riscv.p50]}" -v n50="${m[native.p50]}" \
      -v r99="${m[riscv.p99]}" -v n99="${m[native.p99]}" -v rc="${m[riscv.cpu]}" -v nc="${m[native.cpu]}" 'BEGIN {
    printf "| -c%s -t%s | %.0f | %.0f | **%.1f %%** | %.0f µs | %.0f µs | %.0f µs | %.0f µs | **%.2f×** | %.1f µs | %.1f µs |\n",
      c, c, rr, nr, 100 * rr / nr, r50, n50, r99, n99, r99 / n99, rc, nc }'
  unset m
done
echo
echo "medians of $ROUNDS rounds, $placement; per-run figures above (stderr)"
