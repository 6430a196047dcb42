//! The QR code a user scans to add a TOTP secret to an authenticator app
//! (the `otpauth://` URI of MFA setup), as SVG that a page inlines: drawn
//! here so that the secret never leaves the R process for a QR service and
//! the page needs no JavaScript or image file.
//!
//! Error correction M (what authenticator enrolment pages commonly use,
//! and readable from a phone screen), not raised when the data would allow
//! it, so the same text always makes the same symbol; the quiet zone of 4
//! modules the standard asks for. The modules are encoded by `qrcodegen`.

use qrcodegen::{QrCode, QrCodeEcc, QrSegment, Version};

/// Each module's side in pixels is between 1 and this.
pub const MAX_SCALE: i32 = 64;
/// The quiet zone around the symbol, in modules (ISO/IEC 18004).
pub const QUIET_ZONE: i32 = 4;
/// Longer text is refused before it is encoded. No QR code at error
/// correction M holds more than 5596 characters (digits only); this bounds
/// the encoder's work for any input.
const MAX_TEXT_BYTES: usize = 8192;

/// Why there is no QR code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QrError {
    TooLong { bytes: usize },
    BadScale,
}

impl std::fmt::Display for QrError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            // The text itself is not quoted: it is usually a TOTP secret.
            QrError::TooLong { bytes } => write!(
                f,
                "the text is too long for a QR code: {bytes} bytes (at error correction M a QR code holds at most \
                 2331 bytes of text, 3391 letters or 5596 digits)"
            ),
            QrError::BadScale => write!(f, "the scale must be a whole number of pixels from 1 to {MAX_SCALE}"),
        }
    }
}

/// The modules of the QR code of `text`: `size` rows of `size` booleans,
/// dark = true, without the quiet zone.
pub fn modules(text: &str) -> Result<Vec<Vec<bool>>, QrError> {
    let too_long = || QrError::TooLong { bytes: text.len() };
    if text.len() > MAX_TEXT_BYTES {
        return Err(too_long());
    }
    let segments = QrSegment::make_segments(text);
    let code = QrCode::encode_segments_advanced(&segments, QrCodeEcc::Medium, Version::MIN, Version::MAX, None, false)
        .map_err(|_| too_long())?;
    let size = code.size();
    Ok((0..size).map(|y| (0..size).map(|x| code.get_module(x, y)).collect()).collect())
}

/// A standalone `<svg>` element (no XML prolog, so it can be inlined in
/// HTML) of the QR code of `text`, each module `scale` pixels wide: a white
/// background and one path of the dark modules, a rectangle per horizontal
/// run, in module units (the viewBox) so that the picture stays crisp at
/// any size the page gives it.
pub fn svg(text: &str, scale: i32) -> Result<String, QrError> {
    if !(1..=MAX_SCALE).contains(&scale) {
        return Err(QrError::BadScale);
    }
    let rows = modules(text)?;
    let side = rows.len() as i32 + 2 * QUIET_ZONE;
    let pixels = side * scale;
    let mut path = String::new();
    for (y, row) in rows.iter().enumerate() {
        let mut x = 0;
        while x < row.len() {
            if !row[x] {
                x += 1;
                continue;
            }
            let start = x;
            while x < row.len() && row[x] {
                x += 1;
            }
            let run = x - start;
            let (px, py) = (start as i32 + QUIET_ZONE, y as i32 + QUIET_ZONE);
            path.push_str(&format!("M{px},{py}h{run}v1h-{run}z"));
        }
    }
    Ok(format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{pixels}\" height=\"{pixels}\" viewBox=\"0 0 {side} {side}\" \
         shape-rendering=\"crispEdges\" role=\"img\" aria-label=\"QR code\">\
         <rect width=\"{side}\" height=\"{side}\" fill=\"#ffffff\"/>\
         <path d=\"{path}\" fill=\"#000000\"/></svg>"
    ))
}

#[cfg(test)]
mod tests;
