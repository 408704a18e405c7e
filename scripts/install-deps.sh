#!/usr/bin/env bash
# Installs what building, running and testing Lectern needs on a fresh Debian/Ubuntu
# machine. Idempotent: it installs only what is missing, so it is cheap to run again.
# Works as root or through sudo.
#
#   scripts/install-deps.sh          # what the app needs (WebKitGTK for Tauri 2)
#   scripts/install-deps.sh --test   # plus what the tests need (Xvfb, WebKitWebDriver,
#                                    # tauri-driver, rustfmt, clippy, and what --package
#                                    # installs, for the package test under CI)
#   scripts/install-deps.sh --package  # plus what scripts/package.sh needs: the Tauri CLI
#                                    # (prebuilt, from npm, pinned in tools/tauri-cli/) and
#                                    # the desktop-entry and AppStream validators
set -euo pipefail

want_test=0
want_package=0
case "${1:-}" in
  --test) want_test=1 want_package=1 ;;
  --package) want_package=1 ;;
esac
cd "$(dirname "$0")/.."

if [ "$(id -u)" -eq 0 ]; then
  SUDO=()
elif command -v sudo >/dev/null 2>&1; then
  SUDO=(sudo)
else
  echo "install-deps: run as root or install sudo" >&2
  exit 1
fi

packages=(libwebkit2gtk-4.1-dev build-essential pkg-config curl file)
if [ "$want_test" -eq 1 ]; then
  packages+=(webkit2gtk-driver xvfb xauth imagemagick xdotool xclip x11-utils fonts-dejavu-core dbus-daemon dbus-session-bus-common)
fi
if [ "$want_package" -eq 1 ]; then
  # rpm: to read the .rpm's metadata and file list in the package test (an RPM-based
  # system to install it on is not at hand); libglib2.0-bin (gio) and shared-mime-info:
  # to check there that a .lectern file is a Lectern course to the desktop.
  packages+=(desktop-file-utils appstream rpm libglib2.0-bin shared-mime-info)
  # The Tauri CLI comes from npm; Node is only installed where there is none at all.
  command -v npm >/dev/null 2>&1 || packages+=(nodejs npm)
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "install-deps: installing Debian packages: ${missing[*]}"
  "${SUDO[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

if ! command -v cargo >/dev/null 2>&1; then
  echo "install-deps: cargo not found; install Rust with rustup first (https://rustup.rs)" >&2
  exit 1
fi

if [ "$want_test" -eq 1 ]; then
  if command -v rustup >/dev/null 2>&1; then
    for c in rustfmt clippy; do
      rustup component list --installed 2>/dev/null | grep -q "^$c" || rustup component add "$c"
    done
  fi
  if ! command -v tauri-driver >/dev/null 2>&1; then
    echo "install-deps: installing tauri-driver"
    cargo install tauri-driver --locked
  fi
fi

# The Tauri CLI that makes the packages: the version pinned in tools/tauri-cli/package.json,
# installed from its lockfile (the npm package ships a prebuilt binary: seconds, against
# ~12 minutes for `cargo install tauri-cli` on two cores). Skipped when that version is
# already there.
if [ "$want_package" -eq 1 ]; then
  tauri_bin=tools/tauri-cli/node_modules/.bin/tauri
  pinned=$(sed -n 's/.*"@tauri-apps\/cli": *"\([^"]*\)".*/\1/p' tools/tauri-cli/package.json)
  if ! "$tauri_bin" --version 2>/dev/null | grep -qx "tauri-cli $pinned"; then
    echo "install-deps: installing the Tauri CLI $pinned (npm)"
    npm ci --prefix tools/tauri-cli --no-audit --no-fund --loglevel=error
  fi
fi
