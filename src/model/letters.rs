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
