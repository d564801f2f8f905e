//! The EPUB container itself: `mimetype`, `META-INF/container.xml`, the package document
//! (`content.opf`), the navigation document (`nav.xhtml`), the NCX, and the zip around them.
//!
//! bindery writes these files itself rather than through a packaging crate: Ace, the DAISY
//! accessibility checker, wants things in them (`xml:lang` and `dir` on the package, ARIA
//! roles and labels in the navigation, refined titles, a nested NCX, a page-list, manifest
//! properties such as `mathml`) that the template-based packagers do not let a caller write
//! (docs/ARCHITECTURE.md, "EPUB packaging"). Everything written here is a function of the
//! [`Package`] value: entries in a fixed order, every timestamp `modified`, so two builds of
//! one source give the same bytes.

use crate::backend::xhtml::escape;
use std::io::Write;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

/// The folder of the package document and everything it lists.
const ROOT: &str = "OEBPS";

/// One file of the publication (besides the navigation document and the NCX, which
/// [`write`] makes).
#[derive(Debug, Clone)]
pub struct Item {
    /// Path relative to the package document (`ch01.xhtml`, `images/img001.png`).
    pub href: String,
    pub media_type: &'static str,
    pub bytes: Vec<u8>,
    /// In the spine (read in order), for XHTML content documents.
    pub spine: bool,
    /// The cover image (manifest property `cover-image`).
    pub cover_image: bool,
}

/// An entry of the table of contents, with the entries nested under it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NavPoint {
    /// Nesting key: an entry goes under the entry before it when its level is higher.
    pub level: u8,
    pub href: String,
    /// Plain text, already through the XML gate.
    pub title: String,
    pub children: Vec<NavPoint>,
}

/// Adds `point` to `list`: under the last entry (at whatever depth) whose level is lower,
/// else at the end. Heading levels that skip (a level-3 heading under a level-1 one) nest
/// one step, so the navigation never has an empty level.
pub fn nest(list: &mut Vec<NavPoint>, point: NavPoint) {
    match list.last_mut() {
        Some(last) if point.level > last.level => nest(&mut last.children, point),
        _ => list.push(point),
    }
}

/// A landmark of the navigation document (`epub:type` of the target and its label).
#[derive(Debug, Clone)]
pub struct Landmark {
    pub kind: &'static str,
    pub href: String,
    pub label: String,
}

/// Everything the container files say, decided by the EPUB backend.
#[derive(Debug, Clone)]
pub struct Package {
    /// BCP 47, already checked.
    pub lang: String,
    pub rtl: bool,
    /// `urn:uuid:...`.
    pub identifier: String,
    /// An identifier given in another form (an ISBN), declared as well.
    pub other_identifier: Option<String>,
    pub title: String,
    pub subtitle: Option<String>,
    pub authors: Vec<String>,
    pub description: Option<String>,
    pub subjects: Vec<String>,
    pub rights: Option<String>,
    /// `dc:source`: the print edition whose page numbers the page list gives.
    pub source: Option<String>,
    /// `dc:date`, `YYYY-MM-DD`.
    pub date: Option<String>,
    /// `dcterms:modified`, also the time stamp of every zip entry.
    pub modified: chrono::DateTime<chrono::Utc>,
    /// `<meta property>` pairs (the accessibility metadata), in order; a value may carry a
    /// language of its own (the summary is English whatever the book's language).
    pub properties: Vec<(&'static str, String, Option<&'static str>)>,
    /// The files in manifest order; spine items in reading order among them.
    pub items: Vec<Item>,
    pub toc: Vec<NavPoint>,
    pub landmarks: Vec<Landmark>,
    /// `(page label, href)` of each page break, in order.
    pub pages: Vec<(String, String)>,
    /// Title of the navigation document and of its table of contents.
    pub contents_label: String,
    pub landmarks_label: String,
    pub pages_label: String,
}

/// Writes the EPUB.
pub fn write(package: &Package) -> zip::result::ZipResult<Vec<u8>> {
    let time = zip_time(package.modified);
    let stored = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Stored)
        .last_modified_time(time)
        .unix_permissions(0o644);
    let deflated = stored.compression_method(CompressionMethod::Deflated);
    let mut zip = ZipWriter::new(std::io::Cursor::new(Vec::new()));
    // OCF: `mimetype` first, uncompressed, with no extra field, so a reader can sniff it.
    zip.start_file("mimetype", stored)?;
    zip.write_all(b"application/epub+zip")?;
    zip.start_file("META-INF/container.xml", deflated)?;
    zip.write_all(container().as_bytes())?;
    let ids = manifest_ids(&package.items);
    zip.start_file(format!("{ROOT}/content.opf"), deflated)?;
    zip.write_all(opf(package, &ids).as_bytes())?;
    zip.start_file(format!("{ROOT}/nav.xhtml"), deflated)?;
    zip.write_all(nav(package).as_bytes())?;
    zip.start_file(format!("{ROOT}/toc.ncx"), deflated)?;
    zip.write_all(ncx(package).as_bytes())?;
    for item in &package.items {
        // Pictures and fonts are compressed already.
        let options = if item.media_type.starts_with("image/") && item.media_type != "image/svg+xml"
        {
            stored
        } else {
            deflated
        };
        zip.start_file(format!("{ROOT}/{}", item.href), options)?;
        zip.write_all(&item.bytes)?;
    }
    Ok(zip.finish()?.into_inner())
}

/// The zip (MS-DOS) time of `t`, clamped to the years it can hold (1980-2107).
fn zip_time(t: chrono::DateTime<chrono::Utc>) -> DateTime {
    use chrono::{Datelike, Timelike};
    let year = t.year().clamp(1980, 2107);
    let fields = if year == t.year() {
        (
            year as u16,
            t.month() as u8,
            t.day() as u8,
            t.hour() as u8,
            t.minute() as u8,
            t.second() as u8,
        )
    } else if year == 1980 {
        (1980, 1, 1, 0, 0, 0)
    } else {
        (2107, 12, 31, 23, 59, 58)
    };
    DateTime::from_date_and_time(fields.0, fields.1, fields.2, fields.3, fields.4, fields.5)
        .unwrap_or_default()
}

fn container() -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <container version=\"1.0\" xmlns=\"urn:oasis:names:tc:opendocument:xmlns:container\">\n\
         <rootfiles>\n\
         <rootfile full-path=\"{ROOT}/content.opf\" media-type=\"application/oebps-package+xml\"/>\n\
         </rootfiles>\n\
         </container>\n"
    )
}

/// Manifest ids: the file's path with what an XML name cannot hold replaced, unique.
fn manifest_ids(items: &[Item]) -> Vec<String> {
    let mut taken: std::collections::BTreeSet<String> =
        ["nav", "ncx"].iter().map(|s| s.to_string()).collect();
    items
        .iter()
        .map(|item| {
            let mut base: String = item
                .href
                .chars()
                .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
                .collect();
            if !base.starts_with(|c: char| c.is_ascii_alphabetic()) {
                base.insert_str(0, "item-");
            }
            let mut id = base.clone();
            let mut n = 2;
            while !taken.insert(id.clone()) {
                id = format!("{base}-{n}");
                n += 1;
            }
            id
        })
        .collect()
}

/// Manifest properties an XHTML content document needs for what it holds: `mathml`, `svg`
/// (inline) and `scripted`. Text is escaped, so `<math` can only be the start of an element.
fn content_properties(item: &Item) -> Vec<&'static str> {
    let mut out = Vec::new();
    if item.media_type != "application/xhtml+xml" {
        return out;
    }
    let Ok(text) = std::str::from_utf8(&item.bytes) else {
        return out;
    };
    for (tag, property) in [
        ("<math", "mathml"),
        ("<svg", "svg"),
        ("<script", "scripted"),
    ] {
        if text.contains(tag) {
            out.push(property);
        }
    }
    out
}

fn dir(rtl: bool) -> &'static str {
    if rtl {
        "rtl"
    } else {
        "ltr"
    }
}

fn opf(p: &Package, ids: &[String]) -> String {
    let lang = escape::attr(&p.lang);
    let mut o = String::with_capacity(4096);
    o.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    o.push_str(&format!(
        "<package xmlns=\"http://www.idpf.org/2007/opf\" version=\"3.0\" unique-identifier=\"pub-id\" xml:lang=\"{lang}\" dir=\"{}\">\n",
        dir(p.rtl)
    ));
    o.push_str("<metadata xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n");
    o.push_str(&format!(
        "<dc:identifier id=\"pub-id\">{}</dc:identifier>\n",
        escape::text(&p.identifier)
    ));
    if let Some(other) = &p.other_identifier {
        o.push_str(&format!(
            "<dc:identifier id=\"other-id\">{}</dc:identifier>\n",
            escape::text(other)
        ));
    }
    o.push_str(&format!(
        "<dc:title id=\"title\">{}</dc:title>\n",
        escape::text(&p.title)
    ));
    if let Some(subtitle) = &p.subtitle {
        // EPUB 3 has no subtitle element: a second title, refined as the subtitle.
        o.push_str("<meta refines=\"#title\" property=\"title-type\">main</meta>\n");
        o.push_str(&format!(
            "<dc:title id=\"subtitle\">{}</dc:title>\n\
             <meta refines=\"#subtitle\" property=\"title-type\">subtitle</meta>\n",
            escape::text(subtitle)
        ));
    }
    o.push_str(&format!("<dc:language>{lang}</dc:language>\n"));
    for (i, author) in p.authors.iter().enumerate() {
        let id = format!("creator-{}", i + 1);
        o.push_str(&format!(
            "<dc:creator id=\"{id}\">{}</dc:creator>\n\
             <meta refines=\"#{id}\" property=\"role\" scheme=\"marc:relators\">aut</meta>\n",
            escape::text(author)
        ));
    }
    if let Some(description) = &p.description {
        o.push_str(&format!(
            "<dc:description>{}</dc:description>\n",
            escape::text(description)
        ));
    }
    for subject in &p.subjects {
        o.push_str(&format!(
            "<dc:subject>{}</dc:subject>\n",
            escape::text(subject)
        ));
    }
    if let Some(rights) = &p.rights {
        o.push_str(&format!(
            "<dc:rights>{}</dc:rights>\n",
            escape::text(rights)
        ));
    }
    if let Some(date) = &p.date {
        o.push_str(&format!("<dc:date>{}</dc:date>\n", escape::text(date)));
    }
    if let Some(source) = &p.source {
        o.push_str(&format!(
            "<dc:source>{}</dc:source>\n",
            escape::text(source)
        ));
        // EPUB Accessibility 1.1 names the edition the page breaks come from with its own
        // property; readers and checkers (DAISY Ace) look for it rather than `dc:source`.
        o.push_str(&format!(
            "<meta property=\"pageBreakSource\">{}</meta>\n",
            escape::text(source)
        ));
    }
    o.push_str(&format!(
        "<meta property=\"dcterms:modified\">{}</meta>\n",
        p.modified.format("%Y-%m-%dT%H:%M:%SZ")
    ));
    for (property, value, lang) in &p.properties {
        o.push_str(&format!("<meta property=\"{property}\""));
        if let Some(lang) = lang {
            o.push_str(&format!(" xml:lang=\"{lang}\""));
        }
        o.push_str(&format!(">{}</meta>\n", escape::text(value)));
    }
    // For EPUB 2 reading systems, which find the cover through this.
    if let Some(i) = p.items.iter().position(|i| i.cover_image) {
        o.push_str(&format!("<meta name=\"cover\" content=\"{}\"/>\n", ids[i]));
    }
    o.push_str("</metadata>\n<manifest>\n");
    o.push_str("<item id=\"nav\" href=\"nav.xhtml\" media-type=\"application/xhtml+xml\" properties=\"nav\"/>\n");
    o.push_str("<item id=\"ncx\" href=\"toc.ncx\" media-type=\"application/x-dtbncx+xml\"/>\n");
    for (item, id) in p.items.iter().zip(ids) {
        let mut properties = content_properties(item);
        if item.cover_image {
            properties.push("cover-image");
        }
        o.push_str(&format!(
            "<item id=\"{id}\" href=\"{}\" media-type=\"{}\"",
            escape::attr(&escape::href(&item.href)),
            item.media_type
        ));
        if !properties.is_empty() {
            o.push_str(&format!(" properties=\"{}\"", properties.join(" ")));
        }
        o.push_str("/>\n");
    }
    o.push_str("</manifest>\n");
    o.push_str(&format!(
        "<spine toc=\"ncx\" page-progression-direction=\"{}\">\n",
        dir(p.rtl)
    ));
    for (item, id) in p.items.iter().zip(ids) {
        if item.spine {
            o.push_str(&format!("<itemref idref=\"{id}\"/>\n"));
        }
    }
    o.push_str("</spine>\n</package>\n");
    o
}

/// The navigation document: contents, landmarks and (when there are page breaks) the
/// page-list, each a labelled landmark with the ARIA role of its `epub:type`.
fn nav(p: &Package) -> String {
    let lang = escape::attr(&p.lang);
    let mut o = String::with_capacity(4096);
    o.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE html>\n");
    o.push_str(&format!(
        "<html xmlns=\"http://www.w3.org/1999/xhtml\" xmlns:epub=\"http://www.idpf.org/2007/ops\" lang=\"{lang}\" xml:lang=\"{lang}\" dir=\"{}\">\n",
        dir(p.rtl)
    ));
    o.push_str("<head>\n<meta charset=\"UTF-8\"/>\n<title>");
    escape::push_text(&mut o, &p.contents_label);
    o.push_str("</title>\n<link rel=\"stylesheet\" type=\"text/css\" href=\"stylesheet.css\"/>\n</head>\n<body>\n");
    o.push_str("<nav epub:type=\"toc\" role=\"doc-toc\" id=\"toc\" aria-labelledby=\"toc-title\">\n<h1 id=\"toc-title\">");
    escape::push_text(&mut o, &p.contents_label);
    o.push_str("</h1>\n");
    nav_list(&mut o, &p.toc);
    o.push_str("</nav>\n");
    if !p.landmarks.is_empty() {
        // Landmarks are for the reading system's menus, not read in the text: hidden, as the
        // EPUB specification suggests, and labelled, since a page may hold only one unlabelled
        // navigation landmark.
        o.push_str("<nav epub:type=\"landmarks\" id=\"landmarks\" aria-labelledby=\"landmarks-title\" hidden=\"hidden\">\n<h2 id=\"landmarks-title\">");
        escape::push_text(&mut o, &p.landmarks_label);
        o.push_str("</h2>\n<ol>\n");
        for l in &p.landmarks {
            o.push_str(&format!(
                "<li><a epub:type=\"{}\" href=\"{}\">",
                l.kind,
                escape::attr(&l.href)
            ));
            escape::push_text(&mut o, &l.label);
            o.push_str("</a></li>\n");
        }
        o.push_str("</ol>\n</nav>\n");
    }
    if !p.pages.is_empty() {
        o.push_str("<nav epub:type=\"page-list\" role=\"doc-pagelist\" id=\"page-list\" aria-labelledby=\"page-list-title\" hidden=\"hidden\">\n<h2 id=\"page-list-title\">");
        escape::push_text(&mut o, &p.pages_label);
        o.push_str("</h2>\n<ol>\n");
        for (label, href) in &p.pages {
            o.push_str(&format!("<li><a href=\"{}\">", escape::attr(href)));
            escape::push_text(&mut o, label);
            o.push_str("</a></li>\n");
        }
        o.push_str("</ol>\n</nav>\n");
    }
    o.push_str("</body>\n</html>\n");
    o
}

fn nav_list(o: &mut String, list: &[NavPoint]) {
    o.push_str("<ol>\n");
    for point in list {
        o.push_str(&format!("<li><a href=\"{}\">", escape::attr(&point.href)));
        escape::push_text(o, &point.title);
        o.push_str("</a>");
        if !point.children.is_empty() {
            o.push('\n');
            nav_list(o, &point.children);
        }
        o.push_str("</li>\n");
    }
    o.push_str("</ol>\n");
}

fn depth(list: &[NavPoint]) -> usize {
    list.iter()
        .map(|p| 1 + depth(&p.children))
        .max()
        .unwrap_or(0)
}

/// The NCX, for EPUB 2 reading systems: the same contents, nested the same way.
fn ncx(p: &Package) -> String {
    let mut o = String::with_capacity(4096);
    o.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    o.push_str(&format!(
        "<ncx xmlns=\"http://www.daisy.org/z3986/2005/ncx/\" version=\"2005-1\" xml:lang=\"{}\">\n<head>\n",
        escape::attr(&p.lang)
    ));
    o.push_str(&format!(
        "<meta name=\"dtb:uid\" content=\"{}\"/>\n<meta name=\"dtb:depth\" content=\"{}\"/>\n\
         <meta name=\"dtb:totalPageCount\" content=\"{}\"/>\n<meta name=\"dtb:maxPageNumber\" content=\"0\"/>\n",
        escape::attr(&p.identifier),
        depth(&p.toc).max(1),
        p.pages.len()
    ));
    o.push_str("</head>\n<docTitle><text>");
    escape::push_text(&mut o, &p.title);
    o.push_str("</text></docTitle>\n<navMap>\n");
    let mut order = 0;
    nav_points(&mut o, &p.toc, &mut order);
    o.push_str("</navMap>\n");
    if !p.pages.is_empty() {
        o.push_str("<pageList>\n<navLabel><text>");
        escape::push_text(&mut o, &p.pages_label);
        o.push_str("</text></navLabel>\n");
        for (i, (label, href)) in p.pages.iter().enumerate() {
            o.push_str(&format!(
                "<pageTarget id=\"page-{}\" type=\"normal\" value=\"{}\"><navLabel><text>",
                i + 1,
                escape::attr(label)
            ));
            escape::push_text(&mut o, label);
            o.push_str(&format!(
                "</text></navLabel><content src=\"{}\"/></pageTarget>\n",
                escape::attr(href)
            ));
        }
        o.push_str("</pageList>\n");
    }
    o.push_str("</ncx>\n");
    o
}

fn nav_points(o: &mut String, list: &[NavPoint], order: &mut usize) {
    for point in list {
        *order += 1;
        o.push_str(&format!(
            "<navPoint id=\"nav-{0}\" playOrder=\"{0}\"><navLabel><text>",
            order
        ));
        escape::push_text(o, &point.title);
        o.push_str(&format!(
            "</text></navLabel><content src=\"{}\"/>\n",
            escape::attr(&point.href)
        ));
        nav_points(o, &point.children, order);
        o.push_str("</navPoint>\n");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn point(level: u8, title: &str) -> NavPoint {
        NavPoint {
            level,
            href: format!("{title}.xhtml"),
            title: title.into(),
            children: Vec::new(),
        }
    }

    #[test]
    fn entries_nest_by_level_and_skipped_levels_nest_one_step() {
        let mut toc = Vec::new();
        for (level, title) in [
            (1, "a"),
            (2, "a1"),
            (4, "a1x"),
            (3, "a1y"),
            (2, "a2"),
            (1, "b"),
        ] {
            nest(&mut toc, point(level, title));
        }
        let shape: Vec<(String, Vec<String>)> = toc
            .iter()
            .map(|p| {
                (
                    p.title.clone(),
                    p.children.iter().map(|c| c.title.clone()).collect(),
                )
            })
            .collect();
        assert_eq!(
            shape,
            vec![
                ("a".into(), vec!["a1".into(), "a2".into()]),
                ("b".into(), vec![])
            ]
        );
        // a1x (level 4) and a1y (level 3) both sit one step under a1.
        assert_eq!(toc[0].children[0].children.len(), 2);
        assert_eq!(depth(&toc), 3);
    }

    #[test]
    fn zip_times_clamp_to_the_dos_range() {
        let t = |secs| chrono::DateTime::from_timestamp(secs, 0).unwrap();
        assert_eq!(
            zip_time(t(0)),
            DateTime::from_date_and_time(1980, 1, 1, 0, 0, 0).unwrap()
        );
        let d = zip_time(t(1_700_000_000));
        assert_eq!((d.year(), d.month(), d.day()), (2023, 11, 14));
    }

    #[test]
    fn manifest_ids_are_xml_names_and_unique() {
        let item = |href: &str| Item {
            href: href.into(),
            media_type: "image/png",
            bytes: Vec::new(),
            spine: false,
            cover_image: false,
        };
        let ids = manifest_ids(&[item("images/a.png"), item("images-a.png"), item("1.png")]);
        assert_eq!(ids, ["images-a-png", "images-a-png-2", "item-1-png"]);
    }
}
