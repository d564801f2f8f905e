//! Which link targets a book may carry: decided once, when a source is read, for every output.
//!
//! A link whose target no output may follow (a script, the reader's own disk, inline data, a
//! scheme no reading system knows, an `http` URL without a valid host) becomes its text, with a
//! warning at the link's line and column; so the PDF gets no link annotation for it and the
//! EPUB no `href` EPUBCheck would refuse. The EPUB writer asks the same function ([`check`])
//! again for targets that reach it some other way. Relative targets (`#id`, `other.md#id`,
//! `picture.png`) are not judged here: each writer knows what its package holds.

use crate::doc::{Block, Loc};
use crate::error::Diagnostic;
use std::path::Path;

/// URI schemes reading systems and EPUBCheck know (a subset of the IANA registry that books
/// actually use). `file:` and `data:` are absent on purpose: EPUB forbids both in links
/// (EPUBCheck RSC-030, RSC-029), and a PDF link into the reader's disk is no better.
const SCHEMES: &[&str] = &[
    "http", "https", "mailto", "ftp", "ftps", "sftp", "tel", "sms", "urn", "news", "nntp", "irc",
    "ircs", "xmpp", "geo", "magnet", "git", "ssh", "doi",
];

/// The scheme of an absolute URL, lower-cased, as a browser reads it: ASCII tabs and line
/// breaks anywhere are ignored and leading controls and spaces are trimmed, so
/// `java\nscript:` is `javascript`. `None` for a relative reference.
pub fn scheme(url: &str) -> Option<String> {
    let url: String = url
        .trim_start_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let colon = url.find(':')?;
    let scheme = &url[..colon];
    let valid = scheme.len() >= 2
        && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'));
    valid.then(|| scheme.to_ascii_lowercase())
}

/// Whether a link to `url` may be followed from a book: `Ok` for relative references and
/// absolute URLs in a known scheme (with a valid host where the scheme has one), else why not.
pub fn check(url: &str) -> Result<(), &'static str> {
    let Some(scheme) = scheme(url) else {
        return Ok(());
    };
    match scheme.as_str() {
        "javascript" | "vbscript" => return Err("scripts are not allowed in a book"),
        "file" => return Err("a `file:` link points into the reader's own computer"),
        "data" => return Err("EPUB does not allow `data:` links"),
        s if !SCHEMES.contains(&s) => return Err("its scheme is not a registered one"),
        _ => {}
    }
    if matches!(scheme.as_str(), "http" | "https" | "ftp" | "ftps") {
        let rest = url.trim().split_once(':').map_or("", |(_, r)| r);
        let host = rest
            .strip_prefix("//")
            .ok_or("it has no host")?
            .split(['/', '?', '#'])
            .next()
            .unwrap_or("");
        let host = host.rsplit('@').next().unwrap_or("");
        let bracketed = host.starts_with('[') && host.contains(']');
        let name = if bracketed {
            host
        } else {
            host.split(':').next().unwrap_or("")
        };
        let labels = name.split('.').count();
        // Letters (any script, for internationalised names), digits, `-` and `_` only:
        // URL parsers, EPUBCheck's among them (RSC-020), refuse a host holding `%`, a
        // backtick, U+FFFD and the like.
        let labels_ok = name.split('.').enumerate().all(|(i, label)| {
            (!label.is_empty() || (i > 0 && i + 1 == labels))
                && label
                    .chars()
                    .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
        });
        if name.is_empty() || (!bracketed && !labels_ok) || name.contains(char::is_whitespace) {
            return Err("its host name is not valid");
        }
    }
    Ok(())
}

/// Links whose target [`check`] refuses become their text, with a warning at the link.
pub fn unlink_refused(path: &Path, blocks: &mut [Block], warnings: &mut Vec<Diagnostic>) {
    let found = super::resolve::unlink(blocks, &mut |url: &str, loc: Loc| {
        let why = check(url).err()?;
        let shown: String = url.chars().take(80).collect();
        let more = if shown.len() < url.len() { "…" } else { "" };
        Some(Diagnostic::warning_at(
            crate::error::Code::UnsafeLink,
            path,
            loc,
            format!("link to `{shown}{more}` kept as text: {why}"),
        ))
    });
    warnings.extend(found);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemes() {
        assert_eq!(scheme("HTTPS://x.org").as_deref(), Some("https"));
        assert_eq!(
            scheme(" java\nscript:alert(1)").as_deref(),
            Some("javascript")
        );
        assert_eq!(scheme("other.md#x"), None);
        assert_eq!(scheme("#x:y"), None);
        assert_eq!(scheme("c:/x"), None);
    }

    #[test]
    fn checks() {
        for ok in [
            "https://example.org/a?b#c",
            "http://[::1]:8080/",
            "mailto:a@b.c",
            "tel:+1",
            "#id",
            "ch02.md#x",
            "picture.png",
            "https://example.org./",
            "https://bücher.example/",
            "https://user@my-host_1.example:8443/p",
        ] {
            assert_eq!(check(ok), Ok(()), "{ok}");
        }
        for bad in [
            "javascript:alert(1)",
            "JavaScript:void(0)",
            "java\tscript:x",
            "vbscript:x",
            "file:///etc/passwd",
            "FILE:/x",
            "data:text/html,<b>x</b>",
            "foo:bar",
            "http:relative",
            "https://",
            "https://a..b/",
            "https://exa mple.org/",
            // Found by fuzzing (fuzz/check_outputs.py, EPUBCheck RSC-020).
            "https://fo%60.example/",
            "https://example.o`rg/",
            "https://example.\u{FFFD}org/",
        ] {
            assert!(check(bad).is_err(), "{bad}");
        }
    }
}
