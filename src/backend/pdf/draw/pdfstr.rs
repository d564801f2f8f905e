//! Small PDF encoders: numbers, text strings, dates and Flate compression.

use lopdf::{Object, StringFormat};

/// Flate-compresses stream data. Level 6 is zlib's default; content streams are large and
/// repetitive, so faster levels cost little size (measured: see `content_level`).
pub(crate) fn deflate(data: &[u8]) -> Vec<u8> {
    deflate_at(data, 6)
}

/// Flate at a given level (1 fastest, 9 smallest), in the zlib format PDF's FlateDecode reads.
///
/// Each thread keeps one compressor per level and resets it between streams: a book writes
/// hundreds of small streams, and setting up a fresh compressor (a few hundred kilobytes of
/// tables, zeroed) for each cost more than compressing them.
pub(crate) fn deflate_at(data: &[u8], level: u32) -> Vec<u8> {
    use flate2::{Compress, Compression, FlushCompress, Status};
    use std::cell::RefCell;
    thread_local! {
        static COMPRESSORS: RefCell<Vec<(u32, Compress)>> = const { RefCell::new(Vec::new()) };
    }
    let run = |c: &mut Compress| {
        let mut out = Vec::with_capacity(data.len() / 3 + 64);
        loop {
            let consumed = c.total_in() as usize;
            let input = data.get(consumed..).unwrap_or_default();
            match c.compress_vec(input, &mut out, FlushCompress::Finish) {
                Ok(Status::StreamEnd) => return out,
                Ok(_) => out.reserve(out.capacity().max(1024)),
                // Compressing into a Vec with room cannot fail; keep the stream valid anyway.
                Err(_) => return Vec::new(),
            }
        }
    };
    COMPRESSORS.with(|cell| {
        let Ok(mut list) = cell.try_borrow_mut() else {
            return run(&mut Compress::new(Compression::new(level), true));
        };
        let c = match list.iter().position(|(l, _)| *l == level) {
            Some(i) => &mut list[i].1,
            None => {
                list.push((level, Compress::new(Compression::new(level), true)));
                &mut list.last_mut().expect("just pushed").1
            }
        };
        c.reset();
        run(c)
    })
}

/// A PDF text string: PDFDocEncoding-safe ASCII stays literal, anything else is UTF-16BE
/// with a byte-order mark (hex, so no escaping questions arise).
pub(crate) fn text_string(s: &str) -> Object {
    if s.chars().all(|c| (' '..='~').contains(&c)) {
        Object::String(s.as_bytes().to_vec(), StringFormat::Literal)
    } else {
        let mut bytes = vec![0xFE, 0xFF];
        for u in s.encode_utf16() {
            bytes.extend_from_slice(&u.to_be_bytes());
        }
        Object::String(bytes, StringFormat::Hexadecimal)
    }
}

/// Upper-case hex of the UTF-16BE encoding of `s`, at most 256 code units (the CMap limit
/// for one destination string is 512 bytes).
pub(crate) fn hex_utf16(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 4);
    for u in s.encode_utf16().take(256) {
        out.push_str(&format!("{u:04X}"));
    }
    out
}

/// Appends a number rounded to 1/100, without trailing zeros (`12`, `-3.5`, `0.25`).
pub(crate) fn num(out: &mut Vec<u8>, v: f32) {
    let v = if v.is_finite() { v } else { 0.0 };
    let hundredths = (f64::from(v) * 100.0).round() as i64;
    if hundredths < 0 {
        out.push(b'-');
    }
    let a = hundredths.unsigned_abs();
    int(out, a / 100);
    let frac = a % 100;
    if frac != 0 {
        out.push(b'.');
        out.push(b'0' + (frac / 10) as u8);
        if frac % 10 != 0 {
            out.push(b'0' + (frac % 10) as u8);
        }
    }
}

/// Appends an unsigned integer.
pub(crate) fn int(out: &mut Vec<u8>, mut v: u64) {
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    out.extend_from_slice(&buf[i..]);
}

/// Appends a signed integer.
pub(crate) fn sint(out: &mut Vec<u8>, v: i64) {
    if v < 0 {
        out.push(b'-');
    }
    int(out, v.unsigned_abs());
}

/// Civil date and time (UTC) of a Unix timestamp: (year, month, day, hour, minute, second).
pub(crate) fn civil(ts: i64) -> (i64, u32, u32, u32, u32, u32) {
    let days = ts.div_euclid(86_400);
    let secs = ts.rem_euclid(86_400);
    // Howard Hinnant's days-to-civil algorithm.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (
        y,
        m,
        d,
        (secs / 3600) as u32,
        (secs % 3600 / 60) as u32,
        (secs % 60) as u32,
    )
}

/// A PDF date string `D:YYYYMMDDHHmmSSZ`.
pub(crate) fn pdf_date(ts: i64) -> Object {
    let (y, mo, d, h, mi, s) = civil(ts);
    let text = format!("D:{y:04}{mo:02}{d:02}{h:02}{mi:02}{s:02}Z");
    Object::String(text.into_bytes(), StringFormat::Literal)
}

/// An XMP (ISO 8601) date `YYYY-MM-DDTHH:mm:SSZ`.
pub(crate) fn xmp_date(ts: i64) -> String {
    let (y, mo, d, h, mi, s) = civil(ts);
    format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_dates() {
        let mut out = Vec::new();
        for v in [0.0, 12.0, -3.5, 0.254, 841.8898, -0.001] {
            num(&mut out, v);
            out.push(b' ');
        }
        assert_eq!(String::from_utf8(out).unwrap(), "0 12 -3.5 0.25 841.89 0 ");
        assert_eq!(xmp_date(0), "1970-01-01T00:00:00Z");
        assert_eq!(xmp_date(1_700_000_000), "2023-11-14T22:13:20Z");
        assert_eq!(xmp_date(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(hex_utf16("fi"), "00660069");
        assert_eq!(hex_utf16("𝄞"), "D834DD1E");
    }
}
