//! Image XObjects: raster images (PNG, GIF's first frame, WebP) as 8-bit samples with a soft
//! mask for transparency (a PNG's own compressed rows when PDF can read them as they are), JPEG
//! passed through untouched as DCTDecode, SVG as a vector Form XObject (see `pdf::svg`).

use crate::doc::{Asset, AssetKind};
use lopdf::{dictionary, Document, Object, ObjectId, Stream};
use std::io::Write;
use std::sync::Arc;

/// Whether `draw` can place this asset (the layout draws a placeholder for the others).
pub fn can_draw(asset: &Asset) -> bool {
    image_size(asset).is_some()
}

/// Pixel size of an image the writer can draw, `None` for one it cannot: a JPEG's from its
/// header, a raster image's once decoded (see [`raster`]), an SVG's once converted (in 96-dpi
/// pixels). Deciding both here keeps the layout and the writer from disagreeing.
pub fn image_size(asset: &Asset) -> Option<(u32, u32)> {
    match asset.kind {
        AssetKind::Png | AssetKind::Gif | AssetKind::Webp => {
            raster(asset).map(|r| (r.width, r.height))
        }
        AssetKind::Jpeg => jpeg_info(&asset.bytes).map(|(w, h, _)| (w, h)),
        AssetKind::Svg => {
            let (w, h) = crate::backend::pdf::svg::svg_size(&asset.bytes)?;
            Some((
                (w / 0.75).round().max(1.0) as u32,
                (h / 0.75).round().max(1.0) as u32,
            ))
        }
    }
}

/// Does the costly part of drawing every image of a document (decoding and compressing raster
/// images, converting SVGs) on the thread pool, so that it overlaps the layout instead of
/// waiting for the writer. The results land in the memos the layout and the writer read.
pub fn prepare_all<'a>(assets: impl IntoIterator<Item = &'a Asset>) {
    use rayon::prelude::*;
    let assets: Vec<&Asset> = assets.into_iter().collect();
    assets.par_iter().for_each(|a| {
        can_draw(a);
    });
}

/// Flate level for re-encoded samples. Measured on the Rust book's 3000×1500 screenshots:
/// level 2 compresses them 2.5 times as fast as level 6 for a stream 10% larger; PNG's row
/// filters made them larger still, and slower.
const IMAGE_LEVEL: u32 = 2;

/// A raster image as the PDF image XObject wants it: compressed samples and an optional soft
/// mask.
struct Raster {
    width: u32,
    height: u32,
    components: u8,
    /// zlib-compressed samples.
    data: Vec<u8>,
    /// `data` is a PNG's own IDAT stream: rows still carry PNG's filter bytes, which the
    /// reader undoes with `/Predictor 15`.
    predicted: bool,
    /// zlib-compressed alpha plane, when some pixel is not opaque.
    alpha: Option<Vec<u8>>,
}

type Memo = std::sync::Mutex<
    std::collections::HashMap<(u64, usize), Arc<std::sync::OnceLock<Option<Arc<Raster>>>>>,
>;

fn memo() -> &'static Memo {
    static MEMO: std::sync::OnceLock<Memo> = std::sync::OnceLock::new();
    MEMO.get_or_init(Default::default)
}

fn memo_key(bytes: &[u8]) -> (u64, usize) {
    use std::hash::{Hash, Hasher};
    let mut h = std::hash::DefaultHasher::new();
    bytes.hash(&mut h);
    (h.finish(), bytes.len())
}

/// Prepares a raster image once per document: the layout asks whether it can be drawn (a file
/// with a good header but corrupt data cannot) and the writer needs its streams, and a book's
/// large screenshots are worth decoding and compressing only once. The memo holds compressed
/// data only, and the writer takes each entry out once it has used it ([`release`]), so a batch
/// of image-heavy documents does not accumulate them.
fn raster(asset: &Asset) -> Option<Arc<Raster>> {
    let bytes = &asset.bytes;
    let decode = || {
        let r = match asset.kind {
            AssetKind::Png => png_raster(bytes),
            AssetKind::Gif => gif_raster(bytes),
            AssetKind::Webp => webp_raster(bytes),
            AssetKind::Jpeg | AssetKind::Svg => None,
        };
        r.map(Arc::new)
    };
    let key = memo_key(bytes);
    let cell = match memo().lock() {
        Ok(mut map) if map.len() < 4096 || map.contains_key(&key) => {
            map.entry(key).or_default().clone()
        }
        _ => return decode(),
    };
    cell.get_or_init(decode).clone()
}

/// Forgets a prepared raster image (the writer's last use of it).
fn release(asset: &Asset) {
    if let Ok(mut map) = memo().lock() {
        map.remove(&memo_key(&asset.bytes));
    }
}

/// Compresses decoded rows one at a time, splitting off the alpha channel: a 3000×1500
/// screenshot never sits in memory decoded. Writing into a Vec cannot fail.
struct RowEncoder {
    components: usize,
    has_alpha: bool,
    samples: flate2::write::ZlibEncoder<Vec<u8>>,
    alpha: flate2::write::ZlibEncoder<Vec<u8>>,
    opaque: bool,
    row_samples: Vec<u8>,
    row_alpha: Vec<u8>,
    rows: u32,
}

impl RowEncoder {
    /// Rows of `components` (1 grey, 3 RGB) 8-bit samples per pixel, plus alpha if `has_alpha`.
    fn new(components: usize, has_alpha: bool) -> RowEncoder {
        let encoder =
            || flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::new(IMAGE_LEVEL));
        RowEncoder {
            components,
            has_alpha,
            samples: encoder(),
            alpha: encoder(),
            opaque: true,
            row_samples: Vec::new(),
            row_alpha: Vec::new(),
            rows: 0,
        }
    }

    fn push(&mut self, row: &[u8]) {
        self.rows += 1;
        if !self.has_alpha {
            let _ = self.samples.write_all(row);
            return;
        }
        let components = self.components;
        let pixels = row.len() / (components + 1);
        self.row_samples.resize(pixels * components, 0);
        self.row_alpha.resize(pixels, 0);
        let mut all = 255;
        if components == 3 {
            let split = row
                .chunks_exact(4)
                .zip(self.row_samples.chunks_exact_mut(3));
            for ((px, rgb), a) in split.zip(self.row_alpha.iter_mut()) {
                rgb.copy_from_slice(&px[..3]);
                *a = px[3];
                all &= px[3];
            }
        } else {
            for ((px, g), a) in row
                .chunks_exact(2)
                .zip(self.row_samples.iter_mut())
                .zip(self.row_alpha.iter_mut())
            {
                *g = px[0];
                *a = px[1];
                all &= px[1];
            }
        }
        self.opaque &= all == 255;
        let _ = self.samples.write_all(&self.row_samples);
        let _ = self.alpha.write_all(&self.row_alpha);
    }

    /// The image, when exactly `height` rows of `width` pixels came in. A fully opaque alpha
    /// channel (common in screenshots) needs no soft mask.
    fn finish(self, width: u32, height: u32) -> Option<Raster> {
        if self.rows != height || width == 0 || height == 0 {
            return None;
        }
        Some(Raster {
            width,
            height,
            components: self.components as u8,
            data: self.samples.finish().ok()?,
            predicted: false,
            alpha: if self.opaque {
                None
            } else {
                self.alpha.finish().ok()
            },
        })
    }
}

fn png_raster(bytes: &[u8]) -> Option<Raster> {
    let mut decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
    let mut reader = decoder.read_info().ok()?;
    let header = reader.info();
    let (width, height, interlaced) = (header.width, header.height, header.interlaced);
    // Eight-bit grey or RGB without transparency, not interlaced: PDF's Flate filter with PNG
    // predictors reads the file's own compressed rows, so nothing is recompressed. The rows are
    // still decoded below, so a damaged file is caught here and not in the reader's viewer.
    let passthrough = header.bit_depth == png::BitDepth::Eight
        && !interlaced
        && header.trns.is_none()
        && matches!(
            header.color_type,
            png::ColorType::Grayscale | png::ColorType::Rgb
        );
    let (color_type, depth) = reader.output_color_type();
    let (components, has_alpha) = match color_type {
        png::ColorType::Grayscale => (1, false),
        png::ColorType::GrayscaleAlpha => (1, true),
        png::ColorType::Rgb => (3, false),
        png::ColorType::Rgba => (3, true),
        png::ColorType::Indexed => return None,
    };
    if depth != png::BitDepth::Eight {
        return None;
    }
    let mut rows = RowEncoder::new(components, has_alpha && !passthrough);
    if interlaced {
        // Interlaced rows arrive pass by pass: the whole image is assembled first.
        let mut buf = vec![0; reader.output_buffer_size()?];
        let info = reader.next_frame(&mut buf).ok()?;
        for row in buf[..info.buffer_size()].chunks_exact(info.line_size) {
            rows.push(row);
        }
    } else if passthrough {
        let mut count = 0;
        while reader.next_row().ok()?.is_some() {
            count += 1;
        }
        return (count == height).then_some(Raster {
            width,
            height,
            components: components as u8,
            data: idat(bytes)?,
            predicted: true,
            alpha: None,
        });
    } else {
        while let Some(row) = reader.next_row().ok()? {
            rows.push(row.data());
        }
    }
    rows.finish(width, height)
}

/// The largest picture decoded whole (GIF and WebP are decoded in one piece): 64 megapixels, a
/// quarter of a gigabyte. A file claiming more gets the framed box, not an abort for memory.
const MAX_PIXELS: usize = 1 << 26;

/// A GIF's first frame (an animation shows its first picture on paper), composed on the
/// logical screen with transparency.
fn gif_raster(bytes: &[u8]) -> Option<Raster> {
    let mut options = gif::DecodeOptions::new();
    options.set_color_output(gif::ColorOutput::RGBA);
    let mut decoder = options.read_info(std::io::Cursor::new(bytes)).ok()?;
    let (width, height) = (usize::from(decoder.width()), usize::from(decoder.height()));
    if width.checked_mul(height)? > MAX_PIXELS {
        return None;
    }
    let frame = decoder.read_next_frame().ok()??;
    let mut canvas = vec![0u8; width.checked_mul(height)?.checked_mul(4)?];
    let (fw, fh) = (usize::from(frame.width), usize::from(frame.height));
    let (left, top) = (usize::from(frame.left), usize::from(frame.top));
    for y in 0..fh.min(height.saturating_sub(top)) {
        let cols = fw.min(width.saturating_sub(left));
        let src = frame.buffer.get(y * fw * 4..(y * fw + cols) * 4)?;
        let at = ((top + y) * width + left) * 4;
        canvas[at..at + cols * 4].copy_from_slice(src);
    }
    let mut rows = RowEncoder::new(3, true);
    for row in canvas.chunks_exact(width * 4) {
        rows.push(row);
    }
    rows.finish(width as u32, height as u32)
}

/// A WebP picture (the first frame of an animation).
fn webp_raster(bytes: &[u8]) -> Option<Raster> {
    let mut decoder = image_webp::WebPDecoder::new(std::io::Cursor::new(bytes)).ok()?;
    let (width, height) = decoder.dimensions();
    if (width as usize).checked_mul(height as usize)? > MAX_PIXELS {
        return None;
    }
    let has_alpha = decoder.has_alpha();
    let mut buf = vec![0; decoder.output_buffer_size()?];
    decoder.read_image(&mut buf).ok()?;
    let stride = width as usize * if has_alpha { 4 } else { 3 };
    let mut rows = RowEncoder::new(3, has_alpha);
    for row in buf.chunks_exact(stride.max(1)) {
        rows.push(row);
    }
    rows.finish(width, height)
}

/// The concatenated IDAT chunks of a PNG: one zlib stream of filtered rows.
fn idat(bytes: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let mut i = 8;
    while i + 12 <= bytes.len() {
        let len = u32::from_be_bytes(bytes[i..i + 4].try_into().ok()?) as usize;
        let kind = &bytes[i + 4..i + 8];
        let body = bytes.get(i + 8..(i + 8).checked_add(len)?)?;
        if kind == b"IDAT" {
            out.extend_from_slice(body);
        } else if kind == b"IEND" {
            break;
        }
        i += 12 + len;
    }
    (!out.is_empty()).then_some(out)
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
        AssetKind::Png | AssetKind::Gif | AssetKind::Webp => {
            let png = raster(asset)?;
            let mut dict = dictionary! {
                "Type" => "XObject",
                "Subtype" => "Image",
                "Width" => png.width,
                "Height" => png.height,
                "ColorSpace" => gray_or_rgb(png.components),
                "BitsPerComponent" => 8,
                "Filter" => "FlateDecode",
            };
            if png.predicted {
                dict.set(
                    "DecodeParms",
                    dictionary! {
                        "Predictor" => 15,
                        "Colors" => i64::from(png.components),
                        "BitsPerComponent" => 8,
                        "Columns" => png.width,
                    },
                );
            }
            if let Some(alpha) = &png.alpha {
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
                    alpha.clone(),
                )
                .with_compression(false);
                dict.set("SMask", doc.add_object(mask));
            }
            let stream = Stream::new(dict, png.data.clone()).with_compression(false);
            release(asset);
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
    }
}
