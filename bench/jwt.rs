//! Verifications per second of one Cognito-shaped ID token with a cached key
//! set, on one thread, and where the time goes (src/auth/jwt.rs). Goal: at
//! least 20,000 per second on one core.
//!
//!   cargo run --release --example jwt     (bench/run.sh pins it to one core)
//!
//! The token and key set are the test fixtures (tests/fixtures/jwt) that
//! bench/pyjwt.py verifies too. Prints numbers only; never fails on a timing.

use std::hint::black_box;
use std::time::Instant;

use cognitoidp::auth::jwks::{KeyCache, KeySet};
use cognitoidp::auth::jwt::{read_header, verify, verify_read, Expectations, TokenErrorKind, TokenUse};
use ring::rand::SystemRandom;
use ring::signature::{RsaKeyPair, RsaPublicKeyComponents, RSA_PKCS1_2048_8192_SHA256, RSA_PKCS1_SHA256};

const TOKEN: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/jwt/id_token.txt"));
const JWKS: &[u8] = include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/jwt/jwks.json"));
const KEY_A_PKCS8: &[u8] = include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/jwt/rsa2048_a.pk8.der"));
const ISSUER: &str = "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Fixture1";
const JWKS_URI: &str = "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Fixture1/.well-known/jwks.json";
/// Between the fixture token's iat (2023) and exp (2033).
const NOW: f64 = 1_800_000_000.0;
const CALLS: usize = 20_000;

struct Timing {
    median_ns: f64,
    p10_ns: f64,
    p90_ns: f64,
    per_second: f64,
}

/// Times each call on its own (the clock costs ~25 ns, under 0.1 % of a
/// verification) after a warm-up, and reports the spread.
fn time_calls(mut call: impl FnMut()) -> Timing {
    for _ in 0..CALLS / 10 {
        call();
    }
    let mut samples = Vec::with_capacity(CALLS);
    let started = Instant::now();
    for _ in 0..CALLS {
        let before = Instant::now();
        call();
        samples.push(before.elapsed().as_nanos() as f64);
    }
    let total = started.elapsed().as_secs_f64();
    samples.sort_by(f64::total_cmp);
    let at = |fraction: f64| samples[((samples.len() - 1) as f64 * fraction) as usize];
    Timing { median_ns: at(0.5), p10_ns: at(0.1), p90_ns: at(0.9), per_second: CALLS as f64 / total }
}

fn report(label: &str, timing: &Timing) {
    println!(
        "{label:<46} median {:>9.0} ns  (p10 {:>7.0}, p90 {:>7.0})  {:>10.0} calls/s",
        timing.median_ns, timing.p10_ns, timing.p90_ns, timing.per_second
    );
}

/// `jwt --mint N` prints N distinct tokens, one a line: the fixture token
/// with a `bench_serial` claim of its own in each, signed with the fixture key (for
/// bench/tokens.R, which cannot sign). Otherwise, the benchmark.
fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let [_, flag, count] = &args[..] {
        if flag == "--mint" {
            mint(count.parse().expect("--mint takes a number"));
            return;
        }
    }
    bench();
}

fn mint(count: usize) {
    let token = TOKEN.trim();
    let mut parts = token.split('.');
    let (header, payload) = (parts.next().expect("header"), parts.next().expect("payload"));
    let payload = base64_simd::URL_SAFE_NO_PAD.decode_to_vec(payload).expect("base64url payload");
    let payload = String::from_utf8(payload).expect("UTF-8 payload");
    let key_pair = RsaKeyPair::from_pkcs8(KEY_A_PKCS8).expect("fixture key parses");
    let random = SystemRandom::new();
    let mut signature = vec![0; key_pair.public().modulus_len()];
    for i in 0..count {
        let unique = format!("{{\"bench_serial\":{i},{}", &payload[1..]);
        let signing_input = format!("{header}.{}", base64_simd::URL_SAFE_NO_PAD.encode_to_string(unique.as_bytes()));
        key_pair.sign(&RSA_PKCS1_SHA256, &random, signing_input.as_bytes(), &mut signature).expect("signing works");
        println!("{signing_input}.{}", base64_simd::URL_SAFE_NO_PAD.encode_to_string(&signature));
    }
}

fn bench() {
    let token = TOKEN.trim();
    let keys = KeySet::parse(JWKS).expect("fixture key set parses");
    let no_keys = KeySet::parse(br#"{"keys":[]}"#).expect("empty key set parses");
    let clients = vec!["client-one".to_string()];
    let expect = Expectations {
        issuer: ISSUER,
        token_use: Some(TokenUse::Id),
        client_ids: Some(&clients),
        groups: None,
        scopes: None,
        grace_seconds: 0,
        now: NOW,
    };
    verify(token, &keys, &expect).expect("fixture token verifies");
    println!("one {}-byte ID token, RS256 / 2048-bit key, {CALLS} timed calls each\n", token.len());

    let full = time_calls(|| {
        black_box(verify(black_box(token), &keys, &expect).is_ok());
    });
    report("verify (cached KeySet)", &full);

    // Everything but the key: split, base64url, both JSON parses, alg check,
    // signature decoding; it stops at the key lookup.
    let decode_only = time_calls(|| {
        let outcome = verify(black_box(token), &no_keys, &expect);
        black_box(matches!(outcome, Err(ref error) if error.kind == TokenErrorKind::UnknownKey));
    });
    report("  of which base64url + JSON (stops at kid)", &decode_only);

    // ring alone on the same input: RSA_PKCS1 v1.5 signatures are
    // deterministic, so signing again reproduces the token's signature.
    let key_pair = RsaKeyPair::from_pkcs8(KEY_A_PKCS8).expect("fixture key parses");
    let public: RsaPublicKeyComponents<Vec<u8>> = key_pair.public().into();
    let signing_input = &token[..token.rfind('.').expect("token has dots")];
    let mut signature = vec![0; key_pair.public().modulus_len()];
    key_pair
        .sign(&RSA_PKCS1_SHA256, &SystemRandom::new(), signing_input.as_bytes(), &mut signature)
        .expect("signing works");
    let rsa = time_calls(|| {
        black_box(public.verify(&RSA_PKCS1_2048_8192_SHA256, black_box(signing_input.as_bytes()), &signature).is_ok());
    });
    report("  of which RSA (ring, key parsed per call)", &rsa);
    println!(
        "  remainder (claim checks, allocation)        {:>9.0} ns\n",
        full.median_ns - decode_only.median_ns - rsa.median_ns
    );

    let claims = verify(token, &keys, &expect).expect("fixture token verifies");
    let to_value = time_calls(|| {
        black_box(claims.to_value());
    });
    report("Claims::to_value (R value tree)", &to_value);

    let mut cache = KeyCache::new();
    cache.preload(JWKS_URI, keys.clone());
    let mut no_fetch = |_: &str| -> Result<Vec<u8>, String> { Err("the bench never fetches".to_string()) };
    // What cognito_verify_token() runs per token (src/auth_calls.rs), short
    // of building the R objects: the header is read once.
    let through_cache = time_calls(|| {
        let read = read_header(black_box(token)).expect("header");
        let cached = cache.keys_for(JWKS_URI, read.kid(), NOW, &mut no_fetch).expect("cached");
        black_box(verify_read(&read, cached, &expect).is_ok());
    });
    report("read_header + KeyCache::keys_for + verify_read", &through_cache);

    println!(
        "\nverify: {:.0} tokens/s by the median ({:.1} us), {:.0} tokens/s measured over the loop",
        1e9 / full.median_ns,
        full.median_ns / 1000.0,
        full.per_second
    );
}
