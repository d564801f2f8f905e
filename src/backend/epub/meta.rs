//! Package metadata the EPUB needs decided up front: identifier, dates, language.

use crate::doc::Metadata;

/// The book's identifier: the given one when it is a UUID, else a UUID v5 derived from it (or
/// from title and authors), so the same book always gets the same id. The second value is an
/// identifier given in another form (an ISBN, a URL), declared as well.
pub fn identifier(meta: &Metadata) -> (uuid::Uuid, Option<String>) {
    if let Some(given) = meta
        .identifier
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        let bare = given.strip_prefix("urn:uuid:").unwrap_or(given);
        if let Ok(uuid) = uuid::Uuid::parse_str(bare) {
            return (uuid, None);
        }
        let uuid = uuid::Uuid::new_v5(
            &uuid::Uuid::NAMESPACE_URL,
            format!("bindery:id:{given}").as_bytes(),
        );
        return (uuid, Some(given.to_string()));
    }
    let mut seed = format!("bindery:title:{}", meta.title);
    for author in &meta.authors {
        seed.push('\u{0}');
        seed.push_str(author);
    }
    (
        uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_URL, seed.as_bytes()),
        None,
    )
}

pub use crate::doc::parse_date;

/// The `dcterms:modified` instant: `modified` (seconds since the epoch, from
/// SOURCE_DATE_EPOCH) when given, else midnight UTC of the document date, else the epoch.
/// Never the clock: two builds of one source must be identical.
pub fn modified(modified: Option<i64>, date: Option<&str>) -> chrono::DateTime<chrono::Utc> {
    let epoch = chrono::DateTime::<chrono::Utc>::UNIX_EPOCH;
    if let Some(secs) = modified {
        return chrono::DateTime::from_timestamp(secs, 0).unwrap_or(epoch);
    }
    date.and_then(parse_date)
        .and_then(|(y, m, d)| chrono::NaiveDate::from_ymd_opt(y, m, d))
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|dt| dt.and_utc())
        .unwrap_or(epoch)
}

/// The publication date (midnight UTC of the day written), if `date` is one.
pub fn dc_date(date: &str) -> Option<chrono::DateTime<chrono::Utc>> {
    let (y, m, d) = parse_date(date)?;
    Some(
        chrono::NaiveDate::from_ymd_opt(y, m, d)?
            .and_hms_opt(0, 0, 0)?
            .and_utc(),
    )
}

/// Whether `tag` is a well-formed BCP 47 language tag (shape only).
pub fn valid_lang(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let first = parts.next().unwrap_or("");
    (2..=8).contains(&first.len())
        && first.bytes().all(|b| b.is_ascii_alphabetic())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_are_stable_and_respect_the_given_one() {
        let meta = Metadata {
            title: "T".into(),
            authors: vec!["A".into()],
            ..Metadata::default()
        };
        assert_eq!(identifier(&meta), identifier(&meta.clone()));
        let other = Metadata {
            authors: vec!["B".into()],
            ..meta.clone()
        };
        assert_ne!(identifier(&meta).0, identifier(&other).0);
        let given = Metadata {
            identifier: Some("urn:uuid:0f9e5ad7-96c0-4a4e-9c43-3f6e8d4f3c5b".into()),
            ..meta.clone()
        };
        assert_eq!(
            identifier(&given).0.to_string(),
            "0f9e5ad7-96c0-4a4e-9c43-3f6e8d4f3c5b"
        );
        let isbn = Metadata {
            identifier: Some("isbn:978-3-16-148410-0".into()),
            ..meta
        };
        assert_eq!(
            identifier(&isbn).1.as_deref(),
            Some("isbn:978-3-16-148410-0")
        );
    }

    #[test]
    fn dates() {
        assert_eq!(parse_date("2026-11-25"), Some((2026, 11, 25)));
        assert_eq!(parse_date("2026"), Some((2026, 1, 1)));
        assert_eq!(parse_date("2026-02-30"), None);
        assert_eq!(parse_date("25 Nov 2026"), None);
        assert_eq!(
            modified(Some(86400), Some("2000-01-01")).to_rfc3339(),
            "1970-01-02T00:00:00+00:00"
        );
        assert_eq!(
            modified(None, Some("2000-01-02")).to_rfc3339(),
            "2000-01-02T00:00:00+00:00"
        );
        assert_eq!(
            modified(None, Some("soon")).to_rfc3339(),
            "1970-01-01T00:00:00+00:00"
        );
        assert_eq!(
            dc_date("2026-11-25T10:00:00Z")
                .map(|d| d.to_rfc3339())
                .as_deref(),
            Some("2026-11-25T00:00:00+00:00")
        );
        assert!(
            valid_lang("en")
                && valid_lang("zh-Hant-TW")
                && !valid_lang("C")
                && !valid_lang("en_US")
        );
    }
}
