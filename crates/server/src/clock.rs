//! Formatting of Unix times (seconds since 1970-01-01 UTC) for the API and for emails.

/// Formats a Unix time as RFC 3339 in UTC, e.g. `2025-06-01T09:30:00Z`.
pub fn rfc3339(unix_seconds: i64) -> String {
    let (date, seconds_of_day) = split(unix_seconds);
    let (hour, minute, second) = clock_time(seconds_of_day);
    format!("{date}T{hour:02}:{minute:02}:{second:02}Z")
}

/// Formats a Unix time for people, to the minute, e.g. `2025-06-01 09:30 UTC`.
pub fn human_utc(unix_seconds: i64) -> String {
    let (date, seconds_of_day) = split(unix_seconds);
    let (hour, minute, _) = clock_time(seconds_of_day);
    format!("{date} {hour:02}:{minute:02} UTC")
}

fn split(unix_seconds: i64) -> (String, i64) {
    let days = unix_seconds.div_euclid(86_400);
    let (year, month, day) = civil_from_days(days);
    (
        format!("{year:04}-{month:02}-{day:02}"),
        unix_seconds.rem_euclid(86_400),
    )
}

fn clock_time(seconds_of_day: i64) -> (i64, i64, i64) {
    (
        seconds_of_day / 3600,
        seconds_of_day % 3600 / 60,
        seconds_of_day % 60,
    )
}

/// Converts days since 1970-01-01 to a proleptic Gregorian (year, month, day).
///
/// Years are counted from 1 March, so the leap day ends a year; an era is 400 years, which
/// is exactly 146,097 days.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let shifted = days + 719_468;
    let era = shifted.div_euclid(146_097);
    let day_of_era = shifted.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = (day_of_year - (153 * month_index + 2) / 5 + 1) as u32;
    let month = if month_index < 10 {
        month_index + 3
    } else {
        month_index - 9
    } as u32;
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_known_instants() {
        let cases = [
            (0, "1970-01-01T00:00:00Z"),
            (951_782_400, "2000-02-29T00:00:00Z"),
            (1_735_725_600, "2025-01-01T10:00:00Z"),
            (4_107_542_399, "2100-02-28T23:59:59Z"),
            (-1, "1969-12-31T23:59:59Z"),
        ];
        for (unix, expected) in cases {
            assert_eq!(rfc3339(unix), expected, "rfc3339({unix})");
        }
        assert_eq!(
            human_utc(1_735_725_659),
            "2025-01-01 10:00 UTC",
            "minutes only"
        );
    }
}
