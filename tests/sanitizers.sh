#!/usr/bin/env bash
# Builds Gatehouse with sanitizers and runs the unit and integration tests under them (the
# servers the integration tests start are the sanitized binaries too):
#   ./tests/sanitizers.sh                 # AddressSanitizer + UndefinedBehaviorSanitizer
#   ./tests/sanitizers.sh thread          # ThreadSanitizer
# Each mode builds into its own directory (build-asan, build-tsan) in Debug. Not part of
# ./tests/run.sh: a sanitized build of everything takes longer than CI allows alongside it.
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
  export TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1
  if [[ $mode == thread ]]; then
    # Debian's gRPC, Abseil and protobuf are not built with -fsanitize=thread, so TSan cannot
    # see their locking, and every test that starts a gRPC server drowns in reports from inside
    # them (epoll, chttp2, channel args). With ignore_noninstrumented_modules=1 the reports from
    # inside the libraries go, but about 40 per server process remain, all in gRPC's header
    # templates compiled into our binaries (CallOpSet, CallbackWithSuccessTag, the response's
    # destructor): a call finished on our thread is handed to gRPC's through locks and arena
    # memory TSan cannot see. Until an instrumented gRPC is available, ThreadSanitizer checks
    # the unit tests, whose threads (stores, change feed, authenticator, dialects, key cache,
    # call batcher) are all ours.
    # (GrpcCoreClientTest runs an in-process gRPC server, so it is left out for the same reason.)
    for test in common_test reviewer_cli_test approval_core_test connector_gateway_test; do
      "$dir/bin/$test" --gtest_filter=-GrpcCoreClientTest.*
    done
  else
    ctest --test-dir "$dir" -E '^deploy\.' --output-on-failure -j2
  fi
done
