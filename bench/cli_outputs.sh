#!/usr/bin/env bash
# Every command on the sample week, its stdout, stderr and exit status saved one file each, so two
# checkouts can be compared byte for byte (a restructuring must not change what a person sees):
#   bench/cli_outputs.sh OLD_CHECKOUT /tmp/before && bench/cli_outputs.sh . /tmp/after
#   diff -r -x '*.cmd' /tmp/before /tmp/after
# Paths and measured seconds are masked; each checkout needs its .venv (make demo).
set -u
REPO=$(cd "$1" && pwd); OUT=$2
[ ! -e "$OUT" ] || { echo "cli_outputs.sh: $OUT exists: give a folder that does not" >&2; exit 2; }
mkdir -p "$OUT"
MT="$REPO/.venv/bin/makertime"
S="$REPO/src/makertime/sample"
W=$(mktemp -d); cd "$W"
cp "$S/week.ics" "$S/policy.toml" "$S/tasks.toml" .
export MAKERTIME_DB="sqlite:///$W/week.db" XDG_CACHE_HOME="$W/cache" XDG_DATA_HOME="$W/data" COLUMNS=100 NO_COLOR=1 TZ=UTC
n=0
run() { n=$((n+1)); local f; f=$(printf '%s/%02d' "$OUT" $n); echo "$*" > "$f.cmd"; "$MT" "$@" > "$f.out" 2> "$f.err"; echo $? > "$f.rc"; sed -i -e "s#$W#WORK#g" -e "s#$REPO#REPO#g" -E -e "s/\"seconds\": [0-9.]+/\"seconds\": S/" -e "s/(gap [0-9.]+%) · [0-9.]+ s/\1 · S s/" "$f.out" "$f.err"; }
P="--policy policy.toml --from 2026-03-23 --to 2026-03-29"
N="--now 2026-03-23T08:00"
run --help
for c in audit plan check publish replan interrupt interruptions progress done tasks history source init defaults demo; do run $c --help; done
run demo
run defaults
run audit week.ics $P
run audit week.ics $P --json
run audit week.ics $P --by week
run audit week.ics $P --html a.html; cat a.html > "$OUT/audit.html"
run check week.ics
run check week.ics --json $P
run plan week.ics -t tasks.toml $P $N --workers 1 --json
run plan week.ics -t tasks.toml $P $N --workers 1 -o plan.ics --html p.html; cp plan.ics "$OUT/plan.ics"; cp p.html "$OUT/plan.html"
run plan week.ics -t tasks.toml $P $N --workers 1 --publish out.ics
cp out.ics "$OUT/published1.ics"
run tasks $N
run interrupt "CDN alert" -m 40 --at 09:30 --now 2026-03-24T10:15
run interruptions
run interruptions --json
run progress overlay-side-project 0.5 --now 2026-03-24T10:20
run done postmortem-cdn --now 2026-03-24T10:21
run replan --now 2026-03-24T10:30 --workers 1 --dry-run
run replan --now 2026-03-24T10:30 --workers 1 --json
run replan --now 2026-03-24T10:30 --workers 1 --publish
cp out.ics "$OUT/published2.ics"
run publish --dry-run
run history
run tasks --all --now 2026-03-24T11:00
run source add work week.ics
run source list
run init --help
mkdir i; (cd i; run init)
run audit missing.ics $P
run audit week.ics --from 2026-13-01
run plan week.ics -t tasks.toml $P --workers 0
run plan week.ics -t nope.toml $P
run interrupt x -m 99999 --now 2026-03-24T10:00
run progress nope 2
run replan --db sqlite:///$W/none/x.db
run audit https://127.0.0.1:1/cal/ $P
sed -i -E -e "s/(gap [0-9.]+%) · [0-9.]+ s/\1 · S s/" "$OUT"/*.html
rm -rf "$W"
