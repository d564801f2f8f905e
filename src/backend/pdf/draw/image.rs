//! Image XObjects: PNG decoded to 8-bit samples with a soft mask for alpha, JPEG passed
//! through untouched as DCTDecode, SVG as a vector Form XObject (see `pdf::svg`).

use super::pdfstr::deflate_at;

/// Flate level for decoded image samples (zlib's default; level 1 was measured on the Rust book:
/// 10% faster overall but a 15% larger PDF, not worth it).
const IMAGE_LEVEL: u32 = 6;
use crate::doc::{Asset, AssetKind};
use lopdf::{dictionary, Document, Object, ObjectId, Stream};

/// Whether `draw` can place this asset (the layout draws a placeholder for the others).
pub fn can_draw(asset: &Asset) -> bool {
    match asset.kind {
        AssetKind::Png => decode_png(&asset.bytes, false).is_some(),
        AssetKind::Jpeg => jpeg_info(&asset.bytes).is_some(),
        AssetKind::Svg => crate::backend::pdf::svg::svg_size(&asset.bytes).is_some(),
        AssetKind::Gif | AssetKind::Webp => false,
    }
}

/// Decoded PNG: width, height, colour components (1 or 3), samples, optional alpha plane.
struct Png {
    width: u32,
    height: u32,
    components: u8,
    samples: Vec<u8>,
    alpha: Option<Vec<u8>>,
}

/// Decodes a PNG once per process: the layout asks whether it can be drawn and the writer
/// needs its samples, and the book's larger figures are worth not decoding twice.
///
/// `take` hands the decoded image over and forgets it (the writer's last use), so a book's
/// large screenshots do not stay in memory for the rest of the process.
fn decode_png(bytes: &[u8], take: bool) -> Option<std::sync::Arc<Png>> {
    use std::collections::HashMap;
    use std::hash::{Hash, Hasher};
    use std::sync::{Arc, Mutex, OnceLock};
    type Memo = Mutex<HashMap<(u64, usize), Arc<OnceLock<Option<Arc<Png>>>>>>;
    static MEMO: OnceLock<Memo> = OnceLock::new();
    let mut h = std::hash::DefaultHasher::new();
    bytes.hash(&mut h);
    let key = (h.finish(), bytes.len());
    let cell = match MEMO.get_or_init(Default::default).lock() {
        Ok(mut map) if map.len() < 256 || map.contains_key(&key) => {
            map.entry(key).or_default().clone()
        }
        _ => return decode_png_uncached(bytes).map(Arc::new),
    };
    let png = cell
        .get_or_init(|| decode_png_uncached(bytes).map(Arc::new))
        .clone();
    if take {
        if let Ok(mut map) = MEMO.get_or_init(Default::default).lock() {
            map.remove(&key);
        }
    }
    png
}

fn decode_png_uncached(bytes: &[u8]) -> Option<Png> {
    let mut decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
    let mut reader = decoder.read_info().ok()?;
    let mut buf = vec![0; reader.output_buffer_size()?];
    let info = reader.next_frame(&mut buf).ok()?;
    buf.truncate(info.buffer_size());
    let (components, has_alpha) = match info.color_type {
        png::ColorType::Grayscale => (1, false),
        png::ColorType::GrayscaleAlpha => (1, true),
        png::ColorType::Rgb => (3, false),
        png::ColorType::Rgba => (3, true),
        png::ColorType::Indexed => return None,
    };
    if info.bit_depth != png::BitDepth::Eight {
        return None;
    }
    let (samples, alpha) = if has_alpha {
        let stride = components + 1;
        let mut samples = Vec::with_capacity(buf.len());
        let mut alpha = Vec::with_capacity(buf.len() / stride);
        for px in buf.chunks_exact(stride) {
            samples.extend_from_slice(&px[..components]);
            alpha.push(px[components]);
        }
        // A fully opaque alpha channel needs no mask.
        let alpha = if alpha.iter().all(|&a| a == 255) {
            None
        } else {
            Some(alpha)
        };
        (samples, alpha)
    } else {
        (buf, None)
    };
    Some(Png {
        width: info.width,
        height: info.height,
        components: components as u8,
        samples,
        alpha,
    })
}

/// JPEG dimensions and component count from its start-of-frame marker.
fn jpeg_info(bytes: &[u8]) -> Option<(u32, u32, u8)> {
    if bytes.get(..2)? != [0xFF, 0xD8] {
        return None;
    }
    let mut i = 2;
    while i + 4 <= bytes.len() {
        if bytes[i] != 0xFF {
            return None;
        }
        let marker = bytes[i + 1];
        if marker == 0xFF {
            i += 1;
            continue;
        }
        let len = usize::from(u16::from_be_bytes([bytes[i + 2], bytes[i + 3]]));
        let is_sof = matches!(marker, 0xC0..=0xCF) && !matches!(marker, 0xC4 | 0xC8 | 0xCC);
        if is_sof {
            let seg = bytes.get(i + 4..i + 2 + len)?;
            let h = u32::from(u16::from_be_bytes([*seg.get(1)?, *seg.get(2)?]));
            let w = u32::from(u16::from_be_bytes([*seg.get(3)?, *seg.get(4)?]));
            let n = *seg.get(5)?;
            return (w > 0 && h > 0 && matches!(n, 1 | 3 | 4)).then_some((w, h, n));
        }
        i += 2 + len;
    }
    None
}

fn gray_or_rgb(components: u8) -> &'static str {
    if components == 1 {
        "DeviceGray"
    } else {
        "DeviceRGB"
    }
}

/// Adds the image XObject for an asset; `None` for kinds or files it cannot draw.
pub(crate) fn add_image(doc: &mut Document, asset: &Asset) -> Option<ObjectId> {
    match asset.kind {
        AssetKind::Png => {
            let png = decode_png(&asset.bytes, true)?;
            let mut dict = dictionary! {
                "Type" => "XObject",
                "Subtype" => "Image",
                "Width" => png.width,
                "Height" => png.height,
                "ColorSpace" => gray_or_rgb(png.components),
                "BitsPerComponent" => 8,
                "Filter" => "FlateDecode",
            };
            // A fully opaque alpha channel (common in screenshots) needs no soft mask.
            let alpha = png.alpha.as_ref().filter(|a| a.iter().any(|&v| v != 255));
            if let Some(alpha) = alpha {
                let mask = Stream::new(
                    dictionary! {
                        "Type" => "XObject",
                        "Subtype" => "Image",
                        "Width" => png.width,
                        "Height" => png.height,
                        "ColorSpace" => "DeviceGray",
                        "BitsPerComponent" => 8,
                        "Filter" => "FlateDecode",
                    },
                    deflate_at(alpha, IMAGE_LEVEL),
                )
                .with_compression(false);
                dict.set("SMask", doc.add_object(mask));
            }
            let stream =
                Stream::new(dict, deflate_at(&png.samples, IMAGE_LEVEL)).with_compression(false);
            Some(doc.add_object(stream))
        }
        AssetKind::Jpeg => {
            let (w, h, n) = jpeg_info(&asset.bytes)?;
            let mut dict = dictionary! {
                "Type" => "XObject",
                "Subtype" => "Image",
                "Width" => w,
                "Height" => h,
                "BitsPerComponent" => 8,
                "Filter" => "DCTDecode",
            };
            match n {
                4 => {
                    // Adobe CMYK JPEGs store inverted samples.
                    dict.set("ColorSpace", "DeviceCMYK");
                    dict.set(
                        "Decode",
                        (0..4)
                            .flat_map(|_| [Object::Integer(1), Object::Integer(0)])
                            .collect::<Vec<_>>(),
                    );
                }
                _ => dict.set("ColorSpace", gray_or_rgb(n)),
            }
            let stream = Stream::new(dict, asset.bytes.clone()).with_compression(false);
            Some(doc.add_object(stream))
        }
        // A vector Form XObject of 1×1 units, placed by the same `cm` as an image.
        AssetKind::Svg => crate::backend::pdf::svg::add_form(doc, &asset.bytes),
        AssetKind::Gif | AssetKind::Webp => None,
    }
}
