//! The TIMESTAMP of a PASSWORD_VERIFIER answer: Java's
//! `EEE MMM d HH:mm:ss UTC yyyy` with English names, the day not zero-padded
//! (`Tue Feb 1 03:04:05 UTC 2000`). Only the form is checked; the value is
//! covered by the claim signature.

const DAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// Whether `text` has the form `EEE MMM d HH:mm:ss UTC yyyy`.
pub fn is_well_formed(text: &str) -> bool {
    let parts: Vec<&str> = text.split(' ').collect();
    let [day_name, month, day, time, zone, year] = parts[..] else {
        return false;
    };
    DAYS.contains(&day_name)
        && MONTHS.contains(&month)
        && is_day_of_month(day)
        && is_time(time)
        && zone == "UTC"
        && year.len() == 4
        && all_digits(year)
}

/// 1 to 31, without a leading zero.
fn is_day_of_month(day: &str) -> bool {
    all_digits(day)
        && !day.starts_with('0')
        && day.len() <= 2
        && day.parse::<u8>().is_ok_and(|d| (1..=31).contains(&d))
}

/// `HH:mm:ss`, 24-hour, each field two digits.
fn is_time(time: &str) -> bool {
    let fields: Vec<&str> = time.split(':').collect();
    let [hours, minutes, seconds] = fields[..] else {
        return false;
    };
    two_digits_below(hours, 24) && two_digits_below(minutes, 60) && two_digits_below(seconds, 60)
}

fn two_digits_below(field: &str, limit: u8) -> bool {
    field.len() == 2 && all_digits(field) && field.parse::<u8>().is_ok_and(|v| v < limit)
}

fn all_digits(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|c| c.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::is_well_formed;
    use cognito_core::timestamp::format_timestamp;

    #[test]
    fn accepts_what_the_clients_send() {
        for t in [0, 949_374_245, 1_531_220_460, 1_767_225_599] {
            assert!(
                is_well_formed(&format_timestamp(t)),
                "{}",
                format_timestamp(t)
            );
        }
    }

    #[test]
    fn refuses_other_forms() {
        for bad in [
            "",
            "Tue Feb 01 03:04:05 UTC 2000",
            "Tue Feb 1 3:04:05 UTC 2000",
            "Tue Feb 1 24:04:05 UTC 2000",
            "Tue Feb 1 03:04:05 GMT 2000",
            "Tue Feb 32 03:04:05 UTC 2000",
            "Tue Feb 0 03:04:05 UTC 2000",
            "Di Feb 1 03:04:05 UTC 2000",
            "Tue Feb  1 03:04:05 UTC 2000",
            "Tue Feb 1 03:04:05 UTC 20000",
            "2000-02-01T03:04:05Z",
        ] {
            assert!(!is_well_formed(bad), "{bad:?}");
        }
    }
}
