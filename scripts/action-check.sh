#!/usr/bin/env bash
# The GitHub Action works: scripts/action.sh runs with INPUT_* variables as
# the runner sets them (hyphenated, and the underscored names action.yml
# passes), GITHUB_OUTPUT and GITHUB_ENV files, against a bad and a clean
# Dockerfile, and its output, exit code, annotations, report file (SARIF)
# and `results` output are checked, input by input. action.yml is checked
# against the script (every input passed, every output set), and
# scripts/action-install.sh against a release laid out in a local folder.
#
#     bash scripts/action-check.sh [BINARY]   # default: target/debug/shipshape
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
bin="${1:-$repo/target/debug/shipshape}"
case $bin in /*) ;; *) bin="$PWD/$bin" ;; esac
[ -x "$bin" ] || { echo "action check: no shipshape binary at $bin (cargo build first)" >&2; exit 2; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

fail() { echo "action check failed: $*" >&2; exit 1; }

# The project the action lints: a bad and a clean Dockerfile, a file with
# warnings only, and a bad one in a hidden directory that `recursive` skips.
project="$work/project"
mkdir -p "$project/services/api" "$project/services/web" "$project/tools" "$project/.hidden"
cp "$repo/fixtures/pre-commit/services/api/Dockerfile" "$project/services/api/Dockerfile"
cp "$repo/fixtures/pre-commit/services/web/web.Dockerfile" "$project/services/web/Dockerfile"
cp "$repo/fixtures/pre-commit/services/api/Dockerfile" "$project/.hidden/Dockerfile"
printf 'FROM ubuntu:24.04\nCMD ["true"]\n' >"$project/tools/Dockerfile"         # warnings and info only
printf 'FROM docker.io/library/alpine:3.20\nUSER 10001\n' >"$project/Dockerfile.registry"

# run NAME EXPECTED_STATUS [VAR=VALUE...]: action.sh in $project, as a step.
run() {
    local name=$1 expected=$2 status=0
    shift 2
    out="$work/$name.out" err="$work/$name.err"
    gh_output="$work/$name.github_output" gh_env="$work/$name.github_env"
    : >"$gh_output"
    : >"$gh_env"
    (cd "$project" && env SHIPSHAPE_BIN="$bin" GITHUB_ACTIONS=true \
        GITHUB_OUTPUT="$gh_output" GITHUB_ENV="$gh_env" "$@" \
        bash "$repo/scripts/action.sh" >"$out" 2>"$err") || status=$?
    if [ "$status" -ne "$expected" ]; then
        echo "--- stdout" >&2; cat "$out" >&2; echo "--- stderr" >&2; cat "$err" >&2
        fail "$name: expected exit code $expected, got $status"
    fi
    echo "ok: $name (exit $status)"
}
has() { grep -q -- "$2" "$1" || fail "$current: no \`$2\` in $(basename "$1")"; }
lacks() { if grep -q -- "$2" "$1"; then fail "$current: \`$2\` in $(basename "$1")"; fi; }
count() { grep -c -- "$2" "$1" || true; }

# The value of NAME in a GITHUB_OUTPUT/GITHUB_ENV file (NAME=value, or the
# NAME<<DELIMITER form), read as the runner reads it.
value() {
    python3 - "$1" "$2" <<'EOF'
import sys
lines = open(sys.argv[1], encoding="utf-8").read().split("\n")
name, i, found = sys.argv[2], 0, None
while i < len(lines):
    line = lines[i]
    if "<<" in line and ("=" not in line or line.index("<<") < line.index("=")):
        key, delimiter = line.split("<<", 1)
        end = lines.index(delimiter, i + 1)
        if key == name:
            found = "\n".join(lines[i + 1:end])
        i = end + 1
        continue
    if "=" in line and line.split("=", 1)[0] == name:
        found = line.split("=", 1)[1]
    i += 1
if found is None:
    sys.exit(f"{name} is not set")
sys.stdout.write(found)
EOF
}

current="bad Dockerfile, defaults"
run bad 1 INPUT_DOCKERFILE=services/api/Dockerfile
has "$out" '^::error file=services/api/Dockerfile,line=3,.*title=shipshape (SEC004)::'
has "$out" 'error\[SEC004\]'
[ "$(value "$gh_output" exit-code)" = 1 ] || fail "$current: exit-code output is not 1"
value "$gh_output" results >"$work/results"
has "$work/results" 'error\[SEC004\]'
lacks "$work/results" '^::'
value "$gh_env" SHIPSHAPE_RESULTS | grep -q 'error\[SEC004\]' || fail "$current: SHIPSHAPE_RESULTS lacks the report"

current="clean Dockerfile"
run clean 0 INPUT_DOCKERFILE=services/web/Dockerfile
lacks "$out" '^::'
[ "$(value "$gh_output" exit-code)" = 0 ] || fail "$current: exit-code output is not 0"

current="no-fail (hyphenated, as the runner names it)"
run no-fail 0 INPUT_DOCKERFILE=services/api/Dockerfile INPUT_NO-FAIL=true
has "$out" '^::error file=services/api/Dockerfile,.*(SEC004)'
has "$out" 'error\[SEC004\]'

current="no-fail still fails on a usage error"
run no-fail-error 2 INPUT_DOCKERFILE=services/api/Dockerfile INPUT_NO_FAIL=true INPUT_CONFIG=missing.toml

current="SARIF to output-file"
run sarif 1 INPUT_DOCKERFILE=services/api/Dockerfile INPUT_FORMAT=sarif INPUT_OUTPUT-FILE=reports/shipshape.sarif
[ -s "$project/reports/shipshape.sarif" ] || fail "$current: no reports/shipshape.sarif"
python3 - "$project/reports/shipshape.sarif" <<'EOF' || fail "SARIF to output-file: the file is not SARIF 2.1.0 naming SEC004"
import json, sys
log = json.load(open(sys.argv[1]))
assert log["version"] == "2.1.0", log["version"]
assert any(r["ruleId"] == "SEC004" for r in log["runs"][0]["results"])
EOF
has "$out" 'report written to reports/shipshape.sarif'
has "$out" '^::error file=services/api/Dockerfile,.*(SEC004)'
lacks "$out" '"version"'
value "$gh_output" results | python3 -c 'import json,sys; json.load(sys.stdin)' ||
    fail "$current: the results output is not the SARIF log"

current="SARIF with no-fail"
run sarif-no-fail 0 INPUT_DOCKERFILE=services/api/Dockerfile INPUT_FORMAT=sarif \
    INPUT_OUTPUT_FILE=shipshape.sarif INPUT_NO_FAIL=true
[ -s "$project/shipshape.sarif" ] || fail "$current: no shipshape.sarif"

current="format github: annotations once"
run github 1 INPUT_DOCKERFILE=services/api/Dockerfile INPUT_FORMAT=github
[ "$(count "$out" '(SEC004)::')" = 1 ] || fail "$current: SEC004 annotated $(count "$out" '(SEC004)::') times"

current="annotations off"
run no-annotations 1 INPUT_DOCKERFILE=services/api/Dockerfile INPUT_ANNOTATIONS=false
lacks "$out" '^::'

current="format names from hadolint"
run json 1 INPUT_DOCKERFILE=services/api/Dockerfile INPUT_FORMAT=json INPUT_ANNOTATIONS=false
python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$out" || fail "$current: json is not JSON"
run checkstyle 1 INPUT_DOCKERFILE=services/api/Dockerfile INPUT_FORMAT=checkstyle INPUT_ANNOTATIONS=false
has "$out" '<checkstyle'
run gitlab 1 INPUT_DOCKERFILE=services/api/Dockerfile INPUT_FORMAT=gitlab_codeclimate INPUT_ANNOTATIONS=false
has "$out" '"check_name"'
run unknown-format 2 INPUT_DOCKERFILE=services/api/Dockerfile INPUT_FORMAT=bogus
has "$err" 'bogus'

current="failure-threshold"
run threshold-error 0 INPUT_DOCKERFILE=tools/Dockerfile INPUT_FAILURE-THRESHOLD=error
has "$out" '^::warning file=tools/Dockerfile'
run threshold-warning 1 INPUT_DOCKERFILE=tools/Dockerfile INPUT_FAILURE_THRESHOLD=warning
run threshold-ignore 0 INPUT_DOCKERFILE=services/api/Dockerfile INPUT_FAILURE_THRESHOLD=ignore
run threshold-bad 2 INPUT_DOCKERFILE=tools/Dockerfile INPUT_FAILURE_THRESHOLD=severe

current="ignore"
run ignore 1 INPUT_DOCKERFILE=services/api/Dockerfile INPUT_IGNORE="SEC004, DL3002"
lacks "$out" 'SEC004'
has "$out" 'SEC001'

current="several files and globs"
run several 1 INPUT_DOCKERFILE="services/web/Dockerfile services/*/Dockerfile"
has "$out" 'services/api/Dockerfile'

current="recursive"
run recursive 1 INPUT_DOCKERFILE=Dockerfile INPUT_RECURSIVE=true INPUT_VERBOSE=true
has "$out" '^::error file=services/api/Dockerfile,.*(SEC004)'
has "$out" '^::warning file=tools/Dockerfile'
lacks "$out" '.hidden'
has "$err" 'services/web/Dockerfile'
run recursive-none 0 INPUT_DOCKERFILE=Containerfile INPUT_RECURSIVE=true
has "$out" 'nothing to lint'
run recursive-bad 2 INPUT_RECURSIVE=yes

current="a directory, searched by shipshape"
run directory 1 INPUT_DOCKERFILE=services
has "$out" 'services/api/Dockerfile'

current="working-directory"
run working-directory 0 INPUT_WORKING-DIRECTORY=services/web

current="trusted-registries, no settings file"
run untrusted 1 INPUT_DOCKERFILE=Dockerfile.registry INPUT_TRUSTED-REGISTRIES="ghcr.io, quay.io"
has "$out" '(SUP003)'
has "$err" 'no trusted-registries flag yet'
run trusted 0 INPUT_DOCKERFILE=Dockerfile.registry INPUT_TRUSTED_REGISTRIES=docker.io
left=$(find "$project" -name '.shipshape-action-*')
[ -z "$left" ] || fail "trusted-registries: the generated settings file was left behind: $left"

current="trusted-registries added to a .shipshape.toml"
printf 'ignore = ["EFF001"]\n\n[options]\nallowed-users = ["10001"]\n' >"$project/.shipshape.toml"
run trusted-toml 1 INPUT_DOCKERFILE=Dockerfile.registry INPUT_TRUSTED_REGISTRIES=ghcr.io
has "$out" '(SUP003)'
run trusted-toml-ok 0 INPUT_DOCKERFILE=Dockerfile.registry INPUT_TRUSTED_REGISTRIES=docker.io
printf '[options]\ntrusted-registries = ["docker.io"]\n' >"$project/.shipshape.toml"
run trusted-toml-kept 0 INPUT_DOCKERFILE=Dockerfile.registry INPUT_TRUSTED_REGISTRIES=ghcr.io
has "$err" 'already sets trusted-registries'
rm "$project/.shipshape.toml"

current="trusted-registries added to a .hadolint.yaml given as config"
mkdir -p "$project/ci"
printf 'ignored:\n  - DL3007\n' >"$project/ci/hadolint.yaml"
run trusted-yaml 1 INPUT_DOCKERFILE=Dockerfile.registry INPUT_CONFIG=ci/hadolint.yaml INPUT_TRUSTED_REGISTRIES=ghcr.io
has "$out" '(SUP003)'
left=$(find "$project" -name '.shipshape-action-*')
[ -z "$left" ] || fail "$current: the generated settings file was left behind: $left"

# action.yml passes every input it declares, and the script reads no other.
python3 - "$repo/action.yml" "$repo/scripts/action.sh" <<'EOF' || fail "action.yml and scripts/action.sh disagree"
import re, sys
try:
    import yaml
except ImportError:
    yaml = None
text = open(sys.argv[1], encoding="utf-8").read()
script = open(sys.argv[2], encoding="utf-8").read()
if yaml:
    action = yaml.safe_load(text)
    declared = set(action["inputs"])
    steps = action["runs"]["steps"]
    assert action["runs"]["using"] == "composite"
    lint = next(s for s in steps if s.get("id") == "lint")
    passed = {k for k in lint["env"] if k.startswith("INPUT_")}
    for name, spec in action["inputs"].items():
        env = "INPUT_" + name.upper().replace("-", "_")
        assert env in passed, f"input {name} is not passed to the script as {env}"
        assert lint["env"][env] == "${{ inputs.%s }}" % name, f"{env} is not inputs.{name}"
        assert spec.get("description"), f"input {name} has no description"
    assert len(passed) == len(declared), f"env passes inputs action.yml does not declare: {passed}"
    for out in action["outputs"].values():
        m = re.fullmatch(r"\$\{\{ steps\.lint\.outputs\.([a-z-]+) \}\}", out["value"])
        assert m and re.search(r"\b%s[=<]" % re.escape(m.group(1)), script), f"output {out['value']} is never set"
else:
    declared = set(re.findall(r"^  ([a-z-]+):\n    description", text, re.M))
read = set(re.findall(r"(?:\$\(input|^flag) ([a-z-]+) ", script, re.M))
assert read == declared, f"script reads {sorted(read)}, action.yml declares {sorted(declared)}"
EOF
echo "ok: action.yml declares, passes and sets what scripts/action.sh reads and writes"

# action-install.sh: a release laid out as the action expects, in a folder.
version=$(sed -n 's/^version = "\(.*\)"$/\1/p' "$repo/Cargo.toml" | head -n 1)
case "$(uname -s)/$(uname -m)" in
    Linux/x86_64) target=x86_64-unknown-linux-musl ;;
    Linux/aarch64) target=aarch64-unknown-linux-musl ;;
    Darwin/arm64) target=aarch64-apple-darwin ;;
    Darwin/x86_64) target=x86_64-apple-darwin ;;
    *) target="" ;;
esac
if [ -n "$target" ]; then
    release="$work/releases/v$version"
    mkdir -p "$release" "$work/archive"
    cp "$bin" "$work/archive/shipshape"
    tar -czf "$release/shipshape-$target.tar.gz" -C "$work/archive" shipshape
    (cd "$release" && { sha256sum "shipshape-$target.tar.gz" 2>/dev/null || shasum -a 256 "shipshape-$target.tar.gz"; } \
        >"shipshape-$target.tar.gz.sha256")
    install() { # install NAME REF EXPECTED_INSTALLED
        local o="$work/install-$1.github_output"
        : >"$o"
        env GITHUB_OUTPUT="$o" SHIPSHAPE_ACTION_REF="$2" SHIPSHAPE_RELEASE_URL="file://$work/releases" \
            bash "$repo/scripts/action-install.sh" release "$work/install-$1" >"$work/install-$1.log" 2>&1 ||
            { cat "$work/install-$1.log" >&2; fail "action-install.sh release ($1) failed"; }
        [ "$(value "$o" installed)" = "$3" ] || { cat "$work/install-$1.log" >&2; fail "install ($1): installed is not $3"; }
        value "$o" source-key | grep -Eq '^[0-9a-f]{16}$' || fail "install ($1): no source-key"
        echo "ok: action-install.sh release, $1: installed=$3"
    }
    install release "v$version" true
    "$work/install-release/bin/shipshape" --version | grep -q "$version" || fail "the installed release binary does not run"
    install branch main false
    echo "0000  shipshape-$target.tar.gz" >"$release/shipshape-$target.tar.gz.sha256"
    install bad-checksum "v$version" false
    [ ! -e "$work/install-bad-checksum/bin/shipshape" ] || fail "a binary failing its checksum was installed"
    rm "$release/shipshape-$target.tar.gz"
    install missing "v$version" false
fi

echo "action check passed"
