use super::*;

/// The pixels of an SVG this module made, read back from its text (the
/// attributes and the path's commands as `svg` writes them): white = 255,
/// dark = 0. So the decoder below reads what R receives, not the matrix.
fn rasterise(svg: &str) -> (usize, Vec<u8>, usize) {
    let attr = |name: &str| -> String {
        let start = svg.find(&format!(" {name}=\"")).unwrap() + name.len() + 3;
        svg[start..].split('"').next().unwrap().to_string()
    };
    let pixels: usize = attr("width").parse().unwrap();
    assert_eq!(attr("height"), pixels.to_string());
    let view: Vec<usize> = attr("viewBox").split(' ').map(|n| n.parse().unwrap()).collect();
    assert_eq!(&view[..2], &[0, 0]);
    assert_eq!(view[2], view[3]);
    let side = view[2];
    assert_eq!(pixels % side, 0);
    let scale = pixels / side;
    let mut image = vec![255u8; pixels * pixels];
    let d = attr("d");
    for rect in d.split('z').filter(|r| !r.is_empty()) {
        // M{x},{y}h{run}v1h-{run}
        let rest = rect.strip_prefix('M').unwrap();
        let (xy, rest) = rest.split_once('h').unwrap();
        let (x, y) = xy.split_once(',').unwrap();
        let (run, rest) = rest.split_once("v1h-").unwrap();
        assert_eq!(run, rest);
        let (x, y, run): (usize, usize, usize) = (x.parse().unwrap(), y.parse().unwrap(), run.parse().unwrap());
        assert!(x >= QUIET_ZONE as usize && y >= QUIET_ZONE as usize && x + run <= side - QUIET_ZONE as usize);
        for py in y * scale..(y + 1) * scale {
            for px in x * scale..(x + run) * scale {
                image[py * pixels + px] = 0;
            }
        }
    }
    (pixels, image, side)
}

fn decode(svg: &str) -> (String, rqrr::MetaData, usize) {
    let (pixels, image, side) = rasterise(svg);
    let mut prepared = rqrr::PreparedImage::prepare_from_greyscale(pixels, pixels, |x, y| image[y * pixels + x]);
    let grids = prepared.detect_grids();
    assert_eq!(grids.len(), 1, "one QR code in the picture");
    let (meta, content) = grids[0].decode().expect("the QR code decodes");
    (content, meta, side)
}

#[test]
fn a_real_decoder_reads_back_the_text() {
    let texts = [
        "otpauth://totp/cognitoidp:alice%40example.com?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=cognitoidp",
        "hello",
        "0123456789",
        "HELLO WORLD $%*+-./:",
        "é ✓ 日本語",
        "",
    ];
    for text in texts {
        for scale in [1, 4] {
            let svg = svg(text, scale).unwrap();
            let (content, meta, side) = decode(&svg);
            assert_eq!(content, text);
            // Format bits 00 are level M (ISO/IEC 18004 table 12).
            assert_eq!(meta.ecc_level, 0, "error correction M for {text:?}");
            assert_eq!(side as i32, modules(text).unwrap().len() as i32 + 2 * QUIET_ZONE);
        }
    }
}

#[test]
fn long_text_up_to_the_capacity_decodes_and_beyond_it_is_refused() {
    let max_bytes = "a".repeat(2331);
    let svg = svg(&max_bytes, 2).unwrap();
    assert_eq!(modules(&max_bytes).unwrap().len(), 177, "version 40");
    assert_eq!(decode(&svg).0, max_bytes);
    assert_eq!(super::svg(&"a".repeat(2332), 2), Err(QrError::TooLong { bytes: 2332 }));
    assert!(super::svg(&"7".repeat(5596), 1).is_ok());
    assert_eq!(super::svg(&"7".repeat(5597), 1), Err(QrError::TooLong { bytes: 5597 }));
    assert_eq!(super::svg(&"x".repeat(1 << 20), 1), Err(QrError::TooLong { bytes: 1 << 20 }));
    let message = QrError::TooLong { bytes: 2332 }.to_string();
    assert!(message.contains("2332 bytes") && !message.contains("aaaa"));
}

#[test]
fn the_svg_is_one_inlinable_element_with_the_promised_geometry() {
    let text = "otpauth://totp/x?secret=ABC";
    let size = modules(text).unwrap().len() as i32;
    for scale in [1, 3, MAX_SCALE] {
        let svg = svg(text, scale).unwrap();
        assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\" "), "no prolog");
        assert!(svg.ends_with("</svg>"));
        let px = (size + 8) * scale;
        assert!(svg.contains(&format!("width=\"{px}\" height=\"{px}\"")));
        assert!(svg.contains("shape-rendering=\"crispEdges\""));
        assert!(svg.contains(&format!("<rect width=\"{}\" height=\"{}\" fill=\"#ffffff\"/>", size + 8, size + 8)));
        assert_eq!(svg.matches("<path ").count(), 1);
        assert!(!svg.contains("secret"), "the text is not in the markup");
    }
}

#[test]
fn the_path_covers_exactly_the_dark_modules() {
    let text = "some text";
    let rows = modules(text).unwrap();
    let (pixels, image, side) = rasterise(&svg(text, 1).unwrap());
    assert_eq!(pixels, side);
    let q = QUIET_ZONE as usize;
    for y in 0..side {
        for x in 0..side {
            let dark = y >= q && x >= q && y < side - q && x < side - q && rows[y - q][x - q];
            assert_eq!(image[y * side + x] == 0, dark, "({x}, {y})");
        }
    }
}

#[test]
fn error_correction_is_not_raised_above_m() {
    // Short text fits version 1 at H too; encode_text would raise it.
    let rows = modules("hi").unwrap();
    assert_eq!(rows.len(), 21);
    let (_, meta, _) = decode(&svg("hi", 2).unwrap());
    assert_eq!(meta.ecc_level, 0);
}

#[test]
fn scales_out_of_range_are_refused() {
    for scale in [0, -1, MAX_SCALE + 1, i32::MIN, i32::MAX] {
        assert_eq!(svg("x", scale), Err(QrError::BadScale));
    }
}
