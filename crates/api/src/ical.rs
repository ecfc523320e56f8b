//! A small iCalendar (RFC 5545) writer for the personal calendar feed: all-day events only,
//! text escaped, lines folded at 75 octets, CRLF line ends.

use chrono::{DateTime, NaiveDate, Utc};

/// An all-day event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    /// Stable unique id, so a calendar app updates rather than duplicates the event.
    pub uid: String,
    /// The day.
    pub day: NaiveDate,
    /// Title.
    pub summary: String,
    /// Longer text.
    pub description: String,
}

/// A calendar named `name` with `events`, stamped `now`.
pub fn calendar(name: &str, events: &[Event], now: DateTime<Utc>) -> String {
    let stamp = now.format("%Y%m%dT%H%M%SZ").to_string();
    let mut lines = vec![
        "BEGIN:VCALENDAR".to_owned(),
        "VERSION:2.0".to_owned(),
        "PRODID:-//Koppel//Koppel calendar feed//NL".to_owned(),
        "CALSCALE:GREGORIAN".to_owned(),
        "METHOD:PUBLISH".to_owned(),
        format!("X-WR-CALNAME:{}", text(name)),
    ];
    lines.extend(AMSTERDAM.iter().map(|line| (*line).to_owned()));
    for event in events {
        // The day after, exclusive end of an all-day event; a date at the end of time has none.
        let Some(end) = event.day.succ_opt() else {
            continue;
        };
        lines.extend([
            "BEGIN:VEVENT".to_owned(),
            format!("UID:{}", text(&event.uid)),
            format!("DTSTAMP:{stamp}"),
            format!("DTSTART;VALUE=DATE:{}", event.day.format("%Y%m%d")),
            format!("DTEND;VALUE=DATE:{}", end.format("%Y%m%d")),
            format!("SUMMARY:{}", text(&event.summary)),
            format!("DESCRIPTION:{}", text(&event.description)),
            "TRANSP:TRANSPARENT".to_owned(),
            "END:VEVENT".to_owned(),
        ]);
    }
    lines.push("END:VCALENDAR".to_owned());
    lines.iter().map(|line| fold(line)).collect()
}

/// The Netherlands' time zone. The events are all-day dates and need none, but a calendar must
/// hold at least one component (RFC 5545 3.4), also when it has no events yet.
const AMSTERDAM: [&str; 17] = [
    "BEGIN:VTIMEZONE",
    "TZID:Europe/Amsterdam",
    "BEGIN:DAYLIGHT",
    "TZOFFSETFROM:+0100",
    "TZOFFSETTO:+0200",
    "TZNAME:CEST",
    "DTSTART:19700329T020000",
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
    "END:DAYLIGHT",
    "BEGIN:STANDARD",
    "TZOFFSETFROM:+0200",
    "TZOFFSETTO:+0100",
    "TZNAME:CET",
    "DTSTART:19701025T030000",
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
    "END:STANDARD",
    "END:VTIMEZONE",
];

/// Escapes a TEXT value (RFC 5545 3.3.11).
fn text(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Folds a content line into parts of at most 75 octets, never inside a character, each
/// continuation starting with a space; ends it with CRLF.
fn fold(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let mut width = 0;
    for c in line.chars() {
        let len = c.len_utf8();
        if width + len > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += len;
    }
    out.push_str("\r\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_are_all_day_escaped_and_folded() {
        let now = DateTime::parse_from_rfc3339("2027-06-01T08:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let long = "é".repeat(60);
        let ics = calendar(
            "Koppel",
            &[Event {
                uid: "a@koppel".into(),
                day: NaiveDate::from_ymd_opt(2027, 6, 14).unwrap(),
                summary: "Stap 1, profielen; deadline".into(),
                description: format!("regel\n{long}"),
            }],
            now,
        );
        assert!(ics.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
        assert!(ics.ends_with("END:VCALENDAR\r\n"));
        assert!(ics.contains("DTSTART;VALUE=DATE:20270614\r\nDTEND;VALUE=DATE:20270615\r\n"));
        assert!(ics.contains("SUMMARY:Stap 1\\, profielen\\; deadline\r\n"));
        assert!(ics.contains("DTSTAMP:20270601T080000Z"));
        for line in ics.split("\r\n") {
            assert!(line.len() <= 75, "{line}");
        }
        // A calendar without events still holds a component; a day at the end of time is left
        // out rather than overflowing.
        let empty = calendar("Koppel", &[], now);
        assert!(empty.contains("BEGIN:VTIMEZONE\r\n"));
        assert!(empty.contains("END:VTIMEZONE\r\nEND:VCALENDAR\r\n"));
        let last = calendar(
            "Koppel",
            &[Event {
                uid: "z@koppel".into(),
                day: NaiveDate::MAX,
                summary: "x".into(),
                description: "x".into(),
            }],
            now,
        );
        assert!(!last.contains("BEGIN:VEVENT"));
        // Unfolding gives the escaped text back whole.
        let unfolded = ics.replace("\r\n ", "");
        assert!(unfolded.contains(&format!("DESCRIPTION:regel\\n{long}\r\n")));
    }
}
