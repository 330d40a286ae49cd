#!/usr/bin/env bash
# Fuzz the running API with schemathesis against its own OpenAPI document: all
# checks but two about requests whose reasons tests/test_fuzz.py gives.
#   scripts/fuzz_api.sh [BASE_URL] [MAX_EXAMPLES]
# Start a server first, with a token so the write endpoints are fuzzed too:
#   NEWSINDEX_API_TOKEN=fuzz newsindex serve --port 5000
set -euo pipefail
base=${1:-http://127.0.0.1:5000}
examples=${2:-500}
token=${NEWSINDEX_API_TOKEN:-fuzz}
exec schemathesis run "$base/api/v1/openapi.json" \
  --checks all --exclude-checks positive_data_acceptance,negative_data_rejection \
  --max-examples "$examples" \
  --header "Authorization: Bearer $token" \
  --url "$base"
