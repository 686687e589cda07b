//! Validators: resident ID numbers (GB 11643-1999) and unified social credit codes
//! (GB 32100-2015), with precise errors in Chinese and English; dates and phone
//! numbers; and the one mask used wherever an identifier is shown.

use super::grade::Sex;
use chrono::{Datelike, NaiveDate};
use thiserror::Error;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum IdError {
    #[error("must be 18 characters, found {0}")]
    Length(usize),
    #[error("character {pos} must be a digit, found '{found}'")]
    NotDigit { pos: usize, found: char },
    #[error("area code {0} is not a valid province code")]
    Area(String),
    #[error("birth date {0} is not a real date")]
    BirthDate(String),
    #[error("birth date {0} is out of range (1900 to today)")]
    BirthRange(String),
    #[error("check character must be '{expected}', found '{found}'")]
    Check { expected: char, found: char },
}

impl IdError {
    /// The error in English (its `Display`).
    pub fn en(&self) -> String {
        self.to_string()
    }

    /// The error in Chinese.
    pub fn zh(&self) -> String {
        match self {
            IdError::Length(n) => format!("须为 18 位，实为 {n} 位"),
            IdError::NotDigit { pos, found } => format!("第 {pos} 位须为数字，实为“{found}”"),
            IdError::Area(area) => format!("地区码 {area} 不是有效的省级代码"),
            IdError::BirthDate(d) => format!("出生日期 {d} 不是真实的日期"),
            IdError::BirthRange(d) => format!("出生日期 {d} 超出范围（1900 年至今天）"),
            IdError::Check { expected, found } => {
                format!("校验码应为“{expected}”，实为“{found}”")
            }
        }
    }
}

/// What a valid ID number tells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdInfo {
    pub area: String,
    pub birth: NaiveDate,
    pub sex: Sex,
}

const ID_WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];
/// Province-level prefixes of GB/T 2260 area codes.
const PROVINCES: [&str; 34] = [
    "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37", "41",
    "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65", "71",
    "81", "82",
];

/// The check character for the first 17 digits of an ID number; `None` unless they
/// are 17 ASCII digits.
pub fn id_check_char(first17: &str) -> Option<char> {
    let digits = first17.as_bytes();
    if digits.len() != 17 || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let sum: u32 = digits
        .iter()
        .zip(ID_WEIGHTS)
        .map(|(d, w)| u32::from(d - b'0') * w)
        .sum();
    Some(ID_CHECK[(sum % 11) as usize])
}

/// Validates a resident ID number: length, digits, province, a real birth date not
/// after `today`, and the check character (a lower-case `x` is accepted).
pub fn parse_id_number(text: &str, today: NaiveDate) -> Result<IdInfo, IdError> {
    let chars: Vec<char> = text.chars().collect();
    if chars.len() != 18 {
        return Err(IdError::Length(chars.len()));
    }
    for (i, c) in chars.iter().take(17).enumerate() {
        if !c.is_ascii_digit() {
            return Err(IdError::NotDigit {
                pos: i + 1,
                found: *c,
            });
        }
    }
    let last = chars[17].to_ascii_uppercase();
    if !(last.is_ascii_digit() || last == 'X') {
        return Err(IdError::Check {
            expected: id_check_char(&text[..17]).unwrap_or('?'),
            found: chars[17],
        });
    }
    let area = &text[..6];
    if !PROVINCES.contains(&&area[..2]) {
        return Err(IdError::Area(area.to_string()));
    }
    let birth_text = &text[6..14];
    let birth = NaiveDate::parse_from_str(birth_text, "%Y%m%d")
        .map_err(|_| IdError::BirthDate(birth_text.to_string()))?;
    if birth.year() < 1900 || birth > today {
        return Err(IdError::BirthRange(birth.to_string()));
    }
    let expected = id_check_char(&text[..17]).unwrap_or('?');
    if expected != last {
        return Err(IdError::Check {
            expected,
            found: chars[17],
        });
    }
    let sex = if (text.as_bytes()[16] - b'0') % 2 == 1 {
        Sex::Male
    } else {
        Sex::Female
    };
    Ok(IdInfo {
        area: area.to_string(),
        birth,
        sex,
    })
}

/// Normalises an ID number for storage: trimmed, check character upper-case.
pub fn normalize_id_number(text: &str) -> String {
    text.trim().to_ascii_uppercase()
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CreditCodeError {
    #[error("must be 18 characters, found {0}")]
    Length(usize),
    #[error("character {pos} '{found}' is not allowed (digits and capitals except I, O, S, V, Z)")]
    Char { pos: usize, found: char },
    #[error("check character must be '{expected}', found '{found}'")]
    Check { expected: char, found: char },
}

impl CreditCodeError {
    /// The error in English (its `Display`).
    pub fn en(&self) -> String {
        self.to_string()
    }

    /// The error in Chinese.
    pub fn zh(&self) -> String {
        match self {
            CreditCodeError::Length(n) => format!("须为 18 位，实为 {n} 位"),
            CreditCodeError::Char { pos, found } => format!(
                "第 {pos} 位的“{found}”不允许（只能是数字和除 I、O、S、V、Z 以外的大写字母）"
            ),
            CreditCodeError::Check { expected, found } => {
                format!("校验码应为“{expected}”，实为“{found}”")
            }
        }
    }
}

const CREDIT_CHARS: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";
const CREDIT_WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

/// The check character for the first 17 characters of a unified social credit code;
/// `None` unless they are 17 characters of the code's set.
pub fn credit_check_char(first17: &str) -> Option<char> {
    if first17.chars().count() != 17 {
        return None;
    }
    let mut sum = 0u32;
    for (c, w) in first17.chars().zip(CREDIT_WEIGHTS) {
        sum += CREDIT_CHARS.find(c)? as u32 * w;
    }
    let check = (31 - sum % 31) % 31;
    Some(CREDIT_CHARS.as_bytes()[check as usize] as char)
}

/// Validates a unified social credit code (GB 32100-2015): charset and check character.
pub fn check_credit_code(text: &str) -> Result<(), CreditCodeError> {
    let chars: Vec<char> = text.chars().collect();
    if chars.len() != 18 {
        return Err(CreditCodeError::Length(chars.len()));
    }
    for (i, c) in chars.iter().enumerate() {
        if !CREDIT_CHARS.contains(*c) {
            return Err(CreditCodeError::Char {
                pos: i + 1,
                found: *c,
            });
        }
    }
    let first17: String = chars[..17].iter().collect();
    let expected = credit_check_char(&first17).unwrap_or('?');
    if expected != chars[17] {
        return Err(CreditCodeError::Check {
            expected,
            found: chars[17],
        });
    }
    Ok(())
}

/// Parses a date written `2026-03-01`, `2026/3/1`, `2026.03.01`, `20260301` or
/// `2026年3月1日`.
pub fn parse_date(text: &str) -> Result<NaiveDate, String> {
    let t = text.trim();
    if t.is_empty() {
        return Err("date is empty".into());
    }
    let normal: String = t
        .replace(['/', '.', '年', '月'], "-")
        .trim_end_matches('日')
        .to_string();
    let parsed = if normal.len() == 8 && normal.bytes().all(|b| b.is_ascii_digit()) {
        NaiveDate::parse_from_str(&normal, "%Y%m%d")
    } else {
        NaiveDate::parse_from_str(&normal, "%Y-%m-%d")
    };
    parsed.map_err(|_| format!("'{t}' is not a real date (expected YYYY-MM-DD)"))
}

/// Validates a mainland mobile number (11 digits, `1[3-9]…`) or a landline with area
/// code (`025-84561234`, `02584561234`): the number without spaces, `None` when it is
/// neither (the importer says why, in its own words).
pub fn parse_phone(text: &str) -> Option<String> {
    let t: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let digits: String = t.chars().filter(|c| *c != '-').collect();
    let all_digits = !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit());
    let mobile = all_digits
        && digits.len() == 11
        && digits.starts_with('1')
        && (b'3'..=b'9').contains(&digits.as_bytes()[1])
        && !t.contains('-');
    let landline = all_digits
        && digits.starts_with('0')
        && (10..=12).contains(&digits.len())
        && t.matches('-').count() <= 1;
    (mobile || landline).then_some(t)
}

/// The one mask for identifiers shown in the tool: every character but the last four
/// becomes `*`, so masks on different pages can never be pieced together.
pub fn mask(text: &str) -> String {
    let n = text.chars().count();
    text.chars()
        .enumerate()
        .map(|(i, c)| if i + 4 < n { '*' } else { c })
        .collect()
}

/// A contact masked for screens and exports: an e-mail address keeps the first
/// character of its name and its domain (`z***@example.com`), which says where to look
/// without giving the address; anything else (a phone) keeps its last four characters.
pub fn mask_contact(text: &str) -> String {
    match text.trim().split_once('@') {
        Some((name, domain)) if !name.is_empty() && !domain.is_empty() => {
            let first: String = name.chars().take(1).collect();
            format!("{first}***@{domain}")
        }
        _ => mask(text),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contacts_are_masked_by_kind() {
        assert_eq!(mask_contact("13911112222"), "*******2222");
        assert_eq!(mask_contact("zhao.mou@example.com"), "z***@example.com");
        assert_eq!(mask_contact("@example.com"), "********.com");
        assert_eq!(mask_contact(""), "");
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 26).unwrap()
    }

    #[test]
    fn id_number_from_the_standard_is_valid() {
        let info = parse_id_number("11010519491231002X", today()).unwrap();
        assert_eq!(info.birth, NaiveDate::from_ymd_opt(1949, 12, 31).unwrap());
        assert_eq!(info.sex, Sex::Female, "17th digit 2 is even");
        assert_eq!(info.area, "110105");
        assert!(parse_id_number("11010519491231002x", today()).is_ok());
    }

    #[test]
    fn id_number_with_wrong_check_is_refused_with_expected_char() {
        // 3*7+4*9+0*10+5*5+2*8+4*4+1*2+9*1+8*6+0*3+0*7+1*9+0*10+1*5+0*8+0*4+1*2 = 189;
        // 189 mod 11 = 2 -> 'X'
        assert_eq!(
            parse_id_number("340524198001010013", today()),
            Err(IdError::Check {
                expected: 'X',
                found: '3'
            })
        );
        assert!(parse_id_number("34052419800101001X", today()).is_ok());
    }

    #[test]
    fn id_number_errors_are_precise() {
        assert_eq!(parse_id_number("1234", today()), Err(IdError::Length(4)));
        assert_eq!(
            parse_id_number("1101051949123A002X", today()),
            Err(IdError::NotDigit {
                pos: 14,
                found: 'A'
            })
        );
        assert_eq!(
            parse_id_number("990105194912310021", today()),
            Err(IdError::Area("990105".into()))
        );
        assert_eq!(
            parse_id_number("110105194902300021", today()),
            Err(IdError::BirthDate("19490230".into()))
        );
        assert!(matches!(
            parse_id_number("110105203001010021", today()),
            Err(IdError::BirthRange(_))
        ));
    }

    #[test]
    fn sex_follows_the_17th_digit() {
        // 32010219900101001? -> odd sequence digit 1: male
        let first = "32010219900101001";
        let id = format!("{first}{}", id_check_char(first).unwrap());
        assert_eq!(parse_id_number(&id, today()).unwrap().sex, Sex::Male);
        assert_eq!(id_check_char("11010519491231002"), Some('X'));
        assert_eq!(id_check_char("1101051949123100"), None);
        assert_eq!(id_check_char("1101051949123100A"), None);
    }

    #[test]
    fn credit_codes_check_character() {
        // A commonly cited valid example code.
        assert_eq!(check_credit_code("91350100M000100Y43"), Ok(()));
        assert_eq!(credit_check_char("91350100M000100Y4"), Some('3'));
        assert_eq!(credit_check_char("91350100M000100I4"), None);
        assert_eq!(
            check_credit_code("91350100M000100Y44"),
            Err(CreditCodeError::Check {
                expected: '3',
                found: '4'
            })
        );
        assert_eq!(check_credit_code("9135"), Err(CreditCodeError::Length(4)));
        assert_eq!(
            check_credit_code("91350100M0001O0Y43"),
            Err(CreditCodeError::Char {
                pos: 14,
                found: 'O'
            })
        );
    }

    #[test]
    fn dates_in_common_spellings() {
        let d = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
        for t in [
            "2026-03-01",
            "2026/3/1",
            "2026.03.01",
            "20260301",
            "2026年3月1日",
        ] {
            assert_eq!(parse_date(t), Ok(d), "{t}");
        }
        assert!(parse_date("2026-02-30")
            .unwrap_err()
            .contains("not a real date"));
        assert!(parse_date("").is_err());
    }

    #[test]
    fn phones() {
        assert_eq!(parse_phone("138 1234 5678"), Some("13812345678".into()));
        assert_eq!(parse_phone("025-84561234"), Some("025-84561234".into()));
        assert_eq!(parse_phone("12812345678"), None);
        assert_eq!(parse_phone("1381234567"), None);
        assert_eq!(parse_phone("abc"), None);
    }

    #[test]
    fn mask_keeps_only_last_four() {
        assert_eq!(mask("11010519491231002X"), "**************002X");
        assert_eq!(mask("13812345678"), "*******5678");
        assert_eq!(mask("123"), "123");
    }
}
