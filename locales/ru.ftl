# Строки интерфейса встроенной темы briefing: русский.
# Каждое сообщение из en.ftl должно быть и здесь (это проверяет модульный тест).

# Локаль ICU4X, по правилам которой записываются даты и время.
date-locale = ru

## Оформление страницы (base.html)
feed-title = { $site }: обновления
skip-to-content = Перейти к содержанию
nav-main-label = Основная навигация
footer-as-of = Состояние брифинга на { $date }
all-tags = Все теги
built-with = Создано с помощью briefing.

## Навигация и созданные страницы
nav-overview = Обзор
nav-talks = Переговоры
nav-parties = Стороны
nav-people = Люди
nav-topics = Темы
nav-statements = Заявления
nav-positions = Позиции
nav-timeline = Хронология
nav-sources = Источники
nav-search = Поиск
title-tags = Теги
title-not-found = Страница не найдена
front-page = Главная страница

## Общие элементы
translation-notice-label = Примечание о переводе
tags-label = Теги
contents = Содержание
pages-heading = Страницы
sections-label = Разделы
subsections-label = Подразделы
also-written = Другие написания:
not-reported = Не сообщалось
when-about = около
when-on-date = { $date }
local-time = местное время
updated-on = Обновлено

## Источники
sources-heading = Источники
archived-copy = архивная копия
source-published = опубликовано { $date }
source-cited = Цитируется:
source-backref-label = Назад к ссылке { $n } на источник { $source }
sources-standfirst = Все источники, на которые опирается этот брифинг: как они к нам попали и какие страницы на них ссылаются.
source-provenance = Происхождение
source-published-label = Опубликовано
source-accessed = Просмотрено
source-language = Язык
source-translation = Перевод
source-translation-by = С { $from }, { $by ->
    [machine] машинный перевод (ИИ)
   *[human] перевод человека
}
source-note = Примечание
source-cited-on = Цитируется на страницах
provenance = Сообщение { $publisher }.
provenance-carried = Сообщение { $publisher } в передаче { $outlet }.
provenance-translated = Сообщение { $publisher }, { $by ->
    [machine] машинный перевод (ИИ)
   *[human] перевод
} с { $from }.
provenance-carried-translated = Сообщение { $publisher } в передаче { $outlet }, { $by ->
    [machine] машинный перевод (ИИ)
   *[human] перевод
} с { $from }.
notice-translation = Примечание о переводе: эта страница опирается на { $parts }. Цитаты могут не совпадать с формулировками оригинала.
notice-part = сообщение { $publisher }, { $by ->
    [machine] переведённое машиной (ИИ)
   *[human] переведённое
} с { $from }
notice-part-into = сообщение { $publisher }, { $by ->
    [machine] переведённое машиной (ИИ)
   *[human] переведённое
} с { $from } на { $to }
notice-part-carried = сообщение { $publisher } в передаче { $outlet }, чей текст { $from } { $by ->
    [machine] переведён машиной (ИИ)
   *[human] переведён
}
notice-part-carried-into = сообщение { $publisher } в передаче { $outlet }, чей текст { $from } { $by ->
    [machine] переведён машиной (ИИ)
   *[human] переведён
} на { $to }

## Переговоры
kicker-talk = Раунд переговоров
key-facts = Основные факты
fact-status = Статус
fact-venue = Место
fact-where = Где
fact-scheduled = Запланированное начало
fact-began = Начало
fact-ended = Окончание
fact-format = Формат
fact-rescheduled = Перенесено
rescheduled-was = Ранее:
delegations = Делегации
delegations-caption = Кто сидел за столом переговоров и какие должности занимал во время этого раунда
col-party = Сторона
col-head = Глава делегации
col-members = Члены
agenda = Повестка дня
raised-by = (поставлен стороной: { $party })
outcomes = Итоги
topics-label = Темы:
what-happened = Что произошло
update-log = Журнал обновлений
correction = Исправление
update = Обновление
mediator = Посредник
timing-scheduled = запланировано на { $time }
timing-began = начались в { $time }
timing-began-about = начались около { $time }
timing-ended = завершились в { $time }
timing-ended-about = завершились около { $time }
timing-at-venue = { $parts } (местное время, { $city })
timing-local = { $parts } (по местному времени)
calendar-began = Начало:
calendar-ended = Окончание:
calendar-approximate = (приблизительно)

## Главная страница
at-a-glance = Кратко
latest-round = Последний раунд
next-round = Следующий раунд
delegation-of = Делегация ({ $name })
led-by = Возглавляет
key-outcomes = Основные итоги последнего раунда
latest-updates = Последние обновления
overview = Обзор
in-this-briefing = В этом брифинге

## Стороны, люди, темы, заявления
leaders = Руководители:
positions = Позиции
position-as-of = По состоянию на
position-earlier-as-of = Прежняя позиция, по состоянию на
rounds-of-talks = Раунды переговоров
people = Люди
background = Справка
capacity-delegation = Делегация
capacity-head = Глава делегации ({ $name })
capacity-head-titled = Глава делегации ({ $name }), { $title }
capacity-member = Член делегации ({ $name })
capacity-member-titled = Член делегации ({ $name }), { $title }
kicker-person = Персона
roles = Должности
role-from-to = ({ $from } — { $to })
role-from = (с { $from })
role-until = (до { $to })
rounds-attended = Участие в раундах
kicker-topic = Тема
positions-over-time = Позиции с течением времени
on-the-agenda = В повестке дня
outcomes-on-topic = Итоги, касающиеся этой темы
kicker-statement = Заявление
delivered-by = Выступающий:
fact-round = Раунд
fact-topics = Темы

## Матрица позиций, хронология
positions-standfirst = Последняя зафиксированная позиция каждой стороны по каждой теме, с датой заявления и источником.
matrix-caption = Позиции по темам (строки) и сторонам (столбцы)
col-topic = Тема
no-position = Позиция не зафиксирована
event-link-label = Ссылка на это событие: { $title }
section-link-label = Ссылка на этот раздел: { $label }
# The `aria-label` of a citation mark ([1]) in the text.
cite-label = Источник { $n }

## Поиск
search-label = Поиск по полному тексту брифинга
search-button = Найти
search-more = Показать больше результатов
search-nojs = Для поиска нужен JavaScript, который отключён в этом браузере. Каждая страница брифинга указана на одной из этих страниц:
search-searching = Поиск…
search-unavailable = Поиск недоступен.
search-results = { $count ->
    [0] Ничего не найдено
    [one] { $count } результат
    [few] { $count } результата
   *[many] { $count } результатов
}
search-for = { $results } по запросу «{ $query }»

## Страница не найдена, перенаправления
not-found-text = По этому адресу ничего нет. Возможно, страница переехала при обновлении брифинга.
not-found-home = Перейти на главную страницу «{ $site }»
moved-title = Перемещено: { $title }
moved-text = Эта страница перемещена: { $link }.

## Названия значений
status-scheduled = Запланировано
status-postponed = Отложено
status-under-way = Идёт
status-concluded = Завершено
status-cancelled = Отменено
outcome-agreed = Согласовано
outcome-proposed = Предложено одной стороной
outcome-noted = Принято к сведению
outcome-rejected = Отклонено
party-role-negotiating-party = Сторона переговоров
party-role-mediator = Посредник
party-role-host = Принимающая сторона
stance-demands = Требует
stance-proposes = Предлагает
stance-supports = Поддерживает
stance-conditional = С условиями
stance-rejects = Отвергает

## Названия языков (именительный падеж; -from: «с …», -into: «на …», -whose: «текст …»)
language-en = английский
language-en-from = английского
language-en-into = английский
language-en-whose = на английском языке
language-ko = корейский
language-ko-from = корейского
language-ko-into = корейский
language-ko-whose = на корейском языке
language-uk = украинский
language-uk-from = украинского
language-uk-into = украинский
language-uk-whose = на украинском языке
language-ru = русский
language-ru-from = русского
language-ru-into = русский
language-ru-whose = на русском языке
language-tr = турецкий
language-tr-from = турецкого
language-tr-into = турецкий
language-tr-whose = на турецком языке
language-fr = французский
language-fr-from = французского
language-fr-into = французский
language-fr-whose = на французском языке
language-de = немецкий
language-de-from = немецкого
language-de-into = немецкий
language-de-whose = на немецком языке
language-es = испанский
language-es-from = испанского
language-es-into = испанский
language-es-whose = на испанском языке
language-ar = арабский
language-ar-from = арабского
language-ar-into = арабский
language-ar-whose = на арабском языке
language-zh = китайский
language-zh-from = китайского
language-zh-into = китайский
language-zh-whose = на китайском языке
language-ja = японский
language-ja-from = японского
language-ja-into = японский
language-ja-whose = на японском языке
language-pl = польский
language-pl-from = польского
language-pl-into = польский
language-pl-whose = на польском языке
language-it = итальянский
language-it-from = итальянского
language-it-into = итальянский
language-it-whose = на итальянском языке
language-pt = португальский
language-pt-from = португальского
language-pt-into = португальский
language-pt-whose = на португальском языке
language-he = иврит
language-he-from = иврита
language-he-into = иврит
language-he-whose = на иврите
language-fa = персидский
language-fa-from = персидского
language-fa-into = персидский
language-fa-whose = на персидском языке

## Часовые пояса для показа
zone-UTC = UTC
zone-Europe-Kyiv = Киев
zone-Europe-Moscow = Москва
zone-Europe-Istanbul = Стамбул
zone-Europe-Zurich = Цюрих
zone-Europe-London = Лондон
zone-Europe-Berlin = Берлин
zone-Europe-Paris = Париж
zone-Europe-Helsinki = Хельсинки
zone-Europe-Warsaw = Варшава
zone-Europe-Minsk = Минск
zone-Europe-Vatican = Ватикан
zone-Asia-Seoul = Сеул
zone-Asia-Riyadh = Эр-Рияд
zone-Asia-Qatar = Катар
zone-Asia-Dubai = Дубай
zone-Asia-Tokyo = Токио
zone-Asia-Shanghai = Шанхай
zone-America-New-York = Нью-Йорк

## Языковые версии (переключатель, примечания, параллельный просмотр)
editions-label = Язык
edition-notice-label = Перевод
edition-read-original = Читать оригинал
edition-fallback = Эта страница ещё не переведена: она показана в оригинале, { $language }. { $link }.
edition-outdated = Оригинал { $language } с тех пор обновлён. { $link }.
edition-provenance = Переведено с { $from } { $by ->
    [machine] машиной (ИИ)
    [reviewed] машиной (ИИ) и проверено человеком
   *[human] переводчиком
}.
edition-compare = Рядом с оригиналом:
compare-back = Назад к странице раунда
compare-side-by-side = { $a } и { $b } тексты рядом.
compare-side-by-side-untranslated = { $a } и { $b } тексты рядом ({ $b_whose } эта страница ещё не переведена).
compare-field = Поле
compare-title = Название
compare-summary = Краткое содержание
compare-agenda = В повестке дня

## Редакционное доверие: авторы, даты, спорные данные, изменения и исправления
byline-by = { $count ->
    [one] Автор
   *[other] Авторы
}: { $names }
list-and = { " " }и{ " " }
list-or = { " " }или{ " " }
byline-published = Опубликовано { $date }
byline-updated = Обновлено { $date }
stamp-zone = { $time } ({ $zone })
status-as-of = { $approximate ->
    [true] по состоянию примерно на { $when }
   *[other] по состоянию на { $when }
}
about-amount = примерно { $amount }
disputed = Спорно
accounts-differ = данные расходятся:
fact-length = Продолжительность
bottom-line = Главное:
watch-heading = За чем следить
watch-title = Стоит следить
watch-summary = Стоит следить: { $text }
calendar-lasted = Продолжались { $length }.
calendar-length-disputed = Продолжительность спорна: { $accounts }.
duration-hours = { $n ->
    [one] { $n } час
    [few] { $n } часа
   *[many] { $n } часов
}
duration-minutes = { $n ->
    [one] { $n } минута
    [few] { $n } минуты
   *[many] { $n } минут
}
history-since = { $history }, с { $date }
history-stance = Позиция: { $history }, с { $date }
changes-title = Изменения
changes-standfirst = Каждое изменение позиции стороны, каждый результат раунда переговоров и каждое исправление — сначала новые.
changes-none = Изменений пока нет: ни одна позиция не изменилась, ни у одного раунда нет результатов, ничего не исправлено.
change-stance = Позиция изменилась
change-stance-on = { $party }, тема «{ $topic }»
corrections-title = Исправления
corrections-standfirst = Все исправления, внесённые в этот брифинг, сначала новые, со ссылкой на исправленную страницу.
corrections-none = Исправлений пока нет.

## Постраничный вывод, хронология по годам
pagination-label = Страницы этого списка
pagination-status = Страница { $n } из { $total }
pagination-prev = Предыдущая страница
pagination-next = Следующая страница
pagination-page = Страница { $n }
pagination-page-current = Страница { $n }, текущая
paged-title = { $title } (страница { $n } из { $total })
tag-title = С тегом «{ $tag }»
timeline-year-title = Хронология: { $year }
timeline-index-standfirst = Хронология длинная, поэтому у каждого года своя страница. Здесь все события перечислены по дате и названию.
timeline-years-label = Годы хронологии
timeline-events = ({ $count ->
    [one] { $count } событие
    [few] { $count } события
   *[many] { $count } событий
})
timeline-all-years = Все годы
sources-letter-title = Источники: { $letter }
sources-letter-other = 0–9 и символы
sources-index-standfirst = Список источников длинный, поэтому у каждой буквы своя страница. Здесь все источники перечислены по издателю и названию.
sources-letters-label = Буквы списка источников
sources-count = ({ $count ->
    [one] { $count } источник
    [few] { $count } источника
   *[many] { $count } источников
})
sources-all-letters = Все буквы
positions-topic-title = Позиции: { $topic }
positions-index-standfirst = Матрица позиций большая, поэтому у каждой темы своя страница с последней позицией каждой стороны по ней.
positions-topics-label = Темы матрицы позиций
positions-count = ({ $count ->
    [one] { $count } сторона
    [few] { $count } стороны
   *[many] { $count } сторон
})
positions-all-topics = Все темы
positions-topic-about = О теме:
positions-topic-caption = Последняя позиция каждой стороны: { $topic }
col-position = Позиция
