#!/usr/bin/env python3
"""Deterministic synthetic *briefing* site for benchmarks (Python 3.11 standard library only).

Usage:
    python3 bench/gen_briefing.py --pages N --out DIR [--force] [--seed S]

Writes a complete briefing site of N content pages (records and articles) into DIR:

    DIR/site.yaml                      title, base_url, as_of, display_timezones
    DIR/content/_index.md              the front page's text
    DIR/content/talks/talk-NNNNN.md    rounds of talks: venue, scheduled and actual times (some
                                       approximate), status, mediators, delegations (head and
                                       members), agenda, outcomes, update log, rescheduling
    DIR/content/parties/party-NNN.md   states and organisations, with positions on topics
    DIR/content/people/person-NNNN.md  people, with roles, a party, some native names
    DIR/content/topics/topic-NNN.md    topics
    DIR/content/articles/YYYY/article-NNNNN.md   generic pages (title, date, tags, summary),
                                       one section per year, each with an _index.md
    DIR/content/timeline.yaml          N/2 dated events (any precision), each with an `id`
    DIR/content/sources.yaml           N/2 source entries (publishers, translations, carriers)

Of the N pages about 2 % are parties (4 to 200), 4 % topics (8 to 800), 20 % people, 20 %
talks and the rest articles. Every Markdown body (and most inline YAML text) cites sources
with `[@id]` and links records with `@/…` (plus timeline and source-list anchors); every id
referenced exists, so the site builds with no errors and no warnings.

References are skewed the way real coverage is: parties, people, topics and sources are drawn
from Zipf-like distributions, so a few appear everywhere. In particular `party-000` sits at
about a third of all talks and its leader `person-0000` heads its delegation at most of them
(and is linked from many articles and timeline events): renaming that person touches many pages.

Output depends only on N and the seed: the same arguments give byte-identical files.
"""

import argparse
import bisect
import datetime as dt
import itertools
import json
import os
import random
import shutil
import sys

AS_OF = dt.date(2025, 12, 31)  # the briefing's "now" (site.yaml `as_of`)
FIRST_DAY = dt.date(2015, 1, 1)
LAST_DAY = dt.date(2026, 6, 30)  # talks after AS_OF are still scheduled or postponed

# --------------------------------------------------------------------------------------------
# Vocabulary
# --------------------------------------------------------------------------------------------

ROOTS = [
    "Valdoria", "Norland", "Estmark", "Caradon", "Lusitra", "Ostrava", "Meridia", "Talvor",
    "Kessaria", "Brevonia", "Ardania", "Solvaria", "Drumlin", "Cordova", "Istria", "Vellmar",
    "Zandor", "Pellucia", "Rhovan", "Tamsin", "Galvia", "Orsova", "Quintara", "Belmora",
    "Sarvonia", "Trevanta", "Umbria", "Falkreach", "Mirovia", "Halvard", "Corvenia", "Lystra",
    "Novara", "Pratavia", "Serenia", "Vostrava", "Albrecht", "Dunmore", "Eldoria", "Farrowmere",
]
STATE_FORMS = ["Republic of {}", "Kingdom of {}", "Federation of {}", "{}", "United Provinces of {}"]
ORG_FORMS = [
    "{} Council", "Organisation for {} Cooperation", "{} Contact Group", "{} Union",
    "Commission of the {} Basin",
]

FIRST = [
    "Alma", "Bogdan", "Carla", "Dmytro", "Elif", "Farid", "Greta", "Hakon", "Irina", "Jonas",
    "Kemal", "Lena", "Marek", "Nadia", "Oskar", "Petra", "Quentin", "Rustam", "Sofia", "Timur",
    "Ulla", "Viktor", "Wanda", "Yusuf", "Zofia", "Anders", "Beatriz", "Cyril", "Dana", "Emil",
    "Fatima", "Gustav", "Hana", "Ivo", "Jana", "Karim", "Leila", "Mikhail", "Nina", "Olek",
    "Pavel", "Rania", "Stefan", "Tamara", "Umar", "Vera", "Walid", "Xenia", "Yara", "Zeynep",
    "Ahmet", "Birgit", "Chen", "Darius", "Erik", "Fiona", "Goran", "Helga", "Ilya", "Jakub",
]
LAST = [
    "Andersen", "Bakirov", "Castellano", "Dobrev", "Ekström", "Ferreira", "Galkin", "Haddad",
    "Ivanenko", "Jovanović", "Kaya", "Lindqvist", "Moreau", "Novak", "Okafor", "Petrenko",
    "Quiroga", "Rahimi", "Sandoval", "Tkachenko", "Umarov", "Varga", "Wójcik", "Yilmaz",
    "Zelenko", "Abbasi", "Brandt", "Costa", "Demir", "Eriksen", "Fischer", "Gashi", "Horvat",
    "Iqbal", "Jensen", "Kowalski", "Larsen", "Markovic", "Nielsen", "Orlov", "Popescu",
    "Rossi", "Schmidt", "Toivonen", "Usmanov", "Vasquez", "Weber", "Yusupov", "Zubarev",
    "Albescu", "Berisha", "Cerny", "Dragan", "Esposito", "Farkas", "Grigoryan", "Halonen",
    "Ismailov", "Juhasz", "Karimov", "Lazarev", "Mansour", "Nazarov", "Ozturk", "Pavlenko",
]
NATIVE = [  # (text, lang): native spellings shown with a lang attribute
    ("Дмитро Петренко", "uk"), ("Ирина Орлова", "ru"), ("Kemal Öztürk", "tr"),
    ("وليد منصور", "ar"), ("陈明", "zh"), ("Zofia Wójcik", "pl"), ("Олена Ткаченко", "uk"),
    ("Михаил Лазарев", "ru"), ("Elif Yılmaz", "tr"), ("رانيا حداد", "ar"),
]
TITLES_HEAD = [
    "Foreign Minister", "Chief Negotiator", "Deputy Foreign Minister", "Special Envoy",
    "Defence Minister", "National Security Adviser", "Head of the Presidential Office",
]
TITLES_MEMBER = [
    "Deputy Defence Minister", "Legal Adviser", "Ambassador", "Head of the Border Service",
    "Member of Parliament", "Senior Adviser", "Director for Political Affairs",
    "Deputy Chief of the General Staff", "Humanitarian Commissioner", "Spokesperson",
]
MEDIATOR_TITLES = ["Secretary-General", "Special Representative", "Foreign Minister", "Envoy"]
MEDIATOR_ROLES = ["Mediator", "Chair", "Host", "Facilitator", "Observer"]

VENUES = [  # (venue, city, country, IANA zone)
    ("Dolmabahçe Presidential Palace", "Istanbul", "Türkiye", "Europe/Istanbul"),
    ("Palais des Nations", "Geneva", "Switzerland", "Europe/Zurich"),
    ("Hofburg Palace", "Vienna", "Austria", "Europe/Vienna"),
    ("Sheraton Grand", "Doha", "Qatar", "Asia/Qatar"),
    ("Diriyah Palace", "Riyadh", "Saudi Arabia", "Asia/Riyadh"),
    ("Holmenkollen Park Hotel", "Oslo", "Norway", "Europe/Oslo"),
    ("Finlandia Hall", "Helsinki", "Finland", "Europe/Helsinki"),
    ("Al Bustan Palace", "Muscat", "Oman", "Asia/Muscat"),
    ("Independence Palace", "Astana", "Kazakhstan", "Asia/Almaty"),
    ("Gulustan Palace", "Baku", "Azerbaijan", "Asia/Baku"),
    ("El Laguito Protocol House", "Havana", "Cuba", "America/Havana"),
    ("San Carlos Palace", "Bogotá", "Colombia", "America/Bogota"),
    ("United Nations Headquarters", "New York", "United States", "America/New_York"),
    ("Shangri-La Hotel", "Singapore", "Singapore", "Asia/Singapore"),
    ("Merdeka Palace", "Jakarta", "Indonesia", "Asia/Jakarta"),
    ("Diaoyutai State Guesthouse", "Beijing", "China", "Asia/Shanghai"),
    ("Emirates Palace", "Abu Dhabi", "United Arab Emirates", "Asia/Dubai"),
    ("Soaltee Hotel", "Kathmandu", "Nepal", "Asia/Kathmandu"),
    ("Kenyatta International Convention Centre", "Nairobi", "Kenya", "Africa/Nairobi"),
    ("African Union Conference Centre", "Addis Ababa", "Ethiopia", "Africa/Addis_Ababa"),
    ("Tahrir Palace", "Cairo", "Egypt", "Africa/Cairo"),
    ("Egmont Palace", "Brussels", "Belgium", "Europe/Brussels"),
    ("Lancaster House", "London", "United Kingdom", "Europe/London"),
    ("Palacio de Viana", "Madrid", "Spain", "Europe/Madrid"),
    ("Château de Rambouillet", "Rambouillet", "France", "Europe/Paris"),
    ("Bürgenstock Resort", "Lucerne", "Switzerland", "Europe/Zurich"),
    ("Minsk Palace of Independence", "Minsk", "Belarus", "Europe/Minsk"),
    ("Palacio de Carondelet", "Quito", "Ecuador", "America/Guayaquil"),
    ("Itamaraty Palace", "Brasília", "Brazil", "America/Sao_Paulo"),
    ("Seoul Foreign Correspondents' Club", "Seoul", "South Korea", "Asia/Seoul"),
]
FORMATS = [
    "Face-to-face talks between delegations", "Proximity talks through the mediator",
    "Technical working groups", "Talks at the level of foreign ministers",
    "Closed-door consultations", "Plenary session followed by bilateral meetings",
]

TOPIC_ADJS = [
    "Unconditional", "Humanitarian", "Maritime", "Border", "Nuclear", "Prisoner", "Energy",
    "Grain", "Civilian", "Regional", "Territorial", "Security", "Monitoring", "Reconstruction",
    "Sanctions", "Water", "Electoral", "Constitutional", "Refugee", "Demining", "Economic",
    "Military", "Transit", "Airspace", "Detainee", "Cultural", "Judicial", "Customs",
    "Fisheries", "Railway",
]
TOPIC_NOUNS = [
    "ceasefire", "corridor", "exchange", "guarantees", "demarcation", "access", "safety",
    "withdrawal", "commission", "relief", "returns", "autonomy", "reform", "verification",
    "compensation", "arrangements", "zone", "mission", "agreement", "framework", "roadmap",
    "talks", "status", "protocol", "mechanism", "moratorium", "observers", "amnesty",
    "referendum", "fund", "inspections", "council", "cooperation", "quotas",
]

TAGS = [
    "Ceasefire", "Prisoners", "Humanitarian aid", "Sanctions", "Energy", "Grain exports",
    "Borders", "Nuclear safety", "Mediation", "Elections", "Refugees", "Reconstruction",
    "Security guarantees", "Maritime", "Diplomacy", "Monitoring", "Detainees", "Trade",
    "Demining", "Justice", "Constitution", "Water", "Transit", "Airspace", "Children",
    "Minorities", "Economy", "Military", "Negotiations", "Summits", "Treaties", "Analysis",
    "Explainer", "Opinion", "Profiles", "Data", "Timeline", "Interview", "Fact check", "Maps",
]

PUBLISHERS = [
    "Global Wire Service", "Continental Press Agency", "Northport Herald", "Valdoria Today",
    "The Meridian Times", "Estmark Radio", "Caradon Daily", "Baltic Monitor",
    "Eastern Review", "The Dispatch", "Agence Continentale", "Nordic Broadcasting",
    "Lusitra Public Television", "Gulf Correspondent", "Asia Weekly Report",
    "Ministry of Foreign Affairs of Valdoria", "Office of the Special Envoy", "Peace Research Institute",
    "Conflict Monitor", "Security Council Report Digest", "Kessaria News Agency",
    "The Independent Observer", "Halvard Morning Post", "Mirovia Press", "Talvor Gazette",
]
LANGS = ["fr", "de", "ru", "uk", "ar", "tr", "es", "zh", "ko", "ja", "pl", "it"]
CARRIERS = [
    "a regional news portal", "a Korean outlet", "a national broadcaster's website",
    "a newspaper syndicate", "a wire aggregator",
]

VERBS = [
    "announced", "rejected", "welcomed", "proposed", "questioned", "confirmed", "postponed",
    "endorsed", "criticised", "accepted", "reviewed", "signalled", "demanded", "outlined",
    "conditioned", "suspended", "extended", "reaffirmed", "disputed", "drafted",
]
ADVS = ["again", "formally", "quietly", "provisionally", "jointly", "publicly", "firmly"]
NOUNS = [
    "ceasefire line", "prisoner lists", "draft memorandum", "monitoring mission",
    "humanitarian corridor", "working group", "final communiqué", "sanctions package",
    "border commission", "verification mechanism", "security guarantees", "exchange protocol",
    "timetable", "joint statement", "grain deal", "inspection regime", "transit agreement",
    "roadmap", "confidence-building measures", "technical annex", "observer mission",
    "withdrawal schedule", "amnesty law", "energy truce", "maritime arrangement",
]
ADJS = [
    "revised", "provisional", "joint", "detailed", "limited", "broader", "fragile", "new",
    "earlier", "phased", "partial", "comprehensive", "contested", "unconditional", "interim",
]
SUBJECTS = [
    "the mediators", "the delegations", "negotiators", "the host government", "diplomats",
    "officials close to the talks", "the working group", "observers", "the envoys",
    "both sides", "the chief negotiators", "legal advisers",
]
CONNECT = ["while", "although", "after", "before", "as", "even though", "since", "until"]
HEADINGS = [
    "Background", "What was agreed", "What each side brought", "Sticking points", "Context",
    "Reactions", "What happens next", "The mediators' role", "Open questions", "Assessment",
    "How the talks came about", "The humanitarian track", "Timeline", "Figures",
]
METRICS = [
    "Prisoners exchanged", "Civilians evacuated", "Aid convoys", "Ceasefire violations",
    "Detainees registered", "Crossings open", "Observers deployed", "Mines cleared",
]
MONTHS = [
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
]


def q(s):
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(s, ensure_ascii=False)


def cap(s):
    return s[0].upper() + s[1:]


def slug(s):
    out, dash = [], False
    for ch in s.lower():
        if ch.isascii() and ch.isalnum():
            out.append(ch)
            dash = False
        elif not dash and out:
            out.append("-")
            dash = True
    return "".join(out).strip("-")


def long_date(d):
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


class Zipf:
    """Draw indexes 0..n-1 with weight 1/(k+1)^s: a few are everywhere, most are rare."""

    def __init__(self, n, s=1.0):
        acc, self.cum = 0.0, []
        for k in range(n):
            acc += 1.0 / (k + 1) ** s
            self.cum.append(acc)
        self.n = n

    def draw(self, r):
        return min(bisect.bisect_left(self.cum, r.random() * self.cum[-1]), self.n - 1)

    def distinct(self, r, k, exclude=()):
        """Up to k distinct indexes (fewer if the population is small)."""
        k = min(k, self.n - len(exclude))
        got = []
        for _ in range(k * 8):
            if len(got) >= k:
                break
            x = self.draw(r)
            if x not in got and x not in exclude:
                got.append(x)
        return got


# --------------------------------------------------------------------------------------------
# The model: ids, names and who belongs where, decided before any file is written
# --------------------------------------------------------------------------------------------


class Model:
    def __init__(self, pages, seed):
        self.r = r = random.Random(f"{seed}-model")
        n = pages
        self.n_parties = max(4, min(200, round(n * 0.02)))
        self.n_topics = max(8, min(800, round(n * 0.04)))
        self.n_people = max(self.n_parties + 4, round(n * 0.20))
        self.n_talks = max(4, round(n * 0.20))
        self.n_articles = n - self.n_parties - self.n_topics - self.n_people - self.n_talks
        if self.n_articles < 0:
            sys.exit(f"gen_briefing.py: --pages must be at least "
                     f"{n - self.n_articles} (got {n})")
        self.n_events = max(20, n // 2)
        self.n_sources = max(20, n // 2)

        # Parties: mostly states; every sixth an organisation (mediators).
        self.parties = []
        for i in range(self.n_parties):
            root = ROOTS[i % len(ROOTS)]
            gen = i // len(ROOTS)
            org = i % 6 == 5
            forms = ORG_FORMS if org else STATE_FORMS
            name = forms[gen % len(forms)].format(root)
            short = root if gen == 0 else f"{root} {('II', 'III', 'IV', 'V', 'VI')[(gen - 1) % 5]}"
            if gen >= 1:
                name = name.replace(root, short, 1)
            self.parties.append({
                "id": f"party-{i:03d}", "name": name, "short": short,
                "adjective": short + ("n" if short.endswith("a") else "ian"),
                "kind": "organisation" if org else "state",
            })
        self.states = [i for i, p in enumerate(self.parties) if p["kind"] == "state"]
        self.orgs = [i for i, p in enumerate(self.parties) if p["kind"] == "organisation"]
        if not self.orgs:  # small sites: the last party mediates
            self.orgs = [self.n_parties - 1]
            self.states = self.states[:-1] if self.states[-1] == self.n_parties - 1 else self.states
        self.mediating = self.orgs + self.states[-max(1, len(self.states) // 8):]
        self.state_zipf = Zipf(len(self.states), 1.0)
        self.med_zipf = Zipf(len(self.mediating), 0.8)

        # People: person-i leads party-i for i < parties; the rest are spread Zipf-like.
        party_zipf = Zipf(self.n_parties, 0.9)
        self.people = []
        self.pool = [[] for _ in range(self.n_parties)]
        for j in range(self.n_people):
            if j < self.n_parties:
                party = j
            elif r.random() < 0.04:
                party = None
            else:
                party = party_zipf.draw(r)
            first, last = r.choice(FIRST), r.choice(LAST)
            name = f"{first} {last}" if r.random() < 0.8 else f"{first} {chr(65 + r.randrange(26))}. {last}"
            self.people.append({"id": f"person-{j:04d}", "name": name, "party": party})
            if party is not None:
                self.pool[party].append(j)
        self.people_zipf = Zipf(self.n_people, 1.05)

        # Topics.
        pairs = list(itertools.product(TOPIC_ADJS, TOPIC_NOUNS))
        random.Random(f"{seed}-topics").shuffle(pairs)
        self.topics = []
        for t in range(self.n_topics):
            a, b = pairs[t % len(pairs)]
            title = f"{a} {b}" + ("" if t < len(pairs) else f" ({t // len(pairs) + 1})")
            self.topics.append({"id": f"topic-{t:03d}", "title": title})
        self.topic_zipf = Zipf(self.n_topics, 0.9)

        # Sources, in order of publication.
        span = (LAST_DAY - dt.date(2014, 6, 1)).days
        days = sorted(r.randrange(span) for _ in range(self.n_sources))
        self.sources, seen = [], {}
        pub_zipf = Zipf(len(PUBLISHERS), 1.2)
        for k, d in enumerate(days):
            date = dt.date(2014, 6, 1) + dt.timedelta(days=d)
            pub = PUBLISHERS[pub_zipf.draw(r)]
            base = f"{slug(pub)}-{date.isoformat()}"
            seen[base] = seen.get(base, 0) + 1
            sid = base if seen[base] == 1 else f"{base}-{seen[base]}"
            self.sources.append({"id": sid, "publisher": pub, "date": date})
        self.source_days = [s["date"].toordinal() for s in self.sources]
        # Popularity is independent of date: shuffle which sources the Zipf head hits.
        self.source_rank = list(range(self.n_sources))
        r.shuffle(self.source_rank)
        self.source_zipf = Zipf(self.n_sources, 1.1)

        # Talks, in date order: talk-00000 is the earliest.
        span = (LAST_DAY - FIRST_DAY).days
        self.talk_dates = sorted(FIRST_DAY + dt.timedelta(days=r.randrange(span))
                                 for _ in range(self.n_talks))
        self.talks = [{"id": f"talk-{i:05d}"} for i in range(self.n_talks)]

        # Articles: dates decide the year folder.
        self.articles = []
        art_span = (AS_OF - FIRST_DAY).days
        for i in range(self.n_articles):
            d = FIRST_DAY + dt.timedelta(days=r.randrange(art_span))
            self.articles.append({"id": f"article-{i:05d}", "date": d,
                                  "path": f"articles/{d.year}/article-{i:05d}.md"})
        self.event_ids = [f"ev-{i:05d}" for i in range(self.n_events)]
        # Who appears where (filled in while writing talks; used by people and party pages).
        self.talks_of_person = [[] for _ in range(self.n_people)]
        self.talks_of_party = [[] for _ in range(self.n_parties)]

    # -- picking references ------------------------------------------------------------------

    def pool_zipf(self, n, cache={}):
        if n not in cache:
            cache[n] = Zipf(n, 0.7)
        return cache[n]

    def sources_near(self, r, day, k):
        """k distinct source ids: most published within a few weeks before `day`, some popular."""
        o = day.toordinal()
        lo = bisect.bisect_left(self.source_days, o - 30)
        hi = max(lo + 1, bisect.bisect_right(self.source_days, o + 3))
        hi = min(hi, self.n_sources)
        lo = min(lo, hi - 1)
        got = []
        for _ in range(k * 4):
            if len(got) >= k:
                break
            if r.random() < 0.7:
                s = r.randrange(lo, hi)
            else:
                s = self.source_rank[self.source_zipf.draw(r)]
            if s not in got:
                got.append(s)
        return [self.sources[s]["id"] for s in got]

    def person_link(self, j):
        p = self.people[j]
        return f"[{p['name']}](@/people/{p['id']}.md)"

    def party_link(self, i, adjective=False):
        p = self.parties[i]
        return f"[{p['adjective'] if adjective else p['short']}](@/parties/{p['id']}.md)"

    def topic_link(self, t):
        tp = self.topics[t]
        return f"[{tp['title'].lower()}](@/topics/{tp['id']}.md)"

    def talk_link(self, i, text=None):
        text = text or "the round of " + long_date(self.talk_dates[i])
        return f"[{text}](@/talks/{self.talks[i]['id']}.md)"


# --------------------------------------------------------------------------------------------
# Text
# --------------------------------------------------------------------------------------------


class Writer:
    """Sentences and bodies that cite sources and link records.

    `links` is a list of Markdown links the text may use; `cites` a list of source ids."""

    def __init__(self, r, model):
        self.r, self.m = r, model

    def phrase(self):
        r = self.r
        return f"the {r.choice(ADJS)} {r.choice(NOUNS)}" if r.random() < 0.6 else f"the {r.choice(NOUNS)}"

    def clause(self, links):
        r = self.r
        subj = r.choice(links) if links and r.random() < 0.3 else r.choice(SUBJECTS)
        verb = r.choice(VERBS)
        if r.random() < 0.25:
            verb = f"{r.choice(ADVS)} {verb}"
        obj = self.phrase()
        x = r.random()
        if x < 0.08:
            obj = f"*{obj}*"
        elif x < 0.12:
            obj = f"**{obj}**"
        tail = ""
        y = r.random()
        if y < 0.2:
            tail = f" for {r.randint(2, 90)} days"
        elif y < 0.3:
            tail = f" by {r.randint(2, 40)} %"
        elif links and y < 0.45:
            tail = f", according to {r.choice(links)}"
        return f"{subj} {verb} {obj}{tail}"

    def cite(self, cites):
        r = self.r
        if len(cites) > 1 and r.random() < 0.2:
            a, b = r.sample(cites, 2)
            return f" [@{a}; @{b}]"
        return f" [@{r.choice(cites)}]"

    def sentence(self, links, cites, p_cite=0.35):
        r = self.r
        s = self.clause(links)
        if r.random() < 0.35:
            s += f", {r.choice(CONNECT)} {self.clause(links)}"
        s = cap(s)
        if cites and r.random() < p_cite:
            s += self.cite(cites)
        return s + "."

    def inline(self, links, cites, lo=1, hi=2):
        """Inline Markdown for YAML text fields: a sentence or two, always cited."""
        n = self.r.randint(lo, hi)
        out = [self.sentence(links, cites, 0.0) for _ in range(n)]
        if cites:
            out[-1] = out[-1][:-1] + self.cite(cites) + "."
        return " ".join(out)

    def paragraph(self, links, cites, lo=3, hi=5):
        r = self.r
        ss = [self.sentence(links, cites) for _ in range(r.randint(lo, hi))]
        if cites and "[@" not in ss[-1]:
            ss[-1] = ss[-1][:-1] + self.cite(cites) + "."
        return " ".join(ss)

    def bullets(self, links, cites):
        return "\n".join(f"- {cap(self.clause(links))}." for _ in range(self.r.randint(3, 5)))

    def table(self):
        r = self.r
        rows = ["| Measure | Before | After | Change |", "|---|---:|---:|---:|"]
        for m in r.sample(METRICS, r.randint(3, 5)):
            a = r.randint(20, 900)
            b = a + r.randint(-20, 120)
            rows.append(f"| {m} | {a} | {b} | {b - a:+d} |")
        return "\n".join(rows)

    def quote(self, links, cites):
        said = f"{self.sentence(links, [], 0)} {self.sentence(links, [], 0)}"
        return f"> {said}\n>\n> — {cap(self.r.choice(SUBJECTS))}{self.cite(cites)}"

    def body(self, links, cites, target, extras=()):
        """Markdown of about `target` bytes: headings, paragraphs, and sometimes a list, a
        table and a quote. `extras` are sentences (with links) placed in the first paragraphs."""
        r = self.r
        heads = r.sample(HEADINGS, min(len(HEADINGS), 2 + target // 700))
        blocks = [self.paragraph(links, cites, 2, 4)]
        extras = list(extras)
        if extras:
            blocks[0] += " " + " ".join(extras)
        h, size = 0, len(blocks[0])
        while size < target:
            if h < len(heads) and r.random() < 0.45:
                blocks.append(f"## {heads[h]}")
                h += 1
            x = r.random()
            if target > 1500 and x < 0.1:
                blocks.append(self.bullets(links, cites))
            elif target > 2000 and x < 0.15:
                blocks.append(self.table())
            elif target > 2000 and x < 0.2:
                blocks.append(self.quote(links, cites))
            else:
                blocks.append(self.paragraph(links, cites))
            size += len(blocks[-1]) + 2
        return "\n\n".join(blocks) + "\n"


# --------------------------------------------------------------------------------------------
# Files
# --------------------------------------------------------------------------------------------


def ids(xs):
    return "[" + ", ".join(xs) + "]"


def local(t):
    return t.strftime("%Y-%m-%dT%H:%M")


class Out:
    def __init__(self, root):
        self.root = root
        self.files = 0
        self.bytes = 0
        self.made = set()

    def write(self, rel, text):
        path = os.path.join(self.root, rel)
        d = os.path.dirname(path)
        if d not in self.made:
            os.makedirs(d, exist_ok=True)
            self.made.add(d)
        data = text.encode("utf-8")
        with open(path, "wb") as f:
            f.write(data)
        self.files += 1
        self.bytes += len(data)


def page(front_lines, body):
    return "---\n" + "\n".join(front_lines) + "\n---\n\n" + body


def write_talks(m, out, seed, cite_updates):
    for i, talk in enumerate(m.talks):
        r = random.Random(f"{seed}-talk-{i}")
        w = Writer(r, m)
        day = m.talk_dates[i]
        if r.random() < 0.5:
            venue, city, country, tz = VENUES[r.randrange(len(VENUES))]
        else:  # a few venues are used again and again
            venue, city, country, tz = VENUES[min(int(r.expovariate(0.25)), len(VENUES) - 1)]
        n_del = r.choice((2, 2, 2, 3, 3, 4))
        parties = [m.states[k] for k in m.state_zipf.distinct(r, n_del)]
        cands = [x for x in m.mediating if x not in parties]
        n_med = r.choice((0, 1, 1, 1, 2)) if cands else 0
        mediators = []
        for _ in range(n_med):
            x = cands[min(m.med_zipf.draw(r), len(cands) - 1)]
            if x not in mediators:
                mediators.append(x)
        future = day > AS_OF
        x = r.random()
        if future:
            status = "postponed" if x < 0.25 else "scheduled"
        else:
            status = "cancelled" if x < 0.04 else "concluded"
        start = dt.datetime.combine(day, dt.time(r.choice((9, 10, 10, 11, 12, 13, 14, 15)),
                                                 r.choice((0, 0, 30, 15, 45))))
        cites = m.sources_near(r, day, r.randint(3, 6))
        names = "–".join(m.parties[p]["short"] for p in parties[:3])
        title = f"{names} talks in {city}, {long_date(day)}"
        links = ([m.party_link(p, True) + " delegation" for p in parties]
                 + [m.party_link(p) for p in mediators])

        fl = [f"title: {q(title)}"]
        summary = (f"{cap(FORMATS[r.randrange(len(FORMATS))].lower())} between "
                   f"{', '.join(m.parties[p]['short'] for p in parties)} in {city}.")
        fl.append(f"summary: {q(summary)}")
        fl.append(f"tags: {ids(q(t) for t in r.sample(TAGS[:31], r.choice((1, 2, 2))))}")
        fl += ["venue:", f"  name: {q(venue)}", f"  city: {q(city)}", f"  country: {q(country)}",
               f"  timezone: {tz}"]
        fl.append(f"scheduled_start: {local(start)}")
        end = None
        if status == "concluded":
            delay = r.choice((0, 0, 15, 30, 45, 60, 90))
            actual = start + dt.timedelta(minutes=delay)
            if r.random() < 0.4:
                fl += ["actual_start:", f"  at: {local(actual)}", "  approximate: true"]
            else:
                fl.append(f"actual_start: {local(actual)}")
            if r.random() < 0.2:  # a round over several days
                end = dt.datetime.combine(day + dt.timedelta(days=r.randint(1, 3)),
                                          dt.time(r.randint(12, 19), r.choice((0, 30))))
            else:
                end = actual + dt.timedelta(minutes=r.randint(90, 480))
                end = min(end, dt.datetime.combine(day, dt.time(22, 30)))
            if r.random() < 0.3:
                fl += ["actual_end:", f"  at: {local(end)}", "  approximate: true"]
            else:
                fl.append(f"actual_end: {local(end)}")
        fl.append(f"status: {status}")
        fl.append(f"format: {q(FORMATS[r.randrange(len(FORMATS))])}")
        if mediators:
            fl.append("mediators:")
            for p in mediators:
                fl.append(f"  - party: {m.parties[p]['id']}")
                pool = m.pool[p]
                if pool and r.random() < 0.85:
                    j = pool[0] if r.random() < 0.6 else r.choice(pool)
                    fl.append(f"    person: {m.people[j]['id']}")
                    fl.append(f"    title: {q(r.choice(MEDIATOR_TITLES))}")
                    m.talks_of_person[j].append(i)
                fl.append(f"    role: {r.choice(MEDIATOR_ROLES)}")
                m.talks_of_party[p].append(i)
        fl.append("delegations:")
        heads = {}
        for p in parties:
            m.talks_of_party[p].append(i)
            pool = m.pool[p]
            fl.append(f"  - party: {m.parties[p]['id']}")
            used = []
            if pool:
                # The party's leader heads most of its delegations.
                h = pool[0] if r.random() < 0.65 else pool[min(int(r.expovariate(0.5)), len(pool) - 1)]
                used.append(h)
                heads[p] = h
                fl += ["    head:", f"      person: {m.people[h]['id']}",
                       f"      title: {q(r.choice(TITLES_HEAD))}"]
                m.talks_of_person[h].append(i)
                members = [pool[k] for k in m.pool_zipf(len(pool)).distinct(r, r.randint(0, 4))]
                members = [x for x in members if x != h]
                if members:
                    fl.append("    members:")
                    for x in members:
                        fl += [f"      - person: {m.people[x]['id']}",
                               f"        title: {q(r.choice(TITLES_MEMBER))}"]
                        m.talks_of_person[x].append(i)
                        used.append(x)
            if r.random() < 0.3:
                fl.append(f"    note: {q(w.inline([m.person_link(x) for x in used] or links, cites, 1, 1))}")
            fl.append(f"    sources: {ids(r.sample(cites, min(len(cites), r.randint(1, 2))))}")
        topics = m.topic_zipf.distinct(r, r.randint(2, 6))
        fl.append("agenda:")
        for t in topics:
            fl.append(f"  - topic: {m.topics[t]['id']}")
            if r.random() < 0.7:
                fl.append(f"    proposed_by: {m.parties[r.choice(parties)]['id']}")
            if r.random() < 0.4:
                fl.append(f"    note: {q(w.inline([m.topic_link(t)], cites, 1, 1))}")
            fl.append(f"    sources: [{r.choice(cites)}]")
        if status == "concluded":
            fl.append("outcomes:")
            for _ in range(r.randint(1, 4)):
                kind = r.choice(("agreed", "agreed", "proposed", "noted", "rejected"))
                fl.append(f"  - kind: {kind}")
                if kind in ("proposed", "rejected") or r.random() < 0.2:
                    fl.append(f"    by: {m.parties[r.choice(parties)]['id']}")
                fl.append(f"    text: {q(w.inline(links, cites))}")
                on = r.sample(topics, min(len(topics), r.randint(1, 2)))
                fl.append(f"    topics: {ids(m.topics[t]['id'] for t in on)}")
                fl.append(f"    sources: {ids(r.sample(cites, min(len(cites), r.randint(1, 2))))}")
        n_up = r.randint(2, 6) if status == "concluded" else r.randint(0, 2)
        if n_up:
            fl.append("updates:")
            if status == "concluded":
                t0, t1 = start - dt.timedelta(hours=2), end + dt.timedelta(hours=3)
            else:  # announcements before the round (and before "now")
                t1 = min(start, dt.datetime.combine(AS_OF, dt.time(9, 0)))
                t0 = t1 - dt.timedelta(days=20)
            span = max(1, int((t1 - t0).total_seconds() // 60))
            stamps = sorted(t0 + dt.timedelta(minutes=r.randrange(span)) for _ in range(n_up))
            for s in stamps:
                s = s.replace(minute=s.minute - s.minute % 5)
                if 1 <= s.hour <= 3:  # never inside a daylight-saving gap
                    s = s.replace(hour=4)
                fl.append(f"  - at: {local(s)}")
                if r.random() < 0.07:
                    fl.append("    kind: correction")
                if cite_updates:
                    fl.append(f"    text: {q(w.inline(links, cites))}")
                    fl.append(f"    sources: [{r.choice(cites)}]")
                else:  # see --cite-updates
                    fl.append(f"    text: {q(w.inline(links, []))}")
        if status == "postponed" or (status == "concluded" and r.random() < 0.08):
            fl.append("rescheduled:")
            for k in range(r.randint(1, 2), 0, -1):
                prev = start - dt.timedelta(days=7 * k + r.randint(0, 3))
                fl.append(f"  - from: {local(prev)}")
                if r.random() < 0.6:
                    fl.append(f"    note: {q(w.inline(links, cites, 1, 1))}")
        fl.append(f"sources: {ids(cites[:r.randint(1, 3)])}")

        extras = [f"The {m.party_link(p, True)} delegation was led by {m.person_link(h)}."
                  for p, h in list(heads.items())[:2]]
        if mediators:
            extras.append(f"{m.party_link(mediators[0])} acted as mediator.")
        extras.append(f"The agenda covered {m.topic_link(topics[0])} and "
                      f"{m.topic_link(topics[-1])} [@{cites[0]}].")
        if i > 0 and r.random() < 0.6:
            extras.append(f"It followed {m.talk_link(i - 1 - min(i - 1, int(r.expovariate(0.3))))}.")
        if r.random() < 0.3:
            ev = r.randrange(m.n_events)
            extras.append(f"See [the timeline](@/timeline.yaml#{m.event_ids[ev]}).")
        body = w.body(links, cites, r.randint(1500, 3000), extras)
        out.write(f"content/talks/{talk['id']}.md", page(fl, body))


def write_parties(m, out, seed):
    for i, p in enumerate(m.parties):
        r = random.Random(f"{seed}-party-{i}")
        w = Writer(r, m)
        fl = [f"name: {q(p['name'])}", f"short_name: {q(p['short'])}",
              f"adjective: {q(p['adjective'])}", f"kind: {p['kind']}"]
        roles = []
        if p["kind"] == "state":
            roles.append("negotiating-party")
        if i in m.mediating:
            roles.append("mediator")
        if p["kind"] == "state" and r.random() < 0.15:
            roles.append("host")
        fl.append(f"roles: {ids(roles)}")
        pool = m.pool[i]
        leaders = pool[:1 + (len(pool) > 3 and r.random() < 0.3)]
        fl.append(f"leaders: {ids(m.people[j]['id'] for j in leaders)}")
        talks = m.talks_of_party[i]
        if p["kind"] == "state":
            fl.append("positions:")
            for t in m.topic_zipf.distinct(r, r.randint(3, 10)):
                times = 2 if r.random() < 0.2 else 1
                for _ in range(times):
                    day = FIRST_DAY + dt.timedelta(days=r.randrange((AS_OF - FIRST_DAY).days))
                    cites = m.sources_near(r, day, 2)
                    fl.append(f"  - topic: {m.topics[t]['id']}")
                    stance = r.choice(("demands", "proposes", "supports", "conditional", "rejects"))
                    fl.append(f"    stance: {stance}")
                    fl.append(f"    summary: {q(w.inline([m.topic_link(t)], cites, 1, 1))}")
                    fl.append(f"    as_of: {day.isoformat()}")
                    fl.append(f"    sources: {ids(cites)}")
        cites = m.sources_near(r, AS_OF if not talks else m.talk_dates[talks[-1]], 4)
        links = [m.person_link(j) for j in pool[:4]]
        extras = []
        if pool:
            extras.append(f"Its leader is {m.person_link(pool[0])}.")
        if talks:
            extras.append(f"It took part in {m.talk_link(talks[0])} and, most recently, "
                          f"{m.talk_link(talks[-1])}.")
        body = w.body(links, cites, r.randint(800, 2000), extras)
        out.write(f"content/parties/{p['id']}.md", page(fl, body))


def write_people(m, out, seed):
    for j, p in enumerate(m.people):
        r = random.Random(f"{seed}-person-{j}")
        w = Writer(r, m)
        talks = m.talks_of_person[j]
        day = m.talk_dates[talks[-1]] if talks else AS_OF
        cites = m.sources_near(r, day, 2)
        fl = [f"name: {q(p['name'])}"]
        if r.random() < 0.1:
            text, lang = NATIVE[r.randrange(len(NATIVE))]
            fl += ["native_name:", f"  text: {q(text)}", f"  lang: {lang}"]
        if r.random() < 0.1:
            fl.append(f"variants: [{q(p['name'].replace('i', 'y', 1))}]")
        org = m.parties[p["party"]]["name"] if p["party"] is not None else "Independent"
        if p["party"] is not None:
            fl.append(f"party: {m.parties[p['party']]['id']}")
        fl.append("roles:")
        year = 2008 + r.randrange(10)
        n_roles = r.randint(1, 3)
        for k in range(n_roles):
            fl.append(f"  - title: {q(r.choice(TITLES_HEAD + TITLES_MEMBER))}")
            fl.append(f"    organisation: {q('Government of ' + org if r.random() < 0.7 else org)}")
            fl.append(f"    from: {year}")
            if k < n_roles - 1:
                year += r.randint(1, 4)
                fl.append(f"    to: {year}")
            if r.random() < 0.6:
                fl.append(f"    sources: [{cites[0]}]")
        extras = []
        if p["party"] is not None:
            extras.append(f"A member of the {m.party_link(p['party'], True)} government.")
        if talks:
            extras.append(f"Took part in {m.talk_link(talks[-1])}.")
        body = w.body([], cites, r.randint(300, 1000), extras)
        out.write(f"content/people/{p['id']}.md", page(fl, body))


def write_topics(m, out, seed):
    for t, tp in enumerate(m.topics):
        r = random.Random(f"{seed}-topic-{t}")
        w = Writer(r, m)
        cites = m.sources_near(r, FIRST_DAY + dt.timedelta(days=r.randrange(3900)), 3)
        fl = [f"title: {q(tp['title'])}"]
        rel = m.topic_zipf.distinct(r, 2, exclude=(t,))
        extras = [f"Related: {', '.join(m.topic_link(x) for x in rel)}."] if rel else []
        extras.append(f"{m.party_link(m.states[m.state_zipf.draw(r)])} raised it first.")
        body = w.body([], cites, r.randint(400, 1000), extras)
        out.write(f"content/topics/{tp['id']}.md", page(fl, body))


def write_articles(m, out, seed):
    years = sorted({a["date"].year for a in m.articles})
    out.write("content/articles/_index.md",
              page(['title: "Analysis and explainers"',
                    'summary: "Articles on the negotiations, by year."'], "Articles, by year.\n"))
    for y in years:
        out.write(f"content/articles/{y}/_index.md", page([f'title: "Articles, {y}"'], ""))
    for i, a in enumerate(m.articles):
        r = random.Random(f"{seed}-article-{i}")
        w = Writer(r, m)
        people = [m.people_zipf.draw(r) for _ in range(3)]
        if r.random() < 0.15:
            people[0] = 0  # the most-covered person
        parties = [m.states[m.state_zipf.draw(r)] for _ in range(2)]
        topic = m.topic_zipf.draw(r)
        # A talk from around the article's date.
        o = bisect.bisect_left(m.talk_dates, a["date"])
        talk = max(0, min(m.n_talks - 1, o - 1 - int(r.expovariate(0.5))))
        cites = m.sources_near(r, a["date"], r.randint(2, 5))
        links = [m.person_link(j) for j in people] + [m.party_link(p) for p in parties]
        extras = [f"This piece follows {m.talk_link(talk)} on {m.topic_link(topic)} [@{cites[0]}]."]
        if r.random() < 0.25:
            extras.append(f"Earlier events are on [the timeline](@/timeline.yaml#{m.event_ids[r.randrange(m.n_events)]}).")
        if r.random() < 0.15:
            extras.append(f"On the reporting, see [its source entry](@/sources.yaml#src-{cites[-1]}).")
        title = f"{cap(r.choice(ADJS))} {r.choice(NOUNS)}: {m.parties[parties[0]]['short']} and {m.topics[topic]['title'].lower()}"
        fl = [f"title: {q(title)}", f"date: {a['date'].isoformat()}",
              f"tags: {ids(q(t) for t in sorted(r.sample(TAGS, r.choice((2, 2, 3)))))}",
              f"summary: {q(w.sentence([], [], 0))}"]
        body = w.body(links, cites, r.randint(2500, 4500), extras)
        out.write(f"content/{a['path']}", page(fl, body))


def write_timeline(m, out, seed):
    r = random.Random(f"{seed}-timeline")
    w = Writer(r, m)
    span = (AS_OF - dt.date(2010, 1, 1)).days
    days = sorted(dt.date(2010, 1, 1) + dt.timedelta(days=r.randrange(span)) for _ in range(m.n_events))
    order = list(range(m.n_events))
    r.shuffle(order)  # ids are not in date order, as in a file edited over years
    lines = ["# Dated events. Rounds of talks are added to the timeline automatically."]
    for k, day in enumerate(days):
        x = r.random()
        date = str(day.year) if x < 0.04 else f"{day.year}-{day.month:02d}" if x < 0.12 else day.isoformat()
        parties = [m.states[m.state_zipf.draw(r)] for _ in range(r.randint(1, 3))]
        parties = list(dict.fromkeys(parties))
        cites = m.sources_near(r, day, r.randint(1, 2))
        links = [m.party_link(p) for p in parties]
        lines.append(f"- id: {m.event_ids[order[k]]}")
        lines.append(f"  date: {date}")
        lines.append(f"  title: {q(cap(r.choice(SUBJECTS)) + ' ' + r.choice(VERBS) + ' ' + w.phrase())}")
        lines.append(f"  text: {q(w.inline(links, cites))}")
        lines.append(f"  parties: {ids(m.parties[p]['id'] for p in parties)}")
        if r.random() < 0.6:
            lines.append(f"  topics: {ids(m.topics[t]['id'] for t in m.topic_zipf.distinct(r, r.randint(1, 2)))}")
        if r.random() < 0.5:
            ppl = [m.people_zipf.draw(r) for _ in range(r.randint(1, 2))]
            lines.append(f"  people: {ids(m.people[j]['id'] for j in dict.fromkeys(ppl))}")
        if r.random() < 0.3:
            o = bisect.bisect_left(m.talk_dates, day)
            lines.append(f"  talks: [{m.talks[max(0, min(m.n_talks - 1, o - 1))]['id']}]")
        lines.append(f"  sources: {ids(cites)}")
    out.write("content/timeline.yaml", "\n".join(lines) + "\n")


def write_sources(m, out, seed):
    r = random.Random(f"{seed}-sources")
    lines = ["# The source registry. Cite an entry in any Markdown text as [@id]."]
    for s in m.sources:
        lines.append(f"- id: {s['id']}")
        lines.append(f"  publisher: {q(s['publisher'])}")
        head = f"{cap(r.choice(SUBJECTS))} {r.choice(VERBS)} {r.choice(ADJS)} {r.choice(NOUNS)}"
        lines.append(f"  title: {q(head)}")
        lines.append(f"  url: https://news.example.org/{slug(s['publisher'])}/{s['date'].isoformat()}/{slug(head)}")
        lines.append(f"  published: {s['date'].isoformat()}")
        if r.random() < 0.3:
            lines.append(f"  accessed: {(s['date'] + dt.timedelta(days=r.randint(0, 5))).isoformat()}")
        x = r.random()
        if x < 0.12:
            lines.append("  language: en")
            lines += ["  translation:", f"    from: {r.choice(LANGS)}", "    to: en",
                      f"    by: {'machine' if r.random() < 0.6 else 'human'}"]
        elif x < 0.25:
            lines.append(f"  language: {r.choice(LANGS)}")
        else:
            lines.append("  language: en")
        if r.random() < 0.1:
            lines.append(f"  carried_by: {q(r.choice(CARRIERS))}")
        if r.random() < 0.15:
            lines.append(f"  note: {q(cap(r.choice(SUBJECTS)) + ' are quoted through an unnamed official.')}")
    out.write("content/sources.yaml", "\n".join(lines) + "\n")


SITE_YAML = """\
# Synthetic briefing for benchmarks (bench/gen_briefing.py); every key is described in README.md.
title: Synthetic negotiations briefing
description: A generated briefing of {pages} pages for benchmarking briefing.
language: en
base_url: https://example.org/
author: Benchmark desk
as_of: {as_of}
display_timezones: [UTC, Europe/Brussels, America/New_York]
"""


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pages", type=int, required=True, help="content pages: records and articles")
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", default="briefing-bench-2026")
    ap.add_argument("--force", action="store_true", help="remove DIR first if it exists")
    ap.add_argument("--cite-updates", action="store_true",
                    help="cite sources in update-log entries too (briefing at 8068d1d fails "
                         "on it: its front page numbers every update's citations, shows 5)")
    a = ap.parse_args(argv)
    if a.pages < 1:
        sys.exit("gen_briefing.py: --pages must be positive")
    if os.path.exists(a.out):
        if os.listdir(a.out) and not a.force:
            sys.exit(f"gen_briefing.py: {a.out} exists and is not empty (use --force)")
        shutil.rmtree(a.out)

    m = Model(a.pages, a.seed)
    out = Out(a.out)
    out.write("site.yaml", SITE_YAML.format(pages=a.pages, as_of=AS_OF.isoformat()))
    r = random.Random(f"{a.seed}-front")
    w = Writer(r, m)
    latest = max(k for k in range(m.n_talks) if m.talk_dates[k] <= AS_OF) if m.talk_dates[0] <= AS_OF else 0
    out.write("content/_index.md", page(
        ['title: "Synthetic negotiations briefing"',
         "summary: " + q(f"Rounds of talks between {m.n_parties} parties, with who was at "
                         "the table and what each side wants.")],
        w.body([m.person_link(0), m.party_link(0)], m.sources_near(r, AS_OF, 3), 800,
               [f"The latest round is {m.talk_link(latest)}; {m.person_link(0)} leads the "
                f"{m.party_link(0, True)} side. See the [positions](/positions/) and the "
                f"[timeline](/timeline/)."])))
    # Talks first: they record who took part where, which people and party pages link to.
    write_talks(m, out, a.seed, a.cite_updates)
    write_parties(m, out, a.seed)
    write_people(m, out, a.seed)
    write_topics(m, out, a.seed)
    write_articles(m, out, a.seed)
    write_timeline(m, out, a.seed)
    write_sources(m, out, a.seed)
    heads0 = len(m.talks_of_person[0])
    print(f"briefing: {a.pages} pages ({m.n_talks} talks, {m.n_parties} parties, "
          f"{m.n_people} people, {m.n_topics} topics, {m.n_articles} articles), "
          f"{m.n_events} timeline events, {m.n_sources} sources; person-0000 is at {heads0} talks; "
          f"{out.files} files, {out.bytes / 2**20:.1f} MiB -> {a.out}")


if __name__ == "__main__":
    main()
