//! Image probing, in one place for the layout and the writer: whether an asset can be drawn and
//! its size in pixels.
//!
//! A raster file with a good header but damaged data cannot be drawn, so PNG, GIF and WebP are
//! decoded here once (row by row where the format allows, and never past [`MAX_PIXELS`]), and
//! the layout draws a framed placeholder for whatever fails. The writer then only draws what
//! passed. JPEG is passed through to the file as it is, so its header is enough; an SVG is
//! parsed ([`super::svg`]).

use crate::doc::{Asset, AssetKind};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

/// Whether a paged backend can draw this asset (the layout draws a placeholder for the others).
pub fn can_draw(asset: &Asset) -> bool {
    image_size(asset).is_some()
}

/// Pixel size of an image that can be drawn, `None` for one that cannot: a JPEG's from its
/// header, a raster image's once decoded, an SVG's once parsed (in 96-dpi pixels).
pub fn image_size(asset: &Asset) -> Option<(u32, u32)> {
    match asset.kind {
        AssetKind::Png | AssetKind::Gif | AssetKind::Webp => raster_size(asset),
        AssetKind::Jpeg => jpeg_size(asset),
        AssetKind::Svg => {
            let (w, h) = super::svg::svg_size(&asset.bytes)?;
            Some((
                (w / 0.75).round().max(1.0) as u32,
                (h / 0.75).round().max(1.0) as u32,
            ))
        }
    }
}

/// Probes every image of a document on the thread pool, so that decoding overlaps the layout.
pub fn prepare_all<'a>(assets: impl IntoIterator<Item = &'a Asset>) {
    use rayon::prelude::*;
    let assets: Vec<&Asset> = assets.into_iter().collect();
    assets.par_iter().for_each(|a| {
        can_draw(a);
    });
}

/// The largest picture decoded whole (GIF, WebP and interlaced PNG are decoded in one piece):
/// 64 megapixels, a quarter of a gigabyte. A file claiming more gets the framed box, not an
/// abort for memory.
pub const MAX_PIXELS: usize = 1 << 26;

type Memo = Mutex<HashMap<(u64, usize), Arc<OnceLock<Option<(u32, u32)>>>>>;

fn memo() -> &'static Memo {
    static MEMO: OnceLock<Memo> = OnceLock::new();
    MEMO.get_or_init(Default::default)
}

fn memo_key(bytes: &[u8]) -> (u64, usize) {
    use std::hash::{Hash, Hasher};
    let mut h = std::hash::DefaultHasher::new();
    bytes.hash(&mut h);
    (h.finish(), bytes.len())
}

/// A raster image's size once its data decoded cleanly; probed once per process and file (the
/// layout asks for every placement).
fn raster_size(asset: &Asset) -> Option<(u32, u32)> {
    let bytes = &asset.bytes;
    let decode = || match asset.kind {
        AssetKind::Png => png_size(bytes),
        AssetKind::Gif => gif_size(bytes),
        AssetKind::Webp => webp_size(bytes),
        AssetKind::Jpeg | AssetKind::Svg => None,
    };
    let key = memo_key(bytes);
    let cell = match memo().lock() {
        Ok(mut map) if map.len() < 4096 || map.contains_key(&key) => {
            map.entry(key).or_default().clone()
        }
        _ => return decode(),
    };
    *cell.get_or_init(decode)
}

fn png_size(bytes: &[u8]) -> Option<(u32, u32)> {
    let mut decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    decoder.set_transformations(png::Transformations::EXPAND);
    let mut reader = decoder.read_info().ok()?;
    let header = reader.info();
    let (width, height, interlaced) = (header.width, header.height, header.interlaced);
    if width == 0 || height == 0 {
        return None;
    }
    if interlaced {
        // Interlaced rows arrive pass by pass: the whole image is decoded at once.
        if (width as usize).checked_mul(height as usize)? > MAX_PIXELS {
            return None;
        }
        let mut buf = vec![0; reader.output_buffer_size()?];
        reader.next_frame(&mut buf).ok()?;
        return Some((width, height));
    }
    let mut rows = 0;
    while reader.next_row().ok()?.is_some() {
        rows += 1;
    }
    (rows == height).then_some((width, height))
}

/// A GIF's first frame (an animation shows its first picture on paper).
fn gif_size(bytes: &[u8]) -> Option<(u32, u32)> {
    let mut options = gif::DecodeOptions::new();
    options.set_color_output(gif::ColorOutput::RGBA);
    let mut decoder = options.read_info(std::io::Cursor::new(bytes)).ok()?;
    let (width, height) = (usize::from(decoder.width()), usize::from(decoder.height()));
    if width == 0 || height == 0 || width.checked_mul(height)? > MAX_PIXELS {
        return None;
    }
    decoder.read_next_frame().ok()??;
    Some((width as u32, height as u32))
}

/// A WebP picture (the first frame of an animation).
fn webp_size(bytes: &[u8]) -> Option<(u32, u32)> {
    let mut decoder = image_webp::WebPDecoder::new(std::io::Cursor::new(bytes)).ok()?;
    let (width, height) = decoder.dimensions();
    if width == 0 || height == 0 || (width as usize).checked_mul(height as usize)? > MAX_PIXELS {
        return None;
    }
    let mut buf = vec![0; decoder.output_buffer_size()?];
    decoder.read_image(&mut buf).ok()?;
    Some((width, height))
}

/// A JPEG's size once it decoded cleanly (it is passed through to the file as it is, so a
/// damaged one must be caught here); decoded once per process and file.
fn jpeg_size(asset: &Asset) -> Option<(u32, u32)> {
    let (w, h, _) = jpeg_info(&asset.bytes)?;
    if (w as usize).checked_mul(h as usize)? > MAX_PIXELS {
        return None;
    }
    let key = memo_key(&asset.bytes);
    let decode = || {
        let options = zune_jpeg::zune_core::options::DecoderOptions::default()
            .set_max_width(1 << 16)
            .set_max_height(1 << 16);
        let mut decoder = zune_jpeg::JpegDecoder::new_with_options(
            std::io::Cursor::new(&asset.bytes[..]),
            options,
        );
        decoder.decode().ok().map(|_| (w, h))
    };
    let cell = match memo().lock() {
        Ok(mut map) if map.len() < 4096 || map.contains_key(&key) => {
            map.entry(key).or_default().clone()
        }
        _ => return decode(),
    };
    *cell.get_or_init(decode)
}

/// JPEG dimensions and component count from its start-of-frame marker.
pub fn jpeg_info(bytes: &[u8]) -> Option<(u32, u32, u8)> {
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
