#!/usr/bin/env bash
# The pre-commit hook works: `pre-commit try-repo` installs this repository's
# hook (language: rust, so cargo builds it) and runs it over a copy of
# fixtures/pre-commit, a repository holding a bad and a clean Dockerfile.
# The hook must fail and name only the bad file.
#
#     bash scripts/pre-commit-check.sh      # needs python3 and cargo
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

python3 -m venv "$work/venv"
"$work/venv/bin/python" -m pip install --quiet --disable-pip-version-check pre-commit
export PRE_COMMIT_HOME="$work/cache"
# The hook's binary only needs to work, not to be fast: skip fat LTO.
export CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16
export GIT_AUTHOR_NAME=ci GIT_AUTHOR_EMAIL=ci@localhost GIT_COMMITTER_NAME=ci GIT_COMMITTER_EMAIL=ci@localhost

cp -R "$repo/fixtures/pre-commit" "$work/project"
cd "$work/project"
git init -q
git add -A

status=0
"$work/venv/bin/pre-commit" try-repo "$repo" shipshape --all-files --color never >"$work/out" 2>&1 || status=$?
cat "$work/out"

fail() { echo "pre-commit check failed: $*" >&2; exit 1; }
[ "$status" -eq 1 ] || fail "expected exit code 1 from the hook run, got $status"
grep -q "^shipshape\.*Failed" "$work/out" || fail "the shipshape hook did not report Failed"
grep -q "services/api/Dockerfile" "$work/out" || fail "the bad Dockerfile is not named"
grep -q "SEC004" "$work/out" || fail "the hardcoded token is not reported"
if grep -q "web.Dockerfile" "$work/out"; then fail "the clean Dockerfile is named"; fi
echo "pre-commit check passed: the hook failed on services/api/Dockerfile only"
