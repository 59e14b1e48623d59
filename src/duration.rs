//! Go-style durations: aws-vault reads `AWS_ASSUME_ROLE_TTL=1h` and friends with Go's
//! `time.ParseDuration` and prints session TTLs with `time.Duration.String()`, so both
//! directions follow Go exactly rather than a Rust duration crate's dialect.

use std::time::Duration;

const NANOS_PER_SEC: u128 = 1_000_000_000;

/// A duration string that Go's `time.ParseDuration` would reject (or that is negative,
/// which no TTL can be).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid duration \"{input}\": {reason}")]
pub struct DurationError {
    pub input: String,
    pub reason: String,
}

impl DurationError {
    fn new(input: &str, reason: impl Into<String>) -> Self {
        Self { input: input.to_string(), reason: reason.into() }
    }
}

fn unit_nanos(unit: &str) -> Option<u128> {
    Some(match unit {
        "ns" => 1,
        // Go accepts the micro sign and the Greek mu as well as "us".
        "us" | "µs" | "μs" => 1_000,
        "ms" => 1_000_000,
        "s" => NANOS_PER_SEC,
        "m" => 60 * NANOS_PER_SEC,
        "h" => 3600 * NANOS_PER_SEC,
        _ => return None,
    })
}

/// Parses a Go duration such as `1h`, `90m`, `1h30m`, `3600s` or `1.5h`.
///
/// Surrounding whitespace is ignored; everything else follows `time.ParseDuration`:
/// a bare `0` is allowed, any other number needs a unit, and units are case-sensitive.
pub fn parse_duration(text: &str) -> Result<Duration, DurationError> {
    let mut s = text.trim();
    if let Some(rest) = s.strip_prefix('+') {
        s = rest;
    } else if s.starts_with('-') {
        return Err(DurationError::new(text, "a duration cannot be negative"));
    }
    if s == "0" {
        return Ok(Duration::ZERO);
    }
    if s.is_empty() {
        return Err(DurationError::new(text, "expected a number and a unit, like 1h or 90m"));
    }

    let too_large = || DurationError::new(text, "too large");
    let mut total: u128 = 0;
    while !s.is_empty() {
        let int_len = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
        let int_digits = &s[..int_len];
        s = &s[int_len..];
        let mut frac_digits = "";
        if let Some(rest) = s.strip_prefix('.') {
            let frac_len = rest.find(|c: char| !c.is_ascii_digit()).unwrap_or(rest.len());
            frac_digits = &rest[..frac_len];
            s = &rest[frac_len..];
        }
        if int_digits.is_empty() && frac_digits.is_empty() {
            return Err(DurationError::new(text, "expected a number before each unit, like 1h30m"));
        }

        let unit_len = s.find(|c: char| c == '.' || c.is_ascii_digit()).unwrap_or(s.len());
        let unit = &s[..unit_len];
        s = &s[unit_len..];
        if unit.is_empty() {
            return Err(DurationError::new(text, "missing unit (use h, m or s, like 1h or 90m)"));
        }
        let per_unit = unit_nanos(unit).ok_or_else(|| {
            DurationError::new(
                text,
                format!("unknown unit \"{unit}\" (use h, m, s, ms, us or ns, like 1h30m)"),
            )
        })?;

        let whole: u128 =
            if int_digits.is_empty() { 0 } else { int_digits.parse().map_err(|_| too_large())? };
        let mut value = whole.checked_mul(per_unit).ok_or_else(too_large)?;
        // Digits past nanosecond precision cannot change the result, and ignoring them
        // keeps the arithmetic below from overflowing on absurdly long fractions.
        let frac_digits = &frac_digits[..frac_digits.len().min(24)];
        if !frac_digits.is_empty() {
            let frac: u128 = frac_digits.parse().map_err(|_| too_large())?;
            let scale = 10u128.pow(frac_digits.len() as u32);
            value += frac * per_unit / scale;
        }
        total = total.checked_add(value).ok_or_else(too_large)?;
    }

    let secs = u64::try_from(total / NANOS_PER_SEC).map_err(|_| too_large())?;
    Ok(Duration::new(secs, (total % NANOS_PER_SEC) as u32))
}

/// Formats like Go's `time.Duration.String()`: `59m0s`, `1h0m0s`, `1.5s`, `250ms`, `0s`.
pub fn format_duration(d: Duration) -> String {
    let nanos = d.as_nanos();
    if nanos == 0 {
        return "0s".to_string();
    }
    if nanos < NANOS_PER_SEC {
        let (unit, digits) = match nanos {
            n if n < 1_000 => ("ns", 0),
            n if n < 1_000_000 => ("µs", 3),
            _ => ("ms", 6),
        };
        return format!("{}{unit}", with_fraction(nanos, digits));
    }

    let secs = nanos / NANOS_PER_SEC;
    let seconds = format!("{}s", with_fraction(nanos % (60 * NANOS_PER_SEC), 9));
    if secs < 60 {
        seconds
    } else if secs < 3600 {
        format!("{}m{seconds}", secs / 60)
    } else {
        format!("{}h{}m{seconds}", secs / 3600, secs / 60 % 60)
    }
}

/// `value / 10^digits` as a decimal without trailing zeros (Go's `fmtFrac` + `fmtInt`).
fn with_fraction(value: u128, digits: u32) -> String {
    let scale = 10u128.pow(digits);
    let (whole, frac) = (value / scale, value % scale);
    if frac == 0 {
        return whole.to_string();
    }
    let frac = format!("{frac:0width$}", width = digits as usize);
    format!("{whole}.{}", frac.trim_end_matches('0'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secs(s: u64) -> Duration {
        Duration::from_secs(s)
    }

    #[test]
    fn parses_the_forms_people_write() {
        assert_eq!(parse_duration("1h"), Ok(secs(3600)));
        assert_eq!(parse_duration("90m"), Ok(secs(5400)));
        assert_eq!(parse_duration("1h30m"), Ok(secs(5400)));
        assert_eq!(parse_duration("12h"), Ok(secs(43200)));
        assert_eq!(parse_duration("3600s"), Ok(secs(3600)));
        assert_eq!(parse_duration("1.5h"), Ok(secs(5400)));
        assert_eq!(parse_duration(" 15m "), Ok(secs(900)));
        assert_eq!(parse_duration("+2m"), Ok(secs(120)));
        assert_eq!(parse_duration("0"), Ok(Duration::ZERO));
        assert_eq!(parse_duration(".5s"), Ok(Duration::from_millis(500)));
        assert_eq!(parse_duration("1h0m0s"), Ok(secs(3600)));
        assert_eq!(parse_duration("250ms"), Ok(Duration::from_millis(250)));
        assert_eq!(parse_duration("3us"), Ok(Duration::from_micros(3)));
        assert_eq!(parse_duration("3µs"), Ok(Duration::from_micros(3)));
        assert_eq!(parse_duration("7ns"), Ok(Duration::from_nanos(7)));
    }

    #[test]
    fn rejects_bad_input_naming_the_text() {
        for bad in ["", "1", "abc", "1x", "h", "1H", "1h 30m", "-1h", "1..5h", ".s", "3600 s"] {
            let err: DurationError = parse_duration(bad).expect_err(bad);
            assert_eq!(err.input, bad);
            assert!(err.to_string().contains(&format!("\"{bad}\"")), "{err}");
        }
        assert!(parse_duration("1x").unwrap_err().to_string().contains("unknown unit \"x\""));
        assert!(parse_duration("90").unwrap_err().to_string().contains("missing unit"));
        assert!(parse_duration("99999999999999999999999h").unwrap_err().reason.contains("large"));
    }

    #[test]
    fn formats_like_go() {
        assert_eq!(format_duration(secs(3540)), "59m0s");
        assert_eq!(format_duration(secs(3600)), "1h0m0s");
        assert_eq!(format_duration(secs(8 * 3600)), "8h0m0s");
        assert_eq!(format_duration(secs(5400)), "1h30m0s");
        assert_eq!(format_duration(secs(59)), "59s");
        assert_eq!(format_duration(secs(90)), "1m30s");
        assert_eq!(format_duration(Duration::ZERO), "0s");
        assert_eq!(format_duration(Duration::from_millis(1500)), "1.5s");
        assert_eq!(format_duration(Duration::from_millis(250)), "250ms");
        assert_eq!(format_duration(Duration::from_micros(1500)), "1.5ms");
        assert_eq!(format_duration(Duration::from_nanos(1500)), "1.5µs");
        assert_eq!(format_duration(Duration::from_nanos(12)), "12ns");
        assert_eq!(format_duration(Duration::new(3661, 500_000_000)), "1h1m1.5s");
    }

    #[test]
    fn format_then_parse_round_trips() {
        for d in [secs(1), secs(3540), secs(43200), Duration::new(7322, 250_000_000)] {
            assert_eq!(parse_duration(&format_duration(d)), Ok(d));
        }
    }
}
