//! Sealed values: a payload the browser keeps (in a cookie) but can neither
//! read nor change, and that stops being accepted after its expiry. The
//! sign-in flow keeps its state, PKCE verifier and nonce in the browser this
//! way between the redirect to the hosted UI and the return, so that the
//! server holds nothing for visitors who never come back.
//!
//! Format (base64url without padding of):
//!   version 1 (1 byte) || nonce (12 random bytes) || AES-256-GCM ciphertext
//!   of [expiry, unix seconds, u64 big-endian || payload] || tag (16 bytes)
//! with the purpose as the associated data, and the AES key derived per
//! purpose: HKDF-SHA256(ikm = key, salt = "cognitoidp seal v1", info =
//! purpose). So a value sealed for one purpose (one cookie) opens for no
//! other, even under the same application key, and the expiry is
//! authenticated with the payload. Random 96-bit nonces are safe for far more
//! seals per key than a sign-in page makes (NIST SP 800-38D's 2^32).
//!
//! The derived key goes from HKDF's output straight into ring's AES key,
//! never through a buffer of ours; ring does not wipe its key schedule when
//! it drops it. The plaintexts (ours while sealing and opening) are wiped.

use ring::aead::{Aad, LessSafeKey, Nonce, UnboundKey, AES_256_GCM, NONCE_LEN};
use ring::hkdf::{Salt, HKDF_SHA256};
use zeroize::Zeroizing;

const VERSION: u8 = 1;
const SALT: &[u8] = b"cognitoidp seal v1";
const EXPIRY_LEN: usize = 8;
const TAG_LEN: usize = 16;
/// The shortest sealed value: an empty payload.
const MIN_SEALED_LEN: usize = 1 + NONCE_LEN + EXPIRY_LEN + TAG_LEN;
/// Longer text is not decoded: a cookie holds 4096 bytes at most, and
/// the bound keeps hostile input from costing more than a cookie's work.
pub const MAX_SEALED_CHARS: usize = 16 * 1024;
/// A key shorter than this is refused: the application key is the only
/// secret, and `cip_random_token(32)` makes one of 43 characters.
pub const MIN_KEY_LEN: usize = 16;
/// The longest payload: what seals into at most `MAX_SEALED_CHARS`, so that
/// whatever seals also opens.
pub const MAX_PAYLOAD_LEN: usize = MAX_SEALED_CHARS / 4 * 3 - MIN_SEALED_LEN;

/// Why a sealed value does not open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    /// Not base64url, too short or too long, or of another version.
    Malformed,
    /// Authentication failed: another key or purpose, or altered bytes.
    Forged,
    /// Authentic, but past its expiry.
    Expired,
}

impl Problem {
    /// The name R sees.
    pub fn as_str(self) -> &'static str {
        match self {
            Problem::Malformed => "malformed",
            Problem::Forged => "forged",
            Problem::Expired => "expired",
        }
    }
}

/// Why a value could not be sealed (or opened at all: the key).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SealError {
    KeyTooShort,
    PayloadTooLong,
    RandomSource,
    /// ring refused a step that cannot fail with these sizes.
    Internal,
}

impl std::fmt::Display for SealError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SealError::KeyTooShort => write!(
                f,
                "the sealing key must have at least {MIN_KEY_LEN} bytes (cip_random_token(32) makes a suitable one)"
            ),
            SealError::PayloadTooLong => write!(f, "the payload is too long to seal: at most {MAX_PAYLOAD_LEN} bytes"),
            SealError::RandomSource => write!(f, "the random number generator failed"),
            SealError::Internal => write!(f, "the value could not be sealed (internal error)"),
        }
    }
}

fn aead_key(key: &[u8], purpose: &str) -> Result<LessSafeKey, SealError> {
    if key.len() < MIN_KEY_LEN {
        return Err(SealError::KeyTooShort);
    }
    let info = [purpose.as_bytes()];
    // `expand` fails only for an output longer than 255 hash lengths; 32
    // bytes is not.
    let prk = Salt::new(HKDF_SHA256, SALT).extract(key);
    let okm = prk.expand(&info, &AES_256_GCM).map_err(|_| SealError::Internal)?;
    Ok(LessSafeKey::new(UnboundKey::from(okm)))
}

/// Seals `payload` for `purpose` under `key`, to open until `expiry` (unix
/// seconds). `random` fills the nonce.
pub fn seal(
    key: &[u8],
    purpose: &str,
    payload: &[u8],
    expiry: u64,
    random: &mut dyn FnMut(&mut [u8]) -> Result<(), ()>,
) -> Result<String, SealError> {
    let aead = aead_key(key, purpose)?;
    if payload.len() > MAX_PAYLOAD_LEN {
        return Err(SealError::PayloadTooLong);
    }
    let mut nonce = [0u8; NONCE_LEN];
    random(&mut nonce).map_err(|_| SealError::RandomSource)?;
    // The plaintext, encrypted in place (so overwritten by the ciphertext;
    // wiped anyway when dropped, in case sealing stops half-way).
    let mut body = Zeroizing::new(Vec::with_capacity(EXPIRY_LEN + payload.len()));
    body.extend_from_slice(&expiry.to_be_bytes());
    body.extend_from_slice(payload);
    let tag = aead
        .seal_in_place_separate_tag(Nonce::assume_unique_for_key(nonce), Aad::from(purpose.as_bytes()), &mut body[..])
        .map_err(|_| SealError::Internal)?;
    let mut out = Vec::with_capacity(MIN_SEALED_LEN + payload.len());
    out.push(VERSION);
    out.extend_from_slice(&nonce);
    out.extend_from_slice(&body);
    out.extend_from_slice(tag.as_ref());
    Ok(base64_simd::URL_SAFE_NO_PAD.encode_to_string(&out[..]))
}

/// Opens what [`seal`] made, at time `now` (unix seconds): the payload, or
/// why not. Authenticity is checked before the expiry, so an altered value
/// is `Forged` whatever its expiry says. The key is checked as `seal` does.
pub fn open(key: &[u8], purpose: &str, sealed: &str, now: f64) -> Result<Result<Zeroizing<Vec<u8>>, Problem>, SealError> {
    let aead = aead_key(key, purpose)?;
    Ok(open_with(&aead, purpose, sealed, now))
}

fn open_with(aead: &LessSafeKey, purpose: &str, sealed: &str, now: f64) -> Result<Zeroizing<Vec<u8>>, Problem> {
    if sealed.len() > MAX_SEALED_CHARS {
        return Err(Problem::Malformed);
    }
    // Strict: one spelling per byte string (see auth/encoding.rs).
    let bytes = base64_simd::URL_SAFE_NO_PAD.decode_to_vec(sealed.as_bytes()).map_err(|_| Problem::Malformed)?;
    if bytes.len() < MIN_SEALED_LEN || bytes[0] != VERSION {
        return Err(Problem::Malformed);
    }
    let nonce = Nonce::try_assume_unique_for_key(&bytes[1..1 + NONCE_LEN]).map_err(|_| Problem::Malformed)?;
    let mut body = Zeroizing::new(bytes[1 + NONCE_LEN..].to_vec());
    let plain = aead.open_in_place(nonce, Aad::from(purpose.as_bytes()), &mut body[..]).map_err(|_| Problem::Forged)?;
    let (expiry, payload) = plain.split_first_chunk::<EXPIRY_LEN>().ok_or(Problem::Malformed)?;
    let expiry = u64::from_be_bytes(*expiry);
    // A NaN `now` would compare false and accept: a clock that gives no
    // time expires everything.
    if !now.is_finite() || now >= expiry as f64 {
        return Err(Problem::Expired);
    }
    Ok(Zeroizing::new(payload.to_vec()))
}

/// The expiry of a value sealed at `now` for `lifetime` seconds: whole
/// seconds, rounded down, so a value never lives longer than asked.
/// `None` unless the lifetime is positive and at most ten years.
pub fn expiry_after(now: f64, lifetime: f64) -> Option<u64> {
    const TEN_YEARS: f64 = 10.0 * 366.0 * 86_400.0;
    if !(lifetime > 0.0 && lifetime <= TEN_YEARS && now.is_finite() && now >= 0.0) {
        return None;
    }
    Some((now + lifetime).floor() as u64)
}

#[cfg(test)]
mod tests;
