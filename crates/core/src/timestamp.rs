//! SRP's TIMESTAMP: the clock reading the password claim signs, as Java's
//! `EEE MMM d HH:mm:ss 'UTC' yyyy` formats it in UTC.

use alloc::string::String;

use crate::text::push_decimal;

/// ⌊now_ms / 1000⌋: whole seconds since the Unix epoch (`f64::floor` is std-only).
pub fn unix_seconds(now_ms: f64) -> i64 {
    let seconds = now_ms / 1000.0;
    let whole = seconds as i64;
    whole - i64::from((whole as f64) > seconds)
}

/// TIMESTAMP = `EEE MMM d HH:mm:ss UTC yyyy` for a Unix time in seconds, in
/// UTC with English names and an unpadded day: `Tue Feb 1 03:04:05 UTC 2000`.
pub fn format_timestamp(unix_seconds: i64) -> String {
    const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let days = unix_seconds.div_euclid(86_400);
    let secs = unix_seconds.rem_euclid(86_400);
    let (year, month, day) = civil_from_days(days);
    let mut out = String::with_capacity(28);
    out.push_str(DAYS[days.rem_euclid(7) as usize]);
    out.push(' ');
    out.push_str(MONTHS[(month - 1) as usize]);
    out.push(' ');
    push_decimal(&mut out, day as u64, 1);
    for (separator, value) in [(' ', secs / 3600), (':', secs / 60 % 60), (':', secs % 60)] {
        out.push(separator);
        push_decimal(&mut out, value as u64, 2);
    }
    out.push_str(" UTC ");
    if year < 0 {
        out.push('-');
    }
    push_decimal(&mut out, year.unsigned_abs(), 1);
    out
}

/// Proleptic Gregorian (year, month 1-12, day 1-31) of a count of days since
/// 1970-01-01 (Howard Hinnant's `civil_from_days`).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamp_matches_the_java_pattern() {
        assert_eq!(format_timestamp(949_374_245), "Tue Feb 1 03:04:05 UTC 2000");
        assert_eq!(format_timestamp(0), "Thu Jan 1 00:00:00 UTC 1970");
        // 2018-07-10 11:01:00 UTC, the public vector's time.
        assert_eq!(
            format_timestamp(1_531_220_460),
            "Tue Jul 10 11:01:00 UTC 2018"
        );
        // Leap day and the last second of a year.
        assert_eq!(
            format_timestamp(1_709_164_800),
            "Thu Feb 29 00:00:00 UTC 2024"
        );
        assert_eq!(
            format_timestamp(1_767_225_599),
            "Wed Dec 31 23:59:59 UTC 2025"
        );
    }

    #[test]
    fn unix_seconds_round_down() {
        assert_eq!(unix_seconds(1_531_220_460_999.0), 1_531_220_460);
        assert_eq!(unix_seconds(-1.0), -1);
        assert_eq!(unix_seconds(0.0), 0);
    }
}
