#!/usr/bin/env python3
"""Measure how fast `briefing serve` shows an edit, by kind of edit (Python standard library only).

Usage:
    bench/serve.py [--binary PATH] [--flavors plain,briefing] [--pages 10000] [--edits 15]
                   [--kinds body,title,tag,rename] [--plain-site DIR] [--briefing-site DIR]
                   [--page content/posts/s0/post-00000.md] [--article PATH] [--person PATH]
                   [--poll-ms 5] [--gap 0.5] [--timeout 120] [--start-timeout 900]
                   [--verbose] [--log DIR]

For each flavor, starts `briefing serve -r SITE -p 0`, waits for `Serving at URL` and for every
page it will poll, then makes EDITS edits of each kind, one at a time:

  body    appends a unique marker line to the body of one page (the plain site's PAGE, the
          briefing's ARTICLE); served when the page shows the marker;
  title   appends a marker to that page's `title:`; served when the page AND the page of its
          section listing that lists it (listings are paginated; found before the edits) show
          it;
  tag     sets the page's tags to its own plus one more, alternating between two tags it does
          not have; served when a page of that tag's listing lists the page and the page links
          the tag;
  rename  (briefing only) appends a marker to `name:` of PERSON (content/people/person-0000.md,
          who heads a delegation at many talks); served when the person's page, a talk page
          whose delegation they head and the page of the /people/ listing that lists them all
          show the new name.

Each edit rewrites the file in place (one write; the time is taken once it is closed) and
builds on the previous one. The URLs are polled over HTTP every POLL-MS milliseconds, in the
order given, each until it shows the change; the latency is from the file written to the last
of them served (**file written → new page and listings served**). The server's own figure is
read from its stderr: the `… in N ms` of its `Updated K file(s) of P pages in N ms`
(incremental) or `Rebuilt P pages in N ms …` (whole site) line, timed by the server from the
debounced change to the new site swapped in. Between edits it waits until the server has printed
nothing for GAP seconds. All edited files are restored at the end (even on Ctrl+C), the restore
is waited for, and the server is stopped.

It prints one Markdown table per flavor: median and p90 (nearest rank) of both measures and
how the server rebuilt (incremental or whole site), against the targets of issue 12.

Sites that do not exist are generated: the plain one with the shared generator (BRIEFING_GEN,
default REPO/../shared/bench/gen.py), the briefing with bench/gen_briefing.py. The binary
defaults to $CARGO_TARGET_DIR/release/briefing or REPO/target/release/briefing; build it first
(`cargo build --release`).
"""

import argparse
import glob
import json
import math
import os
import re
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# `Rebuilt 10045 pages in 2345 ms: 1 file(s) changed` (a whole rebuild) or
# `Updated 2 file(s) of 10045 pages in 12 ms` (an incremental one), in any unit.
REBUILT = re.compile(
    r"^(Rebuilt|Updated|Built)\b.*?\bin ([0-9]+(?:\.[0-9]+)?) ?(ns|µs|us|ms|s)\b")
FAILED = re.compile(r"^Build failed")
DONE = re.compile(REBUILT.pattern + "|" + FAILED.pattern)
CHANGED = re.compile(r"^Changed: ")
# How many output files the rebuild changed: `Updated K file(s) …`, `… K file(s) changed`.
OUTPUTS = re.compile(r"\b([0-9]+) file\(s\)")
UNIT = {"ns": 1e-6, "µs": 1e-3, "us": 1e-3, "ms": 1.0, "s": 1000.0}

# Issue 12's targets (medians): server rebuild, and file written → page and listings served.
TARGET_SERVER = {"body": 20, "title": 20, "tag": 20, "rename": 50}
TARGET_E2E = 100

KIND_TEXT = {
    "body": "body edit of one page",
    "title": "title edit of one page",
    "tag": "tag edit of one page",
    "rename": "rename of `person-0000`",
}


class Server:
    """`briefing serve` as a child process, its stderr lines kept with their arrival times."""

    def __init__(self, binary, site, verbose=False):
        self.proc = subprocess.Popen(
            [binary, "serve", "-r", site, "-p", "0"] + (["-vv"] if verbose else []),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            errors="replace",
        )
        self.lines = []  # (monotonic time, line) from stderr
        self.cond = threading.Condition()
        threading.Thread(target=self._drain, args=(self.proc.stderr,), daemon=True).start()

    def _drain(self, stream):
        for line in stream:
            with self.cond:
                self.lines.append((time.monotonic(), line.rstrip("\n")))
                self.cond.notify_all()

    def tail(self, n=10):
        with self.cond:
            return "\n".join(l for _, l in self.lines[-n:])

    def url(self, timeout):
        """The address from `Serving at URL` on stdout (printed after the first build)."""
        result = []

        def read():
            for line in self.proc.stdout:
                m = re.match(r"Serving at (\S+)", line)
                if m:
                    result.append(m.group(1))
                    break

        t = threading.Thread(target=read, daemon=True)
        t.start()
        t.join(timeout)
        if not result:
            return None
        # Keep draining stdout so the server never blocks on a full pipe.
        threading.Thread(target=lambda: [None for _ in self.proc.stdout], daemon=True).start()
        return result[0]

    def wait_line(self, pattern, since, timeout):
        """The first stderr line matching `pattern` that arrived at or after `since`."""
        deadline = time.monotonic() + timeout
        with self.cond:
            while True:
                for t, line in self.lines:
                    if t >= since and pattern.search(line):
                        return t, line
                left = deadline - time.monotonic()
                if left <= 0 or self.proc.poll() is not None:
                    return None
                self.cond.wait(min(left, 1.0))

    def has_line(self, pattern, since):
        """Whether a stderr line matching `pattern` arrived at or after `since`."""
        with self.cond:
            for t, line in reversed(self.lines):
                if t < since:
                    return False
                if pattern.search(line):
                    return True
        return False

    def settle(self, quiet, timeout):
        """Wait until the server has printed nothing for `quiet` seconds (a stray second
        rebuild must not be taken for the next edit's)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.cond:
                last = self.lines[-1][0] if self.lines else 0.0
            left = last + quiet - time.monotonic()
            if left <= 0:
                return
            time.sleep(min(left, 1.0))

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def get(url):
    try:
        with urllib.request.urlopen(url, timeout=30) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()
    except OSError:
        return None, b""


def quantile(xs, q):
    """Nearest-rank quantile."""
    s = sorted(xs)
    return s[max(0, math.ceil(q * len(s)) - 1)]


def url_path(rel):
    """content/a/b.md -> /a/b/ (the site's URL path of a page, for ASCII slug names)."""
    rel = rel[len("content/"):] if rel.startswith("content/") else rel
    rel = rel[: -len(".md")] if rel.endswith(".md") else rel
    return "/" + rel.strip("/") + "/"


def slugify(s):
    out, dash = [], False
    for ch in s.lower():
        if ch.isascii() and ch.isalnum():
            out.append(ch)
            dash = False
        elif not dash and out:
            out.append("-")
            dash = True
    return "".join(out).strip("-")


def read_text(path):
    with open(path, encoding="utf-8", newline="") as f:
        return f.read()


def write_text(path, text):
    """Rewrite a file in place with one write, as most editors save."""
    with open(path, "wb") as f:
        f.write(text.encode("utf-8"))


def front_line(text, key, path):
    """The (start, end) offsets of the value of top-level `key:` in the front matter."""
    end = text.find("\n---", 4)
    m = re.compile(rf"^{key}:[ \t]*(.*)$", re.M).search(text, 0, end if end > 0 else len(text))
    if not m:
        sys.exit(f"serve.py: {path} has no `{key}:` line in its front matter")
    return m.start(1), m.end(1)


def yaml_scalar(v):
    v = v.strip()
    if len(v) >= 2 and v[0] == v[-1] == '"':
        try:
            return json.loads(v)  # the generators write JSON strings, valid YAML
        except ValueError:
            return v[1:-1]
    if len(v) >= 2 and v[0] == v[-1] == "'":
        return v[1:-1].replace("''", "'")
    return v


def q(s):
    """A YAML double-quoted scalar."""
    return json.dumps(s, ensure_ascii=False)


def parse_tags(v, path):
    v = v.strip()
    if not (v.startswith("[") and v.endswith("]")):
        sys.exit(f"serve.py: {path}: `tags:` must be a flow list ([a, b]) for the tag edit")
    return [yaml_scalar(t) for t in v[1:-1].split(",") if t.strip()]


# ------------------------------------------------------------------------------------------
# Edit kinds: each returns the new text for edit i and the checks [(url path, needle)] that
# must all be served.
# ------------------------------------------------------------------------------------------


class Target:
    """One file being edited, with its text as the edits leave it."""

    def __init__(self, site, rel):
        self.rel = rel
        self.path = os.path.join(site, rel)
        if not os.path.isfile(self.path):
            sys.exit(f"serve.py: no file {self.path}")
        self.original = read_text(self.path)
        self.text = self.original
        self.url = url_path(rel)

    def set(self, key, value):
        a, b = front_line(self.text, key, self.path)
        self.text = self.text[:a] + value + self.text[b:]


def edit_body(t, marker, i, ctx):
    t.text = t.text.rstrip("\n") + f"\n\n{marker}\n"
    return [(t.url, marker)]


def edit_title(t, marker, i, ctx):
    a, b = front_line(t.original, "title", t.path)
    t.set("title", q(f"{yaml_scalar(t.original[a:b])} {marker}"))
    return [(t.url, marker), (listing_candidates(ctx, "title"), marker)]


def edit_tag(t, marker, i, ctx):
    a, b = front_line(t.original, "tags", t.path)
    tags = parse_tags(t.original[a:b], t.path)
    extra = ctx["spare_tags"][i % 2]
    t.set("tags", "[" + ", ".join(q(x) for x in tags + [extra]) + "]")
    tag_url = f"/tags/{slugify(extra)}/"
    # Tag listings are paginated: any of the tag's listing pages (one more, in case the page
    # makes another), the one found last time first.
    pages = ctx["tag_pages"][extra]
    more = f"{tag_url}page/{len(pages) + 1}/"
    found = ctx["found"].get(extra)
    candidates = ([found] if found else []) + [p for p in pages + [more] if p != found]
    return [(t.url, tag_url + '"'), (Candidates(extra, candidates), t.url + '"')]


def edit_rename(t, marker, i, ctx):
    a, b = front_line(t.original, "name", t.path)
    t.set("name", q(f"{yaml_scalar(t.original[a:b])} {marker}"))
    return [(t.url, marker), (ctx["talk_url"], marker), (listing_candidates(ctx, "people"), marker)]


EDITS = {"body": edit_body, "title": edit_title, "tag": edit_tag, "rename": edit_rename}


class Candidates(list):
    """URL paths of which any one serving the needle will do (the pages of a paginated
    listing); `key` names it in ctx["found"], where the one that served it is kept."""

    def __init__(self, key, paths):
        super().__init__(paths)
        self.key = key


def listing_candidates(ctx, key):
    """The pages of the listing `key` (ctx["listings"]), the one that served last first."""
    pages = ctx["listings"][key]
    found = ctx["found"].get(key)
    return Candidates(key, ([found] if found else []) + [p for p in pages if p != found])


def listing_pages(base, listing):
    """The URL paths of every page of a listing: LISTING, then LISTING/page/N/ while served."""
    pages = [listing]
    while len(pages) < 10000:
        nxt = f"{listing}page/{len(pages) + 1}/"
        status, _ = get(base.rstrip("/") + nxt)
        if status != 200:
            break
        pages.append(nxt)
    return pages


def listing_page_with(base, listing, needle):
    """The page of a paginated listing that shows `needle`, or None."""
    want = needle.encode()
    for path in listing_pages(base, listing):
        _, body = get(base.rstrip("/") + path)
        if want in body:
            return path
    return None


def spare_tags(site, target):
    """Two tags the page does not have, among those other pages use (so their pages exist)."""
    a, b = front_line(target.original, "tags", target.path)
    own = set(parse_tags(target.original[a:b], target.path))
    seen = {}
    for sub in ("posts", "articles"):
        for path in sorted(glob.glob(os.path.join(site, "content", sub, "**", "*.md"), recursive=True))[:400]:
            text = read_text(path)
            m = re.search(r"^tags:[ \t]*(\[.*\])[ \t]*$", text, re.M)
            if m:
                for tag in parse_tags(m.group(1), path):
                    if tag not in own:
                        seen[tag] = seen.get(tag, 0) + 1
    spare = sorted(seen, key=lambda x: (-seen[x], x))[:2]
    if len(spare) < 2:
        sys.exit(f"serve.py: found no two tags for the tag edit of {target.rel}")
    return spare


def talk_with(site, person):
    """A talk whose delegation `person` heads (the first in file order)."""
    for path in sorted(glob.glob(os.path.join(site, "content", "talks", "*.md"))):
        if re.search(rf"^\s+head:\s*\n\s+person:\s*{re.escape(person)}\s*$", read_text(path), re.M):
            return url_path(os.path.relpath(path, site))
    sys.exit(f"serve.py: no talk in {site} has `{person}` heading a delegation")


# ------------------------------------------------------------------------------------------


def poll(base, checks, timeout, interval, server, since, found):
    """Poll each (path, needle) in turn until it is served (a path that is a `Candidates`:
    until one of them serves it, noted in `found`); the time the last one was, or None and
    why not (timed out, the rebuild failed, the server exited)."""
    start = time.monotonic()
    for path, needle in checks:
        paths = path if isinstance(path, Candidates) else [path]
        want = needle.encode()
        while True:
            hit = None
            for p in paths:
                _, body = get(base.rstrip("/") + p)
                if want in body:
                    hit = p
                    break
            if hit is not None:
                if isinstance(path, Candidates):
                    found[path.key] = hit
                break
            if time.monotonic() - start > timeout:
                return None, f"{path} not updated within {timeout:g} s"
            if server.proc.poll() is not None:
                return None, f"the server exited (status {server.proc.returncode})"
            if server.has_line(FAILED, since):
                return None, "the server's rebuild failed"
            time.sleep(interval)
    return time.monotonic(), None


def measure_flavor(a, flavor, site, kinds):
    """Run the edits of each kind on one site; a list of result rows."""
    if flavor == "plain":
        page_rel = a.page
        targets = {"page": Target(site, page_rel)}
    else:
        art = a.article or next(iter(sorted(glob.glob(os.path.join(
            site, "content", "articles", "*", "article-00000.md")))), None)
        if not art:
            sys.exit(f"serve.py: no content/articles/*/article-00000.md in {site} (--article)")
        art_rel = os.path.relpath(os.path.join(site, art), site)
        targets = {"page": Target(site, art_rel), "person": Target(site, a.person)}
    ctx = {}
    if "tag" in kinds:
        ctx["spare_tags"] = spare_tags(site, targets["page"])
    if "rename" in kinds:
        person_id = os.path.splitext(os.path.basename(a.person))[0]
        ctx["talk_url"] = talk_with(site, person_id)
    pages = sum(len([n for n in fs if n.endswith(".md") and n != "_index.md"])
                for _, _, fs in os.walk(os.path.join(site, "content")))

    started = time.monotonic()
    server = Server(a.binary, site, a.verbose)
    rows = []
    aborted = None
    try:
        base = server.url(a.start_timeout)
        if base is None:
            sys.exit(f"serve.py: no `Serving at` line within {a.start_timeout:g} s\n{server.tail()}")
        first_build = time.monotonic() - started
        # Everything polled must be there before the first edit. Listings are paginated: the
        # title edit polls the page of the section listing that lists the page, the tag edit
        # any page of the tag's listing.
        page_url = targets["page"].url
        section = page_url.rstrip("/").rsplit("/", 1)[0] + "/"
        probe = {page_url, section}
        ctx["found"], ctx["listings"] = {}, {}

        def listing(key, url, links):
            ctx["listings"][key] = listing_pages(base, url)
            ctx["found"][key] = listing_page_with(base, url, links + '"')
            if ctx["found"][key] is None:
                sys.exit(f"serve.py: no page of the listing {url} links {links}")

        if "title" in kinds:
            listing("title", section, page_url)
        if "rename" in kinds:
            listing("people", "/people/", targets["person"].url)
        if "tag" in kinds:
            ctx["tag_pages"] = {x: listing_pages(base, f"/tags/{slugify(x)}/")
                                for x in ctx["spare_tags"]}
            probe |= {f"/tags/{slugify(x)}/" for x in ctx["spare_tags"]}
        if "rename" in kinds:
            probe |= {targets["person"].url, ctx["talk_url"], "/people/"}
        for path in sorted(probe):
            status, _ = get(base.rstrip("/") + path)
            if status != 200:
                sys.exit(f"serve.py: GET {path} answered {status} before any edit")
        print(f"serve.py: {flavor}: {base} ready after {first_build:.1f} s ({pages:,} pages)",
              file=sys.stderr)
        server.settle(a.gap, a.timeout)

        for kind in kinds:
            t = targets["person" if kind == "rename" else "page"]
            e2e, rebuilt, debounce, outputs, how, failed = [], [], [], [], {}, 0
            for i in range(a.edits):
                marker = f"benchmark{kind}{i}x{uuid.uuid4().hex[:10]}"
                checks = EDITS[kind](t, marker, i, ctx)
                write_text(t.path, t.text)
                written = time.monotonic()
                seen, why = poll(base, checks, a.timeout, a.poll_ms / 1000, server, written,
                                 ctx["found"])
                if seen is None:
                    failed += 1
                    print(f"  {flavor} {kind} {i + 1}: not served: {why}\n{server.tail(5)}",
                          file=sys.stderr)
                    if server.proc.poll() is not None:
                        aborted = f"the server exited (status {server.proc.returncode})"
                        break
                    server.settle(a.gap, a.timeout)
                    continue
                e2e.append((seen - written) * 1000)
                note = ""
                ch = server.wait_line(CHANGED, written, 5.0)
                if ch:
                    debounce.append((ch[0] - written) * 1000)
                done = server.wait_line(DONE, written, a.timeout)
                if done and REBUILT.search(done[1]):
                    m = REBUILT.search(done[1])
                    rebuilt.append(float(m.group(2)) * UNIT[m.group(3)])
                    word = "incremental" if m.group(1) == "Updated" else "whole site"
                    how[word] = how.get(word, 0) + 1
                    n = OUTPUTS.search(done[1])
                    if n:
                        outputs.append(int(n.group(1)))
                    note = f"; server: {done[1]}"
                elif done:
                    how["failed"] = how.get("failed", 0) + 1
                    note = f"; server: {done[1]}"
                print(f"  {flavor} {kind} {i + 1}: served after {e2e[-1]:.0f} ms{note}",
                      file=sys.stderr)
                server.settle(a.gap, a.timeout)
            rows.append({"flavor": flavor, "kind": kind, "e2e": e2e, "rebuilt": rebuilt,
                         "debounce": debounce, "outputs": outputs, "how": how, "failed": failed,
                         "file": t.rel, "checks": [str(c[0]) for c in checks]})
            if aborted:
                print(f"serve.py: {flavor}: {aborted}; stopping this site's edits", file=sys.stderr)
                break
    finally:
        restored = False
        for t in targets.values():
            if read_text(t.path) != t.original:
                write_text(t.path, t.original)
                restored = True
        if restored and server.proc.poll() is None:
            # Let the restore be picked up before stopping, so the site ends as it began.
            since = time.monotonic()
            server.wait_line(DONE, since, a.timeout)
        server.stop()
        if a.log:
            os.makedirs(a.log, exist_ok=True)
            with open(os.path.join(a.log, f"{flavor}.log"), "w", encoding="utf-8") as f:
                for t, line in server.lines:
                    f.write(f"{t - started:10.3f} {line}\n")
    return {"flavor": flavor, "pages": pages, "first_build": first_build, "rows": rows,
            "site": site, "aborted": aborted}


def fmt(xs):
    if not xs:
        return "—", "—"
    return f"{statistics.median(xs):.0f}", f"{quantile(xs, 0.9):.0f}"


def report(a, results):
    print("## Serve rebuild latency, by kind of edit")
    print()
    print(f"`briefing serve` on each site, {a.edits} edits of each kind, each file rewritten in "
          f"place and the URLs polled every {a.poll_ms:g} ms; milliseconds, p90 is the nearest "
          f"rank. **Served**: from the file written to the page *and* its listings served "
          f"(title: the section listing shows the new title; tag: the tag's page lists the "
          f"page; rename: the person's page, a talk they head a delegation at, and `/people/`). "
          f"**Server**: the `… in N ms` of the server's `Updated …`/`Rebuilt …` line, from the "
          f"debounced change to the new site swapped in; **outputs changed** is the number of "
          f"files it reports changed (pages whose bytes differ). Targets (issue 12, medians): served "
          f"≤ {TARGET_E2E} ms; server ≤ 20 ms (≤ 50 ms for the rename).")
    print()
    print("| site | edit | edits | served median | served p90 | server median | server p90 "
          "| rebuilds | outputs changed (median) | file written → `Changed:` (median) | targets met |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | --- |")
    for res in results:
        site = f"{res['flavor']} {res['pages']:,}"
        for r in res["rows"]:
            em, ep = fmt(r["e2e"])
            sm, sp = fmt(r["rebuilt"])
            dm, _ = fmt(r["debounce"])
            om, _ = fmt(r["outputs"])
            how = ", ".join(f"{n} {w}" for w, n in sorted(r["how"].items())) or "not reported"
            if r["failed"]:
                how += f"; {r['failed']} not served (failed or over {a.timeout:g} s)"
            ok = []
            if r["e2e"]:
                ok.append("served " + ("**yes**" if statistics.median(r["e2e"]) <= TARGET_E2E else "**no**"))
            if r["rebuilt"]:
                ok.append("server " + ("**yes**" if statistics.median(r["rebuilt"]) <= TARGET_SERVER[r["kind"]] else "**no**"))
            print(f"| {site} | {KIND_TEXT[r['kind']]} | {len(r['e2e'])} | {em} | {ep} | {sm} | "
                  f"{sp} | {how} | {om} | {dm} | {'; '.join(ok) or '—'} |")
    print()
    for res in results:
        files = sorted({r["file"] for r in res["rows"]})
        print(f"- {res['flavor']}: `{res['site']}`, first build {res['first_build']:.1f} s; "
              f"edited {', '.join(f'`{f}`' for f in files)}"
              + (f". **Cut short: {res['aborted']}**; the kinds after it were not measured."
                 if res["aborted"] else ""))
    print()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    target = os.environ.get("CARGO_TARGET_DIR") or os.path.join(REPO, "target")
    ap.add_argument("--binary", default=os.path.join(target, "release", "briefing"))
    ap.add_argument("--flavors", default="plain,briefing")
    ap.add_argument("--kinds", default="body,title,tag,rename",
                    help="rename applies to the briefing site only")
    ap.add_argument("--plain-site", "--site", dest="plain_site",
                    default="/dev/shm/briefing-bench/plain-10000")
    ap.add_argument("--briefing-site", default="/dev/shm/briefing-bench/briefing-10000")
    ap.add_argument("--pages", type=int, default=10000, help="pages, if a site is generated")
    ap.add_argument("--edits", type=int, default=15)
    ap.add_argument("--page", default="content/posts/s0/post-00000.md",
                    help="the plain site's page to edit")
    ap.add_argument("--article", help="the briefing's article to edit "
                    "(default content/articles/*/article-00000.md)")
    ap.add_argument("--person", default="content/people/person-0000.md",
                    help="the briefing's person to rename")
    ap.add_argument("--poll-ms", type=float, default=5.0)
    ap.add_argument("--gap", type=float, default=0.5, help="seconds of quiet between edits")
    ap.add_argument("--timeout", type=float, default=120.0, help="seconds per edit at most")
    ap.add_argument("--start-timeout", type=float, default=900.0,
                    help="seconds for the first build at most")
    ap.add_argument("--verbose", action="store_true",
                    help="run the server with -vv (its per-stage timings of every rebuild)")
    ap.add_argument("--log", help="a folder to keep each server's stderr in (FLAVOR.log, "
                    "each line after the seconds since the server started)")
    a = ap.parse_args()

    if not os.access(a.binary, os.X_OK):
        sys.exit(f"serve.py: no briefing binary at {a.binary} (cargo build --release)")
    flavors = [f for f in a.flavors.split(",") if f]
    kinds = [k for k in a.kinds.split(",") if k]
    for f in flavors:
        if f not in ("plain", "briefing"):
            sys.exit(f"serve.py: unknown flavor {f} (plain, briefing)")
    for k in kinds:
        if k not in EDITS:
            sys.exit(f"serve.py: unknown kind {k} ({', '.join(EDITS)})")
    if a.edits < 1:
        sys.exit("serve.py: --edits must be at least 1")

    results = []
    load_before = os.getloadavg()
    for flavor in flavors:
        site = a.plain_site if flavor == "plain" else a.briefing_site
        if not os.path.isdir(os.path.join(site, "content")):
            if flavor == "plain":
                gen = os.environ.get("BRIEFING_GEN") or os.path.join(REPO, "..", "shared", "bench", "gen.py")
                cmd = [sys.executable, gen, "--pages", str(a.pages), "--out", site,
                       "--flavor", "plain", "--force"]
            else:
                cmd = [sys.executable, os.path.join(REPO, "bench", "gen_briefing.py"),
                       "--pages", str(a.pages), "--out", site, "--force"]
            subprocess.run(cmd, check=True, stdout=sys.stderr)
        ks = [k for k in kinds if flavor == "briefing" or k != "rename"]
        if ks:
            results.append(measure_flavor(a, flavor, site, ks))
    if not any(r["e2e"] for res in results for r in res["rows"]):
        sys.exit("serve.py: no edit was served")
    report(a, results)
    load_after = os.getloadavg()
    print("Load average (1, 5, 15 min) before: " + ", ".join(f"{x:.2f}" for x in load_before)
          + "; after: " + ", ".join(f"{x:.2f}" for x in load_after))
    if any(res["aborted"] for res in results):
        sys.exit(1)


if __name__ == "__main__":
    main()
