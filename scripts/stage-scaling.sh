#!/usr/bin/env bash
# Times the inputs that were once quadratic or crashed (many stages, a long
# stage chain, a large .hadolint.yaml, a multi-byte ignore entry, an escape
# before a multi-byte character), so that two binaries can be compared.
# Usage: scripts/stage-scaling.sh SHIPSHAPE
set -uo pipefail
bin=$(realpath "$1")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
TIMEFORMAT='  %R s'
t() { { time "$@" > /dev/null 2>&1; } 2>&1; echo "  exit $?"; }
python3 -c "open('many','w').write(''.join(f'FROM a\nRUN x\n' for i in range(40000)))"
python3 -c "open('named','w').write(''.join(f'FROM alpine:3.20 AS s{i}\n' + (''.join(f'COPY --from=s{i-1-k} /a /a\n' for k in range(3)) if i > 3 else '') for i in range(40000)))"
python3 -c "open('chain','w').write('FROM alpine:3.20 AS s0\n' + ''.join(f'FROM s{i} AS s{i+1}\nENV A{i}=\$U{i}\nCOPY \$V{i} /x\nUSER \$W{i}\n' for i in range(40000)))"
echo "40k x FROM a + RUN x:";                 t "$bin" lint --isolated --format gnu many
echo "40k named stages, 3 COPY --from each:"; t "$bin" lint --isolated --format gnu named
echo "40k-stage chain, undefined variables:"; t "$bin" lint --isolated --format gnu chain
mkdir y && cd y
printf 'FROM alpine:3.20\nUSER app\n' > Dockerfile
python3 -c "open('.hadolint.yaml','w').write('ignored:\n' + ''.join(f'  - DL{3000 + i % 999}\n' for i in range(20000)))"
echo "220 KB .hadolint.yaml:";                t "$bin" lint -q Dockerfile
printf 'ignored:\n  - "a\xc3\xa9123"\n' > .hadolint.yaml
echo "ignore entry \"aé123\" (2 = settings error):"; t "$bin" lint Dockerfile
cd ..
printf 'FROM alpine:3.20\nRUN echo $(printf \\\xc3\xa9) && sudo true\nUSER app\n' > D
echo "SEC014 findings after \$(printf \\é):"; "$bin" lint --isolated --format gnu D | grep -c SEC014
