//! Image probing, in one place for every backend: whether an asset can be used, its size in
//! pixels, and in plain words why not.
//!
//! The verdict is settled once, when the document's images are read (`parse::assets`): an image
//! that fails here never enters the document, so the PDF and the EPUB both show its alt text
//! and one warning says why. What passes can be drawn by the PDF writer and packaged in the
//! EPUB as it is (an SVG as the safe copy [`svg`] makes of it).
//!
//! Every raster format is checked the same way, header first: a picture wider or taller than
//! zero, of at most [`MAX_PIXELS`] and at most [`MAX_DECODED_BYTES`] once decoded, before any
//! buffer is allocated for it. Then its data is decoded once, so a file with a good header but
//! damaged data is caught here and not in a reader's viewer; a PNG's samples are kept in the
//! document ([`check_decoded`], `Asset::pixels`) for the PDF writer, which would otherwise
//! decode the file a second time. A JPEG is passed through to the PDF as it is, so it must
//! also be one every PDF viewer reads: baseline, extended or progressive, 8 bits per sample, 1, 3 or 4 components,
//! every scan whole ([`jpeg`]) and decoded strictly, so a truncated or corrupt one is refused
//! rather than drawn in grey.
//!
//! It is a module of its own, below the stages, because three of them need the same verdict:
//! `parse` settles it, the typesetter sizes figures by it and the backends draw or package what
//! passed; none of them should have to reach into another for it.

mod jpeg;
pub mod svg;

use crate::doc::{Asset, AssetKind, Pixels};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

/// Whether a paged backend can draw this asset (the layout draws a placeholder for the others).
pub fn can_draw(asset: &Asset) -> bool {
    check(asset).is_ok()
}

/// Pixel size of an image that can be drawn, `None` for one that cannot (see [`check`]).
pub fn image_size(asset: &Asset) -> Option<(u32, u32)> {
    check(asset).ok()
}

/// Pixel size of an image that can be used (an SVG's in 96-dpi pixels), or why it cannot, in
/// words that complete "image `x` cannot be used: …". Decided once per process and file.
pub fn check(asset: &Asset) -> Result<(u32, u32), String> {
    match asset.kind {
        AssetKind::Png | AssetKind::Gif | AssetKind::Webp | AssetKind::Jpeg => memoized(asset),
        AssetKind::Svg => match &*svg::prepare(&asset.bytes) {
            Ok(p) => Ok((
                (p.width / 0.75).round().max(1.0) as u32,
                (p.height / 0.75).round().max(1.0) as u32,
            )),
            Err(why) => Err(why.clone()),
        },
    }
}

/// An image that can be used: its size in pixels and, for a PNG, its decoded samples.
pub type Judged = ((u32, u32), Option<Arc<Pixels>>);

/// [`check`], keeping what was decoded to judge the asset: a PNG's samples (`None` for other
/// kinds, or when this file was judged before in this process), for
/// [`Asset::pixels`](crate::doc::Asset::pixels).
pub fn check_decoded(asset: &Asset) -> Result<Judged, String> {
    if asset.kind != AssetKind::Png {
        return check(asset).map(|size| (size, None));
    }
    let cell = memo_cell(&asset.bytes);
    let mut pixels = None;
    let verdict = cell
        .get_or_init(|| {
            let decoded = png_decode(&asset.bytes)?;
            let size = (decoded.width, decoded.height);
            pixels = Some(Arc::new(decoded));
            Ok(size)
        })
        .clone();
    verdict.map(|size| (size, pixels))
}

/// Probes every image of a document on the thread pool, so that decoding overlaps the layout.
pub fn prepare_all<'a>(assets: impl IntoIterator<Item = &'a Asset>) {
    use rayon::prelude::*;
    let assets: Vec<&Asset> = assets.into_iter().collect();
    assets.par_iter().for_each(|a| {
        let _ = check(a);
    });
}

/// The largest picture decoded (GIF, WebP and interlaced PNG are decoded in one piece, and the
/// PDF writer decodes every raster picture whole): 64 megapixels. A file claiming more is
/// refused before anything is allocated for it.
pub const MAX_PIXELS: u64 = 1 << 26;

/// The most bytes a picture may take once decoded (a 16-bit PNG with alpha takes 8 per pixel):
/// 256 MiB.
pub const MAX_DECODED_BYTES: u64 = 1 << 28;

/// The largest GIF frame the decoder (and the PDF writer's) allocates: 50 MB, about 12.5
/// megapixels.
const GIF_FRAME_BYTES: u64 = 50_000_000;

type Verdict = Result<(u32, u32), String>;
type Memo = Mutex<HashMap<(u64, usize), Arc<OnceLock<Verdict>>>>;

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

/// A raster image's verdict, probed once per process and file (the layout asks for every
/// placement).
fn memoized(asset: &Asset) -> Verdict {
    let bytes = &asset.bytes;
    let decode = || match asset.kind {
        AssetKind::Png => png_size(bytes),
        AssetKind::Gif => gif_size(bytes),
        AssetKind::Webp => webp_size(bytes),
        AssetKind::Jpeg => jpeg_size(bytes),
        AssetKind::Svg => Err("not a raster image".into()),
    };
    memo_cell(bytes).get_or_init(decode).clone()
}

/// The memo's cell for a file's verdict (a fresh one, not kept, once the memo is full).
fn memo_cell(bytes: &[u8]) -> Arc<OnceLock<Verdict>> {
    let key = memo_key(bytes);
    match memo().lock() {
        Ok(mut map) if map.len() < 4096 || map.contains_key(&key) => {
            map.entry(key).or_default().clone()
        }
        _ => Arc::default(),
    }
}

/// The header's size is usable: not zero, at most [`MAX_PIXELS`] pixels and `bytes_per_pixel`
/// times that at most [`MAX_DECODED_BYTES`].
fn check_dimensions(width: u32, height: u32, bytes_per_pixel: u64) -> Result<(), String> {
    if width == 0 || height == 0 {
        return Err(format!(
            "its header says it is {width}×{height} pixels, which is no picture"
        ));
    }
    let pixels = u64::from(width) * u64::from(height);
    if pixels > MAX_PIXELS {
        return Err(format!(
            "it is {width}×{height} pixels, over the limit of {} megapixels",
            MAX_PIXELS >> 20
        ));
    }
    if pixels.saturating_mul(bytes_per_pixel) > MAX_DECODED_BYTES {
        return Err(format!(
            "its {width}×{height} pixels would take more than {} MiB once decoded",
            MAX_DECODED_BYTES >> 20
        ));
    }
    Ok(())
}

fn damaged(format: &str) -> String {
    format!("the {format} data is damaged or truncated")
}

fn png_size(bytes: &[u8]) -> Verdict {
    png_decode(bytes).map(|p| (p.width, p.height))
}

/// Decodes a PNG whole, after its header passed [`check_dimensions`], into the samples a PDF
/// image takes (colour apart from alpha, alpha dropped when all opaque).
fn png_decode(bytes: &[u8]) -> Result<Pixels, String> {
    let mut decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    // Palettes and low bit depths expand to 8 bits per sample; 16 bits stay 16.
    decoder.set_transformations(png::Transformations::EXPAND);
    let mut reader = decoder.read_info().map_err(|_| damaged("PNG"))?;
    let header = reader.info();
    let (width, height) = (header.width, header.height);
    let icc = header.icc_profile.as_ref().map(|p| p.to_vec());
    let (color, depth) = reader.output_color_type();
    let sixteen = depth == png::BitDepth::Sixteen;
    let sample = if sixteen { 2 } else { 1 };
    check_dimensions(width, height, (color.samples() * sample) as u64)?;
    let (gray, has_alpha) = match color {
        png::ColorType::Grayscale => (true, false),
        png::ColorType::GrayscaleAlpha => (true, true),
        png::ColorType::Rgb => (false, false),
        png::ColorType::Rgba => (false, true),
        // EXPAND turns palettes into RGB(A); nothing else remains.
        png::ColorType::Indexed => return Err(damaged("PNG")),
    };
    let channels = if gray { 1 } else { 3 };
    let mut planes = Planes::new(
        channels * sample,
        if has_alpha { sample } else { 0 },
        width as usize * height as usize,
    );
    if reader.info().interlaced {
        // Adam7 passes arrive out of order: the frame is assembled whole, then split.
        let size = reader.output_buffer_size().ok_or_else(|| damaged("PNG"))?;
        let mut buf = vec![0; size];
        // Fails on damaged or truncated data, so a picture that passes is whole.
        let frame = reader.next_frame(&mut buf).map_err(|_| damaged("PNG"))?;
        buf.truncate(frame.buffer_size());
        planes.push(&buf);
    } else {
        // Row by row into the planes: no whole-frame buffer to zero and copy again (for the
        // Rust book's large screenshots that was a fifth of reading them). `read_row` checks
        // the data as `next_frame` does and ends with the same check of the stream's end.
        let line = reader
            .output_line_size(width)
            .ok_or_else(|| damaged("PNG"))?;
        let mut row = vec![0; line];
        let mut rows = 0u32;
        while reader
            .read_row(&mut row)
            .map_err(|_| damaged("PNG"))?
            .is_some()
        {
            planes.push(&row);
            rows += 1;
        }
        if rows != height {
            return Err(damaged("PNG"));
        }
    }
    let (color, alpha) = planes.finish();
    Ok(Pixels {
        width,
        height,
        gray,
        sixteen,
        color,
        alpha,
        icc,
        digest: memo_key(bytes),
    })
}

/// The two sample planes a PDF image takes, filled from rows of interleaved pixels of
/// `color_bytes` colour bytes and `alpha_bytes` alpha bytes (0: no alpha; rows are then copied
/// whole). The alpha plane is only written from the first pixel that is not opaque on (the
/// opaque ones before it filled in then): most screenshots carry an alpha channel that is
/// opaque throughout, and for the Rust book's four that plane was 18 MB each, written, then
/// dropped.
struct Planes {
    color_bytes: usize,
    alpha_bytes: usize,
    color: Vec<u8>,
    /// Empty while every pixel so far is opaque.
    alpha: Vec<u8>,
    pixels: usize,
}

impl Planes {
    /// Room for the colour of `pixels` reserved up front: that vector never grows while it
    /// is filled.
    fn new(color_bytes: usize, alpha_bytes: usize, pixels: usize) -> Planes {
        Planes {
            color_bytes,
            alpha_bytes,
            color: Vec::with_capacity(pixels * color_bytes),
            alpha: Vec::new(),
            pixels,
        }
    }

    fn push(&mut self, row: &[u8]) {
        match (self.color_bytes, self.alpha_bytes) {
            (_, 0) => self.color.extend_from_slice(row),
            (3, 1) => self.split::<3, 1>(row),
            (1, 1) => self.split::<1, 1>(row),
            (6, 2) => self.split::<6, 2>(row),
            (2, 2) => self.split::<2, 2>(row),
            _ => unreachable!("grey or RGB samples of 8 or 16 bits are the only layouts"),
        }
    }

    fn split<const C: usize, const A: usize>(&mut self, row: &[u8]) {
        let pixels = row.chunks_exact(C + A);
        let n = row.len() / (C + A);
        // Sized once per row and filled by fixed-size copies: a push per pixel was a tenth of
        // a book build where the compiler did not inline it.
        let c0 = self.color.len();
        self.color.resize(c0 + n * C, 0);
        let color = self.color[c0..].chunks_exact_mut(C);
        if self.alpha.is_empty() && pixels.clone().all(|px| px[C..] == [0xFF; A]) {
            for (px, c) in pixels.zip(color) {
                c.copy_from_slice(&px[..C]);
            }
            return;
        }
        if self.alpha.is_empty() {
            // The first row with a pixel that is not opaque: the rows before it were.
            self.alpha.reserve_exact(self.pixels * A);
            self.alpha.resize(c0 / C * A, 0xFF);
        }
        let a0 = self.alpha.len();
        self.alpha.resize(a0 + n * A, 0);
        for ((px, c), a) in pixels.zip(color).zip(self.alpha[a0..].chunks_exact_mut(A)) {
            c.copy_from_slice(&px[..C]);
            a.copy_from_slice(&px[C..]);
        }
    }

    fn finish(self) -> (Vec<u8>, Option<Vec<u8>>) {
        let alpha = (!self.alpha.is_empty()).then_some(self.alpha);
        (self.color, alpha)
    }
}

/// A GIF's first frame (an animation shows its first picture on paper).
fn gif_size(bytes: &[u8]) -> Verdict {
    let (width, height) = gif_screen(bytes)?;
    let mut options = gif::DecodeOptions::new();
    options.set_color_output(gif::ColorOutput::RGBA);
    let mut decoder = options
        .read_info(std::io::Cursor::new(bytes))
        .map_err(|_| damaged("GIF"))?;
    match decoder.read_next_frame() {
        Ok(Some(_)) => Ok((width, height)),
        Ok(None) => Err("the GIF holds no picture".into()),
        Err(gif::DecodingError::MemoryLimit | gif::DecodingError::OutOfMemory) => Err(format!(
            "its first frame is larger than the {} megapixels a GIF frame may have",
            GIF_FRAME_BYTES / 4 / 1_000_000
        )),
        Err(_) => Err(damaged("GIF")),
    }
}

/// The logical screen of a GIF, checked before anything is decoded.
fn gif_screen(bytes: &[u8]) -> Result<(u32, u32), String> {
    let header = bytes.get(6..10).ok_or_else(|| damaged("GIF"))?;
    let width = u32::from(u16::from_le_bytes([header[0], header[1]]));
    let height = u32::from(u16::from_le_bytes([header[2], header[3]]));
    check_dimensions(width, height, 4)?;
    if u64::from(width) * u64::from(height) * 4 > GIF_FRAME_BYTES {
        return Err(format!(
            "it is {width}×{height} pixels, larger than the {} megapixels a GIF may have",
            GIF_FRAME_BYTES / 4 / 1_000_000
        ));
    }
    Ok((width, height))
}

/// A GIF whose first frame does not cover its logical screen exactly (it is smaller, or placed
/// off the corner): the frame drawn onto a transparent canvas of the screen's size, as RGBA
/// rows, with that size. `None` for a GIF whose frame is the whole picture (the writer then
/// embeds it as it is) and for one that cannot be drawn.
pub fn gif_canvas(bytes: &[u8]) -> Option<(Vec<u8>, u32, u32)> {
    let (width, height) = gif_screen(bytes).ok()?;
    let mut options = gif::DecodeOptions::new();
    options.set_color_output(gif::ColorOutput::RGBA);
    let mut decoder = options.read_info(std::io::Cursor::new(bytes)).ok()?;
    let frame = decoder.read_next_frame().ok()??;
    let (left, top) = (u32::from(frame.left), u32::from(frame.top));
    let (fw, fh) = (u32::from(frame.width), u32::from(frame.height));
    if (left, top, fw, fh) == (0, 0, width, height) {
        return None;
    }
    let mut canvas = vec![0u8; (width * height * 4) as usize];
    for y in 0..fh {
        let cy = top + y;
        if cy >= height {
            break;
        }
        for x in 0..fw {
            let cx = left + x;
            if cx >= width {
                break;
            }
            let src = ((y * fw + x) * 4) as usize;
            let dst = ((cy * width + cx) * 4) as usize;
            if let (Some(px), Some(out)) =
                (frame.buffer.get(src..src + 4), canvas.get_mut(dst..dst + 4))
            {
                out.copy_from_slice(px);
            }
        }
    }
    Some((canvas, width, height))
}

/// A WebP picture (the first frame of an animation).
fn webp_size(bytes: &[u8]) -> Verdict {
    // The bitstreams inside say how large they are before the decoder allocates for them.
    for (w, h) in webp_bitstream_sizes(bytes) {
        check_dimensions(w, h, 4)?;
    }
    let mut decoder =
        image_webp::WebPDecoder::new(std::io::Cursor::new(bytes)).map_err(|_| damaged("WebP"))?;
    let (width, height) = decoder.dimensions();
    check_dimensions(width, height, 4)?;
    let size = decoder
        .output_buffer_size()
        .ok_or_else(|| damaged("WebP"))?;
    let mut buf = vec![0; size];
    decoder.read_image(&mut buf).map_err(|_| damaged("WebP"))?;
    Ok((width, height))
}

/// The sizes the VP8 and VP8L bitstreams of a WebP file give (top-level and in animation
/// frames), which may differ from the canvas the file declares.
fn webp_bitstream_sizes(bytes: &[u8]) -> Vec<(u32, u32)> {
    fn chunks(data: &[u8], out: &mut Vec<(u32, u32)>, nested: bool) {
        let mut i = 0;
        while i + 8 <= data.len() {
            let tag = &data[i..i + 4];
            let len =
                u32::from_le_bytes([data[i + 4], data[i + 5], data[i + 6], data[i + 7]]) as usize;
            let body = &data[i + 8..data.len().min(i + 8 + len)];
            match tag {
                b"VP8 " if body.len() >= 10 => {
                    let w = u32::from(u16::from_le_bytes([body[6], body[7]]) & 0x3fff);
                    let h = u32::from(u16::from_le_bytes([body[8], body[9]]) & 0x3fff);
                    out.push((w.max(1), h.max(1)));
                }
                b"VP8L" if body.len() >= 5 => {
                    let bits = u32::from_le_bytes([body[1], body[2], body[3], body[4]]);
                    out.push(((bits & 0x3fff) + 1, ((bits >> 14) & 0x3fff) + 1));
                }
                b"ANMF" if !nested && body.len() > 16 => chunks(&body[16..], out, true),
                _ => {}
            }
            i += 8 + len + (len & 1);
        }
    }
    let mut out = Vec::new();
    if bytes.len() > 12 {
        chunks(&bytes[12..], &mut out, false);
    }
    out
}

/// A JPEG's size once it decoded cleanly and strictly (it is passed through to the PDF as it
/// is, so a damaged one, or one a PDF viewer cannot read, must be caught here).
fn jpeg_size(bytes: &[u8]) -> Verdict {
    let frame = jpeg_frame(bytes).ok_or_else(|| damaged("JPEG"))?;
    let kind = match frame.marker {
        0xC0..=0xC2 => None,
        0xC3 | 0xC7 | 0xCB | 0xCF => Some("lossless"),
        0xC5 | 0xC6 | 0xCD | 0xCE => Some("hierarchical"),
        _ => Some("arithmetic-coded"),
    };
    if let Some(kind) = kind {
        return Err(format!(
            "it is a {kind} JPEG, which PDF viewers cannot all show (only baseline and \
             progressive JPEGs are embedded)"
        ));
    }
    if frame.precision != 8 {
        return Err(format!(
            "it is a {}-bit JPEG; only 8-bit JPEGs can be embedded",
            frame.precision
        ));
    }
    if !matches!(frame.components, 1 | 3 | 4) {
        return Err(format!(
            "it has {} colour components (1, 3 or 4 can be embedded)",
            frame.components
        ));
    }
    if frame.height == 0 && frame.width > 0 {
        return Err(
            "its height is given only after the picture data, which PDF viewers \
                    cannot all read"
                .into(),
        );
    }
    check_dimensions(frame.width, frame.height, u64::from(frame.components))?;
    jpeg::check_scans(bytes).map_err(|why| format!("the JPEG data is damaged: {why}"))?;
    let options = zune_jpeg::zune_core::options::DecoderOptions::default()
        .set_max_width(1 << 16)
        .set_max_height(1 << 16)
        .set_strict_mode(true);
    let mut decoder =
        zune_jpeg::JpegDecoder::new_with_options(std::io::Cursor::new(bytes), options);
    decoder.decode().map_err(|_| damaged("JPEG"))?;
    Ok((frame.width, frame.height))
}

/// What a JPEG's start-of-frame segment says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JpegFrame {
    /// The SOF marker (0xC0 baseline, 0xC1 extended, 0xC2 progressive...).
    pub marker: u8,
    /// Bits per sample.
    pub precision: u8,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels (0 when a DNL marker gives it later).
    pub height: u32,
    /// Colour components.
    pub components: u8,
}

/// The start-of-frame segment of a JPEG, found by walking its segments.
pub fn jpeg_frame(bytes: &[u8]) -> Option<JpegFrame> {
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
            return Some(JpegFrame {
                marker,
                precision: *seg.first()?,
                height: u32::from(u16::from_be_bytes([*seg.get(1)?, *seg.get(2)?])),
                width: u32::from(u16::from_be_bytes([*seg.get(3)?, *seg.get(4)?])),
                components: *seg.get(5)?,
            });
        }
        if marker == 0xDA || len < 2 {
            // Picture data before any frame header.
            return None;
        }
        i += 2 + len;
    }
    None
}

/// JPEG dimensions and component count from its start-of-frame marker, for an image every
/// viewer can read (see [`jpeg_frame`] for the rest).
pub fn jpeg_info(bytes: &[u8]) -> Option<(u32, u32, u8)> {
    let f = jpeg_frame(bytes)?;
    (f.width > 0 && f.height > 0 && matches!(f.components, 1 | 3 | 4)).then_some((
        f.width,
        f.height,
        f.components,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A PNG of `data` in rows of `w` pixels (as many rows as the data fills).
    fn encode(color: png::ColorType, depth: png::BitDepth, w: u32, data: &[u8]) -> Vec<u8> {
        let row = w as usize
            * color.samples()
            * if depth == png::BitDepth::Sixteen {
                2
            } else {
                1
            };
        let mut out = Vec::new();
        let mut enc = png::Encoder::new(&mut out, w, (data.len() / row) as u32);
        enc.set_color(color);
        enc.set_depth(depth);
        enc.write_header()
            .and_then(|mut w| w.write_image_data(data))
            .expect("encodes");
        out
    }

    #[test]
    fn a_png_is_decoded_once_into_colour_and_alpha_planes() {
        use png::{BitDepth, ColorType};
        // RGBA with one see-through pixel: both planes.
        let p = png_decode(&encode(
            ColorType::Rgba,
            BitDepth::Eight,
            2,
            &[1, 2, 3, 255, 4, 5, 6, 0],
        ))
        .unwrap();
        assert_eq!((p.width, p.height, p.gray, p.sixteen), (2, 1, false, false));
        assert_eq!(p.color, [1, 2, 3, 4, 5, 6]);
        assert_eq!(p.alpha.as_deref(), Some(&[255, 0][..]));
        // All opaque: no alpha plane.
        let p = png_decode(&encode(
            ColorType::Rgba,
            BitDepth::Eight,
            1,
            &[7, 8, 9, 255],
        ))
        .unwrap();
        assert_eq!(
            (p.color.as_slice(), p.alpha.is_none()),
            (&[7, 8, 9][..], true)
        );
        // 16-bit grey with alpha: two bytes per sample, big-endian as in the file.
        let p = png_decode(&encode(
            ColorType::GrayscaleAlpha,
            BitDepth::Sixteen,
            1,
            &[1, 2, 0, 9],
        ))
        .unwrap();
        assert!(p.gray && p.sixteen);
        assert_eq!(
            (p.color.as_slice(), p.alpha.as_deref()),
            (&[1, 2][..], Some(&[0, 9][..]))
        );
        // A palette expands to RGB.
        let mut out = Vec::new();
        let mut enc = png::Encoder::new(&mut out, 1, 1);
        enc.set_color(ColorType::Indexed);
        enc.set_palette(vec![10, 20, 30]);
        enc.write_header()
            .and_then(|mut w| w.write_image_data(&[0]))
            .unwrap();
        let p = png_decode(&out).unwrap();
        assert_eq!(
            (p.color.as_slice(), p.alpha.is_none()),
            (&[10, 20, 30][..], true)
        );
        // Several rows, read row by row: every row lands in order, and a file cut short
        // anywhere in its image data is refused, not drawn in part.
        let rgba: Vec<u8> = (0..3 * 4 * 4)
            .map(|i| if i % 4 == 3 { 255 } else { i as u8 })
            .collect();
        let file = encode(ColorType::Rgba, BitDepth::Eight, 3, &rgba);
        let p = png_decode(&file).unwrap();
        assert_eq!((p.width, p.height), (3, 4));
        let rgb: Vec<u8> = rgba.chunks(4).flat_map(|px| px[..3].to_vec()).collect();
        assert_eq!((p.color, p.alpha), (rgb.clone(), None));
        // The first see-through pixel in a later row: the opaque rows before it get their
        // alpha too, and every row after it keeps its own.
        let mut late = rgba.clone();
        late[2 * 12 + 4 + 3] = 7;
        late[3 * 12 + 3] = 0;
        let p = png_decode(&encode(ColorType::Rgba, BitDepth::Eight, 3, &late)).unwrap();
        let mut alpha = vec![255; 12];
        alpha[7] = 7;
        alpha[9] = 0;
        assert_eq!((p.color, p.alpha), (rgb, Some(alpha)));
        let idat = file.windows(4).position(|w| w == b"IDAT").unwrap();
        for cut in [idat + 8, file.len() - 20] {
            assert!(
                png_decode(&file[..cut]).is_err(),
                "cut at {cut} of {}",
                file.len()
            );
        }
        // The document keeps the samples of what it judged.
        let a = asset(
            AssetKind::Png,
            encode(ColorType::Rgb, BitDepth::Eight, 1, &[3, 2, 1]),
        );
        let (size, pixels) = check_decoded(&a).unwrap();
        assert_eq!(size, (1, 1));
        assert_eq!(pixels.map(|p| p.color.clone()), Some(vec![3, 2, 1]));
    }

    fn asset(kind: AssetKind, bytes: Vec<u8>) -> Asset {
        Asset::new(kind, bytes)
    }

    fn png_chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
        out.extend((data.len() as u32).to_be_bytes());
        let start = out.len();
        out.extend(kind);
        out.extend(data);
        let crc = crc32(&out[start..]);
        out.extend(crc.to_be_bytes());
    }

    fn crc32(data: &[u8]) -> u32 {
        let mut crc = flate2::Crc::new();
        crc.update(data);
        crc.sum()
    }

    /// A PNG header claiming `w`×`h` RGBA pixels, with a few bytes of data.
    fn png_claiming(w: u32, h: u32, interlaced: bool) -> Vec<u8> {
        let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
        let mut ihdr = Vec::new();
        ihdr.extend(w.to_be_bytes());
        ihdr.extend(h.to_be_bytes());
        ihdr.extend([8, 6, 0, 0, u8::from(interlaced)]);
        png_chunk(&mut out, b"IHDR", &ihdr);
        // A zlib stream of a few zero bytes.
        png_chunk(
            &mut out,
            b"IDAT",
            &[0x78, 0x9c, 0x63, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01],
        );
        png_chunk(&mut out, b"IEND", &[]);
        out
    }

    #[test]
    fn huge_pngs_are_refused_from_the_header() {
        for interlaced in [true, false] {
            let e = check(&asset(
                AssetKind::Png,
                png_claiming(30_000, 30_000, interlaced),
            ))
            .unwrap_err();
            assert!(
                e.contains("30000×30000") && e.contains("64 megapixels"),
                "{e}"
            );
        }
        // The PNG decoder itself refuses a zero width.
        assert!(check(&asset(AssetKind::Png, png_claiming(0, 10, false))).is_err());
    }

    #[test]
    fn gif_with_a_zero_width_screen_is_refused() {
        let mut gif = b"GIF89a".to_vec();
        gif.extend([0, 0, 4, 0, 0x80, 0, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF]);
        gif.extend([0x2C, 0, 0, 0, 0, 1, 0, 1, 0, 0, 2, 2, 0x44, 1, 0, 0x3B]);
        let e = check(&asset(AssetKind::Gif, gif)).unwrap_err();
        assert!(e.contains("0×4"), "{e}");
    }

    #[test]
    fn a_gif_frame_off_the_corner_is_drawn_on_a_canvas() {
        // A 2×2 screen whose only frame is 1×1 at (1, 1), palette white.
        let mut gif = b"GIF89a".to_vec();
        gif.extend([2, 0, 2, 0, 0x80, 0, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF]);
        gif.extend([0x2C, 1, 0, 1, 0, 1, 0, 1, 0, 0, 2, 2, 0x44, 1, 0, 0x3B]);
        let a = asset(AssetKind::Gif, gif.clone());
        assert_eq!(check(&a), Ok((2, 2)));
        let (rgba, w, h) = gif_canvas(&gif).expect("a canvas");
        assert_eq!((w, h, rgba.len()), (2, 2, 16));
        assert_eq!(
            &rgba[..4],
            &[0, 0, 0, 0],
            "outside the frame is transparent"
        );
    }

    #[test]
    fn jpegs_that_pdf_viewers_cannot_read_are_refused() {
        // SOF headers alone: the marker and precision are refused before any decoding.
        let jpeg = |marker: u8, precision: u8, w: u16, h: u16, n: u8| {
            let mut j = vec![0xFF, 0xD8, 0xFF, marker, 0, 11, precision];
            j.extend(h.to_be_bytes());
            j.extend(w.to_be_bytes());
            j.extend([n, 1, 0x11, 0]);
            j.extend([0xFF, 0xD9]);
            asset(AssetKind::Jpeg, j)
        };
        let reason = |a: Asset| check(&a).unwrap_err();
        assert!(reason(jpeg(0xC1, 12, 8, 8, 1)).contains("12-bit"));
        assert!(reason(jpeg(0xC3, 8, 8, 8, 1)).contains("lossless"));
        assert!(reason(jpeg(0xC9, 8, 8, 8, 1)).contains("arithmetic"));
        assert!(reason(jpeg(0xC0, 8, 8, 8, 2)).contains("2 colour components"));
        assert!(reason(jpeg(0xC0, 8, 65535, 65535, 3)).contains("64 megapixels"));
        assert!(reason(jpeg(0xC0, 8, 8, 0, 3)).contains("height"));
        assert!(reason(jpeg(0xC0, 8, 8, 8, 3)).contains("damaged"));
    }

    #[test]
    fn webp_bitstreams_larger_than_their_canvas_are_refused() {
        // A VP8X canvas of 1×1 holding a VP8L bitstream of 16384×16384.
        let mut riff = b"RIFF\0\0\0\0WEBP".to_vec();
        riff.extend(b"VP8X");
        riff.extend(10u32.to_le_bytes());
        riff.extend([0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        let bits: u32 = 0x3fff | (0x3fff << 14);
        riff.extend(b"VP8L");
        riff.extend(5u32.to_le_bytes());
        riff.push(0x2f);
        riff.extend(bits.to_le_bytes());
        riff.push(0);
        let e = check(&asset(AssetKind::Webp, riff)).unwrap_err();
        assert!(e.contains("16384×16384"), "{e}");
    }
}
