#!/usr/bin/env bash
# Installs the reference tools that word-vector tests compare against and bench:vectors races:
# Debian's fasttext 0.9.2 and gensim 4.2.0 (for /usr/bin/python3). Idempotent. Tests skip, saying so, without them.
set -euo pipefail

readonly APT_PACKAGES=(fasttext python3-gensim)
REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

log() { printf '[setup-peers] %s\n' "$*"; }

# shellcheck source=apt.sh
source "$REPO_ROOT/scripts/apt.sh"

install_apt_packages "${APT_PACKAGES[@]}"
