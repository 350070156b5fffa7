# briefing 기본 테마의 인터페이스 문자열: 한국어.
# en.ftl의 모든 메시지가 여기에도 있어야 합니다(단위 테스트가 확인합니다).

# 날짜와 시간 표기 규칙을 따를 ICU4X 로캘.
date-locale = ko

## 페이지 틀 (base.html)
feed-title = { $site }: 업데이트
skip-to-content = 본문으로 건너뛰기
nav-main-label = 주 메뉴
footer-as-of = { $date } 기준 브리핑입니다.
all-tags = 모든 태그
built-with = briefing으로 만들었습니다.

## 내비게이션과 생성된 페이지
nav-overview = 개요
nav-talks = 회담
nav-parties = 당사자
nav-people = 인물
nav-topics = 의제
nav-statements = 성명
nav-positions = 입장
nav-timeline = 연표
nav-sources = 출처
nav-search = 검색
title-tags = 태그
title-not-found = 페이지를 찾을 수 없습니다
front-page = 첫 페이지

## 공통 요소
translation-notice-label = 번역 안내
tags-label = 태그
contents = 목차
pages-heading = 페이지
sections-label = 섹션
subsections-label = 하위 섹션
also-written = 다른 표기:
not-reported = 보도되지 않음
when-about = 약
when-on-date = ({ $date })
local-time = 현지 시각
updated-on = 업데이트:

## 출처
sources-heading = 출처
archived-copy = 보관본
source-published = { $date } 게재.
source-cited = 인용 위치:
source-backref-label = 돌아가기: 출처 { $source }의 인용 { $n }
sources-standfirst = 이 브리핑이 근거로 삼는 모든 출처와 그 전달 경로, 그리고 각 출처를 인용한 페이지입니다.
source-provenance = 출처 경로
source-published-label = 게재일
source-accessed = 열람일
source-language = 언어
source-translation = 번역
source-translation-by = { $from }에서 { $by ->
    [machine] 기계 번역(AI)
   *[human] 번역가 번역
}
source-note = 참고
source-cited-on = 인용한 페이지
provenance = { $publisher } 보도.
provenance-carried = { $publisher } 보도, { $outlet } 전재.
provenance-translated = { $publisher } 보도, { $from }에서 { $by ->
    [machine] 기계 번역(AI)
   *[human] 번역
}.
provenance-carried-translated = { $publisher } 보도, { $outlet } 전재, { $from }에서 { $by ->
    [machine] 기계 번역(AI)
   *[human] 번역
}.
notice-translation = 번역 안내: 이 페이지는 { $parts }에 근거합니다. 인용문은 원문 표현과 다를 수 있습니다.
notice-part = { $from }에서 { $by ->
    [machine] 기계 번역(AI)된
   *[human] 번역된
} { $publisher } 보도
notice-part-into = { $from }에서 { $to }로 { $by ->
    [machine] 기계 번역(AI)된
   *[human] 번역된
} { $publisher } 보도
notice-part-carried = { $publisher } 보도({ $outlet } 전재, { $from } 원문 { $by ->
    [machine] AI 기계 번역
   *[human] 번역
})
notice-part-carried-into = { $publisher } 보도({ $outlet } 전재, { $from } 원문을 { $to }로 { $by ->
    [machine] AI 기계 번역
   *[human] 번역
})

## 회담
kicker-talk = 회담 라운드
key-facts = 주요 사항
fact-status = 상태
fact-venue = 장소
fact-where = 장소
fact-scheduled = 예정 시작
fact-began = 시작
fact-ended = 종료
fact-format = 형식
fact-rescheduled = 일정 변경
rescheduled-was = 변경 전:
delegations = 대표단
delegations-caption = 이번 라운드에 참석한 사람과 당시 직함
col-party = 당사자
col-head = 대표단장
col-members = 단원
agenda = 의제
raised-by = ({ $party } 제기)
outcomes = 결과
topics-label = 의제:
what-happened = 경과
update-log = 업데이트 기록
correction = 정정
update = 업데이트
mediator = 중재자
timing-scheduled = { $time } 예정
timing-began = { $time } 시작
timing-began-about = 약 { $time } 시작
timing-ended = { $time } 종료
timing-ended-about = 약 { $time } 종료
timing-at-venue = { $parts } ({ $city } 현지 시각)
timing-local = { $parts } (현지 시각)
calendar-began = 시작:
calendar-ended = 종료:
calendar-approximate = (추정)

## 첫 페이지
at-a-glance = 한눈에 보기
latest-round = 최근 라운드
next-round = 다음 라운드
delegation-of = { $name } 대표단
led-by = 단장:
key-outcomes = 최근 라운드의 주요 결과
latest-updates = 최신 업데이트
overview = 개요
in-this-briefing = 이 브리핑의 내용

## 당사자, 인물, 의제, 성명
leaders = 지도자:
positions = 입장
position-as-of = 기준일:
position-earlier-as-of = 이전 입장, 기준일:
rounds-of-talks = 회담 라운드
people = 인물
background = 배경
capacity-delegation = 대표단
capacity-head = { $name } 대표단장
capacity-head-titled = { $name } 대표단장({ $title })
capacity-member = { $name } 대표단원
capacity-member-titled = { $name } 대표단원({ $title })
kicker-person = 인물
roles = 직위
role-from-to = ({ $from }~{ $to })
role-from = ({ $from }부터)
role-until = ({ $to }까지)
rounds-attended = 참석한 라운드
kicker-topic = 의제
positions-over-time = 시기별 입장
on-the-agenda = 다룬 회담
outcomes-on-topic = 이 의제와 관련된 결과
kicker-statement = 성명
delivered-by = 발표자:
fact-round = 라운드
fact-topics = 의제

## 입장 표, 연표
positions-standfirst = 각 당사자가 의제별로 가장 최근에 밝힌 입장과 그 날짜, 출처입니다.
matrix-caption = 의제(행)와 당사자(열)별 입장
col-topic = 의제
no-position = 기록된 입장 없음
event-link-label = 이 사건으로 연결: { $title }
section-link-label = 이 섹션으로 연결: { $label }
# The `aria-label` of a citation mark ([1]) in the text.
cite-label = 출처 { $n }

## 검색
search-label = 이 브리핑 전문 검색
search-button = 검색
search-more = 결과 더 보기
search-nojs = 검색하려면 JavaScript가 필요하지만 이 브라우저에서 꺼져 있습니다. 브리핑의 모든 페이지는 다음 페이지 중 하나에 나열되어 있습니다.
search-searching = 검색 중…
search-unavailable = 검색을 사용할 수 없습니다.
search-results = { $count ->
    [0] 결과 없음
   *[other] 결과 { $count }건
}
search-for = “{ $query }” 검색 결과: { $results }

## 찾을 수 없는 페이지, 이동
not-found-text = 이 주소에는 아무것도 없습니다. 브리핑이 업데이트되면서 옮겨졌을 수 있습니다.
not-found-home = { $site } 첫 페이지로 가기
moved-title = 이동됨: { $title }
moved-text = 이 페이지는 { $link }(으)로 옮겨졌습니다.

## 값의 이름
status-scheduled = 예정
status-postponed = 연기
status-under-way = 진행 중
status-concluded = 종료
status-cancelled = 취소
outcome-agreed = 합의
outcome-proposed = 일방 제안
outcome-noted = 확인
outcome-rejected = 거부
party-role-negotiating-party = 협상 당사자
party-role-mediator = 중재자
party-role-host = 주최국
stance-demands = 요구
stance-proposes = 제안
stance-supports = 지지
stance-conditional = 조건부
stance-rejects = 거부

## 언어 이름 (번역 안내와 출처 페이지용)
language-en = 영어
language-ko = 한국어
language-uk = 우크라이나어
language-ru = 러시아어
language-tr = 튀르키예어
language-fr = 프랑스어
language-de = 독일어
language-es = 스페인어
language-ar = 아랍어
language-zh = 중국어
language-ja = 일본어
language-pl = 폴란드어
language-it = 이탈리아어
language-pt = 포르투갈어
language-he = 히브리어
language-fa = 페르시아어

## 표시 시간대
zone-UTC = UTC
zone-Europe-Kyiv = 키이우
zone-Europe-Moscow = 모스크바
zone-Europe-Istanbul = 이스탄불
zone-Europe-Zurich = 취리히
zone-Europe-London = 런던
zone-Europe-Berlin = 베를린
zone-Europe-Paris = 파리
zone-Europe-Helsinki = 헬싱키
zone-Europe-Warsaw = 바르샤바
zone-Europe-Minsk = 민스크
zone-Europe-Vatican = 바티칸
zone-Asia-Seoul = 서울
zone-Asia-Riyadh = 리야드
zone-Asia-Qatar = 카타르
zone-Asia-Dubai = 두바이
zone-Asia-Tokyo = 도쿄
zone-Asia-Shanghai = 상하이
zone-America-New-York = 뉴욕

## 언어판 (언어 선택, 안내, 나란히 보기)
editions-label = 언어
edition-notice-label = 번역
edition-read-original = 원문 보기
edition-fallback = 이 페이지는 아직 번역되지 않아 원문 그대로 { $language }로 표시됩니다. { $link }.
edition-outdated = { $language } 원문이 그 뒤 업데이트되었습니다. { $link }.
edition-provenance = { $from } 원문을 { $by ->
    [machine] 기계(AI)로 번역했습니다
    [reviewed] 기계(AI)로 번역하고 사람이 검토했습니다
   *[human] 번역가가 번역했습니다
}.
edition-compare = 원문과 나란히 보기:
compare-back = 회담 페이지로 돌아가기
compare-side-by-side = { $a } · { $b } 나란히 보기.
compare-side-by-side-untranslated = { $a } · { $b } 나란히 보기({ $b }판에는 이 페이지가 아직 번역되지 않았습니다).
compare-field = 항목
compare-title = 제목
compare-summary = 요약
compare-agenda = 의제

## 편집 신뢰: 작성자, 날짜, 엇갈리는 정보, 변경 및 정정
byline-by = 작성: { $names }
list-and = { " " }및{ " " }
list-or = { " " }또는{ " " }
byline-published = 게시 { $date }
byline-updated = 업데이트 { $date }
stamp-zone = { $time }({ $zone })
status-as-of = { $approximate ->
    [true] 약 { $when } 기준
   *[other] { $when } 기준
}
about-amount = 약 { $amount }
disputed = 엇갈림
accounts-differ = 보도가 서로 다름:
fact-length = 소요 시간
bottom-line = 핵심:
watch-heading = 주목할 점
watch-title = 주목할 일정
watch-summary = 주목할 일정: { $text }
calendar-lasted = 소요 시간 { $length }.
calendar-length-disputed = 소요 시간 엇갈림: { $accounts }.
duration-hours = { $n }시간
duration-minutes = { $n }분
history-since = { $history }({ $date }부터)
history-stance = 입장: { $history }({ $date }부터)
changes-title = 변경 사항
changes-standfirst = 각 당사자의 입장 변화, 회담 라운드의 결과, 정정 사항을 최신순으로 모두 싣습니다.
changes-none = 아직 변경 사항이 없습니다. 입장이 바뀐 당사자도, 결과가 나온 라운드도, 정정된 내용도 없습니다.
change-stance = 입장 변화
change-stance-on = { $party } — { $topic }
corrections-title = 정정
corrections-standfirst = 이 브리핑에서 바로잡은 내용을 최신순으로, 정정한 페이지와 함께 모두 싣습니다.
corrections-none = 아직 정정 사항이 없습니다.

## 페이지 나누기, 연도별 연표
pagination-label = 이 목록의 페이지
pagination-status = { $total }쪽 중 { $n }쪽
pagination-prev = 이전 페이지
pagination-next = 다음 페이지
pagination-page = { $n }쪽
pagination-page-current = { $n }쪽, 현재 페이지
paged-title = { $title } ({ $total }쪽 중 { $n }쪽)
tag-title = ‘{ $tag }’ 태그
timeline-year-title = 연표: { $year }년
timeline-index-standfirst = 연표가 길어 연도마다 페이지를 따로 두었습니다. 여기에는 모든 사건을 날짜와 제목순으로 싣습니다.
timeline-years-label = 연표 연도
timeline-events = (사건 { $count }건)
timeline-all-years = 전체 연도
sources-letter-title = 출처: { $letter }
sources-letter-other = 0–9 및 기호
sources-index-standfirst = 출처 목록이 길어 글자마다 페이지를 따로 두었습니다. 여기에는 모든 출처를 발행처와 제목으로 싣습니다.
sources-letters-label = 출처 목록의 글자
sources-count = (출처 { $count }건)
sources-all-letters = 전체 글자
positions-topic-title = 입장: { $topic }
positions-index-standfirst = 입장 매트릭스가 커서 주제마다 페이지를 따로 두고, 각 당사자의 최신 입장을 싣습니다.
positions-topics-label = 입장 매트릭스의 주제
positions-count = (당사자 { $count }곳)
positions-all-topics = 전체 주제
positions-topic-about = 주제 소개:
positions-topic-caption = { $topic }에 대한 각 당사자의 최신 입장
col-position = 입장
