# Інтерфейсні рядки вбудованої теми briefing: українська.
# Кожне повідомлення з en.ftl має бути й тут (це перевіряє модульний тест).

# Локаль ICU4X, за правилами якої записуються дати й час.
date-locale = uk

## Оформлення сторінки (base.html)
feed-title = { $site }: оновлення
skip-to-content = Перейти до змісту
nav-main-label = Головна навігація
footer-as-of = Стан брифінгу на { $date }
all-tags = Усі теги
built-with = Створено за допомогою briefing.

## Навігація і створені сторінки
nav-overview = Огляд
nav-talks = Переговори
nav-parties = Сторони
nav-people = Особи
nav-topics = Теми
nav-statements = Заяви
nav-positions = Позиції
nav-timeline = Хронологія
nav-sources = Джерела
nav-search = Пошук
title-tags = Теги
title-not-found = Сторінку не знайдено
front-page = Головна сторінка

## Спільні елементи
translation-notice-label = Примітка щодо перекладу
tags-label = Теги
contents = Зміст
pages-heading = Сторінки
sections-label = Розділи
subsections-label = Підрозділи
also-written = Інші написання:
not-reported = Не повідомлялося
when-about = близько
when-on-date = { $date }
local-time = місцевий час
updated-on = Оновлено

## Джерела
sources-heading = Джерела
archived-copy = архівна копія
source-published = опубліковано { $date }
source-cited = Цитовано:
source-backref-label = Назад до посилання { $n } на джерело { $source }
sources-standfirst = Усі джерела, на які спирається цей брифінг: як вони до нас дійшли і які сторінки на них посилаються.
source-provenance = Походження
source-published-label = Опубліковано
source-accessed = Переглянуто
source-language = Мова
source-translation = Переклад
source-translation-by = З { $from }, { $by ->
    [machine] машинний переклад (ШІ)
   *[human] переклад людини
}
source-note = Примітка
source-cited-on = Цитовано на сторінках
provenance = Повідомлення { $publisher }.
provenance-carried = Повідомлення { $publisher } у передачі { $outlet }.
provenance-translated = Повідомлення { $publisher }, { $by ->
    [machine] машинний переклад (ШІ)
   *[human] переклад
} з { $from }.
provenance-carried-translated = Повідомлення { $publisher } у передачі { $outlet }, { $by ->
    [machine] машинний переклад (ШІ)
   *[human] переклад
} з { $from }.
notice-translation = Примітка щодо перекладу: ця сторінка спирається на { $parts }. Цитати можуть не збігатися з оригінальним формулюванням.
notice-part = повідомлення { $publisher }, { $by ->
    [machine] перекладене машиною (ШІ)
   *[human] перекладене
} з { $from }
notice-part-into = повідомлення { $publisher }, { $by ->
    [machine] перекладене машиною (ШІ)
   *[human] перекладене
} з { $from } на { $to }
notice-part-carried = повідомлення { $publisher } у передачі { $outlet }, чий текст { $from } { $by ->
    [machine] перекладено машиною (ШІ)
   *[human] перекладено
}
notice-part-carried-into = повідомлення { $publisher } у передачі { $outlet }, чий текст { $from } { $by ->
    [machine] перекладено машиною (ШІ)
   *[human] перекладено
} на { $to }

## Переговори
kicker-talk = Раунд переговорів
key-facts = Основні факти
fact-status = Статус
fact-venue = Місце
fact-where = Де
fact-scheduled = Запланований початок
fact-began = Початок
fact-ended = Завершення
fact-format = Формат
fact-rescheduled = Перенесено
rescheduled-was = Раніше:
delegations = Делегації
delegations-caption = Хто сидів за столом переговорів і які посади обіймав під час цього раунду
col-party = Сторона
col-head = Голова делегації
col-members = Члени
agenda = Порядок денний
raised-by = (порушила сторона: { $party })
outcomes = Результати
topics-label = Теми:
what-happened = Що відбулося
update-log = Журнал оновлень
correction = Виправлення
update = Оновлення
mediator = Посередник
timing-scheduled = заплановано на { $time }
timing-began = почалися о { $time }
timing-began-about = почалися близько { $time }
timing-ended = завершилися о { $time }
timing-ended-about = завершилися близько { $time }
timing-at-venue = { $parts } (місцевий час, { $city })
timing-local = { $parts } (за місцевим часом)
calendar-began = Початок:
calendar-ended = Завершення:
calendar-approximate = (приблизно)

## Головна сторінка
at-a-glance = Коротко
latest-round = Останній раунд
next-round = Наступний раунд
delegation-of = Делегація ({ $name })
led-by = Очолює
key-outcomes = Основні результати останнього раунду
latest-updates = Останні оновлення
overview = Огляд
in-this-briefing = У цьому брифінгу

## Сторони, особи, теми, заяви
leaders = Керівники:
positions = Позиції
position-as-of = Станом на
position-earlier-as-of = Попередня позиція, станом на
rounds-of-talks = Раунди переговорів
people = Особи
background = Довідка
capacity-delegation = Делегація
capacity-head = Голова делегації ({ $name })
capacity-head-titled = Голова делегації ({ $name }), { $title }
capacity-member = Член делегації ({ $name })
capacity-member-titled = Член делегації ({ $name }), { $title }
kicker-person = Особа
roles = Посади
role-from-to = ({ $from } — { $to })
role-from = (з { $from })
role-until = (до { $to })
rounds-attended = Участь у раундах
kicker-topic = Тема
positions-over-time = Позиції з плином часу
on-the-agenda = У порядку денному
outcomes-on-topic = Результати, що стосуються цієї теми
kicker-statement = Заява
delivered-by = Промовець:
fact-round = Раунд
fact-topics = Теми

## Матриця позицій, хронологія
positions-standfirst = Остання зафіксована позиція кожної сторони з кожної теми, з датою, коли її висловлено, і джерелом.
matrix-caption = Позиції за темами (рядки) і сторонами (стовпці)
col-topic = Тема
no-position = Позицію не зафіксовано
event-link-label = Посилання на цю подію: { $title }
section-link-label = Посилання на цей розділ: { $label }
# The `aria-label` of a citation mark ([1]) in the text.
cite-label = Джерело { $n }

## Пошук
search-label = Пошук у повному тексті брифінгу
search-button = Шукати
search-more = Показати більше результатів
search-nojs = Для пошуку потрібен JavaScript, вимкнений у цьому браузері. Кожну сторінку брифінгу наведено на одній із цих сторінок:
search-searching = Пошук…
search-unavailable = Пошук недоступний.
search-results = { $count ->
    [0] Нічого не знайдено
    [one] { $count } результат
    [few] { $count } результати
   *[many] { $count } результатів
}
search-for = { $results } за запитом «{ $query }»

## Сторінку не знайдено, переспрямування
not-found-text = За цією адресою нічого немає. Можливо, сторінку перенесено під час оновлення брифінгу.
not-found-home = Перейти на головну сторінку «{ $site }»
moved-title = Переміщено: { $title }
moved-text = Цю сторінку переміщено: { $link }.

## Назви значень
status-scheduled = Заплановано
status-postponed = Відкладено
status-under-way = Триває
status-concluded = Завершено
status-cancelled = Скасовано
outcome-agreed = Погоджено
outcome-proposed = Запропоновано однією стороною
outcome-noted = Взято до відома
outcome-rejected = Відхилено
party-role-negotiating-party = Сторона переговорів
party-role-mediator = Посередник
party-role-host = Приймаюча сторона
stance-demands = Вимагає
stance-proposes = Пропонує
stance-supports = Підтримує
stance-conditional = За умов
stance-rejects = Відкидає

## Назви мов (називний відмінок; -from: «з …», -into: «на …», -whose: «текст …»)
language-en = англійська
language-en-from = англійської
language-en-into = англійську
language-en-whose = англійською мовою
language-ko = корейська
language-ko-from = корейської
language-ko-into = корейську
language-ko-whose = корейською мовою
language-uk = українська
language-uk-from = української
language-uk-into = українську
language-uk-whose = українською мовою
language-ru = російська
language-ru-from = російської
language-ru-into = російську
language-ru-whose = російською мовою
language-tr = турецька
language-tr-from = турецької
language-tr-into = турецьку
language-tr-whose = турецькою мовою
language-fr = французька
language-fr-from = французької
language-fr-into = французьку
language-fr-whose = французькою мовою
language-de = німецька
language-de-from = німецької
language-de-into = німецьку
language-de-whose = німецькою мовою
language-es = іспанська
language-es-from = іспанської
language-es-into = іспанську
language-es-whose = іспанською мовою
language-ar = арабська
language-ar-from = арабської
language-ar-into = арабську
language-ar-whose = арабською мовою
language-zh = китайська
language-zh-from = китайської
language-zh-into = китайську
language-zh-whose = китайською мовою
language-ja = японська
language-ja-from = японської
language-ja-into = японську
language-ja-whose = японською мовою
language-pl = польська
language-pl-from = польської
language-pl-into = польську
language-pl-whose = польською мовою
language-it = італійська
language-it-from = італійської
language-it-into = італійську
language-it-whose = італійською мовою
language-pt = португальська
language-pt-from = португальської
language-pt-into = португальську
language-pt-whose = португальською мовою
language-he = іврит
language-he-from = івриту
language-he-into = іврит
language-he-whose = на івриті
language-fa = перська
language-fa-from = перської
language-fa-into = перську
language-fa-whose = перською мовою

## Часові пояси для показу
zone-UTC = UTC
zone-Europe-Kyiv = Київ
zone-Europe-Moscow = Москва
zone-Europe-Istanbul = Стамбул
zone-Europe-Zurich = Цюрих
zone-Europe-London = Лондон
zone-Europe-Berlin = Берлін
zone-Europe-Paris = Париж
zone-Europe-Helsinki = Гельсінкі
zone-Europe-Warsaw = Варшава
zone-Europe-Minsk = Мінськ
zone-Europe-Vatican = Ватикан
zone-Asia-Seoul = Сеул
zone-Asia-Riyadh = Ер-Ріяд
zone-Asia-Qatar = Катар
zone-Asia-Dubai = Дубай
zone-Asia-Tokyo = Токіо
zone-Asia-Shanghai = Шанхай
zone-America-New-York = Нью-Йорк

## Мовні версії (перемикач, примітки, паралельний перегляд)
editions-label = Мова
edition-notice-label = Переклад
edition-read-original = Читати оригінал
edition-fallback = Цю сторінку ще не перекладено: її показано в оригіналі, { $language }. { $link }.
edition-outdated = Оригінал { $language } відтоді оновлено. { $link }.
edition-provenance = Перекладено з { $from } { $by ->
    [machine] машиною (ШІ)
    [reviewed] машиною (ШІ) і перевірено людиною
   *[human] перекладачем
}.
edition-compare = Поруч з оригіналом:
compare-back = Назад до сторінки раунду
compare-side-by-side = { $a } і { $b } версії поруч.
compare-side-by-side-untranslated = { $a } і { $b } версії поруч ({ $b_whose } цю сторінку ще не перекладено).
compare-field = Поле
compare-title = Назва
compare-summary = Короткий зміст
compare-agenda = У порядку денному

## Редакційна довіра: автори, дати, спірні дані, зміни й виправлення
byline-by = { $count ->
    [one] Автор
   *[other] Автори
}: { $names }
list-and = { " " }і{ " " }
list-or = { " " }або{ " " }
byline-published = Опубліковано { $date }
byline-updated = Оновлено { $date }
stamp-zone = { $time } ({ $zone })
status-as-of = { $approximate ->
    [true] станом приблизно на { $when }
   *[other] станом на { $when }
}
about-amount = приблизно { $amount }
disputed = Спірно
accounts-differ = дані розходяться:
fact-length = Тривалість
bottom-line = Головне:
watch-heading = За чим стежити
watch-title = Варто стежити
watch-summary = Варто стежити: { $text }
calendar-lasted = Тривали { $length }.
calendar-length-disputed = Тривалість спірна: { $accounts }.
duration-hours = { $n ->
    [one] { $n } година
    [few] { $n } години
   *[many] { $n } годин
}
duration-minutes = { $n ->
    [one] { $n } хвилина
    [few] { $n } хвилини
   *[many] { $n } хвилин
}
history-since = { $history }, з { $date }
history-stance = Позиція: { $history }, з { $date }
changes-title = Зміни
changes-standfirst = Кожна зміна позиції сторони, кожен результат раунду переговорів і кожне виправлення — від найновіших.
changes-none = Змін поки немає: жодна позиція не змінилася, жоден раунд не має результатів і нічого не виправлено.
change-stance = Позицію змінено
change-stance-on = { $party }, тема «{ $topic }»
corrections-title = Виправлення
corrections-standfirst = Усі виправлення, внесені в цей брифінг, від найновіших, із посиланням на виправлену сторінку.
corrections-none = Виправлень поки немає.

## Посторінковий поділ, хронологія за роками
pagination-label = Сторінки цього списку
pagination-status = Сторінка { $n } з { $total }
pagination-prev = Попередня сторінка
pagination-next = Наступна сторінка
pagination-page = Сторінка { $n }
pagination-page-current = Сторінка { $n }, поточна
paged-title = { $title } (сторінка { $n } з { $total })
tag-title = З тегом «{ $tag }»
timeline-year-title = Хронологія: { $year }
timeline-index-standfirst = Хронологія довга, тож кожен рік має окрему сторінку. Тут усі події наведено за датою та назвою.
timeline-years-label = Роки хронології
timeline-events = ({ $count ->
    [one] { $count } подія
    [few] { $count } події
   *[many] { $count } подій
})
timeline-all-years = Усі роки
sources-letter-title = Джерела: { $letter }
sources-letter-other = 0–9 і символи
sources-index-standfirst = Список джерел довгий, тож кожна літера має окрему сторінку. Тут усі джерела наведено за видавцем і назвою.
sources-letters-label = Літери списку джерел
sources-count = ({ $count ->
    [one] { $count } джерело
    [few] { $count } джерела
   *[many] { $count } джерел
})
sources-all-letters = Усі літери
positions-topic-title = Позиції: { $topic }
positions-index-standfirst = Матриця позицій велика, тож кожна тема має окрему сторінку з останньою позицією кожної сторони щодо неї.
positions-topics-label = Теми матриці позицій
positions-count = ({ $count ->
    [one] { $count } сторона
    [few] { $count } сторони
   *[many] { $count } сторін
})
positions-all-topics = Усі теми
positions-topic-about = Про тему:
positions-topic-caption = Остання позиція кожної сторони: { $topic }
col-position = Позиція
