# Sourced by the scripts here (through env.sh, or on its own where the
# cargo settings of env.sh are not wanted).

# Starts a moto server (the Cognito emulator) on a free loopback port and
# exports its URL as MOTO_ENDPOINT and its process id as MOTO_PID; the
# caller stops it (kill "$MOTO_PID").
start_moto() {
  local port
  port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  "${MOTO_VENV:-/opt/moto-venv}/bin/moto_server" -H 127.0.0.1 -p "$port" >/dev/null 2>&1 &
  export MOTO_PID=$!
  for _ in $(seq 100); do
    curl -s -o /dev/null "http://127.0.0.1:$port/" && break
    sleep 0.2
  done
  export MOTO_ENDPOINT="http://127.0.0.1:$port"
}
