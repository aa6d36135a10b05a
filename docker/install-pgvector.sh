#!/usr/bin/env bash
# Installs PostgreSQL (if absent) and pgvector >= 0.8.0 on a Debian or Ubuntu host without Docker.
#
#   sudo docker/install-pgvector.sh        # or as root
#
# Idempotent: when the newest installed PostgreSQL major already has pgvector >= 0.8.0 and
# pg_stat_statements, it prints what it found and exits without touching apt.
#
# Order of preference, for each installed major from the newest down:
#   1. pgvector already installed for it            -> nothing to do
#   2. the distribution packages postgresql-<major>-pgvector (>= 0.8.0) -> apt-get install it
#   3. postgresql-server-dev-<major> is available   -> build Debian's own pgvector source package
#      (apt-get source, from a Debian suite that carries pgvector >= 0.8.0, through a deb-src entry
#      of its own) against that major and install it
# When no installed major can get pgvector, the distribution's default PostgreSQL is installed
# and the same steps run for it. Environment knobs:
#   PGPROP_PGVECTOR_SRC_SUITE  Debian suite to take the pgvector source from (default: trixie)
#   PGPROP_PG_MAJOR            use this major only
set -euo pipefail

MIN_VERSION="0.8.0"
SRC_SUITE="${PGPROP_PGVECTOR_SRC_SUITE:-trixie}"
SRC_LIST=/etc/apt/sources.list.d/pgprop-pgvector-src.list
log() { printf 'install-pgvector: %s\n' "$*" >&2; }
die() { printf 'install-pgvector: ERROR: %s\n' "$*" >&2; exit 1; }

if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then exec sudo -E bash "$0" "$@"; fi
  die "must run as root (apt-get install); run it with sudo"
fi
command -v apt-get >/dev/null 2>&1 || die "apt-get not found: this script supports Debian and Ubuntu only; on other hosts use docker/Dockerfile or set PGPROP_JDBC_URL to a server that has pgvector"
export DEBIAN_FRONTEND=noninteractive

# version_ge A B: A >= B (dotted versions)
version_ge() { [ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n1)" = "$2" ]; }

installed_majors() { # newest first
  local d
  for d in /usr/lib/postgresql/*/bin/postgres; do
    [ -x "$d" ] || continue
    basename "$(dirname "$(dirname "$d")")"
  done | sort -rn
}

vector_version() { # installed pgvector version for a major, or empty
  local control="/usr/share/postgresql/$1/extension/vector.control"
  [ -f "$control" ] || return 0
  sed -n "s/^default_version *= *'\([^']*\)'.*/\1/p" "$control"
}

has_vector() {
  local v; v=$(vector_version "$1")
  [ -n "$v" ] && version_ge "$v" "$MIN_VERSION" && [ -f "/usr/lib/postgresql/$1/lib/vector.so" ]
}

has_stat_statements() {
  [ -f "/usr/share/postgresql/$1/extension/pg_stat_statements.control" ]
}

APT_UPDATED=0
apt_update() {
  if [ "$APT_UPDATED" -eq 0 ]; then
    log "apt-get update"
    apt-get update -qq || die "apt-get update failed: check the network and /etc/apt/sources.list"
    APT_UPDATED=1
  fi
}

apt_candidate() { # candidate version of a binary package, empty when none
  apt-cache policy "$1" 2>/dev/null | awk '/Candidate:/ { if ($2 != "(none)") print $2 }'
}

apt_install() {
  log "apt-get install $*"
  apt-get install -y -qq --no-install-recommends "$@" >/dev/null || die "apt-get install $* failed"
}

ensure_contrib() { # pg_stat_statements ships with the server package on Debian >= 10, contrib elsewhere
  has_stat_statements "$1" && return 0
  apt_update
  if [ -n "$(apt_candidate "postgresql-contrib-$1")" ]; then apt_install "postgresql-contrib-$1"; fi
  has_stat_statements "$1" || die "pg_stat_statements is missing for PostgreSQL $1 (install postgresql-contrib for it)"
}

build_from_source() {
  local major="$1" work
  apt_install "postgresql-server-dev-$major" dpkg-dev make gcc
  if [ ! -f "$SRC_LIST" ]; then
    log "adding a deb-src entry for Debian $SRC_SUITE (source packages only) in $SRC_LIST"
    echo "deb-src http://deb.debian.org/debian $SRC_SUITE main" > "$SRC_LIST"
  fi
  # refresh only our deb-src entry: the binary lists stay as they are
  apt-get update -qq -o Dir::Etc::sourcelist="$SRC_LIST" -o Dir::Etc::sourceparts=- \
      -o APT::Get::List-Cleanup=0 \
    || die "apt-get update for the deb-src entry in $SRC_LIST failed (is Debian $SRC_SUITE reachable?)"
  work=$(mktemp -d /tmp/pgprop-pgvector-build.XXXXXX)
  # shellcheck disable=SC2064
  trap "rm -rf '$work'" EXIT
  log "fetching Debian's pgvector source package from $SRC_SUITE"
  ( cd "$work" && apt-get source -qq --download-only "pgvector/$SRC_SUITE" >/dev/null 2>&1 ) \
    || die "apt-get source pgvector/$SRC_SUITE failed: the suite must carry pgvector >= $MIN_VERSION (set PGPROP_PGVECTOR_SRC_SUITE)"
  ( cd "$work" && dpkg-source -x --no-check ./*.dsc src >/dev/null ) || die "could not unpack the pgvector source package"
  local srcver
  srcver=$(sed -n "s/^default_version *= *'\([^']*\)'.*/\1/p" "$work/src/vector.control")
  version_ge "$srcver" "$MIN_VERSION" || die "pgvector $srcver from $SRC_SUITE is older than $MIN_VERSION"
  log "building pgvector $srcver against PostgreSQL $major"
  local pgc="/usr/lib/postgresql/$major/bin/pg_config"
  [ -x "$pgc" ] || pgc=$(command -v pg_config)
  # OPTFLAGS="" keeps the build portable (no -march=native); with_llvm=no skips the bitcode that needs clang
  make -s -C "$work/src" PG_CONFIG="$pgc" OPTFLAGS="" with_llvm=no -j"$(nproc)" >"$work/build.log" 2>&1 \
    || { tail -n 30 "$work/build.log" >&2; die "building pgvector against PostgreSQL $major failed (log above)"; }
  make -s -C "$work/src" PG_CONFIG="$pgc" with_llvm=no install >>"$work/build.log" 2>&1 \
    || { tail -n 30 "$work/build.log" >&2; die "installing the pgvector build failed (log above)"; }
}

try_major() { # returns 0 when the major ends up with pgvector
  local major="$1" pkg cand
  if has_vector "$major"; then return 0; fi
  apt_update
  pkg="postgresql-$major-pgvector"
  cand=$(apt_candidate "$pkg")
  if [ -n "$cand" ] && version_ge "${cand%%-*}" "$MIN_VERSION"; then
    apt_install "$pkg"
  elif [ -n "$(apt_candidate "postgresql-server-dev-$major")" ]; then
    build_from_source "$major"
  else
    log "PostgreSQL $major: no $pkg >= $MIN_VERSION and no postgresql-server-dev-$major in the apt sources"
    return 1
  fi
  has_vector "$major"
}

report() {
  local major="$1"
  ensure_contrib "$major"
  log "ready: PostgreSQL $major ($(/usr/lib/postgresql/"$major"/bin/postgres --version | awk '{print $3}')) with pgvector $(vector_version "$major") and pg_stat_statements, binaries in /usr/lib/postgresql/$major/bin"
}

majors=$(installed_majors)
if [ -n "${PGPROP_PG_MAJOR:-}" ]; then majors="$PGPROP_PG_MAJOR"; fi

# fast path: the newest installed major that already has pgvector
for m in $majors; do
  if has_vector "$m" && has_stat_statements "$m"; then report "$m"; exit 0; fi
done

for m in $majors; do
  if try_major "$m"; then report "$m"; exit 0; fi
done

if [ -n "${PGPROP_PG_MAJOR:-}" ]; then
  die "PostgreSQL $PGPROP_PG_MAJOR cannot get pgvector >= $MIN_VERSION here (no package, no server-dev package)"
fi

# no installed major can get pgvector: install the distribution's default PostgreSQL
apt_update
default_major=$(apt-cache depends postgresql 2>/dev/null | sed -n 's/.*Depends: postgresql-\([0-9][0-9]*\)$/\1/p' | head -n1)
[ -n "$default_major" ] || die "no PostgreSQL package found in the apt sources (apt-cache depends postgresql)"
log "installing PostgreSQL $default_major, the distribution's default"
apt_install "postgresql-$default_major"
try_major "$default_major" || die "PostgreSQL $default_major was installed but pgvector >= $MIN_VERSION could not be (see above)"
report "$default_major"
