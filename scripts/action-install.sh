#!/usr/bin/env bash
# Installs shipshape for the GitHub Action (action.yml), into DIR/bin:
#
#     action-install.sh release DIR   the release binary for this OS and CPU,
#                                     when the action is used at a release tag
#                                     (SHIPSHAPE_ACTION_REF=vX.Y.Z, the version
#                                     in Cargo.toml) and that release has one
#     action-install.sh cargo DIR     `cargo install --locked` from the
#                                     action's own source (action.yml caches
#                                     DIR with actions/cache)
#
# `release` writes `installed=true|false` and `source-key` (a hash of what
# cargo would build, for the cache key) to $GITHUB_OUTPUT when it is set,
# and to stdout. A release holds, per target triple,
# shipshape-TARGET.tar.gz (the binary at its top level) and
# shipshape-TARGET.tar.gz.sha256; SHIPSHAPE_RELEASE_URL (default: the
# repository's releases) may point elsewhere, a file:// URL included.
set -euo pipefail

mode=${1:-}
dir=${2:-}
[ -n "$mode" ] && [ -n "$dir" ] || { echo "usage: $0 release|cargo DIR" >&2; exit 2; }
source_dir="$(cd "$(dirname "$0")/.." && pwd)"
release_url=${SHIPSHAPE_RELEASE_URL:-https://github.com/shipshape-lint/shipshape/releases/download}

output() {
    echo "$1"
    if [ -n "${GITHUB_OUTPUT:-}" ]; then echo "$1" >>"$GITHUB_OUTPUT"; fi
}

sha256() {
    if command -v sha256sum >/dev/null 2>&1; then sha256sum "$@"; else shasum -a 256 "$@"; fi
}

# The target triple of the release binary that runs here.
target() {
    case "$(uname -s)/$(uname -m)" in
        Linux/x86_64) echo x86_64-unknown-linux-musl ;;
        Linux/aarch64 | Linux/arm64) echo aarch64-unknown-linux-musl ;;
        Darwin/x86_64) echo x86_64-apple-darwin ;;
        Darwin/arm64) echo aarch64-apple-darwin ;;
        MINGW*/x86_64 | MSYS*/x86_64 | CYGWIN*/x86_64) echo x86_64-pc-windows-msvc ;;
        *) echo "" ;;
    esac
}

source_key() {
    (cd "$source_dir" && find Cargo.toml Cargo.lock build.rs src rules -type f | LC_ALL=C sort |
        while IFS= read -r f; do sha256 "$f"; done | sha256 | cut -c1-16)
}

install_release() {
    local version tag target archive work expected actual
    version=$(sed -n 's/^version = "\(.*\)"$/\1/p' "$source_dir/Cargo.toml" | head -n 1)
    tag=${SHIPSHAPE_ACTION_REF:-}
    target=$(target)
    if [ "$tag" != "v$version" ]; then
        echo "shipshape: the action is used at \`${tag:-an unknown ref}\`, not at release v$version: building from its source"
        return 1
    fi
    if [ -z "$target" ]; then
        echo "shipshape: no release binary for $(uname -s)/$(uname -m): building from source"
        return 1
    fi
    archive=shipshape-$target.tar.gz
    work=$(mktemp -d)
    if ! curl -fsSL --retry 3 -o "$work/$archive" "$release_url/$tag/$archive" ||
        ! curl -fsSL --retry 3 -o "$work/$archive.sha256" "$release_url/$tag/$archive.sha256"; then
        echo "shipshape: release $tag has no $archive: building from source"
        rm -rf "$work"
        return 1
    fi
    expected=$(cut -d ' ' -f 1 <"$work/$archive.sha256")
    actual=$(cd "$work" && sha256 "$archive" | cut -d ' ' -f 1)
    if [ "$expected" != "$actual" ]; then
        echo "shipshape: $archive does not match its checksum (expected $expected, got $actual): building from source" >&2
        rm -rf "$work"
        return 1
    fi
    mkdir -p "$dir/bin"
    tar -xzf "$work/$archive" -C "$dir/bin"
    rm -rf "$work"
    "$dir/bin/shipshape" --version
}

case $mode in
    release)
        output "source-key=$(source_key)"
        if install_release; then output installed=true; else output installed=false; fi
        ;;
    cargo)
        command -v cargo >/dev/null 2>&1 || {
            echo "shipshape: no release binary here and no cargo to build one: install a Rust toolchain first (for example dtolnay/rust-toolchain)" >&2
            exit 2
        }
        cargo install --locked --path "$source_dir" --root "$dir" --bin shipshape
        "$dir/bin/shipshape" --version
        ;;
    *) echo "usage: $0 release|cargo DIR" >&2; exit 2 ;;
esac
