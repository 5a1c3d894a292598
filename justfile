# Sakura's commands. `just` alone lists them.
# Install just: `pip install rust-just` (seconds) or `cargo install just --locked`.

set shell := ["bash", "-euo", "pipefail", "-c"]
set positional-arguments

# Crates that hold the business rules; they must not depend on these (normal dependencies).
core_crates := "sakura_domain sakura_application"
forbidden_deps := "actix-web actix-ws diesel diesel-async deadpool-redis redis tokio-postgres tokio"

# List the recipes
default:
    @{{ just_executable() }} --justfile {{ quote(justfile()) }} --list

# Start PostgreSQL and Redis if they do not answer, then the server (extra args go to sakura-server)
run *args: services
    cargo run -p sakura_server --bin sakura-server -- "$@"

# Run the tests: all (nextest + doctests), or one crate: `just test http` / `just test sakura_http`
test *args: services
    #!/usr/bin/env bash
    set -euo pipefail
    if [[ $# -eq 0 ]]; then
        cargo nextest run --workspace
        cargo test --workspace --doc
        bash scripts/tests/services-install.sh
        python3 scripts/check_docker.py --self-test
        exit 0
    fi
    if [[ "$1" == -* ]]; then
        # Options only (`just test --no-capture`): nextest over the whole workspace.
        cargo nextest run --workspace "$@"
        exit 0
    fi
    # The first argument names a crate, short (`http`, `test-services`) or full (`sakura_http`);
    # the rest go to nextest as filters and options (then doctests are skipped).
    crate="${1//-/_}"
    shift
    [[ "$crate" == sakura_* ]] || crate="sakura_${crate}"
    if [[ $# -gt 0 ]]; then
        cargo nextest run -p "$crate" "$@"
    else
        # A crate may have no tests yet: say so, but do not fail.
        cargo nextest run -p "$crate" --no-tests=warn
        cargo test -p "$crate" --doc
    fi

# Format check, clippy with warnings denied, and the layer check
lint:
    cargo fmt --all --check
    cargo clippy --workspace --all-targets -- -D warnings
    @{{ just_executable() }} --justfile {{ quote(justfile()) }} layers

# What CI checks besides lint and test: licenses, bans and sources (cargo-deny), docs that build
# without a warning, no unused dependency (cargo-machete). Installs the tools if missing.
check:
    #!/usr/bin/env bash
    set -euo pipefail
    cargo deny --version >/dev/null 2>&1 || { echo "installing cargo-deny (a few minutes)"; cargo install cargo-deny --locked; }
    cargo machete --version >/dev/null 2>&1 || { echo "installing cargo-machete"; cargo install cargo-machete --locked; }
    cargo deny --log-level error check licenses bans sources
    RUSTDOCFLAGS="-D warnings" cargo doc --workspace --no-deps
    cargo machete

# Format the code
fmt:
    cargo fmt --all

# Fail if the domain or application crates depend on a web, database or runtime crate, a delivery
# crate on an adapter, or an adapter on another adapter or a delivery crate
layers:
    #!/usr/bin/env bash
    set -euo pipefail
    err="$(mktemp)"
    trap 'rm -f "$err"' EXIT
    failed=0
    for crate in {{ core_crates }}; do
        for dep in {{ forbidden_deps }}; do
            # `cargo tree -i` prints the paths from $crate to $dep, prints nothing (exit 0) when
            # $dep is only a dev/build dependency, and exits non-zero with "did not match any
            # packages" when $dep is nowhere in the graph. Anything else is a real error.
            # --target all: a platform-specific dependency counts too.
            if tree="$(cargo tree -p "$crate" -e normal -i "$dep" --target all --all-features 2>"$err")"; then
                if [[ -n "$tree" ]]; then
                    echo "layers: $crate depends on $dep, which belongs in an adapter or delivery crate:" >&2
                    echo "$tree" >&2
                    failed=1
                fi
            elif grep -q "did not match any packages" "$err"; then
                : # not a dependency at all
            elif grep -q "is ambiguous" "$err"; then
                # Several versions of $dep are in $crate's graph.
                echo "layers: $crate depends on $dep (several versions):" >&2
                cargo tree -p "$crate" -e normal --target all --all-features --prefix none \
                    | grep -E "^$dep v" | sort -u >&2 || true
                failed=1
            else
                echo "layers: could not check $crate -> $dep:" >&2
                cat "$err" >&2
                failed=1
            fi
        done
    done
    if [[ $failed -ne 0 ]]; then
        echo "layers: FAILED — the domain and application crates must stay free of: {{ forbidden_deps }}" >&2
    else
        echo "layers: ok ({{ core_crates }} are free of {{ forbidden_deps }})"
    fi
    # Between the rings: crates/delivery/* never on crates/adapters/*, adapters never on each other
    # or on delivery. The crate lists come from those directories (see the script's docstring).
    if ! command -v python3 >/dev/null 2>&1; then
        echo "layers: python3 is needed for the adapter and delivery check (scripts/layers.py)" >&2
        exit 1
    fi
    python3 scripts/layers.py || failed=1
    exit "$failed"

# Use the repository's git hooks (.githooks/pre-commit: fmt check + clippy)
hooks:
    chmod +x .githooks/pre-commit
    git config core.hooksPath .githooks
    @echo "git hooks installed from .githooks/"

# Create the database if missing and apply the migrations
migrate: services
    cargo run -p sakura_server --bin sakura-server -- migrate

# Run the benchmarks
bench:
    cargo bench --workspace

# cargo-deny checks, all or some: `just deny licenses bans sources` (cargo install cargo-deny --locked)
deny *args:
    #!/usr/bin/env bash
    set -euo pipefail
    if ! cargo deny --version >/dev/null 2>&1; then
        echo "cargo-deny is not installed: cargo install cargo-deny --locked (a few minutes)" >&2
        exit 1
    fi
    cargo deny check "$@"

# Make sure PostgreSQL and Redis answer (starts them with docker compose or the local servers)
services:
    scripts/services.sh up
