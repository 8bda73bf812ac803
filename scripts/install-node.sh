#!/usr/bin/env bash
# Installs the newest Node.js of a major line from the npm registry into .tools/node-<major>
# and prints that folder. The registry's node-linux-<arch> packages are Node's official Linux
# builds: bin/node and include/node (the headers node-gyp needs: point npm_config_nodedir at
# the folder and native modules such as better-sqlite3 build against it, with no download).
# They carry no npm: the npm on PATH runs on whichever node comes first on PATH.
#
#   scripts/install-node.sh 24        # → .tools/node-24 (kept while it is the newest 24.x)
set -euo pipefail
cd "$(dirname "$0")/.."

major="${1:?usage: scripts/install-node.sh <major version>}"
case "$(uname -m)" in
  x86_64 | amd64) arch=x64 ;;
  aarch64 | arm64) arch=arm64 ;;
  *) echo "install-node: no Node package for $(uname -m)" >&2; exit 1 ;;
esac
package="node-linux-$arch"
dir=".tools/node-$major"

# `npm view pkg@24 version` prints one bare version, or one "pkg@x 'x'" line per match, oldest first.
version="$(npm view "$package@$major" version | tail -n 1 | awk '{ print $NF }' | tr -d "'")"
[ -n "$version" ] || { echo "install-node: $package@$major is not in the registry" >&2; exit 1; }

if [ "$("$dir/bin/node" --version 2>/dev/null || true)" != "v$version" ]; then
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  (cd "$tmp" && npm pack --silent "$package@$version" >/dev/null)
  rm -rf "$dir" && mkdir -p "$dir"
  tar -xzf "$tmp/$package-$version.tgz" -C "$dir" --strip-components=1
  [ -f "$dir/include/node/node.h" ] || { echo "install-node: $package@$version has no include/node headers" >&2; exit 1; }
fi
echo "$dir"
