//! Readings (toneless pinyin) of a field's characters, the haystacks the matcher scans,
//! and the name-match test behind the exact and prefix ranks.
//!
//! A field is indexed twice: as its own text (for queries without Latin letters) and as
//! an *interleaved* haystack in which every Chinese character is followed by each of its
//! readings, capitalised: `张伟` becomes `张Zhang伟Wei`, `乐` in a given name `乐LeYue`.
//! A fuzzy subsequence match over the interleaved form covers Hanzi (`张伟`), full
//! pinyin (`zhangwei`), initials (`zw`) and mixes (`张w`, `zhangw`, `zhang伟`) at once,
//! and the capitals give the matcher's camel-case bonus to the first letter of each
//! syllable. Latin letters of the text itself are lower-cased, so a capital always starts
//! a reading; a [`SEP`] keeps such a letter from running into the reading before it.
//!
//! A character's readings come in two runs: its usual ones (the dictionary's first
//! reading, those of `usual.txt` for characters read several ways in common use, or the
//! surname's and word's readings the tables fix), then, after a [`RARE`], the others
//! (`浩Hao\u{1e}GaoGe`; a surname's other readings: `单Shan\u{1e}DanChan`). Every
//! reading finds a text; only the usual ones reach the exact, prefix and start ranks.

use pinyin::ToPinyinMulti;
use rustc_hash::FxHashMap as HashMap;
use std::sync::OnceLock;

/// Put between a reading and a Latin letter of the text that follows it; never typed.
pub(crate) const SEP: char = '\u{1f}';

/// Put between a character's usual readings and its rare ones; never typed.
pub(crate) const RARE: char = '\u{1e}';

/// What a text is, which decides where fixed readings come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Field {
    /// A person's name: the surname table applies to its first one or two characters.
    Name,
    /// Organisation names, positions and places: the word table applies.
    Text,
}

/// Fixed readings: surnames and words, one list of alternatives per character.
struct Tables {
    surnames: HashMap<&'static str, Vec<Vec<&'static str>>>,
    words: HashMap<&'static str, Vec<Vec<&'static str>>>,
    longest_word: usize,
    /// Characters with more than one reading in common use (or a reading the
    /// dictionary lacks): all their usual readings.
    usual: HashMap<char, Vec<&'static str>>,
}

/// Parses `word syllable syllable …` lines (alternatives separated by `|`); `#` starts a
/// comment. A line whose syllables do not match its characters is a programming error
/// caught by the unit tests.
fn parse_table(text: &'static str) -> HashMap<&'static str, Vec<Vec<&'static str>>> {
    let mut table = HashMap::default();
    for line in text.lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut parts = line.split_whitespace();
        let Some(word) = parts.next() else { continue };
        let syllables: Vec<Vec<&'static str>> = parts.map(|s| s.split('|').collect()).collect();
        table.insert(word, syllables);
    }
    table
}

fn tables() -> &'static Tables {
    static TABLES: OnceLock<Tables> = OnceLock::new();
    TABLES.get_or_init(|| {
        let words = parse_table(include_str!("words.txt"));
        let longest_word = words.keys().map(|w| w.chars().count()).max().unwrap_or(1);
        let usual = parse_table(include_str!("usual.txt"))
            .into_iter()
            .filter_map(|(ch, readings)| {
                let c = ch.chars().next()?;
                Some((c, readings.into_iter().flatten().collect()))
            })
            .collect();
        Tables {
            surnames: parse_table(include_str!("surnames.txt")),
            words,
            longest_word,
            usual,
        }
    })
}

/// Every toneless reading of a character, first reading first, each once; `ü` is
/// written both `v` (as typed with a pinyin keyboard) and `u`. Empty for characters
/// without a reading (Latin letters, digits, punctuation).
pub(crate) fn char_readings(c: char) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    match c.to_pinyin_multi() {
        Some(multi) => multi
            .into_iter()
            .for_each(|p| spellings(p.plain(), &mut out)),
        // A character the dictionary lacks (some outside the BMP): the table's readings.
        None => {
            if let Some(listed) = tables().usual.get(&c) {
                listed.iter().for_each(|r| spellings(r, &mut out));
            }
        }
    }
    out
}

/// The spellings of a reading: `ü` written both `v` and `u`.
fn spellings(plain: &str, out: &mut Vec<String>) {
    let all = if plain.contains('ü') {
        vec![plain.replace('ü', "v"), plain.replace('ü', "u")]
    } else {
        vec![plain.to_string()]
    };
    for s in all {
        if !out.contains(&s) {
            out.push(s);
        }
    }
}

/// A character's usual readings and its rare ones (see the module documentation).
#[derive(Default)]
struct CharReadings {
    usual: Vec<String>,
    rare: Vec<String>,
}

impl CharReadings {
    fn of(c: char) -> CharReadings {
        let all = char_readings(c);
        let mut usual = Vec::new();
        match tables().usual.get(&c) {
            Some(listed) => listed.iter().for_each(|r| spellings(r, &mut usual)),
            None => {
                if let Some(first) = pinyin::ToPinyin::to_pinyin(&c) {
                    spellings(first.plain(), &mut usual);
                }
            }
        }
        let rare = all.into_iter().filter(|r| !usual.contains(r)).collect();
        CharReadings { usual, rare }
    }
}

/// Readings of characters, looked up once per character while an index is built.
#[derive(Default)]
pub(crate) struct Readings {
    cache: HashMap<char, CharReadings>,
}

impl Readings {
    fn of(&mut self, c: char) -> &CharReadings {
        self.cache.entry(c).or_insert_with(|| CharReadings::of(c))
    }

    /// The interleaved haystack of `text` (see the module documentation).
    pub(crate) fn haystack(&mut self, text: &str, field: Field) -> String {
        let clean: std::borrow::Cow<str> = if text.chars().any(char::is_control) {
            text.chars()
                .filter(|c| !c.is_control())
                .collect::<String>()
                .into()
        } else {
            text.into()
        };
        let chars: Vec<(usize, char)> = clean.char_indices().collect();
        let fixed = fixed_readings(&clean, &chars, field);
        let mut out = String::with_capacity(text.len() * 3);
        let mut after_reading = false;
        for (&(_, c), fixed) in chars.iter().zip(fixed) {
            let start = out.len();
            out.push(c);
            let own = self.of(c);
            match fixed {
                Some((alternatives, keep_rare)) => {
                    alternatives.iter().for_each(|r| push_reading(&mut out, r));
                    if keep_rare {
                        // A surname's other readings: a misreading still finds it.
                        let rare: Vec<&String> = own
                            .usual
                            .iter()
                            .chain(&own.rare)
                            .filter(|r| !alternatives.contains(&r.as_str()))
                            .collect();
                        if !rare.is_empty() {
                            out.push(RARE);
                            rare.iter().for_each(|r| push_reading(&mut out, r));
                        }
                    }
                }
                None => {
                    own.usual.iter().for_each(|r| push_reading(&mut out, r));
                    if !own.rare.is_empty() {
                        out.push(RARE);
                        own.rare.iter().for_each(|r| push_reading(&mut out, r));
                    }
                }
            }
            if out.len() > start + c.len_utf8() {
                after_reading = true;
            } else {
                // A character without readings: Latin letters go in lower case, after
                // a separator when they follow a reading.
                out.truncate(start);
                if c.is_ascii_alphabetic() && after_reading {
                    out.push(SEP);
                }
                out.push(c.to_ascii_lowercase());
                after_reading = false;
            }
        }
        out
    }
}

fn push_reading(out: &mut String, reading: &str) {
    let mut letters = reading.chars();
    if let Some(first) = letters.next() {
        out.push(first.to_ascii_uppercase());
        out.extend(letters);
    }
}

/// The readings the tables fix for each character (`chars`: the characters of `text`
/// with their byte offsets), `None` where the character's own readings count; with
/// whether its other readings still count as rare ones (a surname's do, a word's not).
fn fixed_readings<'t>(
    text: &str,
    chars: &[(usize, char)],
    field: Field,
) -> Vec<Option<(&'t [&'static str], bool)>> {
    let t = tables();
    let mut fixed = vec![None; chars.len()];
    // The text of characters i..i+n.
    let slice = |i: usize, n: usize| {
        let end = chars.get(i + n).map_or(text.len(), |&(at, _)| at);
        &text[chars[i].0..end]
    };
    let mut apply = |at: usize, syllables: &'static [Vec<&'static str>]| {
        for (k, alternatives) in syllables.iter().enumerate() {
            fixed[at + k] = Some((alternatives.as_slice(), field == Field::Name));
        }
    };
    match field {
        Field::Name if chars.is_empty() => {}
        Field::Name => {
            let two = (chars.len() > 2)
                .then(|| t.surnames.get(slice(0, 2)))
                .flatten();
            if let Some(s) = two.or_else(|| t.surnames.get(slice(0, 1))) {
                apply(0, s);
            }
        }
        Field::Text => {
            let mut i = 0;
            while i < chars.len() {
                let longest = t.longest_word.min(chars.len() - i);
                let found = (1..=longest)
                    .rev()
                    .find_map(|n| t.words.get(slice(i, n)).map(|s| (n, s)));
                match found {
                    Some((n, s)) => {
                        apply(i, s);
                        i += n;
                    }
                    None => i += 1,
                }
            }
        }
    }
    fixed
}

/// One character of the indexed text and its readings, as found in a haystack.
pub(crate) struct Unit<'a> {
    /// The character (its UTF-8 bytes).
    pub ch: &'a str,
    /// The usual readings run together, each starting with a capital (`LeYue`).
    pub readings: &'a str,
    /// The rare readings run together.
    pub rare: &'a str,
    /// The letters a spelling of this character can start with (bit 0 for `a`): the
    /// first letters of its readings, or the letter itself.
    pub starts: u32,
}

impl<'a> Unit<'a> {
    /// The usual readings one by one, capitalised.
    pub fn each(&self) -> impl Iterator<Item = &'a str> {
        split_readings(self.readings)
    }

    /// Every reading, the usual ones first.
    pub fn each_all(&self) -> impl Iterator<Item = &'a str> {
        split_readings(self.readings).chain(split_readings(self.rare))
    }
}

/// Readings run together (`LeYue`), one by one.
fn split_readings(run: &str) -> impl Iterator<Item = &str> {
    let mut rest = run;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let b = rest.as_bytes();
        let mut end = 1;
        while end < b.len() && !b[end].is_ascii_uppercase() {
            end += 1;
        }
        let (reading, tail) = rest.split_at(end);
        rest = tail;
        Some(reading)
    })
}

/// Length of the UTF-8 sequence a leading byte starts.
fn utf8_len(lead: u8) -> usize {
    match lead {
        0x00..=0x7f => 1,
        0xc0..=0xdf => 2,
        0xe0..=0xef => 3,
        _ => 4,
    }
}

/// The characters of an interleaved haystack with their readings (separators skipped).
pub(crate) fn units(hay: &str) -> impl Iterator<Item = Unit<'_>> {
    let mut rest = hay;
    std::iter::from_fn(move || loop {
        let lead = *rest.as_bytes().first()?;
        let (ch, after) = rest.split_at(utf8_len(lead));
        if lead == SEP as u8 {
            rest = after;
            continue;
        }
        let (len, mut starts) = if lead.is_ascii() {
            (0, letter_bit(lead))
        } else {
            reading_run(after)
        };
        let (readings, mut tail) = after.split_at(len);
        let mut rare = "";
        if !lead.is_ascii() && tail.as_bytes().first() == Some(&(RARE as u8)) {
            let (len, more) = reading_run(&tail[1..]);
            starts |= more;
            (rare, tail) = tail[1..].split_at(len);
        }
        rest = tail;
        return Some(Unit {
            ch,
            readings,
            rare,
            starts,
        });
    })
}

/// Length in bytes of the run of readings at the start of `s` (a capital and the lower
/// case letters after it, repeated), and the bits of their first letters.
fn reading_run(s: &str) -> (usize, u32) {
    let b = s.as_bytes();
    let (mut i, mut starts) = (0, 0);
    while i < b.len() && b[i].is_ascii_uppercase() {
        starts |= letter_bit(b[i]);
        i += 1;
        while i < b.len() && b[i].is_ascii_lowercase() {
            i += 1;
        }
    }
    (i, starts)
}

/// Bit 0–25 for an ASCII letter of either case, 0 for anything else.
fn letter_bit(b: u8) -> u32 {
    if b.is_ascii_alphabetic() {
        1 << ((b | 0x20) - b'a')
    } else {
        0
    }
}

/// How a person was found, best last: the rank that comes before the score.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchKind {
    /// Found somewhere, in order, with gaps.
    #[default]
    Fuzzy,
    /// A word spells the organisation, position, county or township from its start
    /// (`njrj` for 南京软件…, `xuanwu` for 玄武区).
    Start,
    /// A word spells the name from its start (`张`, `zhang`, `zhangw`, `zhw`).
    Prefix,
    /// A word (or the words run together) spells the whole name, each character by
    /// itself, its full reading or its initial (`张伟`, `zhangwei`, `zw`, `张w`,
    /// `zhang w`).
    Exact,
}

impl MatchKind {
    /// Every rank, worst first (the order of their numbers).
    pub(crate) const ALL: [MatchKind; 4] = [
        MatchKind::Fuzzy,
        MatchKind::Start,
        MatchKind::Prefix,
        MatchKind::Exact,
    ];
}

/// Two-letter initials typed for one syllable.
fn two_letter_initial(reading: &str) -> bool {
    let b = reading.as_bytes();
    b.len() > 2 && matches!(b[0], b'Z' | b'C' | b'S') && b[1] == b'h'
}

/// Longest term (in bytes) that can spell a text: positions are bits of a `u128`.
pub(crate) const MAX_TERM: usize = 127;

/// Positions in `term` reached by spelling `unit` from each position in `from`: by the
/// character itself, by one of its readings, or by the first letters of a reading.
/// `whole` keeps only the spellings by the character, a whole reading or an initial,
/// from the positions in `whole_from`.
fn step(unit: &Unit, term: &str, from: u128, whole_from: u128, usual: bool) -> (u128, u128) {
    let q = term.as_bytes();
    let ch = unit.ch.as_bytes();
    let (mut any, mut whole) = (0u128, 0u128);
    let mut bits = from;
    while bits != 0 {
        let j = bits.trailing_zeros() as usize;
        bits &= bits - 1;
        let rest = &q[j..];
        let Some(&next) = rest.first() else { continue };
        let exact = whole_from >> j & 1 == 1;
        if rest.len() >= ch.len() && ch.iter().zip(rest).all(|(a, b)| a == b) {
            any |= 1 << (j + ch.len());
            if exact {
                whole |= 1 << (j + ch.len());
            }
        }
        if !next.is_ascii_lowercase() {
            continue;
        }
        let readings: &mut dyn Iterator<Item = &str> = if usual {
            &mut unit.each()
        } else {
            &mut unit.each_all()
        };
        for r in readings {
            let rb = r.as_bytes();
            if rb[0] | 0x20 != next {
                continue;
            }
            let common = 1 + rb[1..]
                .iter()
                .zip(&rest[1..])
                .take_while(|(a, b)| a == b)
                .count();
            // Positions j+1 ..= j+common.
            any |= ((1u128 << common) - 1) << (j + 1);
            if exact {
                whole |= 1 << (j + 1);
                if common >= 2 && two_letter_initial(r) {
                    whole |= 1 << (j + 2);
                }
                if common == rb.len() {
                    whole |= 1 << (j + common);
                }
            }
        }
    }
    (any, whole)
}

/// Whether the lower-case `term` can be spelled, in order, by characters of the text
/// whose interleaved haystack is `hay`, skipping any: each character spelled by itself,
/// by one of its readings, or by the first letters of one (`zw`, `zhangw`, `张w` and
/// `njrj` spell 张伟 and 南京…软件; `ag` does not spell 张 — it is inside a syllable).
/// A term that spells a text is a subsequence of its haystack, and so is every prefix
/// of it: a growing term can only lose texts.
pub(crate) fn spells(hay: &str, term: &str) -> bool {
    let n = term.len();
    if n > MAX_TERM {
        return false;
    }
    let q = term.as_bytes();
    let goal = 1u128 << n;
    let mut reach = 1u128;
    // The letters the term needs next, and whether it needs anything else; a character
    // that can start none of them is skipped.
    let mut wanted = (0u32, false);
    let mut wanted_for = 0u128;
    for unit in units(hay) {
        if reach & goal != 0 {
            break;
        }
        if wanted_for != reach {
            wanted = next_wanted(q, reach);
            wanted_for = reach;
        }
        if wanted.1 || unit.starts & wanted.0 != 0 {
            reach |= step(&unit, term, reach, 0, false).0;
        }
    }
    reach & goal != 0
}

/// The letters at the positions in `reach` (bit 0 for `a`), and whether one of those
/// positions holds something other than a lower-case letter.
fn next_wanted(q: &[u8], reach: u128) -> (u32, bool) {
    let (mut letters, mut other) = (0, false);
    let mut bits = reach;
    while bits != 0 {
        let j = bits.trailing_zeros() as usize;
        bits &= bits - 1;
        match q.get(j) {
            Some(&b) if b.is_ascii_lowercase() => letters |= letter_bit(b),
            Some(_) => other = true,
            None => {}
        }
    }
    (letters, other)
}

/// The characters of the text a spelling of `term` uses (see [`spells`]), as their
/// indices: the leftmost spelling, each character spelling as little as it can
/// (`cqsh` lights 重庆商会, not 重庆商 with `sh` for 商).
pub(crate) fn spelling(hay: &str, term: &str) -> Option<Vec<usize>> {
    let n = term.len();
    if n > MAX_TERM {
        return None;
    }
    let units: Vec<Unit> = units(hay).collect();
    // finish[u]: the positions of the term from which units u.. can spell the rest.
    let mut finish = vec![0u128; units.len() + 1];
    finish[units.len()] = 1 << n;
    for u in (0..units.len()).rev() {
        let mut f = finish[u + 1];
        for j in 0..n {
            if step(&units[u], term, 1 << j, 0, false).0 & finish[u + 1] != 0 {
                f |= 1 << j;
            }
        }
        finish[u] = f;
    }
    if finish[0] & 1 == 0 {
        return None;
    }
    let (mut at, mut used) = (0, Vec::new());
    for (u, unit) in units.iter().enumerate() {
        if at == n {
            break;
        }
        let next = step(unit, term, 1 << at, 0, false).0 & finish[u + 1];
        if next != 0 {
            used.push(u);
            at = next.trailing_zeros() as usize;
        }
    }
    Some(used)
}

/// Whether the lower-case `term` spells all (exact) or the first characters (prefix) of
/// the name whose interleaved haystack is `hay`, without skipping any (see [`spells`]);
/// exact only by characters, whole readings and initials.
pub(crate) fn name_match(hay: &str, term: &str) -> MatchKind {
    spelled_from_start(hay, term, false)
}

/// [`name_match`] by the usual readings of each character only (see the module
/// documentation): 张立 is spelled `zw` only through 立's rare reading wei.
pub(crate) fn usual_match(hay: &str, term: &str) -> MatchKind {
    spelled_from_start(hay, term, true)
}

fn spelled_from_start(hay: &str, term: &str, usual: bool) -> MatchKind {
    let n = term.len();
    if n == 0 || n > MAX_TERM {
        return MatchKind::Fuzzy;
    }
    let goal = 1u128 << n;
    let (mut any, mut whole) = (1u128, 1u128);
    let mut best = MatchKind::Fuzzy;
    for unit in units(hay) {
        (any, whole) = step(&unit, term, any, whole, usual);
        if any == 0 {
            return best;
        }
        if any & goal != 0 {
            best = MatchKind::Prefix;
        }
    }
    if whole & goal != 0 {
        MatchKind::Exact
    } else {
        best
    }
}

/// How names sort: syllable by syllable, by the first reading of each character (the
/// text's own character where it has none), as a dictionary orders them: 张凤 before
/// 周行飞, and every 陈 (chen) before any 程 (cheng).
pub(crate) fn sort_key(hay: &str) -> String {
    let mut key = String::with_capacity(hay.len() + 8);
    for u in units(hay) {
        match u.each().next() {
            Some(r) => {
                key.extend(r.chars().map(|c| c.to_ascii_lowercase()));
                // Ends the syllable: a space sorts before every letter.
                key.push(' ');
            }
            None => key.push_str(u.ch),
        }
    }
    key
}

/// Whether `term` is a subsequence of `text`, character by character.
pub(crate) fn is_subsequence(text: &str, term: &str) -> bool {
    let mut want = term.chars().peekable();
    for c in text.chars() {
        match want.peek() {
            Some(&w) if w == c => {
                want.next();
            }
            Some(_) => {}
            None => return true,
        }
    }
    want.peek().is_none()
}

/// The characters a spelling can start at: each character of the text and the first
/// letter of each of its readings, as in [`char_mask`]. A term spells a text only if
/// its first character is among them; a single letter or digit, exactly then.
pub(crate) fn initials_mask(hay: &str) -> u64 {
    units(hay).fold(0, |m, u| m | unit_initials(&u))
}

/// The characters a spelling of the text's first character can start with: a name is
/// only spelled from its start by a term starting with one of them.
pub(crate) fn lead_mask(hay: &str) -> u64 {
    units(hay).next().map_or(0, |u| unit_initials(&u))
}

fn unit_initials(u: &Unit) -> u64 {
    let ch = u.ch.chars().next().map_or(0, char_bit);
    u.each_all()
        .filter_map(|r| r.chars().next())
        .fold(ch, |m, c| m | char_bit(c))
}

/// A 64-bit summary of the characters of a text: bit 0–25 the letters (either case),
/// 26–35 the digits, 36–63 every other character by a hash. A term can only be a
/// subsequence of a text whose mask covers the term's.
pub(crate) fn char_mask(text: &str) -> u64 {
    text.chars().fold(0u64, |m, c| m | char_bit(c))
}

pub(crate) fn char_bit(c: char) -> u64 {
    match c {
        'a'..='z' => 1 << (c as u32 - 'a' as u32),
        'A'..='Z' => 1 << (c as u32 - 'A' as u32),
        '0'..='9' => 1 << (26 + c as u32 - '0' as u32),
        SEP | RARE => 0,
        _ => 1 << (36 + (c as u32).wrapping_mul(2_654_435_761) % 28),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hay(text: &str, field: Field) -> String {
        Readings::default().haystack(text, field)
    }

    #[test]
    fn tables_are_well_formed() {
        let t = tables();
        let mut wrong = Vec::new();
        for (word, syllables) in t.words.iter().chain(t.surnames.iter()) {
            if word.chars().count() != syllables.len() {
                wrong.push(format!("{word}: one syllable per character"));
            }
            for (c, alternatives) in word.chars().zip(syllables) {
                let known = char_readings(c);
                for a in alternatives
                    .iter()
                    .filter(|a| !known.contains(&a.to_string()))
                {
                    wrong.push(format!("{word}: {c} is never read {a}"));
                }
            }
        }
        assert!(wrong.is_empty(), "{wrong:#?}");
    }

    #[test]
    fn the_usual_readings_are_readings_of_their_characters() {
        let mut wrong = Vec::new();
        for (&c, listed) in &tables().usual {
            let Some(multi) = c.to_pinyin_multi() else {
                continue; // the table gives a character without readings its own
            };
            let known: Vec<&str> = multi.into_iter().map(|p| p.plain()).collect();
            if listed.len() < 2 {
                wrong.push(format!("{c}: one usual reading is the dictionary's first"));
            }
            wrong.extend(
                listed
                    .iter()
                    .filter(|r| !known.contains(r))
                    .map(|r| format!("{c} is never read {r}")),
            );
        }
        assert!(wrong.is_empty(), "{wrong:#?}");
    }

    #[test]
    fn rare_readings_find_a_name_but_never_rank_it_as_spelled() {
        let hao = hay("张浩", Field::Name);
        assert_eq!(hao, "张Zhang浩Hao\u{1e}GaoGe");
        assert!(spells(&hao, "zg"), "浩 is also read gao");
        assert_eq!(name_match(&hao, "zg"), MatchKind::Exact);
        assert_eq!(usual_match(&hao, "zg"), MatchKind::Fuzzy);
        assert_eq!(usual_match(&hao, "zh"), MatchKind::Exact);
        // A surname: its surname reading is the usual one, its others rare.
        let ou = hay("区志明", Field::Name);
        assert!(ou.starts_with("区Ou\u{1e}Qu志"), "{ou}");
        assert!(spells(&ou, "quzhiming"));
        assert_eq!(usual_match(&ou, "quzhiming"), MatchKind::Fuzzy);
        assert_eq!(usual_match(&ou, "ouzhiming"), MatchKind::Exact);
        // Both readings in common use are usual.
        let le = hay("周乐", Field::Name);
        assert_eq!(usual_match(&le, "zhouyue"), MatchKind::Exact);
        assert_eq!(usual_match(&le, "zhoule"), MatchKind::Exact);
        // Words of organisations keep their one reading, with no rare ones.
        assert_eq!(hay("重庆", Field::Text), "重Chong庆Qing");
        // A character outside the BMP the dictionary lacks gets the table's reading.
        let ji = hay("𠮷祥", Field::Name);
        assert_eq!(usual_match(&ji, "jixiang"), MatchKind::Exact, "{ji}");
    }

    #[test]
    fn every_polyphonic_surname_of_the_generator_has_its_reading() {
        let t = tables();
        let mut missing = Vec::new();
        for surname in include_str!("../service/demo/gen/surnames.txt")
            .lines()
            .filter(|l| !l.starts_with('#'))
            .flat_map(str::split_whitespace)
            .filter(|w| !w.chars().all(|c| c.is_ascii_digit()))
        {
            let polyphonic = surname.chars().any(|c| {
                let readings = c.to_pinyin_multi().into_iter().flatten();
                let plain: std::collections::HashSet<&str> = readings.map(|p| p.plain()).collect();
                plain.len() > 1
            });
            if polyphonic && !t.surnames.contains_key(surname) {
                missing.push(surname);
            }
        }
        assert!(missing.is_empty(), "not in the surname table: {missing:?}");
    }

    #[test]
    fn haystacks_interleave_readings() {
        assert_eq!(hay("张伟", Field::Name), "张Zhang伟Wei");
        // The surname's reading first, its others and a given name's rare ones after
        // the mark.
        assert_eq!(
            hay("单蕊", Field::Name),
            "单Shan\u{1e}DanChan蕊Rui\u{1e}Juan"
        );
        assert_eq!(hay("尉迟楠", Field::Name), "尉Yu\u{1e}WeiYun迟Chi楠Nan");
        assert_eq!(hay("尉楠", Field::Name), "尉Wei\u{1e}YuYun楠Nan");
        assert_eq!(hay("吕乐", Field::Name), "吕LvLu乐LeYue");
        assert_eq!(hay("重庆商会", Field::Text), "重Chong庆Qing商Shang会Hui");
        assert_eq!(
            hay("中国ABC银行", Field::Text),
            "中Zhong国Guo\u{1f}abc银Yin行Hang"
        );
        assert_eq!(hay("1号", Field::Text), "1号Hao\u{1e}Xiao");
    }

    #[test]
    fn units_and_positions_follow_the_text() {
        let h = hay("A乐b", Field::Text);
        let u: Vec<(&str, Vec<&str>)> = units(&h).map(|u| (u.ch, u.each().collect())).collect();
        assert_eq!(
            u,
            vec![("a", vec![]), ("乐", vec!["Le", "Yue"]), ("b", vec![])]
        );
        assert_eq!(spelling(&h, "ab"), Some(vec![0, 2]));
        assert_eq!(spelling(&h, "yb"), Some(vec![1, 2]));
        let org = hay("南京重庆商会", Field::Text);
        assert_eq!(spelling(&org, "cqsh"), Some(vec![2, 3, 4, 5]));
        assert_eq!(spelling(&org, "shanghui"), Some(vec![4, 5]));
        assert_eq!(spelling(&org, "njh"), Some(vec![0, 1, 5]));
        assert_eq!(spelling(&org, "hs"), None);
    }

    #[test]
    fn name_match_ranks_spellings() {
        let h = hay("张伟", Field::Name);
        for exact in [
            "张伟", "zhangwei", "zw", "张w", "zhangw", "zhang伟", "zhw", "张wei",
        ] {
            assert_eq!(name_match(&h, exact), MatchKind::Exact, "{exact}");
        }
        for prefix in ["张", "zhang", "z", "zha", "zhangwe", "zwe"] {
            assert_eq!(name_match(&h, prefix), MatchKind::Prefix, "{prefix}");
        }
        for fuzzy in ["伟", "wei", "zwx", "zhangweix", "hang"] {
            assert_eq!(name_match(&h, fuzzy), MatchKind::Fuzzy, "{fuzzy}");
        }
        assert_eq!(usual_match(&h, "zw"), MatchKind::Exact);
        let li = hay("张立", Field::Name);
        assert_eq!(
            name_match(&li, "zw"),
            MatchKind::Exact,
            "立 is also read wei"
        );
        assert_eq!(usual_match(&li, "zw"), MatchKind::Fuzzy);
        let three = hay("张伟明", Field::Name);
        assert_eq!(name_match(&three, "zw"), MatchKind::Prefix);
        assert_eq!(name_match(&three, "zwm"), MatchKind::Exact);
    }

    #[test]
    fn spelling_with_gaps_starts_syllables() {
        let h = hay("南京钟山软件有限公司", Field::Text);
        for yes in [
            "njrj",
            "nanjing",
            "软件",
            "南j",
            "ruanjian",
            "njzsrjyxgs",
            "rjgs",
            "xian",
        ] {
            assert!(spells(&h, yes), "{yes}");
        }
        for no in ["ag", "jn", "njrjz", "anj", "软南"] {
            assert!(!spells(&h, no), "{no}");
        }
        let long = "a".repeat(MAX_TERM + 1);
        assert!(!spells(&hay(&long, Field::Text), &long));
    }

    #[test]
    fn masks_cover_the_text_and_its_readings() {
        let h = hay("张伟", Field::Name);
        let m = char_mask(&h);
        assert_eq!(char_mask("zw") & !m, 0);
        assert_eq!(char_mask("张") & !m, 0);
        assert_ne!(char_mask("q") & !m, 0);
        let i = initials_mask(&h);
        assert_eq!(i & char_bit('z'), char_bit('z'));
        assert_eq!(i & char_bit('w'), char_bit('w'));
        assert_eq!(i & char_bit('h'), 0, "h is inside Zhang");
        assert!(sort_key(&hay("张凤", Field::Name)) < sort_key(&hay("周行飞", Field::Name)));
        assert_eq!(sort_key(&hay("乐A", Field::Name)), "yue a");
        let mut names = ["程冬晶", "陈静悦", "陈超新", "曾宏", "陈然"];
        names.sort_by_key(|n| sort_key(&hay(n, Field::Name)));
        assert_eq!(names, ["陈超新", "陈静悦", "陈然", "程冬晶", "曾宏"]);
        assert!(is_subsequence("张伟明", "张明"));
        assert!(!is_subsequence("张伟明", "明张"));
    }
}
