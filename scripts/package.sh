#!/usr/bin/env bash
# Builds Lectern's release packages with Tauri's own bundler and puts them in one folder:
#
#   scripts/package.sh            # <target>/packages/Lectern_<version>_amd64.deb and the .rpm
#
# <target> is cargo's target folder: `target/` here, or wherever CARGO_TARGET_DIR (or a
# cargo config's build.target-dir) puts it; the script asks `cargo metadata` once.
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

metadata=$(cargo metadata --no-deps --format-version 1 --locked)
version=$(sed -n 's/.*"name":"lectern-app","version":"\([^"]*\)".*/\1/p' <<<"$metadata")
# Absolute, as cargo reports it; the same folder `tauri build` builds and bundles in.
target=$(sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p' <<<"$metadata")
case "$target" in
  /*) ;;
  *) echo "package: cannot tell cargo's target folder from \`cargo metadata\`" >&2; exit 1 ;;
esac
case "$target" in
  *\\*) echo "package: the target folder's path has a backslash or a quote: $target" >&2; exit 1 ;;
esac

echo "== cargo build --release (the lectern CLI the package ships beside the app)" >&2
cargo build --release --locked -p lectern --bin lectern >&2

echo "== tauri build --bundles deb,rpm" >&2
# `tauri build` builds lectern-app in release mode (reusing what is built) and bundles.
# tauri.conf.json names the CLI at ../target/release/lectern, where a default build puts
# it; the one just built is in $target, so its path is merged over the config here (a
# stale binary at the default place is never packaged).
cli="$target/release/lectern"
files="{\"files\":{\"/usr/bin/lectern\":\"$cli\"}}"
config="{\"bundle\":{\"linux\":{\"deb\":$files,\"rpm\":$files}}}"
(cd src-tauri && ../tools/tauri-cli/node_modules/.bin/tauri build --ci --bundles deb,rpm \
  --config "$config" -- --locked) >&2

out=$target/packages
mkdir -p "$out"
rm -f "$out"/*.deb "$out"/*.rpm
for f in "$target"/release/bundle/deb/*_"${version}"_*.deb "$target"/release/bundle/rpm/*-"${version}"-*.rpm; do
  [ -f "$f" ] || { echo "package: expected a package matching $f" >&2; exit 1; }
  cp "$f" "$out/"
  echo "$out/$(basename "$f")"
done
