#!/usr/bin/env bash
# Builds Gatehouse with sanitizers and runs the unit and integration tests under them (the
# servers the integration tests start are the sanitized binaries too):
#   ./tests/sanitizers.sh                 # AddressSanitizer + UndefinedBehaviorSanitizer
#   ./tests/sanitizers.sh thread          # ThreadSanitizer
# Each mode builds into its own directory (build-asan, build-tsan) in Debug. Not part of
# ./tests/run.sh, which stays one build; CI (.ci/run) runs the address mode after it. The thread
# mode first builds instrumented gRPC, Abseil and cpp-httplib from Debian's source packages
# (tests/tsan-libs.sh, about 10 minutes, once per machine) and is run by hand.
set -euo pipefail
cd "$(dirname "$0")/.."
./deploy/install-deps.sh
for mode in "${@:-address,undefined}"; do
  case $mode in
    address,undefined) dir=build-asan ;;
    thread) dir=build-tsan ;;
    *) echo "unknown mode $mode (address,undefined | thread)" >&2; exit 2 ;;
  esac
  cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=Debug -DGATEHOUSE_SANITIZE="$mode" > /dev/null
  cmake --build "$dir" -j"$(nproc)"
  # A finding aborts the process with a report, so the test that ran it fails.
  export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1
  export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
  export TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1:suppressions=$PWD/tests/tsan.supp
  if [[ $mode == thread ]]; then
    # TSan sees only the synchronisation of code it instrumented, and Debian's gRPC, Abseil and
    # cpp-httplib are not: every test with a server would drown in false reports from them.
    # tests/tsan-libs.sh builds the same versions instrumented (once per machine), and every
    # process started from here, the servers the integration tests start included, loads them.
    ./tests/tsan-libs.sh
    tsan_lib=${GATEHOUSE_TSAN_PREFIX:-/opt/gatehouse-tsan}/lib
    export LD_LIBRARY_PATH=$tsan_lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
    for pair in approval-core:libgrpc++.so approval-core:libgrpc.so \
      approval-core:libabsl_synchronization.so connector-gateway:libcpp-httplib.so; do
      binary=${pair%%:*} lib=${pair#*:}
      # Read in full first: grep -q would stop reading early, and under pipefail the SIGPIPE
      # that ldd then gets would fail the check at random.
      linked=$(ldd "$dir/bin/$binary")
      grep -q "$lib.* => $tsan_lib/" <<<"$linked" ||
        { echo "$binary does not load the instrumented $lib from $tsan_lib" >&2; exit 1; }
    done
  fi
  ctest --test-dir "$dir" -E '^deploy\.' --output-on-failure -j2
done
