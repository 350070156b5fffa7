//! The letters of a split source list: which letter page each source is on, the letter's
//! address and its label.
//!
//! A source's letter is the first letter or digit of its publisher's name as written (what
//! each entry's heading starts with; leading quotes, brackets and other symbols are skipped),
//! case-folded. Latin letters lose their accents (`Élysée` is under E, `Øresund` under O);
//! a letter of another alphabet is its own group (Cyrillic `и` and `і` are two letters);
//! a Hangul syllable is grouped by its initial consonant, double consonants with the single
//! (`뉴스` under ㄴ, `까치` under ㄱ), as Korean indexes do. A publisher that begins with a
//! digit, or has no letter at all, is in the group `#`. Latin letters come first (a–z), then
//! the other letters by code point, then `#`.
//!
//! A letter of more than `paginate_by` sources is cut into pages of that many ([`Layout`]):
//! page 1 at the letter's address, page N at `page/N/` below it.

/// A split source list's pages: each letter's sources in order, cut into pages.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Layout {
    /// Each letter, in page order, with its sources (indexes into the registry) in order of
    /// publisher (case-folded), then as registered.
    pub(crate) letters: Vec<(char, Vec<usize>)>,
    /// The letter (index into `letters`) and page (from 1) of each source, by registry index.
    place: Vec<(usize, usize)>,
    /// Sources a page (`0`: a letter is one page).
    per_page: usize,
}

impl Layout {
    /// The layout of a registry whose sources have `publishers` (in registry order), at
    /// `per_page` sources a page (`0`: one page a letter).
    pub(crate) fn new<'a>(publishers: impl Iterator<Item = &'a str>, per_page: usize) -> Layout {
        let keyed: Vec<(char, String)> = publishers.map(|p| (letter_of(p), sort_key(p))).collect();
        let mut sorted: Vec<usize> = (0..keyed.len()).collect();
        sorted.sort_by(|&a, &b| {
            let (ka, kb) = (&keyed[a], &keyed[b]);
            (order(ka.0), &ka.1, a).cmp(&(order(kb.0), &kb.1, b))
        });
        let mut letters: Vec<(char, Vec<usize>)> = Vec::new();
        let mut place = vec![(0, 0); keyed.len()];
        for i in sorted {
            let c = keyed[i].0;
            if letters.last().is_none_or(|l| l.0 != c) {
                letters.push((c, Vec::new()));
            }
            let k = letters.len() - 1;
            let list = &mut letters[k].1;
            place[i] = (k, page_of(list.len(), per_page));
            list.push(i);
        }
        Layout {
            letters,
            place,
            per_page,
        }
    }

    /// How many pages letter `k` (index into `letters`) takes.
    pub(crate) fn pages(&self, k: usize) -> usize {
        let n = self.letters.get(k).map_or(0, |l| l.1.len());
        match self.per_page {
            0 => 1,
            by => n.div_ceil(by).max(1),
        }
    }

    /// The sources (registry indexes, in order) on page `n` (from 1) of letter `k`.
    pub(crate) fn page(&self, k: usize, n: usize) -> &[usize] {
        let Some((_, list)) = self.letters.get(k) else {
            return &[];
        };
        if self.per_page == 0 {
            return if n == 1 { list } else { &[] };
        }
        let start = (n.saturating_sub(1) * self.per_page).min(list.len());
        &list[start..(start + self.per_page).min(list.len())]
    }

    /// The letter and page (from 1) source `i` (registry index) is on.
    pub(crate) fn place(&self, i: usize) -> Option<(char, usize)> {
        let &(k, n) = self.place.get(i)?;
        Some((self.letters[k].0, n))
    }

    /// Every page, as (letter, page from 1), in order.
    pub(crate) fn all_pages(&self) -> impl Iterator<Item = (char, usize)> + '_ {
        (0..self.letters.len())
            .flat_map(move |k| (1..=self.pages(k)).map(move |n| (self.letters[k].0, n)))
    }

    /// The sources (registry indexes) on the pages `pages` (as letter and page from 1).
    pub(crate) fn sources_on<'p>(
        &'p self,
        pages: impl IntoIterator<Item = &'p (char, usize)> + 'p,
    ) -> impl Iterator<Item = usize> + 'p {
        pages
            .into_iter()
            .filter_map(|&(c, n)| self.index_of(c).map(|k| self.page(k, n)))
            .flatten()
            .copied()
    }

    /// The index into `letters` of letter `c`.
    pub(crate) fn index_of(&self, c: char) -> Option<usize> {
        self.letters.iter().position(|l| l.0 == c)
    }
}

/// The page (from 1) of the entry at `position` (from 0) in a list of `per_page` a page.
fn page_of(position: usize, per_page: usize) -> usize {
    match per_page {
        0 => 1,
        by => position / by + 1,
    }
}

/// The group of digits, symbols and publishers without a letter.
pub(crate) const OTHER: char = '#';

/// The letter `publisher` is listed under (lower case; [`OTHER`] for digits and symbols).
pub(crate) fn letter_of(publisher: &str) -> char {
    for c in publisher.chars() {
        if c.is_numeric() {
            return OTHER;
        }
        if !c.is_alphanumeric() {
            continue;
        }
        if let Some(j) = hangul_initial(c) {
            return j;
        }
        if is_latin(c) {
            return deunicode::deunicode_char(c)
                .and_then(|s| s.chars().find(char::is_ascii_alphabetic))
                .map_or(OTHER, |a| a.to_ascii_lowercase());
        }
        return c.to_lowercase().next().unwrap_or(c);
    }
    OTHER
}

/// The key a letter's sources are ordered by: the publisher case-folded (Latin accents
/// folded too, so `Élysée` sorts with `Elysée`).
pub(crate) fn sort_key(publisher: &str) -> String {
    publisher
        .chars()
        .flat_map(|c| {
            let folded = if is_latin(c) && !c.is_ascii() {
                deunicode::deunicode_char(c).unwrap_or("")
            } else {
                ""
            };
            let s: String = if folded.is_empty() {
                c.to_lowercase().collect()
            } else {
                folded.to_ascii_lowercase()
            };
            s.chars().collect::<Vec<char>>()
        })
        .collect()
}

/// The folder of letter `c`'s page under `sources/`: the letter itself for a–z, `0-9` for
/// [`OTHER`], else `u` and its code point in hex (`u0434` for `д`, `u3131` for `ㄱ`), so every
/// address is ASCII and no two letters share one.
pub(crate) fn slug(c: char) -> String {
    match c {
        'a'..='z' => c.to_string(),
        OTHER => "0-9".into(),
        _ => format!("u{:04x}", c as u32),
    }
}

/// How the letter is shown: upper case (`R`, `Д`), the consonant for Hangul, `#`.
pub(crate) fn label(c: char) -> String {
    c.to_uppercase().collect()
}

/// The order of the letter pages: Latin, then the other letters by code point, then [`OTHER`].
pub(crate) fn order(c: char) -> (u8, char) {
    match c {
        'a'..='z' => (0, c),
        OTHER => (2, c),
        _ => (1, c),
    }
}

/// Latin script, in the blocks where it has letters with accents.
fn is_latin(c: char) -> bool {
    matches!(c as u32, 0..=0x024F | 0x1E00..=0x1EFF | 0xFF21..=0xFF3A | 0xFF41..=0xFF5A)
}

/// The initial consonant of a Hangul syllable, or a Hangul consonant itself, as the
/// compatibility jamo (ㄱ U+3131 …), double consonants folded to the single.
fn hangul_initial(c: char) -> Option<char> {
    // The 19 initial consonants in syllable order, as compatibility jamo, doubles folded.
    const INITIALS: [char; 19] = [
        'ㄱ', 'ㄱ', 'ㄴ', 'ㄷ', 'ㄷ', 'ㄹ', 'ㅁ', 'ㅂ', 'ㅂ', 'ㅅ', 'ㅅ', 'ㅇ', 'ㅈ', 'ㅈ', 'ㅊ',
        'ㅋ', 'ㅌ', 'ㅍ', 'ㅎ',
    ];
    let n = c as u32;
    match n {
        0xAC00..=0xD7A3 => INITIALS.get(((n - 0xAC00) / 588) as usize).copied(),
        0x3131..=0x314E => Some(match c {
            'ㄲ' => 'ㄱ',
            'ㄸ' => 'ㄷ',
            'ㅃ' => 'ㅂ',
            'ㅆ' => 'ㅅ',
            'ㅉ' => 'ㅈ',
            // The consonant clusters (ㄳ, ㄵ …) only end syllables; shown as written.
            _ => c,
        }),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters() {
        for (publisher, letter) in [
            ("Reuters", 'r'),
            ("rfe/RL", 'r'),
            ("Élysée Palace", 'e'),
            ("Øresund Post", 'o'),
            ("«Kommersant»", 'k'),
            ("\"The Times\"", 't'),
            ("Интерфакс", 'и'),
            ("Інтерфакс-Україна", 'і'),
            ("Ελευθεροτυπία", 'ε'),
            ("연합뉴스", 'ㅇ'),
            ("뉴스1", 'ㄴ'),
            ("까치신문", 'ㄱ'),
            ("ㄱ KBS", 'ㄱ'),
            ("新华社", '新'),
            ("1+1", '#'),
            ("24 Kanal", '#'),
            ("—", '#'),
            ("", '#'),
        ] {
            assert_eq!(letter_of(publisher), letter, "{publisher}");
        }
    }

    #[test]
    fn layout_cuts_each_letter_into_pages_in_order() {
        let publishers = [
            "Reuters",
            "AP",
            "reuters",
            "Agence",
            "Интерфакс",
            "Reuters",
            "1+1",
        ];
        let l = Layout::new(publishers.iter().copied(), 2);
        let letters: Vec<char> = l.letters.iter().map(|g| g.0).collect();
        assert_eq!(letters, ['a', 'r', 'и', OTHER]);
        // Within a letter: by publisher case-folded, then as registered.
        assert_eq!(l.letters[0].1, [3, 1]);
        assert_eq!(l.letters[1].1, [0, 2, 5]);
        assert_eq!(l.pages(1), 2);
        assert_eq!(l.page(1, 1), [0, 2]);
        assert_eq!(l.page(1, 2), [5]);
        assert!(l.page(1, 3).is_empty());
        assert_eq!(l.place(5), Some(('r', 2)));
        assert_eq!(l.place(2), Some(('r', 1)));
        assert_eq!(l.place(6), Some((OTHER, 1)));
        assert_eq!(l.place(7), None);
        let pages: Vec<(char, usize)> = l.all_pages().collect();
        assert_eq!(pages, [('a', 1), ('r', 1), ('r', 2), ('и', 1), (OTHER, 1)]);
        let on: Vec<usize> = l.sources_on(&[('r', 2), ('a', 1), ('z', 1)]).collect();
        assert_eq!(on, [5, 3, 1]);
        // `0`: one page a letter.
        let one = Layout::new(publishers.iter().copied(), 0);
        assert_eq!(one.pages(1), 1);
        assert_eq!(one.page(1, 1), [0, 2, 5]);
        assert_eq!(one.place(5), Some(('r', 1)));
    }

    #[test]
    fn slugs_labels_and_order() {
        assert_eq!(slug('r'), "r");
        assert_eq!(slug('д'), "u0434");
        assert_eq!(slug('ㄱ'), "u3131");
        assert_eq!(slug(OTHER), "0-9");
        assert_eq!(label('r'), "R");
        assert_eq!(label('д'), "Д");
        assert_eq!(label('ㄱ'), "ㄱ");
        let mut letters = vec![OTHER, 'д', 'z', 'ㄱ', 'a'];
        letters.sort_by_key(|&c| order(c));
        assert_eq!(letters, ['a', 'z', 'д', 'ㄱ', OTHER]);
        assert!(sort_key("Élysée") < sort_key("Europe"));
        assert!(sort_key("reuters") < sort_key("RFE/RL"));
    }
}
