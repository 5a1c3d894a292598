#!/usr/bin/env bash
# Make sure PostgreSQL and Redis answer where Sakura expects them.
#
#   scripts/services.sh up       start whatever is not answering, then wait for it
#   scripts/services.sh status   say what answers; exit 1 if something does not
#
# Where: DATABASE_URL and REDIS_URL (from the environment, else from ./.env, else the defaults
# postgres://postgres@127.0.0.1:5432/sakura and redis://127.0.0.1:6379).
#
# How `up` starts a service that does not answer, first that works:
#   1. a Docker engine (`docker info` succeeds): docker compose -f docker/compose.yaml up -d --wait
#   2. servers installed on this machine: pg_ctlcluster (Debian's postgresql package) and
#      redis-server
#   3. otherwise install them without a prompt (apt-get as root or with passwordless sudo;
#      Homebrew on macOS), saying so, then start them; where that cannot be done, print the
#      commands to run and exit 1.
# Only services on 127.0.0.1/localhost are ever started; a remote host is only checked.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

readonly DEFAULT_DATABASE_URL="postgres://postgres@127.0.0.1:5432/sakura"
readonly DEFAULT_REDIS_URL="redis://127.0.0.1:6379"
readonly WAIT_SECONDS="${SERVICES_WAIT_SECONDS:-30}"
readonly COMPOSE_FILE="docker/compose.yaml"

log() { printf 'services: %s\n' "$*" >&2; }

# The value of KEY in ./.env (the server reads that file too), or nothing.
dotenv_value() {
    local key="$1" line value
    [[ -f .env ]] || return 0
    line="$(grep -E "^[[:space:]]*(export[[:space:]]+)?${key}[[:space:]]*=" .env | tail -n 1 || true)"
    [[ -n "$line" ]] || return 0
    value="${line#*=}"
    value="${value#"${value%%[![:space:]]*}"}"
    value="${value%"${value##*[![:space:]]}"}"
    if [[ "$value" == \"*\" || "$value" == \'*\' ]]; then
        value="${value:1:${#value}-2}"
    fi
    printf '%s' "$value"
}

setting() {
    local key="$1" default="$2" value
    value="${!key:-}"
    [[ -n "$value" ]] || value="$(dotenv_value "$key")"
    printf '%s' "${value:-$default}"
}

# Prints "host port" for scheme://[user[:password]@]host[:port][/path][?query].
url_host_port() {
    local url="$1" default_port="$2" rest host port
    rest="${url#*://}"
    rest="${rest%%[/?#]*}"
    rest="${rest##*@}"
    if [[ "$rest" == \[* ]]; then # [ipv6]:port
        host="${rest%%]*}"
        host="${host#[}"
        port="${rest#*]}"
        port="${port#:}"
    elif [[ "$rest" == *:* ]]; then
        host="${rest%%:*}"
        port="${rest##*:}"
    else
        host="$rest"
        port=""
    fi
    printf '%s %s' "${host:-127.0.0.1}" "${port:-$default_port}"
}

is_local() {
    case "$1" in
        127.0.0.1 | localhost | ::1) return 0 ;;
        *) return 1 ;;
    esac
}

# True when something accepts TCP connections at host:port.
tcp_open() {
    # shellcheck disable=SC2016 # expanded by the inner bash, from its arguments
    timeout 2 bash -c 'exec 3<>"/dev/tcp/$0/$1"' "$1" "$2" 2>/dev/null
}

postgres_answers() {
    local host="$1" port="$2"
    if command -v pg_isready >/dev/null 2>&1; then
        pg_isready -q -h "$host" -p "$port" -t 2
    else
        tcp_open "$host" "$port"
    fi
}

redis_answers() {
    local host="$1" port="$2" reply
    if command -v redis-cli >/dev/null 2>&1; then
        reply="$(timeout 3 redis-cli -h "$host" -p "$port" ping 2>&1 || true)"
    else
        # A RESP inline PING by hand; a server that wants a password still answers (-NOAUTH).
        # shellcheck disable=SC2016 # expanded by the inner bash, from its arguments
        reply="$(timeout 3 bash -c '
            exec 3<>"/dev/tcp/$0/$1" || exit 1
            printf "PING\r\n" >&3
            IFS= read -r line <&3 && printf "%s" "$line"
        ' "$host" "$port" 2>/dev/null || true)"
    fi
    [[ "$reply" == *PONG* || "$reply" == *NOAUTH* || "$reply" == *WRONGPASS* ]]
}

read -r PG_HOST PG_PORT <<<"$(url_host_port "$(setting DATABASE_URL "$DEFAULT_DATABASE_URL")" 5432)"
read -r REDIS_HOST REDIS_PORT <<<"$(url_host_port "$(setting REDIS_URL "$DEFAULT_REDIS_URL")" 6379)"

# Services (compose names) that do not answer, in $DOWN.
find_down() {
    DOWN=()
    postgres_answers "$PG_HOST" "$PG_PORT" || DOWN+=(postgres)
    redis_answers "$REDIS_HOST" "$REDIS_PORT" || DOWN+=(redis)
}

describe_down() {
    local service out=()
    for service in "${DOWN[@]}"; do out+=("$(describe "$service")"); done
    local IFS=,
    printf '%s' "${out[*]}" | sed 's/,/, /g'
}

describe() {
    case "$1" in
        postgres) printf 'PostgreSQL at %s:%s' "$PG_HOST" "$PG_PORT" ;;
        redis) printf 'Redis at %s:%s' "$REDIS_HOST" "$REDIS_PORT" ;;
    esac
}

wait_until_up() {
    local deadline=$((SECONDS + WAIT_SECONDS))
    while true; do
        find_down
        ((${#DOWN[@]} == 0)) && return 0
        if ((SECONDS >= deadline)); then
            for service in "${DOWN[@]}"; do log "$(describe "$service") still does not answer after ${WAIT_SECONDS}s"; done
            return 1
        fi
        sleep 0.5
    done
}

docker_engine_available() {
    command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1
}

compose() {
    # Compose interpolates the whole file, including the app's required ${JWT_SECRET:?}, even
    # when only postgres and redis are started: give it a placeholder the app never sees here.
    JWT_SECRET="${JWT_SECRET:-not-used-by-postgres-or-redis}" \
        POSTGRES_PORT="$PG_PORT" REDIS_PORT="$REDIS_PORT" \
        docker compose -f "$COMPOSE_FILE" "$@"
}

start_with_docker() {
    if ! docker compose version >/dev/null 2>&1; then
        log "a Docker engine is running but the compose plugin is missing (docker compose version failed)"
        return 1
    fi
    log "starting ${DOWN[*]} with docker compose ($COMPOSE_FILE)"
    compose up -d --wait "${DOWN[@]}"
}

# Runs a command as root (or as the cluster owner) the way this machine allows.
as_admin() {
    if [[ "$(id -u)" == 0 ]]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        sudo -n "$@"
    else
        log "need root (or passwordless sudo) to run: $*"
        return 1
    fi
}

local_postgres_installed() { command -v pg_ctlcluster >/dev/null 2>&1 && command -v pg_lsclusters >/dev/null 2>&1; }
local_redis_installed() { command -v redis-server >/dev/null 2>&1; }

start_local_postgres() {
    local version cluster
    # The cluster configured for our port (Debian may have several versions installed).
    read -r version cluster < <(pg_lsclusters -h | awk -v port="$PG_PORT" '$3 == port { print $1, $2; exit }') || true
    if [[ -z "${version:-}" ]]; then
        log "no local PostgreSQL cluster listens on port $PG_PORT (see pg_lsclusters)"
        return 1
    fi
    log "starting local PostgreSQL $version/$cluster"
    as_admin pg_ctlcluster --skip-systemctl-redirect "$version" "$cluster" start
}

start_local_redis() {
    log "starting local redis-server on 127.0.0.1:$REDIS_PORT"
    # An in-memory server for development: nothing written to disk.
    redis-server --daemonize yes --bind 127.0.0.1 --port "$REDIS_PORT" --save "" --appendonly no >/dev/null
}

# Installs what is missing with the system's package manager, where that needs no prompt:
# apt-get as root or with passwordless sudo (Debian, Ubuntu), or Homebrew (macOS). Otherwise
# prints the commands to run and fails.
install_missing() {
    local packages=() service
    for service in "$@"; do
        case "$service" in
            postgres) packages+=(postgresql) ;;
            redis) packages+=(redis-server) ;;
        esac
    done
    if command -v apt-get >/dev/null 2>&1 && as_admin true 2>/dev/null; then
        log "installing ${packages[*]} with apt-get (no prompt)"
        as_admin env DEBIAN_FRONTEND=noninteractive apt-get update -q
        as_admin env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${packages[@]}"
        if [[ " $* " == *" postgres "* ]]; then
            trust_local_connections
        fi
        return 0
    fi
    if command -v brew >/dev/null 2>&1; then
        local formulae=()
        for service in "$@"; do
            case "$service" in
                postgres) formulae+=(postgresql@16) ;;
                redis) formulae+=(redis) ;;
            esac
        done
        log "installing ${formulae[*]} with Homebrew"
        brew install "${formulae[@]}"
        for service in "${formulae[@]}"; do brew services start "$service"; done
        return 0
    fi
    log "cannot install ${packages[*]} here without a prompt; run these, then try again:"
    if command -v apt-get >/dev/null 2>&1; then
        printf '  sudo apt-get install -y postgresql redis-server\n' >&2
    elif [[ "$(uname -s)" == Darwin ]]; then
        printf '  /bin/bash -c "$(curl -fsSL https://raw.githubusercontent.com/Homebrew/install/HEAD/install.sh)"\n' >&2
        printf '  brew install postgresql@16 redis && brew services start postgresql@16 && brew services start redis\n' >&2
    else
        printf '  install PostgreSQL (15 or newer) and Redis (7) with your package manager, or a Docker engine\n' >&2
    fi
    return 1
}

# A cluster apt-get just created asks for passwords on 127.0.0.1; the development URL has none.
# Like the compose file's POSTGRES_HOST_AUTH_METHOD=trust, trust loopback connections only.
trust_local_connections() {
    local hba
    hba="$(ls "${SERVICES_PG_CONF_DIR:-/etc/postgresql}"/*/main/pg_hba.conf 2>/dev/null | tail -n 1 || true)"
    [[ -n "$hba" ]] || return 0
    log "trusting loopback connections in $hba (a development cluster just installed)"
    as_admin sed -i -E 's/^(host[[:space:]]+all[[:space:]]+all[[:space:]]+(127\.0\.0\.1\/32|::1\/128)[[:space:]]+)[a-z0-9-]+/\1trust/' "$hba"
}

start_locally() {
    local service missing=()
    for service in "${DOWN[@]}"; do
        case "$service" in
            postgres) local_postgres_installed || missing+=(postgres) ;;
            redis) local_redis_installed || missing+=(redis) ;;
        esac
    done
    if ((${#missing[@]} > 0)); then
        log "not installed here: ${missing[*]}"
        install_missing "${missing[@]}" || return 1
        hash -r
        # Homebrew starts its services itself; apt-get may have started them too.
        find_down
        ((${#DOWN[@]} == 0)) && return 0
    fi
    for service in "${DOWN[@]}"; do
        case "$service" in
            postgres) start_local_postgres ;;
            redis) start_local_redis ;;
        esac
    done
}

up() {
    find_down
    if ((${#DOWN[@]} == 0)); then
        log "PostgreSQL ($PG_HOST:$PG_PORT) and Redis ($REDIS_HOST:$REDIS_PORT) answer"
        return 0
    fi
    local service host
    for service in "${DOWN[@]}"; do
        case "$service" in
            postgres) host="$PG_HOST" ;;
            redis) host="$REDIS_HOST" ;;
        esac
        if ! is_local "$host"; then
            log "$(describe "$service") does not answer, and it is not on this machine: start it there, or fix the URL"
            return 1
        fi
    done
    log "not answering: $(describe_down)"

    if docker_engine_available; then
        if start_with_docker && wait_until_up; then
            log "ready"
            return 0
        fi
        find_down
        ((${#DOWN[@]} == 0)) && return 0
        log "docker compose did not bring them up; trying locally installed servers"
    fi
    start_locally
    wait_until_up
    log "ready"
}

status() {
    find_down
    local service code=0
    for service in postgres redis; do
        if [[ " ${DOWN[*]} " == *" $service "* ]]; then
            log "$(describe "$service"): not answering"
            code=1
        else
            log "$(describe "$service"): answers"
        fi
    done
    return "$code"
}

case "${1:-}" in
    up) up ;;
    status) status ;;
    *)
        echo "usage: $0 up|status" >&2
        exit 2
        ;;
esac
