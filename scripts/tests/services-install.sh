#!/usr/bin/env bash
# Tests scripts/services.sh on a "fresh machine": no Docker, no PostgreSQL, no Redis. The
# machine is simulated by a PATH holding only basic tools and stubs (apt-get, sudo, id, ...)
# that record what they are asked and "install" stub servers, so nothing real is touched.
#
#   bash scripts/tests/services-install.sh      (run by `just test`)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
failures=0

fail() { printf 'FAIL: %s\n' "$*" >&2; failures=$((failures + 1)); }

# A sandbox: bin/ with the basic tools and the given stubs; state/ for the stubs' records.
sandbox() {
    local dir="$work/$1" tool
    rm -rf "$dir"
    mkdir -p "$dir/bin" "$dir/state" "$dir/etc/15/main"
    for tool in bash env timeout awk grep sed sleep cat cp ls tail head mktemp rm dirname chmod touch mkdir tr cut; do
        local real
        real="$(command -v "$tool" 2>/dev/null || true)"
        [[ -n "$real" && "$real" == /* ]] && ln -s "$real" "$dir/bin/$tool"
    done
    printf 'host    all             all             127.0.0.1/32            scram-sha-256\n' >"$dir/etc/15/main/pg_hba.conf"
    printf 'host    all             all             ::1/128                 scram-sha-256\n' >>"$dir/etc/15/main/pg_hba.conf"
    printf 'local   all             postgres                                peer\n' >>"$dir/etc/15/main/pg_hba.conf"
    # The servers answer once their stub was started.
    stub "$1" pg_isready '[[ -f "$STATE/postgres.up" ]]'
    stub "$1" redis-cli '[[ -f "$STATE/redis.up" ]] && echo PONG || echo "Could not connect"'
    stub "$1" uname 'echo Linux'
}

stub() {
    local name="$2" body="$3"
    printf '#!/usr/bin/env bash\nSTATE=%q\nBIN=%q\necho "%s $*" >>"$STATE/calls"\n%s\n' \
        "$work/$1/state" "$work/$1/bin" "$name" "$body" >"$work/$1/bin/$name"
    chmod +x "$work/$1/bin/$name"
}

run() {
    local box="$1"
    (
        cd "$here"
        PATH="$work/$box/bin" DATABASE_URL=postgres://postgres@127.0.0.1:5432/sakura \
            REDIS_URL=redis://127.0.0.1:6379 SERVICES_WAIT_SECONDS=3 \
            SERVICES_PG_CONF_DIR="$work/$box/etc" \
            bash scripts/services.sh up
    ) >"$work/$box/out" 2>&1
}

# 1. Root with apt-get: installs both packages without a prompt, trusts loopback, starts both.
sandbox apt
stub apt root 'echo 0'
mv "$work/apt/bin/root" "$work/apt/bin/id"
stub apt apt-get '
if [[ "$*" == *install* ]]; then
    for s in pg_lsclusters pg_ctlcluster redis-server; do
        cp "$BIN/.installed-$s" "$BIN/$s"
    done
fi'
stub apt .installed-pg_lsclusters 'echo "15  main    5432 down   postgres /var/lib/postgresql/15/main /var/log/postgresql/postgresql-15-main.log"'
stub apt .installed-pg_ctlcluster 'touch "$STATE/postgres.up"'
stub apt .installed-redis-server 'touch "$STATE/redis.up"'
if run apt; then
    grep -q 'installing postgresql redis-server with apt-get' "$work/apt/out" || fail "apt: did not say it installs: $(cat "$work/apt/out")"
    grep -q 'apt-get install -y -q --no-install-recommends postgresql redis-server' "$work/apt/state/calls" || fail "apt: no unattended install: $(cat "$work/apt/state/calls")"
    grep -q 'pg_ctlcluster --skip-systemctl-redirect 15 main start' "$work/apt/state/calls" || fail "apt: PostgreSQL not started"
    grep -q 'redis-server --daemonize yes' "$work/apt/state/calls" || fail "apt: Redis not started"
    [[ "$(grep -c ' trust$' "$work/apt/etc/15/main/pg_hba.conf")" == 2 ]] || fail "apt: loopback not trusted: $(cat "$work/apt/etc/15/main/pg_hba.conf")"
    grep -q '^local   all             postgres                                peer$' "$work/apt/etc/15/main/pg_hba.conf" || fail "apt: other pg_hba lines changed"
else
    fail "apt: services.sh up failed: $(cat "$work/apt/out")"
fi

# 2. apt-get, but neither root nor passwordless sudo: prints the command, fails, installs nothing.
sandbox nosudo
stub nosudo id 'echo 1000'
stub nosudo sudo 'exit 1'
stub nosudo apt-get 'exit 0'
if run nosudo; then
    fail "nosudo: succeeded without servers"
fi
grep -q 'sudo apt-get install -y postgresql redis-server' "$work/nosudo/out" || fail "nosudo: no command printed: $(cat "$work/nosudo/out")"
if grep -q 'apt-get.*install' "$work/nosudo/state/calls" 2>/dev/null; then fail "nosudo: ran apt-get install"; fi

# 3. Homebrew: installs the formulae and starts them as services.
sandbox brew
stub brew id 'echo 501'
stub brew brew '[[ "$1 $2" == "services start" && "$3" == postgresql@16 ]] && touch "$STATE/postgres.up"
[[ "$1 $2" == "services start" && "$3" == redis ]] && touch "$STATE/redis.up"
exit 0'
if run brew; then
    grep -q 'brew install postgresql@16 redis' "$work/brew/state/calls" || fail "brew: not installed: $(cat "$work/brew/state/calls")"
    grep -q 'brew services start postgresql@16' "$work/brew/state/calls" || fail "brew: not started"
else
    fail "brew: services.sh up failed: $(cat "$work/brew/out")"
fi

if ((failures > 0)); then
    echo "services-install: $failures failure(s)" >&2
    exit 1
fi
echo "services-install: ok (apt-get as root, no sudo, Homebrew)"
