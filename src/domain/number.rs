//! How every number is written, once, for the screens and every export alike: scores,
//! aggregates and thresholds at the precision results are compared at (two decimals,
//! rounded half away from zero, see [`super::aggregate::round2`]), money in whole
//! yuan with thousands separators.

use super::aggregate::round2;

/// Decimals a score, an aggregate or a threshold is shown with at most (the precision
/// results are rounded to and compared with their threshold at).
pub const DECIMALS: usize = 2;

/// A number rounded to two decimals, without trailing zeros: `83.88`, `83.9`, `84`.
/// The same rounding as the results' comparison, so a result below its threshold
/// never shows as the threshold.
pub fn fmt_num(n: f64) -> String {
    let s = format!("{:.*}", DECIMALS, round2(n));
    let s = s.trim_end_matches('0').trim_end_matches('.');
    match s {
        "-0" => "0".to_string(),
        s => s.to_string(),
    }
}

/// An amount of money in yuan with thousands separators: `205,200`, `2,400.5`.
pub fn fmt_money(n: f64) -> String {
    let text = fmt_num(n);
    let (sign, digits) = match text.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", text.as_str()),
    };
    let (whole, fraction) = match digits.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (digits, None),
    };
    let mut grouped = String::with_capacity(whole.len() + whole.len() / 3);
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    match fraction {
        Some(f) => format!("{sign}{grouped}.{f}"),
        None => format!("{sign}{grouped}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_rounded_not_cut() {
        assert_eq!(fmt_num(83.875), "83.88");
        assert_eq!(fmt_num(83.8799), "83.88");
        assert_eq!(fmt_num(83.9), "83.9");
        assert_eq!(fmt_num(84.0), "84");
        assert_eq!(fmt_num(79.994), "79.99", "below the threshold stays below");
        assert_eq!(fmt_num(-0.001), "0");
        assert_eq!(fmt_num(35.0 / 12.0), "2.92");
    }

    #[test]
    fn money_has_thousands_separators() {
        assert_eq!(fmt_money(205_200.0), "205,200");
        assert_eq!(fmt_money(2_400.0), "2,400");
        assert_eq!(fmt_money(999.0), "999");
        assert_eq!(fmt_money(1_234_567.5), "1,234,567.5");
        assert_eq!(fmt_money(-3_600.0), "-3,600");
        assert_eq!(fmt_money(0.0), "0");
    }
}
