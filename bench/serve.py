#!/usr/bin/env python3
"""Measure how fast `briefing serve` shows an edit (Python standard library only).

Usage:
    bench/serve.py [--binary PATH] [--site DIR] [--pages 10000] [--edits 15]
                   [--page content/posts/s0/post-00000.md] [--poll-ms 5] [--gap 0.5]

Starts `briefing serve -r SITE -p 0`, waits for `Serving at URL` and for the first page, then
EDITS times:

  1. appends a unique marker line to the body of one page (a one-page body edit) and records
     the time once the file is written and closed;
  2. polls GET on that page's URL every POLL-MS milliseconds until the marker is in the
     response, and records the latency: file written -> new page served;
  3. waits for the rebuild to be reported and for GAP seconds, so the next edit starts from a
     quiet watcher.

It prints a Markdown table: the median and p90 (nearest rank) of the end-to-end latency, and,
from the server's own log, of the time it reports for each rebuild (from the debounced event
to the new site swapped in, i.e. new bytes ready: the `... in N ms` of its `Rebuilt ...` or
`Updated ...` line)
and of the delay from the file written to the server's `Changed: ...` line (the debounce).
If the server does not print such lines, only the end-to-end latency is reported.

The page is restored to its original text afterwards (even on Ctrl+C). If SITE does not exist
it is generated with the shared generator (BRIEFING_GEN, default REPO/../shared/bench/gen.py).
The binary defaults to $CARGO_TARGET_DIR/release/briefing or REPO/target/release/briefing;
build it first (`cargo build --release`).
"""

import argparse
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
    r"^(?:Rebuilt|Updated|Built)\b.*?\bin ([0-9]+(?:\.[0-9]+)?) ?(ns|µs|us|ms|s)\b")
CHANGED = re.compile(r"^Changed: ")
UNIT = {"ns": 1e-6, "µs": 1e-3, "us": 1e-3, "ms": 1.0, "s": 1000.0}


class Server:
    """`briefing serve` as a child process, its stderr lines kept with their arrival times."""

    def __init__(self, binary, site):
        self.proc = subprocess.Popen(
            [binary, "serve", "-r", site, "-p", "0"],
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
            self.stop()
            tail = "\n".join(l for _, l in self.lines[-10:])
            sys.exit(f"serve.py: no `Serving at` line within {timeout} s\n{tail}")
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
                if left <= 0:
                    return None
                self.cond.wait(left)

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
            time.sleep(left)

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
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()
    except OSError:
        return None, b""


def quantile(xs, q):
    """Nearest-rank quantile."""
    s = sorted(xs)
    return s[max(0, math.ceil(q * len(s)) - 1)]


def page_url(base, page):
    rel = page[len("content/"):] if page.startswith("content/") else page
    rel = rel[: -len(".md")] if rel.endswith(".md") else rel
    return base.rstrip("/") + "/" + rel.strip("/") + "/"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    target = os.environ.get("CARGO_TARGET_DIR") or os.path.join(REPO, "target")
    ap.add_argument("--binary", default=os.path.join(target, "release", "briefing"))
    ap.add_argument("--site", default="/dev/shm/briefing-bench/plain-10000")
    ap.add_argument("--pages", type=int, default=10000, help="pages, if the site is generated")
    ap.add_argument("--edits", type=int, default=15)
    ap.add_argument("--page", default="content/posts/s0/post-00000.md")
    ap.add_argument("--poll-ms", type=float, default=5.0)
    ap.add_argument("--gap", type=float, default=0.5, help="seconds of quiet between edits")
    ap.add_argument("--timeout", type=float, default=120.0, help="seconds per edit at most")
    a = ap.parse_args()

    if not os.access(a.binary, os.X_OK):
        sys.exit(f"serve.py: no briefing binary at {a.binary} (cargo build --release)")
    if not os.path.isdir(os.path.join(a.site, "content")):
        gen = os.environ.get("BRIEFING_GEN") or os.path.join(REPO, "..", "shared", "bench", "gen.py")
        subprocess.run([sys.executable, gen, "--pages", str(a.pages), "--out", a.site,
                        "--flavor", "plain", "--force"], check=True, stdout=sys.stderr)
    path = os.path.join(a.site, a.page)
    with open(path, "rb") as f:
        original = f.read()
    pages = sum(len([n for n in fs if n.endswith(".md")])
                for _, _, fs in os.walk(os.path.join(a.site, "content")))

    started = time.monotonic()
    server = Server(a.binary, a.site)
    try:
        base = server.url(a.timeout)
        first_build = time.monotonic() - started
        url = page_url(base, a.page)
        status, _ = get(url)
        if status != 200:
            sys.exit(f"serve.py: GET {url} answered {status}")
        print(f"serve.py: {base} ready after {first_build:.1f} s; editing {a.page} "
              f"{a.edits} times", file=sys.stderr)
        server.settle(a.gap, a.timeout)

        e2e, rebuilt, debounce, failed = [], [], [], 0
        poll = a.poll_ms / 1000
        for i in range(a.edits):
            marker = f"bench-marker-{i}-{uuid.uuid4().hex[:12]}"
            with open(path, "a", encoding="utf-8") as f:
                f.write(f"\n{marker}\n")
            written = time.monotonic()
            needle = marker.encode()
            seen = None
            while time.monotonic() - written < a.timeout:
                _, body = get(url)
                if needle in body:
                    seen = time.monotonic()
                    break
                time.sleep(poll)
            if seen is None:
                failed += 1
                print(f"  edit {i + 1}: marker not served within {a.timeout} s", file=sys.stderr)
                continue
            e2e.append((seen - written) * 1000)
            note = ""
            # The server's own account of this rebuild, if it gives one.
            ch = server.wait_line(CHANGED, written, 2.0)
            if ch:
                debounce.append((ch[0] - written) * 1000)
            rb = server.wait_line(REBUILT, written, 5.0)
            if rb:
                m = REBUILT.search(rb[1])
                rebuilt.append(float(m.group(1)) * UNIT[m.group(2)])
                note = f"; server: {rb[1]}"
            print(f"  edit {i + 1}: served after {e2e[-1]:.0f} ms{note}", file=sys.stderr)
            server.settle(a.gap, a.timeout)
    finally:
        with open(path, "wb") as f:
            f.write(original)
        # Let the restore be picked up before stopping, so the site ends as it began.
        time.sleep(min(a.gap, 1.0) + 0.2)
        server.stop()

    if not e2e:
        sys.exit("serve.py: no edit was served")

    def row(name, xs):
        if not xs:
            return f"| {name} | — | — | — | not reported by the server |"
        return (f"| {name} | {len(xs)} | {statistics.median(xs):.0f} | {quantile(xs, 0.9):.0f} | "
                f"{min(xs):.0f}–{max(xs):.0f} |")

    print("## Serve rebuild latency")
    print()
    print(f"`briefing serve` on the {pages:,}-page plain site; {a.edits} one-page body edits "
          f"(a marker line appended to `{a.page}`), polled every {a.poll_ms:g} ms; the first "
          f"build took {first_build:.1f} s. Milliseconds; p90 is the nearest rank.")
    print()
    print("| measure | edits | median (ms) | p90 (ms) | min–max (ms) |")
    print("| --- | ---: | ---: | ---: | ---: |")
    print(row("file written → new page served (target ≤ 200 ms)", e2e))
    print(row("debounced event → new bytes ready, server's `… in N ms` (target ≤ 50 ms)",
              rebuilt))
    print(row("file written → server's `Changed:` line (debounce)", debounce))
    if failed:
        print()
        print(f"{failed} edit(s) were not served within {a.timeout:g} s.")
    print()
    targets = [f"end to end ≤ 200 ms: {'**yes**' if statistics.median(e2e) <= 200 else '**no**'}"]
    if rebuilt:
        targets.append(f"rebuild ≤ 50 ms: {'**yes**' if statistics.median(rebuilt) <= 50 else '**no**'}")
    print("Targets (medians): " + "; ".join(targets) + ".")
    print()


if __name__ == "__main__":
    main()
