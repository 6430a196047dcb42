//! The functions R calls for the Shiny sign-in module (`rpkg/R/login-*.R`):
//! sealing and opening the values its cookies carry, random identifiers
//! (session ids, cookie keys), and the QR code of MFA setup. The cookie key
//! and the payloads (a PKCE verifier, a device's secret) arrive as R
//! strings and are never quoted in a failure's message.

use extendr_api::prelude::*;
use zeroize::Zeroizing;

use crate::auth::srp;
use crate::errors::CallError;
use crate::glue::{failure_robj, guarded, unix_now};
use crate::webapp::{qr, seal};

/// The most random bytes one token has: far more than any identifier or
/// key needs, and little enough to stay a cookie's size.
const MAX_TOKEN_BYTES: i32 = 1024;

fn system_random(buffer: &mut [u8]) -> std::result::Result<(), ()> {
    srp::system_random(buffer).map_err(|_| ())
}

/// Seals `payload` for `purpose` (a cookie's name, say) under `key`, to open
/// for `lifetime_secs` seconds (whole seconds, rounded down): base64url text
/// (see `webapp/seal.rs` for the format), or a failure.
/// @noRd
#[extendr]
fn cip_seal(key: &str, purpose: &str, payload: &str, lifetime_secs: f64) -> Robj {
    guarded("cip_seal", || {
        let Some(expiry) = seal::expiry_after(unix_now(), lifetime_secs) else {
            return failure_robj(&CallError::request("the lifetime must be a number of seconds above 0 and at most ten years"));
        };
        match seal::seal(key.as_bytes(), purpose, payload.as_bytes(), expiry, &mut system_random) {
            Ok(sealed) => sealed.into(),
            Err(error) => failure_robj(&CallError::request(error.to_string())),
        }
    })
}

/// Opens what `cip_seal()` made with the same key and purpose:
/// `list(payload = <string>, problem = NULL)`, or `list(payload = NULL,
/// problem = "malformed" | "forged" | "expired")`. Any text is an answer; only
/// a key too short to seal with is a failure (a mistake of the caller, not
/// of the browser).
/// @noRd
#[extendr]
fn cip_open(key: &str, purpose: &str, sealed: &str) -> Robj {
    guarded("cip_open", || {
        let answer = |payload: Robj, problem: Robj| {
            List::from_names_and_values(["payload", "problem"], [payload, problem])
                .map(Robj::from)
                .unwrap_or_else(|_| ().into())
        };
        match seal::open(key.as_bytes(), purpose, sealed, unix_now()) {
            // Sealed from an R string, so UTF-8 without NUL unless the key
            // was used by something else; then it is not ours to read.
            Ok(Ok(payload)) => match std::str::from_utf8(&payload) {
                Ok(text) if !text.contains('\0') => answer(text.into(), ().into()),
                _ => answer(().into(), seal::Problem::Malformed.as_str().into()),
            },
            Ok(Err(problem)) => answer(().into(), problem.as_str().into()),
            Err(error) => failure_robj(&CallError::request(error.to_string())),
        }
    })
}

/// `bytes` random bytes (1 to 1024) from the system's generator, as
/// base64url without padding: ceiling(4 * bytes / 3) characters.
/// @noRd
#[extendr]
fn cip_random_token(bytes: i32) -> Robj {
    guarded("cip_random_token", || {
        if !(1..=MAX_TOKEN_BYTES).contains(&bytes) {
            return failure_robj(&CallError::request(format!("the number of bytes must be from 1 to {MAX_TOKEN_BYTES}")));
        }
        let mut random = Zeroizing::new(vec![0u8; bytes as usize]);
        match system_random(&mut random) {
            Ok(()) => base64_simd::URL_SAFE_NO_PAD.encode_to_string(&random[..]).into(),
            Err(()) => failure_robj(&CallError::request("the random number generator failed")),
        }
    })
}

/// The QR code of `text` as an `<svg>` element to inline in a page, each
/// module `scale` pixels wide (see `webapp/qr.rs`), or a failure (text too
/// long for a QR code, a scale out of range).
/// @noRd
#[extendr]
fn cip_qr_svg(text: &str, scale: i32) -> Robj {
    guarded("cip_qr_svg", || match qr::svg(text, scale) {
        Ok(svg) => svg.into(),
        Err(error) => failure_robj(&CallError::request(error.to_string())),
    })
}

extendr_module! {
    mod webapp_calls;
    fn cip_seal;
    fn cip_open;
    fn cip_random_token;
    fn cip_qr_svg;
}
