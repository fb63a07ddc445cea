# Shared by scripts/run and scripts/test: install what Roster needs (each step
# is skipped quickly when already done) and start the local services.
# Source it; do not run it.

set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DATA="$ROOT/.data"

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
die() { printf '\033[31mroster: %s\033[0m\n' "$*" >&2; exit 1; }

is_root() { [ "$(id -u)" -eq 0 ]; }

apt_install() {
  is_root || die "$* is missing. Install it with: sudo apt-get install -y $*"
  command -v apt-get >/dev/null || die "$* is missing and this is not a Debian-like system; install it by hand."
  say "Installing $* from Debian's packages"
  if [ ! -f "$DATA/.apt-updated" ]; then
    apt-get update -qq || die "apt-get update failed: check the network and /etc/apt/sources.list"
    mkdir -p "$DATA" && touch "$DATA/.apt-updated"
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null || die "could not install $* with apt-get"
}

toolchain_channel() { sed -n 's/^channel *= *"\(.*\)"/\1/p' "$ROOT/rust-toolchain.toml"; }

ensure_rust() {
  command -v rustup >/dev/null || die "rustup is needed (https://rustup.rs); Roster pins its Rust version in rust-toolchain.toml."
  local channel; channel="$(toolchain_channel)"
  if ! rustup target list --installed --toolchain "$channel" 2>/dev/null | grep -q wasm32-unknown-unknown \
     || ! rustup component list --installed --toolchain "$channel" 2>/dev/null | grep -q clippy; then
    say "Installing Rust $channel with the wasm32 target"
    rustup toolchain install "$channel" --profile minimal \
      --component rustfmt --component clippy --target wasm32-unknown-unknown \
      || die "could not install Rust $channel with rustup"
  fi
  export PATH="$HOME/.cargo/bin:$PATH"
}

# Versions of the build tools, pinned so every machine builds the same way.
CARGO_LEPTOS_VERSION="0.3.11"

wasm_bindgen_version() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$ROOT/Cargo.lock"
}

ensure_cargo_tools() {
  if ! cargo leptos --version 2>/dev/null | grep -q "$CARGO_LEPTOS_VERSION"; then
    say "Installing cargo-leptos $CARGO_LEPTOS_VERSION (once per machine; 10-20 minutes on 2 cores)"
    cargo install cargo-leptos --locked --version "$CARGO_LEPTOS_VERSION" \
      || die "could not install cargo-leptos $CARGO_LEPTOS_VERSION"
  fi
  local wb; wb="$(wasm_bindgen_version)"
  if ! wasm-bindgen --version 2>/dev/null | grep -q "$wb"; then
    say "Installing wasm-bindgen-cli $wb (it must match the wasm-bindgen crate exactly)"
    # Not --locked: one of its locked dependencies is not on every registry mirror.
    cargo install wasm-bindgen-cli --version "$wb" || die "could not install wasm-bindgen-cli $wb"
  fi
}

ensure_node_packages() {
  command -v npm >/dev/null || apt_install nodejs npm
  local modules="$ROOT/end2end/node_modules"
  if [ ! -f "$modules/.installed" ] || [ "$ROOT/end2end/package-lock.json" -nt "$modules/.installed" ]; then
    say "Installing end-to-end and mail-sink packages (npm ci)"
    (cd "$ROOT/end2end" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error) \
      || die "npm ci failed in end2end/"
    touch "$modules/.installed"
  fi
  # wasm-opt from npm's binaryen: Debian's older build breaks hydration.
  export PATH="$modules/.bin:$PATH"
}

ensure_chromium() {
  [ -x /usr/bin/chromium ] || apt_install chromium
}

pg_bin() {
  local dir
  dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
  if [ -z "$dir" ] || [ ! -x "$dir/initdb" ]; then
    apt_install postgresql
    dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
  fi
  [ -x "$dir/initdb" ] || die "PostgreSQL server binaries (initdb, pg_ctl) were not found"
  echo "$dir"
}

# PostgreSQL refuses to run as root; the private cluster belongs to `postgres`.
as_pg_owner() {
  if is_root; then
    id postgres >/dev/null 2>&1 || useradd --system --home-dir "$PG_DATA" --shell /usr/sbin/nologin postgres
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

# Starts a private PostgreSQL cluster under .data/NAME (kept between runs) on
# 127.0.0.1:PORT; extra server settings may follow.
start_private_postgres() {
  local name="$1" port="$2"; shift 2
  local bin; bin="$(pg_bin)"
  local PG_DATA="$DATA/$name" PG_SOCKETS="$DATA/$name-sockets"
  mkdir -p "$PG_DATA" "$PG_SOCKETS"
  if is_root; then
    as_pg_owner true
    chown postgres "$PG_DATA" "$PG_SOCKETS"
    chmod 700 "$PG_DATA"
    # The cluster's owner must be able to reach it through the checkout.
    local dir="$DATA"
    while [ "$dir" != "/" ]; do chmod o+x "$dir" 2>/dev/null || true; dir="$(dirname "$dir")"; done
  fi
  if [ ! -f "$PG_DATA/PG_VERSION" ]; then
    say "Creating a private PostgreSQL cluster in .data/$name"
    as_pg_owner "$bin/initdb" -D "$PG_DATA" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null \
      || die "initdb failed"
  fi
  if ! as_pg_owner "$bin/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1; then
    if port_open "$port"; then
      die "port $port is taken by another program (another Roster checkout's cluster? stop it with: pg_ctl -D <its .data/$name> stop)"
    fi
    say "Starting PostgreSQL ($name) on 127.0.0.1:$port"
    as_pg_owner "$bin/pg_ctl" -D "$PG_DATA" -l "$PG_DATA/server.log" -w -t 60 \
      -o "-p $port -k $PG_SOCKETS -c listen_addresses=127.0.0.1 -c max_connections=300 $*" start >/dev/null \
      || die "PostgreSQL did not start; see .data/$name/server.log"
  fi
  export ROSTER_PG_URL="postgres://postgres@127.0.0.1:$port"
}

psql_admin() {
  "$(pg_bin)/psql" -X -q -v ON_ERROR_STOP=1 "$ROSTER_PG_URL/postgres" "$@"
}

create_database_if_missing() {
  local name="$1"
  if [ -z "$(psql_admin -tAc "SELECT 1 FROM pg_database WHERE datname = '$name'")" ]; then
    psql_admin -c "CREATE DATABASE \"$name\""
  fi
}

recreate_database() {
  local name="$1"
  psql_admin -c "DROP DATABASE IF EXISTS \"$name\" WITH (FORCE)" -c "CREATE DATABASE \"$name\""
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# A local SMTP sink with a web mailbox (MailDev). Stopped when the script exits.
start_mail_sink() {
  local smtp_port="$1" web_port="$2" log="$DATA/maildev-$1.log"
  if port_open "$smtp_port"; then
    say "Something already listens on $smtp_port; using it as the mail sink"
  else
    "$ROOT/end2end/node_modules/.bin/maildev" --ip 127.0.0.1 --smtp "$smtp_port" \
      --web "$web_port" --web-ip 127.0.0.1 --silent >"$log" 2>&1 &
    MAIL_SINK_PID=$!
    for _ in $(seq 1 50); do port_open "$smtp_port" && port_open "$web_port" && break; sleep 0.2; done
    port_open "$smtp_port" || die "the mail sink did not start; see $log"
  fi
}

stop_mail_sink() {
  if [ -n "${MAIL_SINK_PID:-}" ]; then kill "$MAIL_SINK_PID" 2>/dev/null || true; fi
}

ensure_everything() {
  ensure_rust
  ensure_node_packages
  ensure_cargo_tools
  # Queries are checked at compile time against the committed .sqlx/ data.
  export SQLX_OFFLINE=true
}
