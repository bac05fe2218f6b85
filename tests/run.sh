#!/usr/bin/env bash
# The test command: installs what is missing, builds, runs every test (unit tests per
# component and the end-to-end tests that start the real binaries) and ends with ctest's
# summary. Exits non-zero if anything fails.
set -euo pipefail
cd "$(dirname "$0")/.."
./deploy/install-deps.sh
./deploy/build.sh
cd "${GATEHOUSE_BUILD_DIR:-build}"
ctest --output-on-failure -j2 --timeout 300
