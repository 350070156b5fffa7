#!/usr/bin/env bash
# Time one plain build of each given commit's release binary, for bisecting a slowdown:
#
#   bench/bisect.sh 06f0775 66c7c4f 26363a9
#
# Each commit is checked out in a worktree of its own (target/bisect/tree, detached) and built
# with `cargo build --release --bin briefing` into target/bisect/target (kept between commits,
# so each build is incremental); its binary is kept as target/bisect/bin-<commit>. The plain
# site (../shared/bench/gen.py --flavor plain, PAGES pages, default seed) is generated once
# into /dev/shm. Each binary builds it BUILDS+1 times into an existing output; the first is a
# warm-up, the median of the rest is printed with every time, the HTML file count and the
# 1-minute load average. Environment: PAGES (default 10000), BUILDS (default 5), SITE.
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$PWD
PAGES=${PAGES:-10000}
BUILDS=${BUILDS:-5}
SITE=${SITE:-/dev/shm/briefing-bisect/plain-$PAGES}
WORK=$REPO/target/bisect
OUT=/dev/shm/briefing-bisect/out
[ $# -gt 0 ] || { echo "usage: bench/bisect.sh <commit>..." >&2; exit 2; }
mkdir -p "$WORK" "$(dirname "$OUT")"
[ -d "$WORK/tree" ] || git worktree add --detach "$WORK/tree" HEAD >/dev/null
[ -d "$SITE" ] || python3 "$REPO/../shared/bench/gen.py" --pages "$PAGES" --out "$SITE" --flavor plain >/dev/null
for c in "$@"; do
    bin=$WORK/bin-$c
    if [ ! -x "$bin" ]; then
        git -C "$WORK/tree" checkout -q --detach "$c"
        (cd "$WORK/tree" && CARGO_TARGET_DIR=$WORK/target cargo build --release -q --bin briefing)
        cp "$WORK/target/release/briefing" "$bin"
    fi
    times=()
    for i in $(seq 0 "$BUILDS"); do
        s=$(date +%s%N)
        "$bin" build -q -r "$SITE" -o "$OUT" >/dev/null 2>&1 || { echo "$c: build failed" >&2; break; }
        e=$(date +%s%N)
        [ "$i" -gt 0 ] && times+=("$(( (e - s) / 1000000 ))")
    done
    median=$(printf '%s\n' "${times[@]}" | sort -n | sed -n "$(( (${#times[@]} + 1) / 2 ))p")
    html=$(find "$OUT" -name '*.html' | wc -l)
    echo "$c median=${median}ms builds=${times[*]} html=$html load=$(cut -d' ' -f1 /proc/loadavg)"
done
