//! Images: any bytes as an image file, its kind recognised from its first bytes as bindery does
//! (PNG, JPEG, GIF, WebP, else SVG), through the image probe (`image`) and the SVG
//! reader (`image::svg`); then a one-image document through the PDF and the EPUB backend,
//! both outputs checked. A picture that cannot be drawn must give the framed placeholder, not a
//! panic, a hang or an invalid file.
#![no_main]

use bindery::doc::{Asset, AssetKind};
use bindery::image::{self, svg};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    bindery_fuzz::init();
    let _ = image::jpeg_info(data);
    let kind = match AssetKind::sniff(data) {
        Some(kind) => kind,
        None => {
            // Not recognised as an image: bindery would not use it, but the SVG reader must
            // still refuse it cleanly.
            let _ = svg::prepare(data);
            return;
        }
    };
    let asset = Asset::new(kind, data.to_vec());
    let size = image::image_size(&asset);
    assert_eq!(image::can_draw(&asset), size.is_some());
    if let Some((w, h)) = size {
        assert!(w > 0 && h > 0, "a drawable image of {w}x{h} pixels");
    }
    if kind == AssetKind::Svg {
        let prepared = svg::prepare(data);
        if let Ok(p) = &*prepared {
            assert!(p.width.is_finite() && p.width > 0.0);
            assert!(p.height.is_finite() && p.height > 0.0);
        }
    }
    image::prepare_all([&asset]);

    let Some(mut doc) = bindery_fuzz::parse("# Figure\n\n![A picture](picture.img)\n\nText.\n")
    else {
        return;
    };
    doc.assets.insert("picture.img".into(), asset);
    bindery_fuzz::check_pdf(&doc);
    bindery_fuzz::check_epub(&doc);
});
