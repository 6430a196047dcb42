use super::*;

const KEY: &[u8] = b"0123456789abcdef0123456789abcdef";
const NOW: f64 = 1_800_000_000.0;

fn counter_random() -> impl FnMut(&mut [u8]) -> Result<(), ()> {
    let mut n = 0u8;
    move |buf: &mut [u8]| {
        for b in buf.iter_mut() {
            n = n.wrapping_add(1);
            *b = n;
        }
        Ok(())
    }
}

fn sealed(payload: &str) -> String {
    seal(KEY, "flow", payload.as_bytes(), NOW as u64 + 600, &mut counter_random()).unwrap()
}

fn opened(key: &[u8], purpose: &str, text: &str, now: f64) -> Result<Vec<u8>, Problem> {
    open(key, purpose, text, now).unwrap().map(|p| p.to_vec())
}

fn bytes_of(text: &str) -> Vec<u8> {
    base64_simd::URL_SAFE_NO_PAD.decode_to_vec(text.as_bytes()).unwrap()
}

fn text_of(bytes: &[u8]) -> String {
    base64_simd::URL_SAFE_NO_PAD.encode_to_string(bytes)
}

#[test]
fn roundtrip_keeps_the_payload_and_lays_out_the_format() {
    for payload in ["", "x", "{\"state\":\"abc\",\"verifier\":\"é ✓\"}", &"p".repeat(MAX_PAYLOAD_LEN)] {
        let text = sealed(payload);
        assert!(text.len() <= MAX_SEALED_CHARS);
        assert!(text.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'), "{text}");
        let bytes = bytes_of(&text);
        assert_eq!(bytes.len(), MIN_SEALED_LEN + payload.len());
        assert_eq!(bytes[0], 1);
        assert_eq!(&bytes[1..13], &[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
        assert_eq!(opened(KEY, "flow", &text, NOW).unwrap(), payload.as_bytes());
    }
}

#[test]
fn ciphertext_hides_the_payload_and_expiry() {
    let text = sealed("secret-verifier-value");
    let bytes = bytes_of(&text);
    assert!(!bytes.windows(6).any(|w| w == b"secret"));
    assert!(!bytes.windows(8).any(|w| w == (NOW as u64 + 600).to_be_bytes()));
}

#[test]
fn nonces_differ_between_seals_with_the_system_random() {
    let mut system = |b: &mut [u8]| crate::auth::srp::system_random(b).map_err(|_| ());
    let a = seal(KEY, "flow", b"same", 2_000_000_000, &mut system).unwrap();
    let b = seal(KEY, "flow", b"same", 2_000_000_000, &mut system).unwrap();
    assert_ne!(a, b);
    assert_eq!(opened(KEY, "flow", &a, NOW).unwrap(), b"same");
    assert_eq!(opened(KEY, "flow", &b, NOW).unwrap(), b"same");
}

#[test]
fn every_altered_byte_is_refused() {
    let text = sealed("payload");
    let bytes = bytes_of(&text);
    for i in 0..bytes.len() {
        for flip in [0x01u8, 0x80, 0xff] {
            let mut altered = bytes.clone();
            altered[i] ^= flip;
            let expected = if i == 0 { Problem::Malformed } else { Problem::Forged };
            assert_eq!(opened(KEY, "flow", &text_of(&altered), NOW), Err(expected), "byte {i} ^ {flip:#x}");
        }
    }
    // Cut or lengthened.
    for len in 0..bytes.len() {
        let expected = if len < MIN_SEALED_LEN { Problem::Malformed } else { Problem::Forged };
        assert_eq!(opened(KEY, "flow", &text_of(&bytes[..len]), NOW), Err(expected), "cut to {len}");
    }
    let mut longer = bytes.clone();
    longer.push(0);
    assert_eq!(opened(KEY, "flow", &text_of(&longer), NOW), Err(Problem::Forged));
}

#[test]
fn every_altered_character_is_refused() {
    let text = sealed("payload");
    for i in 0..text.len() {
        let mut altered = text.clone().into_bytes();
        altered[i] = if altered[i] == b'A' { b'B' } else { b'A' };
        let altered = String::from_utf8(altered).unwrap();
        assert!(opened(KEY, "flow", &altered, NOW).is_err(), "character {i}");
    }
}

#[test]
fn another_key_or_purpose_is_forged() {
    let text = sealed("payload");
    assert_eq!(opened(b"0123456789abcdef0123456789abcdeg", "flow", &text, NOW), Err(Problem::Forged));
    assert_eq!(opened(&KEY[..31], "flow", &text, NOW), Err(Problem::Forged));
    assert_eq!(opened(KEY, "device", &text, NOW), Err(Problem::Forged));
    assert_eq!(opened(KEY, "flow ", &text, NOW), Err(Problem::Forged));
    assert_eq!(opened(KEY, "", &text, NOW), Err(Problem::Forged));
}

#[test]
fn expiry_is_exclusive_and_checked_after_authenticity() {
    let text = sealed("payload");
    let expiry = NOW + 600.0;
    assert!(opened(KEY, "flow", &text, expiry - 0.001).is_ok());
    assert_eq!(opened(KEY, "flow", &text, expiry), Err(Problem::Expired));
    assert_eq!(opened(KEY, "flow", &text, expiry + 1e6), Err(Problem::Expired));
    assert_eq!(opened(KEY, "flow", &text, f64::NAN), Err(Problem::Expired));
    assert_eq!(opened(KEY, "device", &text, expiry + 1.0), Err(Problem::Forged));
    // The expiry is authenticated: changing it (in the ciphertext) forges.
    let mut bytes = bytes_of(&text);
    bytes[13 + 7] ^= 0x01;
    assert_eq!(opened(KEY, "flow", &text_of(&bytes), NOW), Err(Problem::Forged));
}

#[test]
fn malformed_text_is_malformed_and_never_panics() {
    let long = "A".repeat(MAX_SEALED_CHARS + 4);
    let cases = [
        "", "A", "AA", "AAA", "====", "not base64!", "AQ==", "AQ", "\u{e9}\u{e9}", "\0\0\0", "+/+/", &long,
    ];
    for case in cases {
        assert_eq!(opened(KEY, "flow", case, NOW), Err(Problem::Malformed), "{case:?}");
    }
    // Padding or a standard-alphabet spelling of a valid value is refused.
    let text = sealed("payload");
    let padded = format!("{text}{}", "=".repeat((4 - text.len() % 4) % 4));
    if padded != text {
        assert_eq!(opened(KEY, "flow", &padded, NOW), Err(Problem::Malformed));
    }
    // Another version.
    let mut bytes = bytes_of(&text);
    bytes[0] = 2;
    assert_eq!(opened(KEY, "flow", &text_of(&bytes), NOW), Err(Problem::Malformed));
    // Every length of a few byte patterns, as text and as decoded bytes.
    let mut state = 0x9e37_79b9_u32;
    for len in 0..200 {
        let text: String = (0..len)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 17;
                state ^= state << 5;
                char::from(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_=+/. \n"[(state % 70) as usize])
            })
            .collect();
        assert!(opened(KEY, "flow", &text, NOW).is_err(), "{text:?}");
    }
}

#[test]
fn short_keys_and_long_payloads_are_refused() {
    let mut random = counter_random();
    assert_eq!(seal(&KEY[..15], "flow", b"x", 1, &mut random), Err(SealError::KeyTooShort));
    assert_eq!(seal(b"", "flow", b"x", 1, &mut random), Err(SealError::KeyTooShort));
    assert!(matches!(open(&KEY[..15], "flow", "AAAA", NOW), Err(SealError::KeyTooShort)));
    assert!(seal(&KEY[..16], "flow", b"x", 1, &mut random).is_ok());
    let long = vec![b'x'; MAX_PAYLOAD_LEN + 1];
    assert_eq!(seal(KEY, "flow", &long, 1, &mut random), Err(SealError::PayloadTooLong));
    let mut failing = |_: &mut [u8]| Err(());
    assert_eq!(seal(KEY, "flow", b"x", 1, &mut failing), Err(SealError::RandomSource));
}

#[test]
fn expiry_after_rounds_down_and_bounds_the_lifetime() {
    assert_eq!(expiry_after(100.5, 600.0), Some(700));
    assert_eq!(expiry_after(100.0, 0.4), Some(100));
    assert_eq!(expiry_after(100.0, 0.0), None);
    assert_eq!(expiry_after(100.0, -1.0), None);
    assert_eq!(expiry_after(100.0, f64::NAN), None);
    assert_eq!(expiry_after(100.0, f64::INFINITY), None);
    assert_eq!(expiry_after(100.0, 11.0 * 366.0 * 86_400.0), None);
    assert_eq!(expiry_after(f64::NAN, 1.0), None);
}

#[test]
fn the_format_matches_an_independent_implementation() {
    // Made with Python's `cryptography` (HKDF and AESGCM), from the format in
    // the module's header: key KEY, purpose "flow", nonce bytes 1..=12, expiry
    // NOW + 600, payload {"state":"abc"}. Pins the salt, the info, the
    // associated data and the layout, which roundtrips alone would not.
    const EXPECTED: &str = "AQECAwQFBgcICQoLDLDi7-qIWM71djnMqOr2Kgljmn9dcat7G1W_g2EMTUlF5iA7PMSR5Q";
    assert_eq!(sealed("{\"state\":\"abc\"}"), EXPECTED);
    assert_eq!(opened(KEY, "flow", EXPECTED, NOW).unwrap(), b"{\"state\":\"abc\"}");
}
