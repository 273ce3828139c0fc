# Shared by the setup scripts: installs Debian packages as root (directly, or through sudo -n), only those missing.
# Callers define log().

as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null; then
    sudo -n "$@"
  else
    log "need root to run: $*"
    return 1
  fi
}

package_installed() {
  dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'
}

apt_install() {
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@" </dev/null
}

apt_update() {
  log "apt-get update"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q </dev/null
}

install_apt_packages() {
  local missing=()
  for pkg in "$@"; do
    package_installed "$pkg" || missing+=("$pkg")
  done
  if [ ${#missing[@]} -eq 0 ]; then
    log "apt packages already installed: $*"
    return
  fi
  log "installing apt packages: ${missing[*]}"
  # Refresh the package lists only when they are absent or too stale to install from.
  if ! apt-cache show "${missing[@]}" >/dev/null 2>&1; then
    apt_update
  fi
  if ! apt_install "${missing[@]}"; then
    apt_update
    apt_install "${missing[@]}"
  fi
}
