#!/usr/bin/env bash
# The Python wheel works, and so does the pre-commit hook it enables:
#
# 1. maturin, installed from PyPI at a pinned version, builds the wheel of
#    this checkout (pyproject.toml, `bindings = "bin"`), refusing a platform
#    tag PyPI would reject;
# 2. a fresh venv installs it, with no package index, and `shipshape`
#    --version and a lint of fixtures/example/Dockerfile run from the
#    venv's PATH;
# 3. `pre-commit try-repo` runs the `language: python` hook shown in
#    docs/pre-commit.md from a local hook repository, pip resolving
#    `shipshape-lint==VERSION` from the built wheel alone (PIP_NO_INDEX):
#    it must fail on a bad Dockerfile and pass on a clean one.
#
# Prints the wheel's size, the build and install times, and the hook's
# first run.
#
#     bash scripts/wheel-check.sh                       # needs python3 and cargo
#     WHEEL_PROFILE=release bash scripts/wheel-check.sh # the published build
#
# The wheel is built with the dev profile by default: .ci/run has built it
# already, so the wheel costs a relink, where the release profile (fat LTO,
# the one a published wheel uses) is a build of its own of several minutes.
# What is checked, the packaging, is the same for both.
#
# The platform tag is the one maturin derives from the glibc symbols the
# binary uses: built here it is manylinux_2_X for the build machine's
# glibc, which PyPI accepts (`--compatibility pypi`, and `--auditwheel
# check` refuses a binary needing libraries outside the manylinux policy).
# A wheel for older distributions (manylinux2014) needs a build in a
# manylinux container or with zig, which this check does not need.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

maturin_version=1.16.0
profile=${WHEEL_PROFILE:-dev}
version=$(sed -n 's/^version = "\(.*\)"$/\1/p' "$repo/Cargo.toml" | head -n 1)
export GIT_AUTHOR_NAME=ci GIT_AUTHOR_EMAIL=ci@localhost GIT_COMMITTER_NAME=ci GIT_COMMITTER_EMAIL=ci@localhost
export PIP_DISABLE_PIP_VERSION_CHECK=1

fail() { echo "wheel check failed: $*" >&2; exit 1; }
now() { python3 -c 'import time; print(time.time())'; }
since() { python3 -c 'import sys, time; print(f"{time.time() - float(sys.argv[1]):.1f}")' "$1"; }

# 1. The wheel.
python3 -m venv "$work/build"
"$work/build/bin/python" -m pip install --quiet "maturin==$maturin_version"
start=$(now)
(cd "$repo" && "$work/build/bin/maturin" build --locked --profile "$profile" \
    --compatibility pypi --auditwheel check --out "$work/wheels")
build_time=$(since "$start")

wheels=("$work"/wheels/*.whl)
[ ${#wheels[@]} -eq 1 ] || fail "expected one wheel, found: ${wheels[*]}"
wheel=${wheels[0]}
name=$(basename "$wheel")
case "$(uname -s)" in
    Linux) tag='manylinux_[0-9]+_[0-9]+_[a-z0-9_]+' ;;
    Darwin) tag='macosx_[0-9]+_[0-9]+_[a-z0-9_]+' ;;
    *) tag='[a-z0-9_.]+' ;;
esac
echo "$name" | grep -Eq "^shipshape_lint-${version//./\\.}-py3-none-${tag}\.whl$" ||
    fail "unexpected wheel name or platform tag: $name"
python3 - "$wheel" "$version" <<'EOF' || fail "the wheel does not hold the shipshape binary as a script"
import sys, zipfile
names = zipfile.ZipFile(sys.argv[1]).namelist()
assert f"shipshape_lint-{sys.argv[2]}.data/scripts/shipshape" in names, names
EOF
size=$(wc -c <"$wheel" | tr -d ' ')

# 2. A fresh venv installs it; `shipshape` is on the venv's PATH.
start=$(now)
python3 -m venv "$work/venv"
venv_time=$(since "$start")
start=$(now)
"$work/venv/bin/python" -m pip install --quiet --no-index "$wheel"
install_time=$(since "$start")

(
    export PATH="$work/venv/bin:$PATH"
    [ "$(command -v shipshape)" = "$work/venv/bin/shipshape" ] || fail "shipshape is not on the venv's PATH"
    [ "$(shipshape --version)" = "shipshape $version" ] || fail "shipshape --version says: $(shipshape --version)"
    status=0
    (cd "$repo" && shipshape lint --color never fixtures/example/Dockerfile) >"$work/lint.out" 2>&1 || status=$?
    cat "$work/lint.out"
    [ "$status" -eq 1 ] || fail "linting fixtures/example/Dockerfile exited $status, not 1"
    grep -Eq '(error|warning|note|info|style)\[[A-Z]+[0-9]{3}\]' "$work/lint.out" || fail "the lint names no rule id"
    grep -q 'SEC004' "$work/lint.out" || fail "the hardcoded token (SEC004) is not reported"
)

# 3. The `language: python` hook of docs/pre-commit.md, from a local hook
# repository. pre-commit installs a hook repository as a Python package
# (`pip install .`) before the hook's additional_dependencies; this one's
# package is empty, built by an in-tree backend so that no build tool is
# fetched either.
python3 -m venv "$work/pre-commit"
"$work/pre-commit/bin/python" -m pip install --quiet pre-commit
hooks="$work/hooks"
mkdir -p "$hooks"
"$work/pre-commit/bin/python" - "$repo/docs/pre-commit.md" "$repo/.pre-commit-hooks.yaml" "$version" \
    >"$hooks/.pre-commit-hooks.yaml" <<'EOF' || fail "docs/pre-commit.md's python hook does not match the rust hook or the version"
import re, sys, yaml
doc, manifest, version = sys.argv[1:]
block = re.search(r"<!-- python hook: tested by scripts/wheel-check.sh -->\s*```yaml\n(.*?)```",
                  open(doc, encoding="utf-8").read(), re.S)
assert block, "no python hook block in docs/pre-commit.md"
hook = yaml.safe_load(block.group(1))["repos"][0]["hooks"][0]
rust = yaml.safe_load(open(manifest, encoding="utf-8"))[0]
assert hook["language"] == "python", hook["language"]
for key in ("id", "entry", "files", "exclude", "types"):
    assert hook[key] == rust[key], f"{key}: {hook[key]!r} in the docs, {rust[key]!r} in .pre-commit-hooks.yaml"
wanted = [f"shipshape-lint=={version}"]
assert hook["additional_dependencies"] == wanted, f"{hook['additional_dependencies']} is not {wanted}"
print(yaml.safe_dump([hook], sort_keys=False), end="")
EOF
cat >"$hooks/pyproject.toml" <<'EOF'
[build-system]
requires = []
build-backend = "backend"
backend-path = ["."]
EOF
cat >"$hooks/backend.py" <<'EOF'
"""Builds an empty wheel: this hook repository's own package."""
import base64, hashlib, os, zipfile

DIST = "shipshape_hook-0.dist-info"
FILES = {
    f"{DIST}/METADATA": "Metadata-Version: 2.1\nName: shipshape-hook\nVersion: 0\n",
    f"{DIST}/WHEEL": "Wheel-Version: 1.0\nGenerator: backend.py\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
}

def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    name = "shipshape_hook-0-py3-none-any.whl"
    record = []
    with zipfile.ZipFile(os.path.join(wheel_directory, name), "w") as wheel:
        for path, text in FILES.items():
            data = text.encode()
            digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
            record.append(f"{path},sha256={digest},{len(data)}")
            wheel.writestr(path, data)
        record.append(f"{DIST}/RECORD,,")
        wheel.writestr(f"{DIST}/RECORD", "\n".join(record) + "\n")
    return name
EOF
(cd "$hooks" && git init -q && git add -A && git commit -q -m hooks)
cat "$hooks/.pre-commit-hooks.yaml"

cp -R "$repo/fixtures/pre-commit" "$work/project"
cd "$work/project"
git init -q
git add -A

# Nothing from a package index: the wheel comes from the folder it was
# built in. try-repo installs the hook into a store of its own each time,
# so both runs below are first runs.
export PIP_NO_INDEX=1 PIP_FIND_LINKS="$work/wheels"
try_repo() { "$work/pre-commit/bin/pre-commit" try-repo "$hooks" shipshape --color never "$@"; }

status=0
start=$(now)
try_repo --all-files >"$work/bad.out" 2>&1 || status=$?
first_run=$(since "$start")
cat "$work/bad.out"
[ "$status" -eq 1 ] || fail "expected exit code 1 from the python hook on the bad Dockerfile, got $status"
grep -q "^shipshape\.*Failed" "$work/bad.out" || fail "the python hook did not report Failed"
grep -q "services/api/Dockerfile" "$work/bad.out" || fail "the bad Dockerfile is not named"
grep -q "SEC004" "$work/bad.out" || fail "the hardcoded token is not reported"
if grep -q "web.Dockerfile" "$work/bad.out"; then fail "the clean Dockerfile is named"; fi
grep -q "Initializing environment for .*:shipshape-lint==$version\.$" "$work/bad.out" ||
    fail "the hook's environment was not made with shipshape-lint==$version"

status=0
start=$(now)
try_repo --files services/web/web.Dockerfile >"$work/clean.out" 2>&1 || status=$?
second_run=$(since "$start")
cat "$work/clean.out"
[ "$status" -eq 0 ] || fail "expected exit code 0 from the python hook on the clean Dockerfile, got $status"
grep -q "^shipshape\.*Passed" "$work/clean.out" || fail "the python hook did not report Passed"

echo "wheel check passed"
echo "  wheel:           $name, $size bytes ($(python3 -c "print(f'{$size / 1e6:.1f}')") MB)"
echo "  build:           ${build_time} s (maturin $maturin_version, profile $profile)"
echo "  fresh venv:      ${venv_time} s to create, ${install_time} s to install the wheel"
echo "  pre-commit hook: ${first_run} s and ${second_run} s, the python hook's two first runs (environment and lint)"
