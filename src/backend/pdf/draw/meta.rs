//! Document metadata: the Info dictionary and the XMP packet carrying the same facts.

use super::pdfstr::{pdf_date, text_string, xmp_date};
use super::PdfInfo;
use lopdf::{dictionary, Dictionary, Document, ObjectId, Stream};

/// The producer string written in both Info and XMP.
pub(crate) const PRODUCER: &str = concat!("bindery ", env!("CARGO_PKG_VERSION"));

/// Adds the Info dictionary.
pub(crate) fn info_dict(doc: &mut Document, info: &PdfInfo) -> ObjectId {
    let date = info.date.unwrap_or(0);
    let mut dict: Dictionary = dictionary! {
        "Title" => text_string(&info.title),
        "Creator" => text_string("bindery"),
        "Producer" => text_string(PRODUCER),
        "CreationDate" => pdf_date(date),
        "ModDate" => pdf_date(date),
    };
    if !info.authors.is_empty() {
        dict.set("Author", text_string(&info.authors.join(", ")));
    }
    if let Some(subject) = &info.subject {
        dict.set("Subject", text_string(subject));
    }
    if !info.keywords.is_empty() {
        dict.set("Keywords", text_string(&info.keywords.join(", ")));
    }
    doc.add_object(dict)
}

fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            // XML 1.0 forbids most control characters even as references.
            c if c.is_control() && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

/// Adds the XMP metadata stream (uncompressed, as readers that scan for XMP expect).
pub(crate) fn xmp_stream(doc: &mut Document, info: &PdfInfo) -> ObjectId {
    let date = xmp_date(info.date.unwrap_or(0));
    let mut x = String::new();
    x.push_str("<?xpacket begin=\"\u{FEFF}\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n");
    x.push_str("<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n");
    x.push_str("<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n");
    x.push_str("<rdf:Description rdf:about=\"\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\" xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\">\n");
    x.push_str("<dc:format>application/pdf</dc:format>\n");
    let lang = if info.lang.is_empty() {
        "x-default"
    } else {
        info.lang.as_str()
    };
    x.push_str(&format!(
        "<dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">{}</rdf:li></rdf:Alt></dc:title>\n",
        esc(&info.title)
    ));
    if !info.authors.is_empty() {
        x.push_str("<dc:creator><rdf:Seq>");
        for a in &info.authors {
            x.push_str(&format!("<rdf:li>{}</rdf:li>", esc(a)));
        }
        x.push_str("</rdf:Seq></dc:creator>\n");
    }
    if let Some(subject) = &info.subject {
        x.push_str(&format!(
            "<dc:description><rdf:Alt><rdf:li xml:lang=\"x-default\">{}</rdf:li></rdf:Alt></dc:description>\n",
            esc(subject)
        ));
    }
    if !info.keywords.is_empty() {
        x.push_str("<dc:subject><rdf:Bag>");
        for k in &info.keywords {
            x.push_str(&format!("<rdf:li>{}</rdf:li>", esc(k)));
        }
        x.push_str("</rdf:Bag></dc:subject>\n");
        x.push_str(&format!(
            "<pdf:Keywords>{}</pdf:Keywords>\n",
            esc(&info.keywords.join(", "))
        ));
    }
    x.push_str(&format!(
        "<dc:language><rdf:Bag><rdf:li>{}</rdf:li></rdf:Bag></dc:language>\n",
        esc(lang)
    ));
    x.push_str(&format!("<pdf:Producer>{}</pdf:Producer>\n", esc(PRODUCER)));
    x.push_str("<xmp:CreatorTool>bindery</xmp:CreatorTool>\n");
    x.push_str(&format!("<xmp:CreateDate>{date}</xmp:CreateDate>\n"));
    x.push_str(&format!("<xmp:ModifyDate>{date}</xmp:ModifyDate>\n"));
    x.push_str(&format!("<xmp:MetadataDate>{date}</xmp:MetadataDate>\n"));
    x.push_str("</rdf:Description>\n</rdf:RDF>\n</x:xmpmeta>\n<?xpacket end=\"w\"?>");
    let stream = Stream::new(
        dictionary! { "Type" => "Metadata", "Subtype" => "XML" },
        x.into_bytes(),
    )
    .with_compression(false);
    doc.add_object(stream)
}
