#!/usr/bin/env bash
# Install the Debian packages the build, the tests and the demo need, only those missing,
# so that a re-run on a prepared machine costs one dpkg query. bear records the
# extension's compile commands, clang-format-14 is the pinned formatter (format-check),
# libasan8 and libubsan1 are the sanitizers' run-time libraries (suite sanitize),
# libhiredis-dev and redis-server the cache module and its tests (suite cache).
set -euo pipefail

packages=(
  g++ make cmake ninja-build pkg-config git ca-certificates
  postgresql-15 postgresql-client-15 postgresql-server-dev-15 libpq-dev
  libipc-run-perl
  libgtest-dev libgmock-dev libbenchmark-dev librapidcheck-dev
  nlohmann-json3-dev libfmt-dev
  libhiredis-dev redis-server
  python3
  bear clang-format-14
  libasan8 libubsan1
)

missing=()
for package in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${db:Status-Status}' "$package" 2>/dev/null || true)
  [ "$status" = "installed" ] || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

as_root=()
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "install-dependencies: run as root or install sudo" >&2; exit 1; }
  as_root=(sudo)
fi

echo "install-dependencies: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -qq
"${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
