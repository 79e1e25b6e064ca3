#!/usr/bin/env bash
# Builds the mtsim container image without a registry or a Docker daemon, with Debian's buildah,
# from scratch: this machine's node binary and the C libraries it links, the built app (dist/),
# its production dependencies only, and the example scenarios. The result matches the
# Dockerfile's `mtsim` target (same entrypoint, user 1000, /app layout); with --kannel, its
# `kannel` target (bearerbox and smsbox with their libraries added). Where a registry can be
# reached, `docker build .` (or buildah bud) on the Dockerfile makes the official-base image.
#
#   deploy/build-image.sh [--tag mtsim:0.1.0] [--kannel] [--no-build] [--root DIR --runroot DIR] [--storage-driver vfs]
#
# --no-build takes dist/ as it is (npm run build ran just before). --root/--runroot/--storage-driver
# are buildah's own global options: tests keep their images in a folder of their own. Prints the
# image name on the last line.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
version="$(node -p "require('$here/package.json').version")"
tag="mtsim:$version"
kannel=0
build=1
global=()
while [ $# -gt 0 ]; do
  case "$1" in
    --tag) tag="$2"; shift 2 ;;
    --kannel) kannel=1; shift ;;
    --no-build) build=0; shift ;;
    --root|--runroot|--storage-driver) global+=("$1" "$2"); shift 2 ;;
    -h|--help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "build-image.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
command -v buildah >/dev/null || { echo "build-image.sh: buildah is not installed (apt-get install -y buildah)" >&2; exit 1; }
node_bin="$(command -v node)"

stage="$(mktemp -d)"
ctr=""
cleanup() {
  [ -n "$ctr" ] && buildah "${global[@]}" rm "$ctr" >/dev/null 2>&1 || true
  rm -rf "$stage"
}
trap cleanup EXIT
root="$stage/root"
mkdir -p "$root/usr/local/bin" "$root/app" "$root/etc" "$root/tmp"
chmod 1777 "$root/tmp"

# An executable and every shared library it loads, at the same paths (symlinks resolved).
copy_binary() {
  local bin="$1" dest="$2"
  install -D -m 0755 "$bin" "$root$dest"
  ldd "$bin" | grep -o '/[^ ]*' | while read -r lib; do
    [ -e "$lib" ] && install -D -m 0755 "$(readlink -f "$lib")" "$root$lib"
  done
}
copy_binary "$node_bin" /usr/local/bin/node
if [ "$kannel" = 1 ]; then
  for box in bearerbox smsbox; do
    path="$(command -v "$box" || ls /usr/sbin/$box 2>/dev/null || true)"
    [ -n "$path" ] || { echo "build-image.sh: --kannel: $box not found (apt-get install -y kannel)" >&2; exit 1; }
    copy_binary "$path" "/usr/sbin/$box"
  done
fi

# The user the Dockerfile's node image has (uid 1000), and name lookups as glibc expects them.
printf 'root:x:0:0:root:/root:/sbin/nologin\nnode:x:1000:1000:node:/home/node:/sbin/nologin\n' >"$root/etc/passwd"
printf 'root:x:0:\nnode:x:1000:\n' >"$root/etc/group"
printf 'hosts: files dns\n' >"$root/etc/nsswitch.conf"
mkdir -p "$root/home/node" && chmod 0755 "$root/home/node"

# The app: built here, then only production dependencies (pruned from this checkout's
# node_modules, so nothing is downloaded).
if [ "$build" = 1 ]; then (cd "$here" && npx tsc -p tsconfig.json); fi
[ -f "$here/dist/cli/main.js" ] || { echo "build-image.sh: no dist/cli/main.js (run npm run build)" >&2; exit 1; }
cp -a "$here/dist" "$here/package.json" "$here/package-lock.json" "$here/scenarios" "$root/app/"
cp -a "$here/node_modules" "$root/app/node_modules"
(cd "$root/app" && npm prune --omit=dev --offline --no-audit --no-fund --ignore-scripts >/dev/null)
rm -rf "$root/app/dist/bench"

ctr="$(buildah "${global[@]}" from scratch)"
buildah "${global[@]}" copy "$ctr" "$root" / >/dev/null
buildah "${global[@]}" config \
  --entrypoint '["/usr/local/bin/node", "/app/dist/cli/main.js"]' \
  --cmd '--help' \
  --user 1000:1000 \
  --workingdir /app \
  --env NODE_ENV=production \
  --label org.opencontainers.image.title=mtsim \
  --label "org.opencontainers.image.version=$version" \
  --label "dev.mtsim.kannel=$kannel" \
  "$ctr"
buildah "${global[@]}" commit --quiet "$ctr" "$tag" >/dev/null
echo "$tag"
