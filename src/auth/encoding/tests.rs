//! The readers' guarantees, each for its class of input: one spelling per
//! byte string, no repeated member names at any depth, bounded nesting.

use super::*;

/// An independent encoder (bit by bit), so that the decoder is not checked
/// against the library it uses.
fn encode_base64url(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let bits = chunk.iter().enumerate().fold(0u32, |acc, (i, &b)| acc | (u32::from(b) << (16 - 8 * i)));
        for i in 0..=chunk.len() {
            out.push(char::from(ALPHABET[((bits >> (18 - 6 * i)) & 0x3F) as usize]));
        }
    }
    out
}

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

#[test]
fn base64url_round_trips_every_length_and_byte() {
    let bytes: Vec<u8> = (0..=255).cycle().take(600).collect();
    for len in 0..200 {
        let slice = &bytes[len..len * 3];
        assert_eq!(decode_base64url(encode_base64url(slice).as_bytes()).as_deref(), Some(slice), "length {}", slice.len());
    }
    assert_eq!(decode_base64url(b"").as_deref(), Some(&[][..]));
    assert_eq!(decode_base64url(b"-_8").as_deref(), Some(&[0xFB, 0xFF][..]));
}

/// Every byte string has exactly one accepted spelling: of all the 64 x 64
/// two-character and 64 x 64 x 64 three-character tails (after a full quad,
/// so that the tail is what is tested), exactly those whose spare bits are
/// zero decode, and each to a different value.
#[test]
fn base64url_accepts_one_spelling_per_byte_string() {
    let mut decoded_two = std::collections::HashSet::new();
    for &a in ALPHABET {
        for &b in ALPHABET {
            let text = [b'Q', b'U', b'J', b'D', a, b];
            let spare_bits_zero = ALPHABET.iter().position(|&c| c == b).is_some_and(|value| value & 0x0F == 0);
            match decode_base64url(&text) {
                Some(bytes) => {
                    assert!(spare_bits_zero, "{:?}", String::from_utf8_lossy(&text));
                    assert!(decoded_two.insert(bytes), "two spellings of one value");
                }
                None => assert!(!spare_bits_zero, "{:?}", String::from_utf8_lossy(&text)),
            }
        }
    }
    assert_eq!(decoded_two.len(), 256);
    let mut decoded_three = std::collections::HashSet::new();
    for &a in ALPHABET {
        for &b in ALPHABET {
            for &c in ALPHABET {
                let text = [a, b, c];
                let spare_bits_zero = ALPHABET.iter().position(|&x| x == c).is_some_and(|value| value & 0x03 == 0);
                match decode_base64url(&text) {
                    Some(bytes) => {
                        assert!(spare_bits_zero);
                        assert!(decoded_three.insert(bytes), "two spellings of one value");
                    }
                    None => assert!(!spare_bits_zero),
                }
            }
        }
    }
    assert_eq!(decoded_three.len(), 65_536);
}

/// Padding, a lone trailing character, other alphabets, white space and
/// every byte outside the alphabet are refused wherever they stand.
#[test]
fn base64url_refuses_other_spellings() {
    for refused in [&b"QQ=="[..], b"QQ=", b"Q", b"QUJDR", b"+/8", b"QU J", b"QUI\n", b"QUJD=", b"=QUJ"] {
        assert_eq!(decode_base64url(refused), None, "{:?}", String::from_utf8_lossy(refused));
    }
    for byte in 0..=255u8 {
        if ALPHABET.contains(&byte) {
            continue;
        }
        for at in 0..8 {
            let mut text = *b"QUJDRUZH";
            text[at] = byte;
            assert_eq!(decode_base64url(&text), None, "byte {byte:#04x} at {at}");
        }
    }
}

#[test]
fn json_objects_keep_order_and_types() {
    let members = parse_json_object(br#" {"b":1, "a":[true,null,"x"], "c":{"d":-2.5e3}} "#).expect("valid");
    assert_eq!(
        members,
        vec![
            ("b".to_string(), Json::Number(1.0)),
            ("a".to_string(), Json::Array(vec![Json::Bool(true), Json::Null, Json::String("x".into())])),
            ("c".to_string(), Json::Object(vec![("d".to_string(), Json::Number(-2500.0))])),
        ]
    );
}

#[test]
fn json_nesting_is_bounded_for_objects_and_arrays() {
    let at_limit = format!("{}{}", "{\"a\":".repeat(MAX_DEPTH - 1) + "{", "}".repeat(MAX_DEPTH));
    assert!(parse_json_object(at_limit.as_bytes()).is_ok());
    let over_limit = format!("{}{}", "{\"a\":".repeat(MAX_DEPTH) + "{", "}".repeat(MAX_DEPTH + 1));
    assert_eq!(parse_json_object(over_limit.as_bytes()), Err("nests JSON too deeply"));
    let arrays_at_limit = format!("{{\"a\":{}1{}}}", "[".repeat(MAX_DEPTH - 1), "]".repeat(MAX_DEPTH - 1));
    assert!(parse_json_object(arrays_at_limit.as_bytes()).is_ok());
    let arrays_over = format!("{{\"a\":{}1{}}}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
    assert_eq!(parse_json_object(arrays_over.as_bytes()), Err("nests JSON too deeply"));
    // Far deeper than the stack could recurse: refused at the bound.
    let hostile = format!("{{\"a\":{}1{}}}", "[".repeat(1_000_000), "]".repeat(1_000_000));
    assert_eq!(parse_json_object(hostile.as_bytes()), Err("nests JSON too deeply"));
}

/// A repeated name is refused in small and large objects (the two ways
/// duplicates are found), at the top and nested, and also when the two
/// spellings differ only by escapes.
#[test]
fn json_repeated_member_names_are_refused_at_every_depth() {
    const REPEATED: Result<Vec<(String, Json)>, &str> = Err("has a JSON object with a repeated member name");
    for size in [2, 3, 16, 17, 40] {
        let members: Vec<String> = (0..size).map(|i| format!("\"k{i}\":{i}")).collect();
        let unique = format!("{{{}}}", members.join(","));
        assert!(parse_json_object(unique.as_bytes()).is_ok(), "{size}");
        for repeat in [0, size - 1] {
            let top = format!("{{{},\"k{repeat}\":0}}", members.join(","));
            assert_eq!(parse_json_object(top.as_bytes()), REPEATED, "{size} {repeat}");
            let nested = format!("{{\"x\":[{{{},\"k{repeat}\":0}}]}}", members.join(","));
            assert_eq!(parse_json_object(nested.as_bytes()), REPEATED, "{size} {repeat}");
        }
    }
    assert_eq!(parse_json_object(br#"{"kid":1,"\u006bid":2}"#), REPEATED);
    // The same name in sibling objects is not a repeat.
    assert!(parse_json_object(br#"{"a":{"k":1},"b":{"k":2}}"#).is_ok());
}

#[test]
fn quote_escapes_and_cuts() {
    assert_eq!(quote("a\"b\n"), "\"a\\\"b\\n\"");
    let long = "x".repeat(200);
    assert_eq!(quote(&long), format!("\"{}...\"", "x".repeat(80)));
    assert_eq!(quote(&"x".repeat(80)), format!("\"{}\"", "x".repeat(80)));
}
