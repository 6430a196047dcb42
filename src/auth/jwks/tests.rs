use super::*;

const JWKS: &[u8] = include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/jwt/jwks.json"));
const URI: &str = "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Fixture1/.well-known/jwks.json";
const NOW: f64 = 1_700_000_000.0;

/// A set listing `kids`; their key material does not matter to the cache.
fn set_with(kids: &[&str]) -> Vec<u8> {
    let keys: Vec<String> = kids.iter().map(|kid| format!(r#"{{"kid":"{kid}","kty":"RSA","n":"AQAB","e":"AQAB"}}"#)).collect();
    format!(r#"{{"keys":[{}]}}"#, keys.join(",")).into_bytes()
}

/// A fetch callback serving `bodies` in turn (the last one forever) and
/// counting calls.
struct Server {
    bodies: Vec<Result<Vec<u8>, String>>,
    calls: usize,
}

impl Server {
    fn new(bodies: Vec<Result<Vec<u8>, String>>) -> Server {
        Server { bodies, calls: 0 }
    }

    fn fetch(&mut self, uri: &str) -> Result<Vec<u8>, String> {
        assert_eq!(uri, URI);
        let body = self.bodies[self.calls.min(self.bodies.len() - 1)].clone();
        self.calls += 1;
        body
    }
}

fn kids_of(result: Result<&KeySet, String>) -> Vec<String> {
    let keys = result.expect("a key set");
    keys.keys.iter().map(|key| key.kid.clone()).collect()
}

// ---------------------------------------------------------------------------
// KeySet

#[test]
fn the_fixture_set_parses_with_every_kid() {
    let keys = KeySet::parse(JWKS).expect("parses");
    assert_eq!(keys.len(), 6);
    for kid in ["a1b2+c3/d4==", "short-1024", "enc-a", "rs512-a", "bare-a", "ec-1"] {
        assert!(keys.contains(kid), "{kid}");
    }
    assert!(!keys.contains("key-b"));
    assert!(keys.get("a1b2+c3/d4==").is_some_and(|jwk| jwk.rsa_key_for("RS256").is_ok()));
}

#[test]
fn broken_documents_are_errors() {
    for (json, reason) in [
        (&b"not json"[..], "not valid JSON"),
        (b"[]", "not a JSON object"),
        (b"{}", "no \"keys\" array"),
        (br#"{"keys":{}}"#, "not an array"),
        (br#"{"keys":[1]}"#, "not a JSON object"),
    ] {
        let error = KeySet::parse(json).expect_err("refused");
        assert!(error.contains(reason), "{error}");
    }
    assert!(KeySet::parse(br#"{"keys":[]}"#).is_ok_and(|keys| keys.is_empty()));
}

#[test]
fn entries_without_a_string_kid_are_skipped() {
    let keys = KeySet::parse(br#"{"keys":[{"kty":"RSA"},{"kid":5,"kty":"RSA"},{"kid":"k","kty":"RSA"}]}"#).expect("parses");
    assert_eq!(keys.len(), 1);
    assert!(keys.contains("k"));
}

fn problem(jwk_json: &str) -> String {
    let keys = KeySet::parse(format!(r#"{{"keys":[{jwk_json}]}}"#).as_bytes()).expect("parses");
    let jwk = keys.get("k").expect("kid k");
    jwk.rsa_key_for("RS256").expect_err("unusable").clone()
}

/// A 2048-bit odd modulus, base64url: 0xC0 then 255 bytes of 0x01.
fn modulus_2048() -> String {
    let mut bytes = vec![0xC0];
    bytes.extend(std::iter::repeat_n(0x01, 255));
    encode(&bytes)
}

fn encode(bytes: &[u8]) -> String {
    base64_simd::URL_SAFE_NO_PAD.encode_to_string(bytes)
}

#[test]
fn unusable_keys_are_kept_with_the_reason() {
    let n = modulus_2048();
    let cases = [
        (format!(r#"{{"kid":"k","kty":"RSA","n":"{n}"}}"#), "no exponent (e)"),
        (r#"{"kid":"k","kty":"RSA","e":"AQAB"}"#.to_string(), "no modulus (n)"),
        (format!(r#"{{"kid":"k","kty":"RSA","n":"{n}","e":"AQ+B"}}"#), "exponent (e) is not base64url"),
        (r#"{"kid":"k","kty":"RSA","n":7,"e":"AQAB"}"#.to_string(), "modulus (n) is not a string"),
        (format!(r#"{{"kid":"k","kty":"RSA","n":"{n}","e":"AQ"}}"#), "exponent (e) is not an odd number"),
        (format!(r#"{{"kid":"k","kty":"RSA","n":"{n}","e":"AAE"}}"#), "exponent (e) is not an odd number"),
        (format!(r#"{{"kid":"k","kty":"RSA","n":"{n}","e":"AgAAAAE"}}"#), "exponent (e) is not an odd number"),
        (format!(r#"{{"kid":"k","kty":"RSA","n":"{}","e":"AQAB"}}"#, &encode(&[0xC0; 256])), "even"),
        (format!(r#"{{"kid":"k","kty":"RSA","n":"{}","e":"AQAB"}}"#, encode(&[0x7F; 256])), "2047 bits"),
        (format!(r#"{{"kid":"k","kty":"RSA","n":"{}","e":"AQAB"}}"#, encode(&[0x7F; 1025])), "8199 bits"),
        (r#"{"kid":"k","kty":"oct","k":"c2VjcmV0"}"#.to_string(), "key type (kty) is \"oct\""),
        (format!(r#"{{"kid":"k","n":"{n}","e":"AQAB"}}"#), "no key type (kty)"),
        (format!(r#"{{"kid":"k","kty":"RSA","use":"enc","n":"{n}","e":"AQAB"}}"#), "use is \"enc\""),
        (format!(r#"{{"kid":"k","kty":"RSA","use":["sig"],"n":"{n}","e":"AQAB"}}"#), "use is not a string"),
        (format!(r#"{{"kid":"k","kty":"RSA","alg":"RS384","n":"{n}","e":"AQAB"}}"#), "\"RS384\""),
        (
            format!(r#"{{"kid":"k","kty":"RSA","n":"{n}","e":"AQAB"}},{{"kid":"k","kty":"RSA","n":"{n}","e":"AQAB"}}"#),
            "more than one key with this key id",
        ),
    ];
    for (jwk, reason) in cases {
        let message = problem(&jwk);
        assert!(message.contains(reason), "expected {reason:?} in {message:?}");
    }
}

#[test]
fn key_material_is_normalised() {
    let n = modulus_2048();
    // A sign byte on n, padding and a leading zero on e.
    let padded = format!(r#"{{"kid":"k","kty":"RSA","n":"{}","e":"AAEAAQ=="}}"#, encode(&[&[0][..], &decode(&n)].concat()));
    let keys = KeySet::parse(format!(r#"{{"keys":[{padded}]}}"#).as_bytes()).expect("parses");
    let key = keys.get("k").expect("kid k").rsa_key_for("RS256").expect("usable");
    assert_eq!(key.n, decode(&n));
    assert_eq!(key.e, vec![1, 0, 1]);
}

fn decode(text: &str) -> Vec<u8> {
    decode_base64url(text.as_bytes()).expect("valid base64url")
}

// ---------------------------------------------------------------------------
// KeyCache

#[test]
fn one_fetch_serves_many_verifications() {
    let mut server = Server::new(vec![Ok(set_with(&["k1", "k2"]))]);
    let mut cache = KeyCache::new();
    for i in 0..100 {
        let kid = if i % 2 == 0 { "k1" } else { "k2" };
        let keys = cache.keys_for(URI, kid, NOW + f64::from(i), &mut |uri| server.fetch(uri)).expect("keys");
        assert!(keys.contains(kid));
    }
    assert_eq!(server.calls, 1);
    assert_eq!(cache.fetched_at(URI), Some(NOW));
}

#[test]
fn an_unknown_kid_refetches_once_and_finds_the_rotated_key() {
    let mut server = Server::new(vec![Ok(set_with(&["k1"])), Ok(set_with(&["k1", "k2"]))]);
    let mut cache = KeyCache::new();
    assert_eq!(kids_of(cache.keys_for(URI, "k1", NOW, &mut |uri| server.fetch(uri))), ["k1"]);
    assert_eq!(kids_of(cache.keys_for(URI, "k2", NOW + 1.0, &mut |uri| server.fetch(uri))), ["k1", "k2"]);
    assert_eq!(kids_of(cache.keys_for(URI, "k2", NOW + 2.0, &mut |uri| server.fetch(uri))), ["k1", "k2"]);
    assert_eq!(server.calls, 2);
    assert_eq!(cache.fetched_at(URI), Some(NOW + 1.0));
}

#[test]
fn a_storm_of_unknown_kids_fetches_once_per_ten_seconds() {
    let mut server = Server::new(vec![Ok(set_with(&["k1"]))]);
    let mut cache = KeyCache::new();
    cache.keys_for(URI, "k1", NOW, &mut |uri| server.fetch(uri)).expect("keys");
    // The first miss fetches; it comes back without the kid.
    cache.keys_for(URI, "forged-0", NOW + 1.0, &mut |uri| server.fetch(uri)).expect("keys");
    assert_eq!(server.calls, 2);
    for i in 1..1000 {
        let kid = format!("forged-{i}");
        let keys = cache.keys_for(URI, &kid, NOW + 1.0 + f64::from(i) * 0.009, &mut |uri| server.fetch(uri)).expect("keys");
        assert!(!keys.contains(&kid));
    }
    assert_eq!(server.calls, 2);
    // Ten seconds after the failed lookup, a miss may fetch again.
    cache.keys_for(URI, "forged-late", NOW + 10.99, &mut |uri| server.fetch(uri)).expect("keys");
    assert_eq!(server.calls, 2);
    cache.keys_for(URI, "forged-later", NOW + 11.0, &mut |uri| server.fetch(uri)).expect("keys");
    assert_eq!(server.calls, 3);
    cache.keys_for(URI, "forged-again", NOW + 12.0, &mut |uri| server.fetch(uri)).expect("keys");
    assert_eq!(server.calls, 3);
    // Known kids never wait.
    cache.keys_for(URI, "k1", NOW + 12.0, &mut |uri| server.fetch(uri)).expect("keys");
    assert_eq!(server.calls, 3);
}

#[test]
fn a_first_fetch_without_the_kid_also_starts_the_wait() {
    let mut server = Server::new(vec![Ok(set_with(&["k1"]))]);
    let mut cache = KeyCache::new();
    cache.keys_for(URI, "forged", NOW, &mut |uri| server.fetch(uri)).expect("keys");
    cache.keys_for(URI, "forged-2", NOW + 5.0, &mut |uri| server.fetch(uri)).expect("keys");
    assert_eq!(server.calls, 1);
}

#[test]
fn a_backward_or_nan_clock_does_not_open_the_wait() {
    let mut server = Server::new(vec![Ok(set_with(&["k1"]))]);
    let mut cache = KeyCache::new();
    cache.keys_for(URI, "forged", NOW, &mut |uri| server.fetch(uri)).expect("keys");
    cache.keys_for(URI, "forged", NOW - 100.0, &mut |uri| server.fetch(uri)).expect("keys");
    cache.keys_for(URI, "forged", f64::NAN, &mut |uri| server.fetch(uri)).expect("keys");
    assert_eq!(server.calls, 1);
}

#[test]
fn a_failed_fetch_is_an_error_remembered_for_ten_seconds() {
    let mut server = Server::new(vec![Err("connection refused".to_string()), Ok(b"<html>".to_vec()), Ok(set_with(&["k1"]))]);
    let mut cache = KeyCache::new();
    let error = cache.keys_for(URI, "k1", NOW, &mut |uri| server.fetch(uri)).expect_err("fails");
    assert!(error.contains("connection refused") && error.contains(URI), "{error}");
    // Within the window every call, for any kid, gets the same failure at
    // once, saying when the next fetch may be made; nothing is fetched.
    for (offset, kid) in [(0.0, "k1"), (0.1, "k1"), (5.0, "k2"), (9.99, "k1")] {
        let again = cache.keys_for(URI, kid, NOW + offset, &mut |uri| server.fetch(uri)).expect_err("remembered");
        assert!(again.starts_with(&error) && again.contains("the next is tried in"), "{again}");
    }
    // A NaN or backward clock does not open the window either.
    for now in [f64::NAN, NOW - 100.0] {
        assert!(cache.keys_for(URI, "k1", now, &mut |uri| server.fetch(uri)).is_err());
    }
    assert_eq!(server.calls, 1);
    // After it, one fetch; a set that cannot be read is remembered as well.
    let error = cache.keys_for(URI, "k1", NOW + 10.0, &mut |uri| server.fetch(uri)).expect_err("fails");
    assert!(error.contains("not valid JSON"), "{error}");
    assert!(cache.keys_for(URI, "k1", NOW + 15.0, &mut |uri| server.fetch(uri)).is_err());
    assert_eq!(server.calls, 2);
    assert_eq!(cache.fetched_at(URI), None);
    assert_eq!(kids_of(cache.keys_for(URI, "k1", NOW + 20.0, &mut |uri| server.fetch(uri))), ["k1"]);
    assert_eq!(server.calls, 3);
}

#[test]
fn a_remembered_failure_is_per_uri_and_a_preload_ends_it() {
    let mut server = Server::new(vec![Err("timed out".to_string())]);
    let mut cache = KeyCache::new();
    assert!(cache.keys_for(URI, "k1", NOW, &mut |uri| server.fetch(uri)).is_err());
    let other_uri = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_B/.well-known/jwks.json";
    let mut other_calls = 0;
    let mut other = |_: &str| {
        other_calls += 1;
        Ok(set_with(&["k1"]))
    };
    assert_eq!(kids_of(cache.keys_for(other_uri, "k1", NOW + 1.0, &mut other)), ["k1"]);
    assert_eq!(other_calls, 1);
    cache.preload(URI, KeySet::parse(&set_with(&["k1"])).expect("parses"));
    assert_eq!(kids_of(cache.keys_for(URI, "k1", NOW + 2.0, &mut |uri| server.fetch(uri))), ["k1"]);
    assert_eq!(server.calls, 1);
}

#[test]
fn a_failed_refetch_keeps_the_old_set_and_waits() {
    let mut server = Server::new(vec![Ok(set_with(&["k1"])), Err("timeout".to_string()), Ok(set_with(&["k1", "k2"]))]);
    let mut cache = KeyCache::new();
    cache.keys_for(URI, "k1", NOW, &mut |uri| server.fetch(uri)).expect("keys");
    assert!(cache.keys_for(URI, "k2", NOW + 1.0, &mut |uri| server.fetch(uri)).is_err());
    assert_eq!(kids_of(cache.keys_for(URI, "k2", NOW + 2.0, &mut |uri| server.fetch(uri))), ["k1"]);
    assert_eq!(kids_of(cache.keys_for(URI, "k1", NOW + 3.0, &mut |uri| server.fetch(uri))), ["k1"]);
    assert_eq!(server.calls, 2);
    assert_eq!(kids_of(cache.keys_for(URI, "k2", NOW + 11.0, &mut |uri| server.fetch(uri))), ["k1", "k2"]);
    assert_eq!(server.calls, 3);
}

#[test]
fn a_preloaded_set_is_used_without_fetching_and_uris_are_separate() {
    let mut server = Server::new(vec![Ok(set_with(&["other"]))]);
    let mut cache = KeyCache::new();
    cache.preload(URI, KeySet::parse(&set_with(&["k1"])).expect("parses"));
    assert_eq!(kids_of(cache.keys_for(URI, "k1", NOW, &mut |uri| server.fetch(uri))), ["k1"]);
    assert_eq!(server.calls, 0);
    assert_eq!(cache.fetched_at(URI), None);
    let other_uri = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_B/.well-known/jwks.json";
    let mut other_calls = 0;
    cache
        .keys_for(other_uri, "other", NOW, &mut |_| {
            other_calls += 1;
            Ok(set_with(&["other"]))
        })
        .expect("keys");
    assert_eq!(other_calls, 1);
    assert_eq!(kids_of(cache.keys_for(URI, "k1", NOW, &mut |uri| server.fetch(uri))), ["k1"]);
}
