#!/usr/bin/env bash
# Checks deploy/ as an operator would meet it: the install layout, the systemd units, the
# example configs against the real binaries, the container's package list and the .deb.
#   deploy_test.sh BUILD_DIR SOURCE_DIR install|units|configs|container|package|quickstart
set -euo pipefail
build=$(cd "$1" && pwd)
source=$(cd "$2" && pwd)
check=$3
work=$(mktemp -d /tmp/gatehouse-deploy-XXXXXX)
pids=()
groups=()  # process groups (the quickstart and the servers it starts)
cleanup() {
  for group in "${groups[@]}"; do kill -KILL -- "-$group" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
prefix=$work/usr

install_tree() {
  cmake --install "$build" --prefix "$prefix" > "$work/install.log" || fail "cmake --install"
}

# Starts "$@" logging to $1.log (first arg is the name), waits for "ready on", stops it with
# SIGTERM and checks for a clean exit. Extra environment comes from the caller.
start_and_stop() {
  local name=$1
  shift
  "$@" > "$work/$name.log" 2>&1 &
  local pid=$!
  pids+=("$pid")
  for _ in $(seq 1 100); do
    grep -q "ready on" "$work/$name.log" && break
    kill -0 "$pid" 2>/dev/null || fail "$name exited: $(cat "$work/$name.log")"
    sleep 0.1
  done
  grep -q "ready on" "$work/$name.log" || fail "$name not ready: $(cat "$work/$name.log")"
  kill -TERM "$pid"
  wait "$pid" || fail "$name did not stop cleanly on SIGTERM: $(cat "$work/$name.log")"
  echo "ok: $name starts with the example config and stops cleanly on SIGTERM"
}

case $check in
install)
  install_tree
  for file in bin/approval-core bin/connector-gateway bin/reviewer \
      lib/systemd/system/approval-core.service lib/systemd/system/connector-gateway.service \
      lib/sysusers.d/gatehouse.conf etc/gatehouse/approval-core.toml \
      etc/gatehouse/connector-gateway.toml share/doc/gatehouse/examples/reviewer.toml \
      share/doc/gatehouse/install-systemd.md share/doc/gatehouse/azure-setup.md; do
    [[ -f $prefix/$file ]] || fail "cmake --install did not install $file"
  done
  grep -q "^ExecStart=$prefix/bin/approval-core --config $prefix/etc/gatehouse/approval-core.toml\$" \
    "$prefix/lib/systemd/system/approval-core.service" || fail "unit does not name the installed paths"
  # A second install keeps an operator's edited config.
  echo "# edited" >> "$prefix/etc/gatehouse/approval-core.toml"
  install_tree
  grep -q "^# edited" "$prefix/etc/gatehouse/approval-core.toml" || fail "install overwrote a config"
  echo "ok: install layout under $prefix"
  ;;
units)
  install_tree
  units=("$prefix/lib/systemd/system/approval-core.service"
         "$prefix/lib/systemd/system/connector-gateway.service")
  systemd-analyze verify "${units[@]}" || fail "systemd-analyze verify"
  echo "ok: systemd-analyze verify"
  for unit in "${units[@]}"; do
    score=$(systemd-analyze security --offline=yes "$unit" 2>/dev/null |
            sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p')
    echo "$(basename "$unit"): exposure $score (systemd-analyze security; 10 is unprotected)"
    awk -v s="$score" 'BEGIN { exit !(s != "" && s <= 2.0) }' || fail "$(basename "$unit") exposure $score > 2.0"
    for key in NoNewPrivileges=yes ProtectSystem=strict Restart=on-failure TimeoutStopSec= \
        KillSignal=SIGTERM User=gatehouse UMask=0077; do
      grep -q "^$key" "$unit" || fail "$(basename "$unit") lacks $key"
    done
  done
  grep -q "^StateDirectory=gatehouse" "${units[0]}" || fail "core unit lacks StateDirectory"
  grep -q "^LoadCredential=core-token:" "${units[1]}" || fail "gateway unit lacks its credentials"
  ;;
quickstart)
  # The run command as a user runs it, on free ports and a data directory of its own: each
  # server gets only its own secrets (read from /proc/PID/environ, as root could).
  free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
  core_port=$(free_port)
  gateway_port=$(free_port)
  GATEHOUSE_BUILD_DIR=$build GATEHOUSE_DATA_DIR=$work/data \
    GATEHOUSE_CORE_LISTEN=127.0.0.1:$core_port GATEHOUSE_GATEWAY_LISTEN=127.0.0.1:$gateway_port \
    GATEHOUSE_TOKEN=exported-by-the-user setsid "$source/deploy/quickstart.sh" \
    > "$work/quickstart.log" 2>&1 &
  quickstart=$!
  groups+=("$quickstart")  # setsid: its servers are in its group, and go with it on a failure
  for _ in $(seq 1 600); do
    grep -q "Press Ctrl-C to stop" "$work/quickstart.log" && break
    kill -0 "$quickstart" 2>/dev/null || fail "quickstart exited: $(cat "$work/quickstart.log")"
    sleep 0.1
  done
  grep -q "Press Ctrl-C to stop" "$work/quickstart.log" || fail "quickstart not up: $(tail -20 "$work/quickstart.log")"
  core_pid=$(pgrep -f -- "approval-core --listen 127.0.0.1:$core_port" | head -1)
  gateway_pid=$(pgrep -f -- "connector-gateway --listen 127.0.0.1:$gateway_port" | head -1)
  [[ -n $core_pid && -n $gateway_pid ]] || fail "servers not found: core '$core_pid' gateway '$gateway_pid'"
  secrets_of() { tr '\0' '\n' < "/proc/$1/environ" | { grep -o -E '^GATEHOUSE_(TOKEN|CORE_TOKEN|BASIC_USERNAME|BASIC_PASSWORD)=' || true; } | sort | tr '\n' ' '; }
  core_secrets=$(secrets_of "$core_pid")
  gateway_secrets=$(secrets_of "$gateway_pid")
  [[ -z $core_secrets ]] || fail "approval-core was given secrets it does not need: $core_secrets"
  [[ $gateway_secrets == "GATEHOUSE_BASIC_PASSWORD= GATEHOUSE_BASIC_USERNAME= GATEHOUSE_CORE_TOKEN= " ]] ||
    fail "connector-gateway got '$gateway_secrets', not exactly its own three"
  grep -q -- "$(grep '^GATEHOUSE_TOKEN=' "$work/data/credentials.env" | cut -d= -f2)" /proc/"$core_pid"/cmdline /proc/"$gateway_pid"/cmdline &&
    fail "a token is on a command line"
  kill -INT -- "-$quickstart"
  wait "$quickstart" || true
  ! kill -0 "$core_pid" 2>/dev/null || fail "approval-core still runs after Ctrl-C"
  ! kill -0 "$gateway_pid" 2>/dev/null || fail "connector-gateway still runs after Ctrl-C"
  echo "ok: the quickstart hands each server only its own secrets, and Ctrl-C stops both"
  ;;
configs)
  core_config=$source/deploy/config/approval-core.toml
  gateway_config=$source/deploy/config/connector-gateway.toml
  reviewer_config=$source/deploy/config/reviewer.toml
  # Every long option of each program is a key of its example, set or commented out.
  keys_of() { "$@" --help | grep -o -- '--[a-z][a-z-]*' | sort -u | sed 's/^--//; s/-/_/g' |
              grep -v -x -e help -e config; }
  for pair in "approval-core:$core_config" "connector-gateway:$gateway_config" "reviewer:$reviewer_config"; do
    program=${pair%%:*}
    config=${pair#*:}
    for key in $(keys_of "$build/bin/$program"); do
      grep -q -E "^#? ?$key = " "$config" || fail "$(basename "$config") does not cover '$key'"
    done
  done
  grep -q '^# \[\[rule\]\]' "$core_config" || fail "the core example lacks a [[rule]] example"
  grep -q '^# \[messages\.' "$gateway_config" || fail "the gateway example lacks [messages.*]"
  echo "ok: the examples cover every option"
  # The examples as shipped are accepted by the real binaries (flags move state to $work).
  start_and_stop approval-core "$build/bin/approval-core" --config "$core_config" \
    --listen 127.0.0.1:0 --db "$work/gatehouse.db"
  GATEHOUSE_CORE_TOKEN=gh_example GATEHOUSE_BASIC_USERNAME=azure GATEHOUSE_BASIC_PASSWORD=pw \
    start_and_stop connector-gateway "$build/bin/connector-gateway" --config "$gateway_config" \
    --listen 127.0.0.1:0
  XDG_CONFIG_HOME=$work "$build/bin/reviewer" --config "$reviewer_config" list --help > /dev/null ||
    fail "reviewer refuses its example config"
  # Unknown keys and invalid values stop the start-up, naming the key.
  expect_refusal() {  # expect_refusal PROGRAM CONFIG_TEXT MESSAGE [FLAGS...]
    local program=$1 text=$2 message=$3 status=0
    shift 3
    printf '%s\n' "$text" > "$work/bad.toml"
    GATEHOUSE_CORE_TOKEN=x GATEHOUSE_BASIC_USERNAME=u GATEHOUSE_BASIC_PASSWORD=p \
      "$build/bin/$program" --config "$work/bad.toml" "$@" > "$work/bad.log" 2>&1 || status=$?
    [[ $status -eq 2 ]] || fail "$program with '$text' exited $status, not 2"
    grep -q "$message" "$work/bad.log" || fail "$program with '$text' did not say $message: $(cat "$work/bad.log")"
  }
  expect_refusal approval-core 'pending_tll_days = 3' "unknown key 'pending_tll_days'" --db "$work/bad.db"
  expect_refusal approval-core 'pending_ttl_days = 0' "key 'pending_ttl_days'" --db "$work/bad.db"
  expect_refusal approval-core 'shutdown_grace_ms = "soon"' "key 'shutdown_grace_ms'" --db "$work/bad.db"
  expect_refusal connector-gateway 'core_deadline_ms = 5' "key 'core_deadline_ms'"
  expect_refusal connector-gateway 'entra_tenent_id = "x"' "unknown key 'entra_tenent_id'"
  expect_refusal connector-gateway 'entra_audience = "api://x"' "need --entra-tenant-id"
  [[ ! -e $work/bad.db ]] || fail "a refused start-up created the database"
  echo "ok: unknown keys and invalid values are refused by name"
  ;;
container)
  dockerfile=$source/deploy/container/Dockerfile
  packages=$(grep -v '^#' "$source/deploy/container/runtime-packages.txt")
  # Every shared library the binaries load comes from a listed package (or libc/libstdc++,
  # which every Debian image has).
  needed=$(for b in approval-core connector-gateway reviewer; do
             ldd "$build/bin/$b" | awk '/=> \// {print $3}'
           done | sort -u | while read -r lib; do
             dpkg -S "$lib" 2>/dev/null || dpkg -S "${lib#/usr}" 2>/dev/null ||
               dpkg -S "$(readlink -f "$lib")" 2>/dev/null || echo "unpackaged: $lib"
           done | cut -d: -f1 | sort -u)
  for package in $needed; do
    case $package in libc6|libstdc++6|libgcc-s1) continue ;; esac
    grep -q -x "$package" <<< "$packages" || fail "runtime-packages.txt lacks $package"
  done
  # The list resolves with apt on Debian 12 (a dry run: nothing is installed).
  # shellcheck disable=SC2086
  apt-get install --simulate --no-install-recommends $packages > "$work/apt.log" 2>&1 ||
    fail "apt cannot resolve the runtime packages: $(tail -5 "$work/apt.log")"
  echo "ok: runtime packages cover $(wc -w <<< "$needed") libraries' packages and resolve with apt"
  grep -q '^FROM debian:12 AS build' "$dockerfile" || fail "build stage is not Debian 12"
  grep -q '^FROM debian:12-slim$' "$dockerfile" || fail "runtime stage is not Debian 12 slim"
  grep -q 'runtime-packages.txt' "$dockerfile" || fail "Dockerfile ignores runtime-packages.txt"
  grep -q '^USER gatehouse' "$dockerfile" || fail "Dockerfile runs as root"
  grep -q '^VOLUME \["/var/lib/gatehouse"\]' "$dockerfile" || fail "no data volume"
  compose=$source/deploy/container/compose.yaml
  grep -q 'gatehouse-data:/var/lib/gatehouse' "$compose" || fail "compose: database not on a volume"
  grep -q './tls:/etc/gatehouse/tls:ro' "$compose" || fail "compose: TLS material not mounted"
  python3 - "$compose" <<'PY' || fail "compose.yaml is not valid YAML with core and gateway"
import sys
try:
    import yaml
except ImportError:
    sys.exit(0)  # PyYAML absent: the grep checks above stand
doc = yaml.safe_load(open(sys.argv[1]))
assert set(doc["services"]) == {"core", "gateway"}, doc["services"].keys()
PY
  if docker compose version > /dev/null 2>&1; then
    (cd "$source/deploy/container" && docker compose config --quiet) || fail "docker compose config"
  else
    echo "note: no docker compose here; compose.yaml checked by grep (and PyYAML if present)"
  fi
  echo "ok: Dockerfile and compose.yaml"
  ;;
package)
  (cd "$work" && cpack -G DEB --config "$build/CPackConfig.cmake" -B "$work/pkg" > cpack.log 2>&1) ||
    fail "cpack: $(tail -5 "$work/cpack.log")"
  deb=$(ls "$work"/pkg/gatehouse_*.deb)
  dpkg-deb -c "$deb" | awk '{print $6}' > "$work/contents"
  for file in ./usr/bin/approval-core ./usr/lib/systemd/system/connector-gateway.service \
      ./etc/gatehouse/approval-core.toml ./usr/lib/sysusers.d/gatehouse.conf; do
    grep -q -x -- "$file" "$work/contents" || fail "the .deb lacks $file"
  done
  dpkg-deb --ctrl-tarfile "$deb" | tar -xO ./conffiles | grep -q /etc/gatehouse/connector-gateway.toml ||
    fail "configs are not conffiles"
  dpkg-deb -f "$deb" Depends | grep -q libgrpc++ || fail "no shared-library dependencies"
  echo "ok: $(basename "$deb"), $(du -k "$deb" | cut -f1) KiB"
  ;;
*)
  fail "unknown check $check"
  ;;
esac
