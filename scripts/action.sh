#!/usr/bin/env bash
# The GitHub Action's lint step (action.yml runs it): reads the action's
# inputs from INPUT_* variables, as the runner names them, runs shipshape,
# emits annotations, writes the report (to output-file when asked) and sets
# the `results` output. Runs outside GitHub too, which is how
# scripts/action-check.sh tests it:
#
#     INPUT_DOCKERFILE=Dockerfile INPUT_FORMAT=sarif INPUT_OUTPUT-FILE=x.sarif \
#         SHIPSHAPE_BIN=target/debug/shipshape bash scripts/action.sh
#
# Exit code: shipshape's (0 clean, 1 findings at or above the threshold,
# 2 usage, settings or I/O error); `no-fail: true` turns 1 into 0, never 2.
# Written for bash 3.2 (macOS runners) as well as bash 5.
set -euo pipefail

shipshape=${SHIPSHAPE_BIN:-shipshape}
work=$(mktemp -d)
generated_settings=""
cleanup() {
    rm -rf "$work"
    if [ -n "$generated_settings" ]; then rm -f "$generated_settings"; fi
}
trap cleanup EXIT

warn() {
    echo "shipshape action: warning: $*" >&2
    if [ "${GITHUB_ACTIONS:-}" = true ]; then echo "::warning title=shipshape action::$*"; fi
}
die() {
    echo "shipshape action: error: $*" >&2
    if [ "${GITHUB_ACTIONS:-}" = true ]; then echo "::error title=shipshape action::$*"; fi
    exit 2
}

# input NAME DEFAULT: an input's value, trimmed; DEFAULT when it is unset
# or empty. The runner names the variable INPUT_ + the name in upper case,
# keeping hyphens (INPUT_FAILURE-THRESHOLD); action.yml passes them with
# underscores (INPUT_FAILURE_THRESHOLD), which a shell can name. Either is
# read.
input() {
    local key value
    key=INPUT_$(printf '%s' "$1" | tr 'abcdefghijklmnopqrstuvwxyz ' 'ABCDEFGHIJKLMNOPQRSTUVWXYZ_')
    value=$(printenv "$key" || printenv "$(printf '%s' "$key" | tr - _)" || true)
    value=${value#"${value%%[![:space:]]*}"}
    value=${value%"${value##*[![:space:]]}"}
    printf '%s' "${value:-$2}"
}

# flag NAME DEFAULT: a true/false input (as YAML 1.2 spells them) in
# $flag, set here rather than printed so that a bad value stops the script.
flag() {
    local value
    value=$(input "$1" "$2")
    case $value in
        true | True | TRUE) flag=true ;;
        false | False | FALSE) flag=false ;;
        *) die "input \`$1\` must be true or false, not \`$value\`" ;;
    esac
}

dockerfile=$(input dockerfile Dockerfile)
flag recursive false
recursive=$flag
config=$(input config "")
failure_threshold=$(input failure-threshold "")
format=$(input format tty)
output_file=$(input output-file "")
ignore=$(input ignore "")
trusted_registries=$(input trusted-registries "")
flag no-fail false
no_fail=$flag
working_directory=$(input working-directory "")
flag annotations true
annotations=$flag
flag verbose false
verbose=$flag

if [ -n "$working_directory" ]; then
    cd "$working_directory" || die "working-directory \`$working_directory\` is not a directory"
fi

# A comma- or space-separated list, comma-separated (hadolint-action has
# taken both spellings over its versions).
commas() { printf '%s' "$1" | tr -s ', \t\n' ',,,,' | sed 's/^,//; s/,$//'; }

# trusted-registries has no command-line flag in shipshape yet: it is
# `trusted-registries` under `[options]` in .shipshape.toml, and
# `trustedRegistries` in .hadolint.yaml. The registries go into a copy of
# the settings file in force (the `config` input, else the one in the
# working directory), written beside it so that its relative paths keep
# their meaning; action.sh passes that copy with --config. A file that
# already lists trusted registries is left as it is, with a warning.
settings_with_trusted_registries() {
    local base=$1 list=$2 dir=. name="" registry array="" quoted out made
    if [ -n "$base" ]; then
        [ -f "$base" ] || die "config \`$base\` is not a file"
        dir=$(dirname "$base")
        name=$(basename "$base")
    fi
    case $name in
        *.yaml | *.yml)
            if grep -q '^trustedRegistries' "$base"; then
                warn "$base already sets trustedRegistries: the trusted-registries input ($list) is not added to them"
                return
            fi
            out=$dir/.shipshape-action-$$.yaml
            { cat "$base"; echo; echo "trustedRegistries:"; } >"$out"
            for registry in $(printf '%s' "$list" | tr ',' ' '); do
                printf '  - "%s"\n' "$registry" >>"$out"
            done
            ;;
        *)
            if [ -n "$base" ] && grep -q 'trusted[-_]registries' "$base"; then
                warn "$base already sets trusted-registries: the trusted-registries input ($list) is not added to them"
                return
            fi
            for registry in $(printf '%s' "$list" | tr ',' ' '); do
                quoted=$(printf '%s' "$registry" | sed 's/[\\"]/\\&/g')
                array="$array${array:+, }\"$quoted\""
            done
            out=$dir/.shipshape-action-$$.toml
            if [ -n "$base" ] && grep -Eq '^[[:space:]]*\[options\][[:space:]]*(#.*)?$' "$base"; then
                line="trusted-registries = [$array]" awk '
                    { print }
                    !done && /^[[:space:]]*\[options\][[:space:]]*(#.*)?$/ { print ENVIRON["line"]; done = 1 }
                ' "$base" >"$out"
            else
                {
                    if [ -n "$base" ]; then cat "$base"; echo; fi
                    echo "[options]"
                    echo "trusted-registries = [$array]"
                } >"$out"
            fi
            ;;
    esac
    generated_settings=$out
    if [ -n "$base" ]; then made="a copy of $base that adds them"; else made="made for this run"; fi
    warn "shipshape has no trusted-registries flag yet: the registries are passed in the settings file $out ($made); it governs every Dockerfile linted in this run, so settings files in subdirectories are not read"
}

# The inputs on shipshape's command line: the one place that knows both.
# `args` holds what every run takes; the format and no-fail are kept apart,
# as the annotations run sets its own. When `shipshape lint` takes
# hadolint's spellings (--trusted-registry...), they belong here, and
# settings_with_trusted_registries can go.
args=(lint)
format_args=()
no_fail_args=()
map_inputs() {
    case $format in
        tty | "") format_args=(--format pretty) ;;
        gitlab_codeclimate) format_args=(--format gitlab) ;;
        *) format_args=(--format "$format") ;; # the same name in both, or shipshape lists its own
    esac

    # Unset, the settings file's threshold holds (.shipshape.toml's
    # `fail-on`, .hadolint.yaml's `failure-threshold`), else shipshape's.
    case $failure_threshold in
        "") ;;
        ignore | none) args+=(--fail-on none) ;;
        error | warning | info | style) args+=(--fail-on "$failure_threshold") ;;
        *) die "input \`failure-threshold\` must be one of error, warning, info, style, ignore or none, not \`$failure_threshold\`" ;;
    esac

    if [ "$no_fail" = true ]; then no_fail_args=(--exit-zero); fi
    if [ -n "$ignore" ]; then args+=(--ignore "$(commas "$ignore")"); fi

    local settings=$config base candidate
    if [ -n "$trusted_registries" ]; then
        base=$config
        if [ -z "$base" ]; then
            for candidate in .shipshape.toml shipshape.toml .hadolint.yaml .hadolint.yml; do
                if [ -f "$candidate" ]; then base=$candidate; break; fi
            done
        fi
        settings_with_trusted_registries "$base" "$(commas "$trusted_registries")"
        if [ -n "$generated_settings" ]; then settings=$generated_settings; fi
    fi
    if [ -n "$settings" ]; then args+=(--config "$settings"); fi
}
map_inputs

# The files to lint. hadolint-action's `dockerfile` is a path or a glob;
# with `recursive` it is a name (or glob) looked for in every directory
# below this one, hidden ones excepted. A directory is searched by
# shipshape's own discovery (every Dockerfile and Containerfile name).
targets=()
if [ "$recursive" = true ]; then
    set -f
    for pattern in $dockerfile; do
        case $pattern in
            */*) test_args=(-path "./$pattern" -o -path "*/$pattern") ;;
            *) test_args=(-name "$pattern") ;;
        esac
        while IFS= read -r found; do
            targets+=("${found#./}")
        done < <(find . -mindepth 1 -name '.*' -prune -o -type f \( "${test_args[@]}" \) -print | LC_ALL=C sort)
    done
    set +f
    if [ ${#targets[@]} -eq 0 ]; then
        echo "shipshape action: no file named $dockerfile below $(pwd); nothing to lint"
    fi
else
    set -f
    for word in $dockerfile; do
        set +f
        case $word in
            *[\*\?\[]*)
                matched=false
                for path in $word; do
                    if [ -e "$path" ]; then targets+=("$path"); matched=true; fi
                done
                # Unmatched, the pattern itself is linted, and reported missing.
                if [ "$matched" = false ]; then targets+=("$word"); fi
                ;;
            *) targets+=("$word") ;;
        esac
        set -f
    done
    set +f
fi

status=0
report=$work/report
: >"$report"
if [ ${#targets[@]} -gt 0 ]; then
    command=("$shipshape" "${args[@]}" "${format_args[@]}" ${no_fail_args[@]+"${no_fail_args[@]}"} -- "${targets[@]}")
    if [ "$verbose" = true ] || [ "${RUNNER_DEBUG:-}" = 1 ]; then
        echo "shipshape action: ${command[*]}" >&2
    fi
    # Annotations on the changed lines; the report below decides the outcome.
    if [ "$annotations" = true ] && [ "$format" != github ]; then
        "$shipshape" "${args[@]}" --format github --exit-zero -- "${targets[@]}" 2>/dev/null || true
    fi
    "${command[@]}" >"$report" || status=$?
fi

if [ -n "$output_file" ]; then
    mkdir -p "$(dirname "$output_file")"
    cp "$report" "$output_file"
    echo "shipshape action: report written to $output_file"
    # Workflow commands only act on stdout.
    if [ "$format" = github ]; then cat "$report"; fi
else
    cat "$report"
fi

# Outputs for later steps, as hadolint-action gives `results` (and
# HADOLINT_RESULTS): a random delimiter, so a report quoting a Dockerfile
# can't end the value early and write outputs of its own.
delimiter="shipshape_$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
if [ -n "${GITHUB_OUTPUT:-}" ]; then
    {
        echo "results<<$delimiter"
        cat "$report"
        echo "$delimiter"
        echo "exit-code=$status"
    } >>"$GITHUB_OUTPUT"
fi
# An environment variable is limited to 128 KiB on Linux, and one too
# large makes every later step fail to start.
if [ -n "${GITHUB_ENV:-}" ]; then
    if [ "$(wc -c <"$report")" -le 65536 ]; then
        {
            echo "SHIPSHAPE_RESULTS<<$delimiter"
            cat "$report"
            echo "$delimiter"
        } >>"$GITHUB_ENV"
    else
        echo "shipshape action: the report is larger than 64 KiB, so SHIPSHAPE_RESULTS is not set; the \`results\` output has it" >&2
    fi
fi

exit "$status"
