#!/usr/bin/env bash
# The benchmark command: builds in release mode, starts the real stack on loopback and drives
# it with bench/load_generator.cc, measuring in the same run the baselines the targets are
# relative to (a bare cpp-httplib server; SQLite's raw durable commit rate on the same disk),
# and for reference hook 2's write path alone (bench/store_rate.cc).
# Prints a table, each figure next to its target, and writes build-release/bench.json.
#   ./bench/run.sh            # about eleven minutes; three with GATEHOUSE_BENCH_LARGE=0
# Environment: GATEHOUSE_BENCH_SECONDS (per load run, default 5), GATEHOUSE_BENCH_CONNECTIONS
# (default 16), GATEHOUSE_BENCH_WRITE_CONNECTIONS (hook 2 again, for reference, default twice
# as many), GATEHOUSE_BENCH_ROUNDS (rounds of SQLite's commit rate and hook 2, alternating,
# default 3; also the pairs of the watch comparison), GATEHOUSE_BENCH_WATCH_RATE (new applicants
# a second for the watch comparison, open loop, default 500), GATEHOUSE_BENCH_LARGE (stored
# requests for the scale comparison, default 1000000, which takes about five minutes to seed;
# 0 skips it).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
seconds=${GATEHOUSE_BENCH_SECONDS:-5}
large=${GATEHOUSE_BENCH_LARGE:-1000000}
connections=${GATEHOUSE_BENCH_CONNECTIONS:-16}
watch_rate=${GATEHOUSE_BENCH_WATCH_RATE:-500}
rounds=${GATEHOUSE_BENCH_ROUNDS:-3}
[[ $seconds =~ ^[0-9]+(\.[0-9]+)?$ && ! $seconds =~ ^0+(\.0+)?$ ]] || {
  echo "GATEHOUSE_BENCH_SECONDS must be a number of seconds above 0, not '$seconds'" >&2
  exit 2
}
whole() {  # whole NAME VALUE: exits unless VALUE is a whole number of 1 or more
  [[ $2 =~ ^[1-9][0-9]*$ ]] ||
    { echo "$1 must be a whole number of 1 or more, not '$2'" >&2; exit 2; }
}
whole GATEHOUSE_BENCH_CONNECTIONS "$connections"
whole GATEHOUSE_BENCH_ROUNDS "$rounds"
whole GATEHOUSE_BENCH_WATCH_RATE "$watch_rate"
write_connections=${GATEHOUSE_BENCH_WRITE_CONNECTIONS:-$((2 * connections))}
whole GATEHOUSE_BENCH_WRITE_CONNECTIONS "$write_connections"
[[ $large =~ ^[0-9]+$ ]] ||
  { echo "GATEHOUSE_BENCH_LARGE must be a whole number (0 skips), not '$large'" >&2; exit 2; }
./deploy/install-deps.sh
cmake -S . -B build-release -DCMAKE_BUILD_TYPE=Release -DGATEHOUSE_BUILD_TESTS=OFF > /dev/null
cmake --build build-release -j"$(nproc)" > /dev/null
bin=$root/build-release/bin
work=$(mktemp -d /tmp/gatehouse-bench-XXXXXX)
pids=()
cleanup() {
  # (Some are gone already; a failing kill must not end the clean-up under set -e.)
  for pid in "${pids[@]}"; do
    kill -CONT "$pid" 2>/dev/null || true
    kill -TERM "$pid" 2>/dev/null || true
  done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
results=$work/results.jsonl

record() { echo "{\"name\":\"$1\",\"value\":$2}" >> "$results"; }

# start NAME COMMAND...: runs it in the background and waits for its ready line; sets $port and
# $pid and records the start-up time in milliseconds.
start() {
  local name=$1
  shift
  local log=$work/$name.log
  local began
  # A log left by an earlier start would show its ready line before this one truncates it.
  rm -f "$log"
  began=$(date +%s%N)
  "$@" > "$log" 2>&1 &
  pid=$!
  pids+=("$pid")
  until grep -qs "ready on" "$log"; do
    kill -0 "$pid" 2>/dev/null || { echo "$name died: $(cat "$log")" >&2; exit 1; }
    sleep 0.002
  done
  startup_ms=$(( ($(date +%s%N) - began) / 1000000 ))
  port=$(grep -o "ready on [0-9.]*:[0-9]*" "$log" | head -1 | sed 's/.*://')
}

load() {  # load PORT PATH BODY [SECONDS [CONNECTIONS]]
  "$bin/gatehouse-load" --port "$1" --path "$2" --body "$3" --connections "${5:-$connections}" \
    --seconds "${4:-$seconds}" --warmup-s 1
}
field() { python3 -c "import json,sys; print(json.loads(sys.argv[1])$2)" "$1"; }
rss_mb() { awk '/VmHWM/ {printf "%.1f", $2 / 1024}' "/proc/$1/status"; }
stored() {  # stored DB: the requests in DB, read beside the running core
  python3 -c "import sqlite3, sys
print(sqlite3.connect(sys.argv[1], timeout=5).execute('SELECT count(*) FROM requests').fetchone()[0])" "$1"
}

# The applicant whose hook 1 is measured: asks once, then a reviewer approves.
approved='{"email":"approved@fabrikam.com","displayName":"Approved Applicant"}'
approve_probe() {  # approve_probe REVIEWER_TOKEN
  "$bin/gatehouse-load" --port "$gateway_port" --path /api/connectors/request-approval \
    --body "$approved" --connections 1 --seconds 0.1 --warmup-s 0 > /dev/null
  # The load stops at 0.1 s even if the first answer is still on its way (a cold start on a
  # large database takes longer), so the request may be recorded a moment later.
  local id=""
  for _ in $(seq 50); do
    id=$(GATEHOUSE_TOKEN=$1 "$bin/reviewer" --server "127.0.0.1:$core_port" list -o json \
      --search approved@ |
      python3 -c "import json,sys; r=json.load(sys.stdin); print(r[0]['id'] if r else '')")
    [[ -n $id ]] && break
    sleep 0.1
  done
  [[ -n $id ]] || { echo "the probe applicant was not recorded within 5 s" >&2; exit 1; }
  GATEHOUSE_TOKEN=$1 "$bin/reviewer" --server "127.0.0.1:$core_port" approve "$id" > /dev/null
}
start_stack() {  # start_stack DB [GATEWAY ARGS...]: sets core_port, core_pid, gateway_port, gateway_pid
  local db=$1
  shift
  start core "$bin/approval-core" --listen 127.0.0.1:0 --db "$db"
  core_port=$port core_pid=$pid
  start gateway "$bin/connector-gateway" --listen 127.0.0.1:0 --core "127.0.0.1:$core_port" "$@"
  gateway_port=$port gateway_pid=$pid
}
stop_stack() {
  kill -TERM "$gateway_pid" "$core_pid"
  wait "$gateway_pid" "$core_pid" || true
}


echo "measuring on $(nproc) cores; $seconds s per run, $connections connections" \
  "(hook 2 also at $write_connections)" >&2

# Baseline 1: bare HTTP.
start baseline "$bin/gatehouse-baseline-server"
baseline=$(load "$port" /api/connectors/check-approval '{"email":"x@example.com"}')
kill -TERM "$pid"

# Baseline 2, SQLite's raw durable commit rate on the disk the database lives on, is measured
# further down, in rounds alternating with hook 2.
mkdir -p "$work/data"
# Hook 2's write path alone, on the same disk: what is left of it once HTTP and gRPC are gone.
store_alone=$("$bin/gatehouse-store-rate" --dir "$work/data" --batch 1 --seconds 3)
store_batched=$("$bin/gatehouse-store-rate" --dir "$work/data" --batch 6 --seconds 3)

# The stack, as the quickstart runs it.
db=$work/data/gatehouse.db
core_ready_ms=()
gateway_ready_ms=()
connector_token=$("$bin/approval-core" token create --db "$db" --name gateway --role connector)
reviewer_token=$("$bin/approval-core" token create --db "$db" --name bench --role reviewer)
export GATEHOUSE_CORE_TOKEN=$connector_token GATEHOUSE_BASIC_USERNAME=bench \
  GATEHOUSE_BASIC_PASSWORD=bench-password GATEHOUSE_BENCH_BASIC=bench:bench-password
for _ in 1 2 3; do  # start-up to ready, three times each
  start core "$bin/approval-core" --listen 127.0.0.1:0 --db "$db"
  core_ready_ms+=("$startup_ms"); core_port=$port; kill -TERM "$pid"; wait "$pid" || true
  start gateway "$bin/connector-gateway" --listen 127.0.0.1:0 --core "127.0.0.1:$core_port"
  gateway_ready_ms+=("$startup_ms"); kill -TERM "$pid"; wait "$pid" || true
done
start_stack "$db"

# Hook 1 for an approved applicant: the read path, as deployed (answers kept between the
# core's change notices), and, for reference, with every call going to the core.
approve_probe "$reviewer_token"
hook1=$(load "$gateway_port" /api/connectors/check-approval "$approved")
start uncached "$bin/connector-gateway" --listen 127.0.0.1:0 --core "127.0.0.1:$core_port" \
  --decision-cache-ms 0
hook1_uncached=$(load "$port" /api/connectors/check-approval "$approved")
kill -TERM "$pid"
wait "$pid" || true

# Hook 2 for distinct new applicants, the durable write path, against SQLite's raw durable
# commit rate: in rounds, each measuring one right after the other, because the disk and the
# shared cores drift by more than the margin between them. The report takes the median round.
# For reference, each round also runs hook 2 at more connections: a commit can only take the
# applicants that wait together, so the ratio grows with them (and so does the latency).
# Each round adds its applicants to the same database, and hook 2 slows as it grows
# (bench/FINDINGS.md), so each round's row says how many requests were stored when it began.
# The reference runs go to a second stack with a database of its own: they record twice as many
# applicants as the measured ones, and would otherwise make each round after the first measure
# a database grown mostly by them.
wide_db=$work/data/wide.db
wide_token=$("$bin/approval-core" token create --db "$wide_db" --name gateway --role connector)
start wide-core "$bin/approval-core" --listen 127.0.0.1:0 --db "$wide_db"
wide_core_pid=$pid
GATEHOUSE_CORE_TOKEN=$wide_token start wide-gateway "$bin/connector-gateway" \
  --listen 127.0.0.1:0 --core "127.0.0.1:$port"
wide_gateway_port=$port wide_gateway_pid=$pid
sqlite_rounds=() hook2_rounds=() hook2_wide_rounds=() stored_rounds=()
for round in $(seq "$rounds"); do
  stored_rounds+=("$(stored "$db")")
  sqlite_rounds+=("$("$bin/gatehouse-sqlite-commit-rate" --dir "$work/data" --seconds 3)")
  hook2_rounds+=("$(load "$gateway_port" /api/connectors/request-approval \
    "{\"email\":\"applicant-$round-{n}@contoso.com\",\"displayName\":\"Applicant {n}\"}")")
  hook2_wide_rounds+=("$(load "$wide_gateway_port" /api/connectors/request-approval \
    "{\"email\":\"applicant-$round-w{n}@contoso.com\",\"displayName\":\"Applicant {n}\"}" \
    "$seconds" "$write_connections")")
done
kill -TERM "$wide_gateway_pid" "$wide_core_pid"
wait "$wide_gateway_pid" "$wide_core_pid" || true

# Watchers beside hook 2: at a fixed rate of new applicants (open loop, so the figure shows
# waiting rather than two cores shared by more work), hook 2 with no watch stream open, then with
# 16 (8 following every event, 8 held open reading nothing until the run is over), in
# alternating pairs. Every stream must see every event of its run, in order.
follow_token=$("$bin/approval-core" token create --db "$db" --name bench-follow --role reader)
idle_token=$("$bin/approval-core" token create --db "$db" --name bench-idle --role reader)
head_revision() {
  python3 -c "import sqlite3, sys
print(sqlite3.connect(sys.argv[1], timeout=5).execute(
    'SELECT coalesce(max(revision), 0) FROM events').fetchone()[0])" "$db"
}
rate_load() {  # rate_load NAME [GATEWAY_PORT]: hook 2 at $watch_rate new applicants a second
  "$bin/gatehouse-load" --port "${2:-$gateway_port}" --path /api/connectors/request-approval \
    --body "{\"email\":\"$1-{n}@contoso.com\",\"displayName\":\"Applicant {n}\"}" \
    --rate "$watch_rate" --connections 32 --seconds "$seconds" --warmup-s 1
}
unwatched_rounds=() watched_rounds=() watcher_reports=()
for round in $(seq "$rounds"); do
  unwatched_rounds+=("$(rate_load "unwatched-$round")")
  coproc WATCHERS {
    GATEHOUSE_BENCH_FOLLOW_TOKEN=$follow_token GATEHOUSE_BENCH_IDLE_TOKEN=$idle_token \
      "$bin/gatehouse-watchers" --port "$core_port" --since "$(head_revision)" \
      --following 8 --idle 8
  }
  watchers_pid=$WATCHERS_PID
  pids+=("$watchers_pid")
  read -r _ <&"${WATCHERS[0]}"  # "watching": every stream is open
  watched_rounds+=("$(rate_load "watched-$round")")
  echo "until $(head_revision)" >&"${WATCHERS[1]}"
  read -r report <&"${WATCHERS[0]}"
  watcher_reports+=("$report")
  wait "$watchers_pid" || true
done
core_rss=$(rss_mb "$core_pid")
gateway_rss=$(rss_mb "$gateway_pid")

# Notifications beside hook 2, at the same fixed rate: two fresh stacks, one without targets and
# one with three webhook targets (two on receivers of the benchmark's own, one whose receiver is
# down, so that its thread waits out the retry schedule), in alternating rounds. The live
# receivers must have every event within 5 s of its recording.
notify_db=$work/data/notify.db
head_of() {
  python3 -c "import sqlite3, sys
print(sqlite3.connect(sys.argv[1], timeout=5).execute(
    'SELECT coalesce(max(revision), 0) FROM events').fetchone()[0])" "$1"
}
printf 'whsec_%s\n' "$(head -c 32 /dev/urandom | base64)" > "$work/webhook.secret"
receiver_ports=() receiver_pids=() notify_stack_pids=()
for name in receiver-a receiver-b; do
  mkfifo "$work/$name.in"
  # Held open read-write here, so the receiver's open of the fifo does not wait for a writer.
  exec {fd}<>"$work/$name.in"
  eval "${name//-/_}_fd=$fd"
  start "$name" bash -c 'exec "$0" < "$1"' "$bin/gatehouse-notify-receiver" "$work/$name.in"
  receiver_ports+=("$port")
  receiver_pids+=("$pid")
done
{
  for i in 0 1 2; do
    target_port=${receiver_ports[$i]:-9}  # nothing listens on port 9: the receiver that is down
    printf '[[notify]]\nname = "target-%s"\nkind = "webhook"\nurl = "http://127.0.0.1:%s/hook"\n' \
      "$i" "$target_port"
    printf 'secret_file = "%s"\nallow_insecure_http = true\n\n' "$work/webhook.secret"
  done
} > "$work/notify.toml"
notify_gateways=()
for kind in plain notify; do
  kind_db=$work/data/$kind.db
  kind_token=$("$bin/approval-core" token create --db "$kind_db" --name gateway --role connector)
  config=()
  [[ $kind == notify ]] && config=(--config "$work/notify.toml")
  start "$kind-core" "$bin/approval-core" --listen 127.0.0.1:0 --db "$kind_db" "${config[@]}"
  eval "${kind}_core_pid=$pid"
  GATEHOUSE_CORE_TOKEN=$kind_token start "$kind-gateway" "$bin/connector-gateway" \
    --listen 127.0.0.1:0 --core "127.0.0.1:$port"
  notify_gateways+=("$port")
  notify_stack_pids+=("$pid")
done
notify_since=$(head_of "$notify_db")
plain_rounds=() notified_rounds=()
for round in $(seq "$rounds"); do
  plain_rounds+=("$(rate_load "plain-$round" "${notify_gateways[0]}")")
  notified_rounds+=("$(rate_load "notified-$round" "${notify_gateways[1]}")")
done
notify_until=$(head_of "$notify_db")
for name in receiver-a receiver-b; do
  fd_var=${name//-/_}_fd
  echo "since $notify_since until $notify_until" >&"${!fd_var}"
done
wait "${receiver_pids[@]}" || true
receiver_reports=("$(tail -1 "$work/receiver-a.log")" "$(tail -1 "$work/receiver-b.log")")
kill -TERM "${notify_stack_pids[@]}" "$plain_core_pid" "$notify_core_pid"
wait "${notify_stack_pids[@]}" "$plain_core_pid" "$notify_core_pid" || true

# Core frozen: every answer must be the fail-closed block, within the deadline + 50 ms.
kill -STOP "$core_pid"
stopped=$(load "$gateway_port" /api/connectors/check-approval '{"email":"someone@contoso.com"}' 3)
kill -CONT "$core_pid"

# Scale: hook 1 with 10,000 requests stored, then with $large. Without kept answers, so that
# every call looks the applicant up in the store.
at_10k='{}' at_large='{}'
if (( large > 10000 )); then
  stop_stack
  scale_db=$work/data/scale.db
  GATEHOUSE_CORE_TOKEN=$("$bin/approval-core" token create --db "$scale_db" --name gateway --role connector)
  scale_reviewer=$("$bin/approval-core" token create --db "$scale_db" --name bench --role reviewer)
  "$bin/gatehouse-seed" --db "$scale_db" --count 10000 > /dev/null
  start_stack "$scale_db" --decision-cache-ms 0
  approve_probe "$scale_reviewer"
  at_10k=$(load "$gateway_port" /api/connectors/check-approval "$approved")
  stop_stack
  echo "seeding $large requests…" >&2
  "$bin/gatehouse-seed" --db "$scale_db" --first 10000 --count $((large - 10000)) > /dev/null
  start_stack "$scale_db" --decision-cache-ms 0
  at_large=$(load "$gateway_port" /api/connectors/check-approval "$approved")
fi

# Report.
python3 - "$baseline" "[$(IFS=,; echo "${sqlite_rounds[*]}")]" "$hook1" \
  "[$(IFS=,; echo "${hook2_rounds[*]}")]" "$stopped" "${core_ready_ms[*]}" \
  "${gateway_ready_ms[*]}" "$core_rss" "$gateway_rss" "$root/build-release/bench.json" \
  "$at_10k" "$at_large" "$large" "$hook1_uncached" "$store_alone" "$store_batched" \
  "[$(IFS=,; echo "${hook2_wide_rounds[*]}")]" "$write_connections" "$connections" \
  "[$(IFS=,; echo "${stored_rounds[*]}")]" "[$(IFS=,; echo "${unwatched_rounds[*]}")]" \
  "[$(IFS=,; echo "${watched_rounds[*]}")]" "[$(IFS=,; echo "${watcher_reports[*]}")]" \
  "$watch_rate" "[$(IFS=,; echo "${plain_rounds[*]}")]" \
  "[$(IFS=,; echo "${notified_rounds[*]}")]" "[$(IFS=,; echo "${receiver_reports[*]}")]" <<'PY'
import json, sys, statistics
baseline, raw_rounds, hook1, hook2_rounds, stopped = (json.loads(a) for a in sys.argv[1:6])
# The median round of hook 2 against the SQLite rate measured just before it (of an even
# number of rounds, the lower of the middle two: a lucky round must not carry the target).
round_ratios = [h["rps"] / r["commits_per_s"] for h, r in zip(hook2_rounds, raw_rounds)]
by_ratio = sorted(range(len(round_ratios)), key=round_ratios.__getitem__)
median_round = by_ratio[(len(round_ratios) - 1) // 2]
raw, hook2 = raw_rounds[median_round], hook2_rounds[median_round]
at_10k, at_large, large = json.loads(sys.argv[11]), json.loads(sys.argv[12]), int(sys.argv[13])
hook1_uncached = json.loads(sys.argv[14])
store_alone, store_batched = json.loads(sys.argv[15]), json.loads(sys.argv[16])
hook2_wide_rounds, write_connections = json.loads(sys.argv[17]), int(sys.argv[18])
connections = int(sys.argv[19])
stored_rounds = json.loads(sys.argv[20])
unwatched_rounds, watched_rounds = json.loads(sys.argv[21]), json.loads(sys.argv[22])
watcher_reports, watch_rate = json.loads(sys.argv[23]), int(sys.argv[24])
core_ready = [int(x) for x in sys.argv[6].split()]
gateway_ready = [int(x) for x in sys.argv[7].split()]
core_rss, gateway_rss = float(sys.argv[8]), float(sys.argv[9])
deadline_ms = 1000
rows = []
def row(name, value, unit, target, ok):
    rows.append({"figure": name, "value": round(value, 2), "unit": unit, "target": target, "met": ok})
ratio1 = hook1["rps"] / baseline["rps"]
row("baseline: bare cpp-httplib", baseline["rps"], "answers/s", "(baseline)", True)
row("baseline: SQLite durable commits", raw["commits_per_s"], "commits/s", "(baseline)", True)
row("hook 1 (approved) throughput", hook1["rps"], "answers/s", ">= 0.5 x baseline", ratio1 >= 0.5)
row("hook 1 / baseline", ratio1, "ratio", ">= 0.5", ratio1 >= 0.5)
row("hook 1 p99", hook1["p99_ms"], "ms", "<= 5", hook1["p99_ms"] <= 5)
row("hook 1, every call to the core", hook1_uncached["rps"], "answers/s", "(reference)", True)
row("hook 1, every call to the core, p99", hook1_uncached["p99_ms"], "ms", "(reference)", True)
ratio2 = hook2["rps"] / raw["commits_per_s"]
row("hook 2 (new applicants) throughput", hook2["rps"], "answers/s", ">= 2000", hook2["rps"] >= 2000)
row("hook 2 / SQLite commits", ratio2, "ratio", ">= 0.9", ratio2 >= 0.9)
row("hook 2 p99", hook2["p99_ms"], "ms", "<= 20", hook2["p99_ms"] <= 20)
worst_p99 = max(h["p99_ms"] for h in hook2_rounds)
row("hook 2 p99, worst round", worst_p99, "ms", "<= 20", worst_p99 <= 20)
for i, (h, r) in enumerate(zip(hook2_rounds, raw_rounds)):
    row(f"hook 2 / SQLite, round {i + 1}", round_ratios[i], "ratio",
        f"({h['rps']:,.0f} / {r['commits_per_s']:,.0f}; {stored_rounds[i]:,} stored)", True)
row("hook 2 slowest answer, worst round", max(h["max_ms"] for h in hook2_rounds), "ms",
    "(reference)", True)
wide = f"{write_connections} connections"
wide_ratios = sorted(h["rps"] / r["commits_per_s"] for h, r in zip(hook2_wide_rounds, raw_rounds))
row(f"hook 2 / SQLite, {wide}", wide_ratios[(len(wide_ratios) - 1) // 2], "ratio",
    "(reference)", True)
row(f"hook 2 p99, {wide}, worst", max(h["p99_ms"] for h in hook2_wide_rounds), "ms",
    "(reference)", True)
# Watch streams beside hook 2 at a fixed rate: the pair whose ratio is the median (of an even
# number, the higher of the middle two: a lucky pair must not carry a "<=" target).
watch_ratios = sorted(w["p99_ms"] / u["p99_ms"] for u, w in zip(unwatched_rounds, watched_rounds))
watch_ratio = watch_ratios[len(watch_ratios) // 2]
at_rate = f"at {watch_rate}/s"
row(f"hook 2 p99 {at_rate}, no watch stream", statistics.median(u["p99_ms"] for u in unwatched_rounds),
    "ms", "(reference)", True)
row(f"hook 2 p99 {at_rate}, 16 watch streams", statistics.median(w["p99_ms"] for w in watched_rounds),
    "ms", "(reference)", True)
row("hook 2 p99, 16 watch streams / none", watch_ratio, "ratio", "<= 2", watch_ratio <= 2)
all_answered = all(r["errors"] == 0 and r["unsent"] == 0 for r in unwatched_rounds + watched_rounds)
row(f"hook 2 {at_rate}: every applicant answered", 100.0 if all_answered else 0.0, "%", "100",
    all_answered)
all_seen = all(r["every_stream_saw_every_event"] for r in watcher_reports)
row("watch streams saw every event", 100.0 if all_seen else 0.0, "%", "100", all_seen)
row("watch: recorded to received, p99, worst", max(r["lag_p99_ms"] for r in watcher_reports),
    "ms", "(reference)", True)
# Notification targets beside hook 2 at the same rate, on two fresh stacks: the pair whose
# ratio is the median (of an even number, the higher of the middle two).
plain_rounds, notified_rounds = json.loads(sys.argv[25]), json.loads(sys.argv[26])
receiver_reports = json.loads(sys.argv[27])
notify_ratios = sorted(n["p99_ms"] / p["p99_ms"] for p, n in zip(plain_rounds, notified_rounds))
notify_ratio = notify_ratios[len(notify_ratios) // 2]
row(f"hook 2 p99 {at_rate}, no notify target", statistics.median(p["p99_ms"] for p in plain_rounds),
    "ms", "(reference)", True)
row(f"hook 2 p99 {at_rate}, 3 webhook targets", statistics.median(n["p99_ms"] for n in notified_rounds),
    "ms", "(reference)", True)
row("hook 2 p99, 3 webhook targets / none", notify_ratio, "ratio", "<= 1.5", notify_ratio <= 1.5)
all_delivered = all(r["missing"] == 0 and r["events"] > 0 for r in receiver_reports)
row("notify: live receivers got every event", 100.0 * min(r["received"] / max(1, r["events"])
    for r in receiver_reports), "%", "100", all_delivered)
worst_lag = max(r["lag_max_ms"] for r in receiver_reports)
row("notify: recorded to received, worst", worst_lag, "ms", "<= 5000", worst_lag <= 5000)
row("notify: recorded to received, p99", max(r["lag_p99_ms"] for r in receiver_reports), "ms",
    "(reference)", True)
# The write path without HTTP and gRPC (gatehouse-store-rate), one and six to a commit.
for label, store in (("1", store_alone), ("6", store_batched)):
    row(f"store alone, {label} per commit / SQLite",
        store["applicants_per_s"] / raw["commits_per_s"], "ratio", "(reference)", True)
blocks = sum(v for k, v in stopped["answers"].items() if k.endswith("GATEHOUSE-UNAVAILABLE"))
all_blocked = blocks == stopped["requests"] and stopped["errors"] == 0
row("core stopped: fail-closed answers", 100.0 * blocks / max(1, stopped["requests"]), "%",
    "100", all_blocked)
row("core stopped: slowest answer", stopped["max_ms"], "ms", f"<= {deadline_ms + 50}",
    stopped["max_ms"] <= deadline_ms + 50)
row("approval-core start-up to ready", statistics.median(core_ready), "ms", "<= 200",
    statistics.median(core_ready) <= 200)
row("connector-gateway start-up to ready", statistics.median(gateway_ready), "ms", "<= 200",
    statistics.median(gateway_ready) <= 200)
row("approval-core peak RSS", core_rss, "MB", "<= 64", core_rss <= 64)
row("connector-gateway peak RSS", gateway_rss, "MB", "<= 64", gateway_rss <= 64)
if at_large:
    scale = at_large["p50_ms"] / at_10k["p50_ms"]
    row("hook 1 p50, 10,000 stored", at_10k["p50_ms"], "ms", "(reference)", True)
    row(f"hook 1 p50, {large:,} stored", at_large["p50_ms"], "ms", "", True)
    row(f"hook 1 p50 at {large:,} / at 10,000", scale, "ratio", "<= 1.2", scale <= 1.2)
for r in rows:
    informative = r["target"] == "" or r["target"].startswith("(")
    mark = "" if informative else ("ok" if r["met"] else "MISSED")
    print(f'{r["figure"]:<38} {r["value"]:>11,.2f} {r["unit"]:<10} {r["target"]:<18} {mark}')
json.dump({"rows": rows,
           "settings": {"connections": connections, "hook2_wide_connections": write_connections},
           "raw": {"baseline": baseline, "sqlite": raw_rounds, "hook1": hook1,
           "hook1_uncached": hook1_uncached, "store_alone": store_alone,
           "store_batched": store_batched,
           "hook2": hook2_rounds, "hook2_wide": hook2_wide_rounds,
           "hook2_rounds_stored_at_start": stored_rounds,
           "hook2_at_rate_unwatched": unwatched_rounds, "hook2_at_rate_watched": watched_rounds,
           "watchers": watcher_reports,
           "hook2_at_rate_plain": plain_rounds, "hook2_at_rate_notified": notified_rounds,
           "notify_receivers": receiver_reports,
           "core_stopped": stopped, "hook1_at_10k": at_10k,
           "hook1_at_large": at_large}}, open(sys.argv[10], "w"), indent=2)
print(f"\nJSON: {sys.argv[10]}")
PY
