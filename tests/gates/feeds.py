"""Gate 4 of tests/site-gates.sh: the Atom feed and the calendar, read by strict parsers.

    python feeds.py SITE_DIR BASE_URL

Prints one line per problem and exits 1 if there is any. xmllint checks the sitemap against
its schema and the feed's well-formedness separately (in the shell script).
"""

import sys
from pathlib import Path

import feedparser
import icalendar

site = Path(sys.argv[1])
base_url = sys.argv[2]
problems = []


def problem(what):
    problems.append(what)
    print(f"  problem: {what}")


# ---------------------------------------------------------------- atom.xml
atom_bytes = (site / "atom.xml").read_bytes()
feed = feedparser.parse(atom_bytes)
if feed.bozo:
    problem(f"atom.xml: feedparser bozo: {feed.bozo_exception!r}")
if feed.version != "atom10":
    problem(f"atom.xml: feedparser reads it as {feed.version!r}, not Atom 1.0")
f = feed.feed
for key in ("id", "title", "updated"):
    if not f.get(key):
        problem(f"atom.xml: feed has no <{key}>")
if not any(l.get("rel") == "self" for l in f.get("links", [])):
    problem("atom.xml: feed has no rel=self link")
if not feed.entries:
    problem("atom.xml: no entries")
ids = set()
for i, e in enumerate(feed.entries, 1):
    label = f"atom.xml entry {i} ({e.get('title', '?')!r})"
    for key in ("id", "title", "updated", "link"):
        if not e.get(key):
            problem(f"{label}: no <{key}>")
    if e.get("id") in ids:
        problem(f"{label}: duplicate id {e.get('id')}")
    ids.add(e.get("id"))
    link = e.get("link", "")
    if link and not link.startswith(base_url):
        problem(f"{label}: link {link} is not under the base URL {base_url}")
print(f"  atom.xml: Atom 1.0, {len(feed.entries)} entries, bozo={int(bool(feed.bozo))}")

# ---------------------------------------------------------------- calendar.ics
ics_bytes = (site / "calendar.ics").read_bytes()
lines = ics_bytes.split(b"\r\n")
if lines[-1] != b"":
    problem("calendar.ics: does not end with CRLF")
for n, line in enumerate(lines[:-1], 1):
    if b"\n" in line or b"\r" in line:
        problem(f"calendar.ics:{n}: bare LF or CR (lines must end with CRLF)")
        break
    if len(line) > 75:
        problem(f"calendar.ics:{n}: line of {len(line)} octets, longer than 75 (RFC 5545 3.1)")
try:
    ics_bytes.decode("utf-8")
except UnicodeDecodeError as err:
    problem(f"calendar.ics: not UTF-8: {err}")

try:
    cals = icalendar.Calendar.from_ical(ics_bytes, multiple=True)
except Exception as err:  # noqa: BLE001 - any parse failure fails the gate
    problem(f"calendar.ics: icalendar cannot parse it: {err!r}")
    cals = []
if len(cals) != 1:
    problem(f"calendar.ics: {len(cals)} VCALENDAR objects, expected 1")
events = 0
for cal in cals:
    if cal.name != "VCALENDAR":
        problem(f"calendar.ics: top-level component is {cal.name}")
    if str(cal.get("VERSION", "")) != "2.0":
        problem("calendar.ics: VERSION is not 2.0")
    if not cal.get("PRODID"):
        problem("calendar.ics: no PRODID")
    for comp in cal.walk():
        # icalendar collects what it could not parse instead of failing.
        for err in getattr(comp, "errors", []):
            problem(f"calendar.ics: {comp.name}: {err}")
    uids = set()
    for ev in cal.walk("VEVENT"):
        events += 1
        label = f"calendar.ics VEVENT {events} ({ev.get('SUMMARY', '?')})"
        for key in ("UID", "DTSTAMP", "DTSTART"):
            if ev.get(key) is None:
                problem(f"{label}: no {key}")
        uid = str(ev.get("UID", ""))
        if uid in uids:
            problem(f"{label}: duplicate UID {uid}")
        uids.add(uid)
        for key in ("DTSTART", "DTEND", "DTSTAMP"):
            if ev.get(key) is not None:
                try:
                    ev.decoded(key)
                except Exception as err:  # noqa: BLE001
                    problem(f"{label}: {key} does not decode: {err!r}")
        if ev.get("DTEND") is not None and ev.get("DTSTART") is not None:
            if ev.decoded("DTEND") < ev.decoded("DTSTART"):
                problem(f"{label}: DTEND before DTSTART")
        url = ev.get("URL")
        if url is not None and not str(url).startswith(base_url):
            problem(f"{label}: URL {url} is not under the base URL {base_url}")
if events == 0:
    problem("calendar.ics: no VEVENT")
print(f"  calendar.ics: {len(lines) - 1} lines, {events} VEVENT(s)")

sys.exit(1 if problems else 0)
