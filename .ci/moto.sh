# Sourced by the scripts here (through env.sh, or on its own where the
# cargo settings of env.sh are not wanted).

# Starts a moto server (the Cognito emulator) on a free loopback port and
# exports its URL as MOTO_ENDPOINT and its process id as MOTO_PID; the
# caller stops it (kill "$MOTO_PID"). If moto does not answer within about
# 20 s (or exits), it says so, with the end of moto's output, stops what it
# started and returns 1 (which ends a caller under `set -e`).
start_moto() {
  local port log server
  server="${MOTO_VENV:-/opt/moto-venv}/bin/moto_server"
  port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  log="$(mktemp "${TMPDIR:-/tmp}/moto-server.XXXXXX")"
  "$server" -H 127.0.0.1 -p "$port" >"$log" 2>&1 &
  export MOTO_PID=$!
  export MOTO_ENDPOINT="http://127.0.0.1:$port"
  local deadline=$((SECONDS + 20))
  until curl -s -o /dev/null --max-time 2 "$MOTO_ENDPOINT/"; do
    local why=""
    kill -0 "$MOTO_PID" 2>/dev/null || why="exited before answering"
    [ -n "$why" ] || [ "$SECONDS" -lt "$deadline" ] || why="did not answer within 20 s"
    if [ -n "$why" ]; then
      kill "$MOTO_PID" 2>/dev/null || true
      echo "start_moto: moto ($server) $why at $MOTO_ENDPOINT; its output:" >&2
      tail -n 20 "$log" >&2
      rm -f "$log"
      unset MOTO_PID MOTO_ENDPOINT
      return 1
    fi
    sleep 0.2
  done
  rm -f "$log"
}
