#!/usr/bin/env bash
# Builds Lectern's release packages with Tauri's own bundler and puts them in one folder:
#
#   scripts/package.sh            # target/packages/Lectern_<version>_amd64.deb and the .rpm
#
# It prints the path of each package, one per line, on stdout (everything else goes to
# stderr), so `deb=$(scripts/package.sh | grep '\.deb$')` works. No network is needed
# once scripts/install-deps.sh --package has run (it runs here, and installs only what is
# missing: the Tauri CLI from npm, pinned in tools/tauri-cli/).
#
# The .deb carries /usr/bin/lectern-app, the `lectern` command line (/usr/bin/lectern),
# the menu entry (packaging/lectern.desktop.hbs), icons at 32–512 px (src-tauri/icons/,
# made from packaging/lectern.svg with `tauri icon packaging/lectern.svg -o src-tauri/icons
# -p 32 -p 48 -p 64 -p 128 -p 256 -p 512`), the AppStream metadata and the licence; what
# goes where is the `bundle` section of src-tauri/tauri.conf.json. AppImage is not made:
# its bundler downloads linuxdeploy at build time.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --package >&2

echo "== cargo build --release (the lectern CLI the package ships beside the app)" >&2
cargo build --release --locked -p lectern --bin lectern >&2

echo "== tauri build --bundles deb,rpm" >&2
# `tauri build` builds lectern-app in release mode (reusing what is built) and bundles.
(cd src-tauri && ../tools/tauri-cli/node_modules/.bin/tauri build --ci --bundles deb,rpm -- --locked) >&2

version=$(cargo metadata --no-deps --format-version 1 --locked |
  sed -n 's/.*"name":"lectern-app","version":"\([^"]*\)".*/\1/p')
out=target/packages
mkdir -p "$out"
rm -f "$out"/*.deb "$out"/*.rpm
for f in target/release/bundle/deb/*_"${version}"_*.deb target/release/bundle/rpm/*-"${version}"-*.rpm; do
  [ -f "$f" ] || { echo "package: expected a package matching $f" >&2; exit 1; }
  cp "$f" "$out/"
  echo "$PWD/$out/$(basename "$f")"
done
