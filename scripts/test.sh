#!/usr/bin/env bash
# Installs what is missing (the tests' tools too: chromium, openpyxl, networkx, jsonschema),
# then builds and runs every test. Tests that compare with
# ../shared/bench/reference.py skip themselves when ../shared is not beside the checkout.
set -euo pipefail
cd "$(dirname "$0")/.."
ROBOCHAIN_SETUP_TESTS=1 . scripts/setup.sh
swift build --build-tests
swift test --skip-build "$@"
