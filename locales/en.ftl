# Interface strings of briefing's built-in theme: English.
# Every message here must exist in uk.ftl, ru.ftl and ko.ftl too (a unit test checks it).
# A site overrides any of them, or adds a language, with its own i18n/<lang>.ftl.

# The ICU4X locale whose conventions dates and times follow (day month year, 24-hour clock).
date-locale = en-GB

## Page chrome (base.html)
feed-title = { $site }: updates
skip-to-content = Skip to content
nav-main-label = Main
# No final full stop in languages whose dates end with an abbreviation ("16 травня 2025 р.").
footer-as-of = Briefing as of { $date }.
all-tags = All tags
built-with = Built with briefing.

## Navigation and generated pages
nav-overview = Overview
nav-talks = Talks
nav-parties = Parties
nav-people = People
nav-topics = Topics
nav-statements = Statements
nav-positions = Positions
nav-timeline = Timeline
nav-sources = Sources
nav-search = Search
title-tags = Tags
title-not-found = Page not found
front-page = Front page

## Shared pieces
translation-notice-label = Translation notice
tags-label = Tags
contents = Contents
pages-heading = Pages
sections-label = Sections
subsections-label = Subsections
also-written = Also written:
not-reported = Not reported
when-about = about
when-on-date = on { $date }
local-time = local time
updated-on = Updated

## Sources
sources-heading = Sources
archived-copy = archived copy
# Ends the source's line: a language whose dates end with an abbreviation ("р.") leaves the
# final full stop out.
source-published = published { $date }.
source-cited = Cited:
source-backref-label = Back to citation { $n } of source { $source }
sources-standfirst = Every source this briefing relies on, how it reached us, and the pages that cite it.
source-provenance = Provenance
source-published-label = Published
source-accessed = Accessed
source-language = Language
source-translation = Translation
source-translation-by = From { $from }, by { $by ->
    [machine] machine (AI)
   *[human] a translator
}
source-note = Note
source-cited-on = Cited on
provenance = { $publisher } reporting.
provenance-carried = { $publisher } reporting, as carried by { $outlet }.
provenance-translated = { $publisher } reporting, translated from { $from } by { $by ->
    [machine] machine (AI)
   *[human] a translator
}.
provenance-carried-translated = { $publisher } reporting, as carried by { $outlet }, translated from { $from } by { $by ->
    [machine] machine (AI)
   *[human] a translator
}.
notice-translation = Translation notice: this page relies on { $parts }. Quotations may not match the original wording.
notice-part = { $publisher } reporting, { $by ->
    [machine] machine-translated (by AI)
   *[human] translated
} from { $from }
notice-part-into = { $publisher } reporting, { $by ->
    [machine] machine-translated (by AI)
   *[human] translated
} from { $from } into { $to }
notice-part-carried = { $publisher } reporting as carried by { $outlet }, whose { $from } text was { $by ->
    [machine] machine-translated (by AI)
   *[human] translated
}
notice-part-carried-into = { $publisher } reporting as carried by { $outlet }, whose { $from } text was { $by ->
    [machine] machine-translated (by AI)
   *[human] translated
} into { $to }

## Talks
kicker-talk = Round of talks
key-facts = Key facts
fact-status = Status
fact-venue = Venue
fact-where = Where
fact-scheduled = Scheduled start
fact-began = Began
fact-ended = Ended
fact-format = Format
fact-rescheduled = Rescheduled
rescheduled-was = Was
delegations = Delegations
delegations-caption = Who was at the table, with the titles they held at this round
col-party = Party
col-head = Head of delegation
col-members = Members
agenda = Agenda
raised-by = (raised by { $party })
outcomes = Outcomes
topics-label = Topics:
what-happened = What happened
update-log = Update log
correction = Correction
update = Update
mediator = Mediator
timing-scheduled = scheduled { $time }
timing-began = began { $time }
timing-began-about = began about { $time }
timing-ended = ended { $time }
timing-ended-about = ended about { $time }
timing-at-venue = { $parts } ({ $city } time)
timing-local = { $parts } (local time)
calendar-began = Began
calendar-ended = Ended
calendar-approximate = (approximate)

## Front page
at-a-glance = At a glance
latest-round = Latest round
next-round = Next round
delegation-of = { $party } delegation
led-by = Led by
key-outcomes = Key outcomes of the latest round
latest-updates = Latest updates
overview = Overview
in-this-briefing = In this briefing

## Parties, people, topics, statements
leaders = Leaders:
positions = Positions
position-as-of = As of
position-earlier-as-of = Earlier position, as of
rounds-of-talks = Rounds of talks
people = People
background = Background
capacity-delegation = Delegation
capacity-head = Head of the { $party } delegation
capacity-head-titled = Head of the { $party } delegation ({ $title })
capacity-member = Member of the { $party } delegation
capacity-member-titled = Member of the { $party } delegation ({ $title })
kicker-person = Person
roles = Roles
role-from-to = ({ $from } to { $to })
role-from = (from { $from })
role-until = (until { $to })
rounds-attended = Rounds attended
kicker-topic = Topic
positions-over-time = Positions over time
on-the-agenda = On the agenda
outcomes-on-topic = Outcomes touching this topic
kicker-statement = Statement
delivered-by = Delivered by
fact-round = Round
fact-topics = Topics

## Positions matrix, timeline
positions-standfirst = Each party's latest recorded position on each topic, with the date it was stated and its source.
matrix-caption = Positions by topic (rows) and party (columns)
col-topic = Topic
no-position = No recorded position
event-link-label = Link to this event: { $title }
section-link-label = Link to this section: { $label }
# The `aria-label` of a citation mark ([1]) in the text.
cite-label = Source { $n }

## Search
search-label = Search the full text of this briefing
search-button = Search
search-more = Show more results
search-nojs = Searching needs JavaScript, which is off in this browser. Every page of the briefing is listed on one of these pages:
search-searching = Searching…
search-unavailable = Search is unavailable.
search-results = { $count ->
    [0] No results
    [one] 1 result
   *[other] { $count } results
}
search-for = { $results } for “{ $query }”

## Not found, redirects
not-found-text = There is nothing at this address. It may have moved when the briefing was updated.
not-found-home = Go to the front page of { $site }
moved-title = Moved: { $title }
moved-text = This page has moved to { $link }.

## Labels of values
status-scheduled = Scheduled
status-postponed = Postponed
status-under-way = Under way
status-concluded = Concluded
status-cancelled = Cancelled
outcome-agreed = Agreed
outcome-proposed = Proposed by one side
outcome-noted = Noted
outcome-rejected = Rejected
party-role-negotiating-party = Negotiating party
party-role-mediator = Mediator
party-role-host = Host
stance-demands = Demands
stance-proposes = Proposes
stance-supports = Supports
stance-conditional = Conditional
stance-rejects = Rejects

## Language names (for translation notices and the sources page)
language-en = English
language-ko = Korean
language-uk = Ukrainian
language-ru = Russian
language-tr = Turkish
language-fr = French
language-de = German
language-es = Spanish
language-ar = Arabic
language-zh = Chinese
language-ja = Japanese
language-pl = Polish
language-it = Italian
language-pt = Portuguese
language-he = Hebrew
language-fa = Persian

## Display zones: zone-<IANA name with / and _ written as ->
zone-UTC = UTC
zone-Europe-Kyiv = Kyiv
zone-Europe-Moscow = Moscow
zone-Europe-Istanbul = Istanbul
zone-Europe-Zurich = Zurich
zone-Europe-London = London
zone-Europe-Berlin = Berlin
zone-Europe-Paris = Paris
zone-Europe-Helsinki = Helsinki
zone-Europe-Warsaw = Warsaw
zone-Europe-Minsk = Minsk
zone-Europe-Vatican = Vatican
zone-Asia-Seoul = Seoul
zone-Asia-Riyadh = Riyadh
zone-Asia-Qatar = Qatar
zone-Asia-Dubai = Dubai
zone-Asia-Tokyo = Tokyo
zone-Asia-Shanghai = Shanghai
zone-America-New-York = New York

## Language editions (switcher, notices, the parallel view)
editions-label = Language
edition-notice-label = Translation
edition-read-original = Read the original
# $language: the original's language (in the "whose" case where a language has one).
edition-fallback = This page is not yet translated: it is shown as written, in { $language }. { $link }.
edition-outdated = The { $language } page has newer updates. { $link }.
# $from: the original's language (in the "from" case where a language has one).
edition-provenance = Translated from { $from } { $by ->
    [machine] by machine (AI)
    [reviewed] by machine (AI), reviewed by a person
   *[human] by a translator
}.
edition-compare = Side by side with the original:
compare-back = Back to the talk
compare-side-by-side = { $a } and { $b }, side by side.
compare-side-by-side-untranslated = { $a } and { $b }, side by side (the { $b } edition has not translated this page yet).
compare-field = Field
compare-title = Title
compare-summary = Summary
compare-agenda = On the agenda

## Editorial trust: byline, stamps, disputed values, changes and corrections
byline-by = By { $names }
# The word between the last two names of a list, with its spaces.
list-and = { " " }and{ " " }
list-or = { " " }or{ " " }
byline-published = Published { $date }
byline-updated = Updated { $date }
stamp-zone = { $time } { $zone } time
status-as-of = { $approximate ->
    [true] as of about { $when }
   *[other] as of { $when }
}
about-amount = about { $amount }
disputed = Disputed
accounts-differ = accounts differ:
fact-length = Length
bottom-line = Bottom line:
watch-heading = What to watch
watch-title = To watch
watch-summary = To watch: { $text }
calendar-lasted = Lasted { $length }.
calendar-length-disputed = Length disputed: { $accounts }.
duration-hours = { $n ->
    [one] 1 hour
   *[other] { $n } hours
}
duration-minutes = { $n ->
    [one] 1 minute
   *[other] { $n } minutes
}
history-since = { $history }, since { $date }
history-stance = Stance: { $history }, since { $date }
changes-title = Changes
changes-standfirst = Every change of a party's stance, every outcome of a round of talks and every correction, newest first.
changes-none = No changes yet: no stance has changed, no round has an outcome and nothing has been corrected.
change-stance = Stance changed
change-stance-on = { $party } on { $topic }
corrections-title = Corrections
corrections-standfirst = Every correction made to this briefing, newest first, with the page it corrects.
corrections-none = No corrections yet.

## Pagination, the split timeline
pagination-label = Pages of this listing
pagination-status = Page { $n } of { $total }
pagination-prev = Previous page
pagination-next = Next page
pagination-page = Page { $n }
pagination-page-current = Page { $n }, this page
paged-title = { $title } (page { $n } of { $total })
tag-title = Tagged “{ $tag }”
timeline-year-title = Timeline: { $year }
timeline-index-standfirst = The timeline is long, so each year has a page of its own. Every event is listed here by date and title.
timeline-years-label = Years of the timeline
timeline-events = ({ $count ->
    [one] 1 event
   *[other] { $count } events
})
timeline-all-years = All years
sources-letter-title = Sources: { $letter }
# The group of publishers that begin with a digit or a symbol, in a letter page's title.
sources-letter-other = 0–9 and symbols
sources-index-standfirst = The source list is long, so each letter has a page of its own. Every source is listed here by publisher and title.
sources-letters-label = Letters of the source list
sources-count = ({ $count ->
    [one] 1 source
   *[other] { $count } sources
})
sources-all-letters = All letters
positions-topic-title = Positions: { $topic }
positions-index-standfirst = The positions matrix is large, so each topic has a page of its own with every party's latest position on it.
positions-topics-label = Topics of the positions matrix
positions-count = ({ $count ->
    [one] 1 party
   *[other] { $count } parties
})
positions-all-topics = All topics
positions-topic-about = About the topic:
positions-topic-caption = Each party's latest position on { $topic }
col-position = Position
