#!/usr/bin/env bash
# Start the customer data service, the action server and the Rasa server on this machine and
# print where to talk to them.
# With --shell, chat in the terminal instead of serving channels. Ctrl-C stops everything.
set -euo pipefail
cd "$(dirname "$0")/.."
RASA=.venv/bin/rasa
RASA_PORT=${RASA_PORT:-5005}
ACTION_PORT=${ACTION_PORT:-5055}
CUSTOMER_DATA_PORT=${CUSTOMER_DATA_PORT:-8000}
export CUSTOMER_DATA_URL=${CUSTOMER_DATA_URL:-http://127.0.0.1:${CUSTOMER_DATA_PORT}}
export ACTION_ENDPOINT_URL=${ACTION_ENDPOINT_URL:-http://localhost:${ACTION_PORT}/webhook}
# The data service delivers agent replies through Rasa's HTTP API, which needs this token.
export RASA_URL=${RASA_URL:-http://localhost:${RASA_PORT}}
# The web page served by the data service connects its widget to Rasa's socket.io here.
export WEBCHAT_SOCKET_URL=${WEBCHAT_SOCKET_URL:-http://localhost:${RASA_PORT}}
: "${RASA_API_TOKEN:?is not set: start with make run (it generates var/dev.env), or set it}"
mkdir -p var/log

pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
}
trap cleanup EXIT INT TERM

wait_for() {  # wait_for URL NAME LOGFILE
    for _ in $(seq 1 180); do
        if curl -fsS -o /dev/null "$1" 2>/dev/null; then return 0; fi
        sleep 1
    done
    echo "ERROR: $2 did not start within 180 s; last lines of $3:" >&2
    tail -20 "$3" >&2
    exit 1
}

echo "Starting the customer data service on port $CUSTOMER_DATA_PORT (log: var/log/customer_data.log)"
CUSTOMER_DATA_PORT=$CUSTOMER_DATA_PORT .venv/bin/python -m customer_data.api >var/log/customer_data.log 2>&1 &
pids+=($!)
wait_for "http://127.0.0.1:${CUSTOMER_DATA_PORT}/health" "customer data service" var/log/customer_data.log

echo "Starting the action server on port $ACTION_PORT (log: var/log/actions.log)"
$RASA run actions --port "$ACTION_PORT" >var/log/actions.log 2>&1 &
pids+=($!)
wait_for "http://localhost:${ACTION_PORT}/health" "action server" var/log/actions.log

if [ "${1:-}" = "--shell" ]; then
    $RASA shell --model models --endpoints endpoints.yml
    exit 0
fi

echo "Starting the Rasa server on port $RASA_PORT (log: var/log/rasa.log)"
$RASA run --model models --port "$RASA_PORT" --endpoints endpoints.yml \
    --credentials credentials.yml --cors "*" --enable-api --auth-token "$RASA_API_TOKEN" \
    >var/log/rasa.log 2>&1 &
pids+=($!)
wait_for "http://localhost:${RASA_PORT}/" "Rasa server" var/log/rasa.log

cat <<MSG

The assistant is running.
  REST:      curl -s localhost:${RASA_PORT}/webhooks/rest/webhook -H 'Content-Type: application/json' \\
               -d '{"sender": "me", "message": "where is my order?"}'
  socket.io: http://localhost:${RASA_PORT}/socket.io  (web chat widget)
  Slack:     http://localhost:${RASA_PORT}/webhooks/slack/webhook  ($( [ -n "${SLACK_TOKEN:-}" ] && echo on || echo "off: set SLACK_TOKEN and SLACK_SIGNING_SECRET"))
  Actions:   http://localhost:${ACTION_PORT}/health
  Data API:  http://localhost:${CUSTOMER_DATA_PORT}/docs  (bearer token: CUSTOMER_DATA_TOKEN in var/dev.env)
  Agents:    handoff queue at http://localhost:${CUSTOMER_DATA_PORT}/api/handoffs  (bearer token: AGENT_DESK_TOKEN; see README)
  Web page:  http://localhost:${CUSTOMER_DATA_PORT}/webchat/  (chat widget$( [ "${DEV_MODE:-}" = 1 ] && echo '; "Sign in as" a demo customer'))
  Desk:      http://localhost:${CUSTOMER_DATA_PORT}/desk  ($( [ -n "${DESK_DEV_PASSWORD:-}" ] && echo "log in as dev, password ${DESK_DEV_PASSWORD}" || echo "agents from DESK_AGENTS"))
Press Ctrl-C to stop.
MSG
wait -n "${pids[@]}"
echo "A server stopped; see var/log/. Shutting down." >&2
exit 1
