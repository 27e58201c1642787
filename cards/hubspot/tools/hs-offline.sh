#!/bin/sh
# Runs HubSpot's CLI on this project with no HubSpot account and no network to HubSpot (see
# hs-offline-preload.mjs for what is and is not checked). The CLI is installed outside the repository:
#   mkdir -p /tmp/hscli && cd /tmp/hscli && npm init -y >/dev/null && npm install @hubspot/cli@8.14.0
# then, from anywhere:
#   cards/hubspot/tools/hs-offline.sh project validate
#   cards/hubspot/tools/hs-offline.sh project upload --skip-npm-audit   # every local pre-upload check; stops at
#                                                                       # the first request, which it refuses
# The account is an obvious dummy read from the environment (an API-key account is the one auth type the CLI
# accepts without a token exchange); HOME is a scratch folder (HS_OFFLINE_HOME, default /tmp/hs-offline-home,
# where the CLI also writes its debug logs), so no real ~/.hscli config or account is used.
set -eu
HS_CLI_DIR=${HS_CLI_DIR:-/tmp/hscli}
here=$(cd "$(dirname "$0")" && pwd)
home=${HS_OFFLINE_HOME:-/tmp/hs-offline-home}
mkdir -p "$home"
cd "$here/.."
HOME="$home" HS_CLI_DIR="$HS_CLI_DIR" \
  USE_ENVIRONMENT_HUBSPOT_CONFIG=true HUBSPOT_ACCOUNT_ID=123 HUBSPOT_API_KEY=dummy-offline \
  ALLOW_USAGE_TRACKING=false NODE_OPTIONS="--import $here/hs-offline-preload.mjs" \
  "$HS_CLI_DIR/node_modules/.bin/hs" "$@" --use-env
