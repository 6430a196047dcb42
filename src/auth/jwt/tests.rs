//! Tokens are minted here with ring and the committed fixture keys
//! (`tests/fixtures/jwt`, made by its `make_fixtures.sh`), so every failure class is
//! exercised with real RS256 signatures.

use ring::rand::SystemRandom;
use ring::signature::{RsaKeyPair, RsaPublicKeyComponents, RSA_PKCS1_SHA256};

use super::*;
use crate::auth::jwks::KeyCache;
use crate::value::{List, Value};

const KEY_A_PKCS8: &[u8] = include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/jwt/rsa2048_a.pk8.der"));
const KEY_B_PKCS8: &[u8] = include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/jwt/rsa2048_b.pk8.der"));
const JWKS: &[u8] = include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/jwt/jwks.json"));
const JWKS_ROTATED: &[u8] = include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/jwt/jwks_rotated.json"));
const RSA1024_TOKEN: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/jwt/rsa1024_token.txt"));
const FIXTURE_ID_TOKEN: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/jwt/id_token.txt"));

/// Key A's kid has the characters ministack puts in its kids.
const KID_A: &str = "a1b2+c3/d4==";
const KID_B: &str = "key-b";
const ISSUER: &str = "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Fixture1";
const JWKS_URI: &str = "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Fixture1/.well-known/jwks.json";
const CLIENT: &str = "client-one";
const NOW: f64 = 1_700_000_000.0;

// ---------------------------------------------------------------------------
// Minting

fn encode_base64url(bytes: &[u8]) -> String {
    base64_simd::URL_SAFE_NO_PAD.encode_to_string(bytes)
}

fn key_pair(pkcs8: &[u8]) -> RsaKeyPair {
    RsaKeyPair::from_pkcs8(pkcs8).expect("fixture key parses")
}

fn sign(key: &RsaKeyPair, signing_input: &str) -> String {
    let mut signature = vec![0; key.public().modulus_len()];
    key.sign(&RSA_PKCS1_SHA256, &SystemRandom::new(), signing_input.as_bytes(), &mut signature)
        .expect("signing works");
    encode_base64url(&signature)
}

/// A token over raw header and payload JSON text, signed with `key`.
fn mint_raw(key: &RsaKeyPair, header_json: &str, payload_json: &str) -> String {
    let signing_input = format!(
        "{}.{}",
        encode_base64url(header_json.as_bytes()),
        encode_base64url(payload_json.as_bytes())
    );
    let signature = sign(key, &signing_input);
    format!("{signing_input}.{signature}")
}

fn header_for(kid: &str) -> String {
    format!(r#"{{"kid":"{kid}","alg":"RS256"}}"#)
}

/// Claims as raw JSON member texts, in order, so tests can replace, drop or
/// add one and keep the rest as Cognito writes them.
#[derive(Clone)]
struct Payload {
    members: Vec<(String, String)>,
}

impl Payload {
    fn id_token() -> Payload {
        Payload::from_members(&[
            ("sub", r#""5f2c6a1e-0b7d-4c55-9a0e-3d1f2b4c6e8a""#.into()),
            ("cognito:groups", r#"["admin","ops"]"#.into()),
            ("email_verified", "true".into()),
            ("iss", format!("{ISSUER:?}")),
            ("cognito:username", r#""alice""#.into()),
            ("aud", format!("{CLIENT:?}")),
            ("token_use", r#""id""#.into()),
            ("auth_time", format!("{}", NOW - 100.0)),
            ("exp", format!("{}", NOW + 3600.0)),
            ("iat", format!("{}", NOW - 100.0)),
            ("email", r#""alice@example.com""#.into()),
        ])
    }

    fn access_token() -> Payload {
        Payload::from_members(&[
            ("sub", r#""5f2c6a1e-0b7d-4c55-9a0e-3d1f2b4c6e8a""#.into()),
            ("cognito:groups", r#"["admin"]"#.into()),
            ("iss", format!("{ISSUER:?}")),
            ("client_id", format!("{CLIENT:?}")),
            ("token_use", r#""access""#.into()),
            ("scope", r#""aws.cognito.signin.user.admin openid email""#.into()),
            ("auth_time", format!("{}", NOW - 100.0)),
            ("exp", format!("{}", NOW + 3600.0)),
            ("iat", format!("{}", NOW - 100.0)),
            ("username", r#""alice""#.into()),
        ])
    }

    fn from_members(members: &[(&str, String)]) -> Payload {
        Payload { members: members.iter().map(|(name, json)| (name.to_string(), json.clone())).collect() }
    }

    /// Replaces the member in place, or appends it.
    fn set(mut self, name: &str, json: impl Into<String>) -> Payload {
        let json = json.into();
        match self.members.iter_mut().find(|(member, _)| member == name) {
            Some(member) => member.1 = json,
            None => self.members.push((name.to_string(), json)),
        }
        self
    }

    fn without(mut self, name: &str) -> Payload {
        self.members.retain(|(member, _)| member != name);
        self
    }

    fn json(&self) -> String {
        let members: Vec<String> = self.members.iter().map(|(name, json)| format!("{name:?}:{json}")).collect();
        format!("{{{}}}", members.join(","))
    }

    fn mint(&self) -> String {
        mint_raw(&key_pair(KEY_A_PKCS8), &header_for(KID_A), &self.json())
    }
}

fn fixture_keys() -> KeySet {
    KeySet::parse(JWKS).expect("fixture key set parses")
}

fn clients() -> Vec<String> {
    vec!["some-other-client".to_string(), CLIENT.to_string()]
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|item| item.to_string()).collect()
}

fn names(items: &[&str]) -> Vec<crate::value::Name> {
    items.iter().map(|item| item.to_string().into()).collect()
}

fn id_expectations(client_ids: &[String]) -> Expectations<'_> {
    Expectations {
        issuer: ISSUER,
        token_use: Some(TokenUse::Id),
        client_ids: Some(client_ids),
        groups: None,
        scopes: None,
        grace_seconds: 0,
        now: NOW,
    }
}

fn access_expectations(client_ids: &[String]) -> Expectations<'_> {
    Expectations { token_use: Some(TokenUse::Access), ..id_expectations(client_ids) }
}

/// Asserts the failure kind, and that the message shows none of the token's
/// encoded parts (any of them may carry secrets or be huge).
fn assert_fails(token: &str, keys: &KeySet, expect: &Expectations<'_>, kind: TokenErrorKind) -> String {
    let error = match verify(token, keys, expect) {
        Ok(_) => panic!("expected {kind:?}, the token verified"),
        Err(error) => error,
    };
    assert_eq!(error.kind, kind, "message: {}", error.message);
    for part in token.split('.').filter(|part| part.len() >= 8) {
        assert!(!error.message.contains(part), "message shows a token part: {}", error.message);
    }
    assert!(!error.message.is_empty());
    error.message
}

fn claims_value(token: &str, keys: &KeySet, expect: &Expectations<'_>) -> List {
    match verify(token, keys, expect) {
        Ok(claims) => match claims.to_value() {
            Value::List(list) => list,
            other => panic!("claims are not a list: {other:?}"),
        },
        Err(error) => panic!("token did not verify: {error}"),
    }
}

// ---------------------------------------------------------------------------
// Success and the R value

#[test]
fn fixture_key_set_matches_the_fixture_keys() {
    let public: RsaPublicKeyComponents<Vec<u8>> = key_pair(KEY_A_PKCS8).public().into();
    let keys = fixture_keys();
    let jwk = keys.get(KID_A).expect("kid A is in the set");
    let components = jwk.rsa_key_for("RS256").expect("key A is usable");
    assert_eq!(components.n, public.n);
    assert_eq!(components.e, public.e);
}

#[test]
fn a_valid_id_token_verifies_and_becomes_a_named_list_in_token_order() {
    let ids = clients();
    let list = claims_value(&Payload::id_token().mint(), &fixture_keys(), &id_expectations(&ids));
    assert_eq!(
        list.names.as_deref(),
        Some(
            &names(&[
                "sub",
                "cognito:groups",
                "email_verified",
                "iss",
                "cognito:username",
                "aud",
                "token_use",
                "auth_time",
                "exp",
                "iat",
                "email"
            ])[..]
        )
    );
    assert_eq!(list.get("sub"), Some(&Value::string("5f2c6a1e-0b7d-4c55-9a0e-3d1f2b4c6e8a")));
    assert_eq!(list.get("cognito:groups"), Some(&Value::Character(vec![Some("admin".into()), Some("ops".into())])));
    assert_eq!(list.get("email_verified"), Some(&Value::boolean(true)));
    assert_eq!(list.get("aud"), Some(&Value::string(CLIENT)));
    assert_eq!(list.get("exp"), Some(&Value::Timestamp(vec![Some(NOW + 3600.0)])));
    assert_eq!(list.get("iat"), Some(&Value::Timestamp(vec![Some(NOW - 100.0)])));
    assert_eq!(list.get("auth_time"), Some(&Value::Timestamp(vec![Some(NOW - 100.0)])));
}

#[test]
fn the_committed_fixture_token_verifies() {
    let ids = clients();
    let list = claims_value(FIXTURE_ID_TOKEN.trim(), &fixture_keys(), &id_expectations(&ids));
    assert_eq!(list.get("cognito:username"), Some(&Value::string("alice")));
    assert_eq!(list.get("exp"), Some(&Value::Timestamp(vec![Some(2_000_000_000.0)])));
}

#[test]
fn a_valid_access_token_keeps_scope_as_one_string() {
    let ids = clients();
    let expect = Expectations { scopes: Some(&strings(&["openid"])), ..access_expectations(&ids) };
    let list = claims_value(&Payload::access_token().mint(), &fixture_keys(), &expect);
    assert_eq!(list.get("scope"), Some(&Value::string("aws.cognito.signin.user.admin openid email")));
    assert_eq!(list.get("cognito:groups"), Some(&Value::Character(vec![Some("admin".into())])));
    assert_eq!(list.get("client_id"), Some(&Value::string(CLIENT)));
}

#[test]
fn groups_are_always_a_character_vector() {
    let ids = clients();
    let keys = fixture_keys();
    let as_string = Payload::id_token().set("cognito:groups", r#""solo""#).mint();
    let list = claims_value(&as_string, &keys, &id_expectations(&ids));
    assert_eq!(list.get("cognito:groups"), Some(&Value::Character(vec![Some("solo".into())])));
    let empty = Payload::id_token().set("cognito:groups", "[]").mint();
    let list = claims_value(&empty, &keys, &id_expectations(&ids));
    assert_eq!(list.get("cognito:groups"), Some(&Value::Character(vec![])));
}

#[test]
fn nested_values_arrays_and_null_convert_to_r_shapes() {
    let ids = clients();
    let token = Payload::id_token()
        .set("custom:profile", r#"{"level":3,"tags":["a","b"],"inner":{}}"#)
        .set("custom:numbers", "[1,2.5]")
        .set("custom:flags", "[true,false]")
        .set("custom:mixed", r#"[1,"a",null]"#)
        .set("custom:nothing", "null")
        .set("custom:empty", "[]")
        .set("custom:escaped", r#""caf\u00e9 \"q\" \ud83d\ude00""#)
        .mint();
    let list = claims_value(&token, &fixture_keys(), &id_expectations(&ids));
    assert_eq!(
        list.get("custom:profile"),
        Some(&Value::List(List::named(vec![
            ("level", Value::Double(vec![Some(3.0)])),
            ("tags", Value::Character(vec![Some("a".into()), Some("b".into())])),
            ("inner", Value::List(List::named(Vec::<(&str, Value)>::new()))),
        ])))
    );
    assert_eq!(list.get("custom:numbers"), Some(&Value::Double(vec![Some(1.0), Some(2.5)])));
    assert_eq!(list.get("custom:flags"), Some(&Value::Logical(vec![Some(true), Some(false)])));
    assert_eq!(
        list.get("custom:mixed"),
        Some(&Value::List(List::unnamed(vec![Value::Double(vec![Some(1.0)]), Value::string("a"), Value::Null])))
    );
    assert_eq!(list.get("custom:nothing"), Some(&Value::Null));
    assert_eq!(list.get("custom:empty"), Some(&Value::List(List::unnamed(vec![]))));
    assert_eq!(list.get("custom:escaped"), Some(&Value::string("café \"q\" 😀")));
}

#[test]
fn only_top_level_standard_times_become_timestamps() {
    let ids = clients();
    let token = Payload::id_token().set("custom:obj", r#"{"exp":5}"#).set("custom:time", "5").mint();
    let list = claims_value(&token, &fixture_keys(), &id_expectations(&ids));
    assert_eq!(
        list.get("custom:obj"),
        Some(&Value::List(List::named(vec![("exp", Value::Double(vec![Some(5.0)]))])))
    );
    assert_eq!(list.get("custom:time"), Some(&Value::Double(vec![Some(5.0)])));
}

#[test]
fn a_key_without_use_or_alg_is_accepted() {
    let ids = clients();
    let token = mint_raw(&key_pair(KEY_A_PKCS8), &header_for("bare-a"), &Payload::id_token().json());
    assert!(verify(&token, &fixture_keys(), &id_expectations(&ids)).is_ok());
}

// ---------------------------------------------------------------------------
// Times

#[test]
fn an_expired_token_fails_unless_within_the_grace() {
    let ids = clients();
    let keys = fixture_keys();
    let token = Payload::id_token().set("exp", format!("{}", NOW - 30.0)).mint();
    let message = assert_fails(&token, &keys, &id_expectations(&ids), TokenErrorKind::Expired);
    assert!(message.contains("exp"), "{message}");
    assert!(message.contains("2023-11-14T22:12:50Z"), "{message}");
    let lenient = Expectations { grace_seconds: 60, ..id_expectations(&ids) };
    assert!(verify(&token, &keys, &lenient).is_ok());
    let strict_grace = Expectations { grace_seconds: 30, ..id_expectations(&ids) };
    assert_fails(&token, &keys, &strict_grace, TokenErrorKind::Expired);
}

#[test]
fn a_token_expires_at_exp_itself() {
    let ids = clients();
    let token = Payload::id_token().set("exp", format!("{NOW}")).mint();
    assert_fails(&token, &fixture_keys(), &id_expectations(&ids), TokenErrorKind::Expired);
    let a_moment_before = Expectations { now: NOW - 0.5, ..id_expectations(&ids) };
    assert!(verify(&token, &fixture_keys(), &a_moment_before).is_ok());
}

#[test]
fn a_nan_clock_fails_closed() {
    let ids = clients();
    let expect = Expectations { now: f64::NAN, ..id_expectations(&ids) };
    assert_fails(&Payload::id_token().mint(), &fixture_keys(), &expect, TokenErrorKind::Expired);
}

#[test]
fn a_future_nbf_is_not_yet_valid_unless_within_the_grace() {
    let ids = clients();
    let keys = fixture_keys();
    let token = Payload::id_token().set("nbf", format!("{}", NOW + 20.0)).mint();
    let message = assert_fails(&token, &keys, &id_expectations(&ids), TokenErrorKind::NotYetValid);
    assert!(message.contains("nbf"), "{message}");
    let lenient = Expectations { grace_seconds: 20, ..id_expectations(&ids) };
    assert!(verify(&token, &keys, &lenient).is_ok());
    let past = Payload::id_token().set("nbf", format!("{}", NOW - 20.0)).mint();
    assert!(verify(&past, &keys, &id_expectations(&ids)).is_ok());
}

#[test]
fn exp_is_required_and_times_must_be_numbers() {
    let ids = clients();
    let keys = fixture_keys();
    let expect = id_expectations(&ids);
    let message = assert_fails(&Payload::id_token().without("exp").mint(), &keys, &expect, TokenErrorKind::Malformed);
    assert!(message.contains("exp"), "{message}");
    assert_fails(&Payload::id_token().set("exp", r#""soon""#).mint(), &keys, &expect, TokenErrorKind::Malformed);
    assert_fails(&Payload::id_token().set("nbf", "null").mint(), &keys, &expect, TokenErrorKind::Malformed);
}

// ---------------------------------------------------------------------------
// Issuer, token use, client

#[test]
fn a_wrong_or_missing_issuer_fails() {
    let ids = clients();
    let keys = fixture_keys();
    let expect = id_expectations(&ids);
    let other = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Other";
    let message = assert_fails(
        &Payload::id_token().set("iss", format!("{other:?}")).mint(),
        &keys,
        &expect,
        TokenErrorKind::WrongIssuer,
    );
    assert!(message.contains(other) && message.contains(ISSUER), "{message}");
    assert_fails(&Payload::id_token().without("iss").mint(), &keys, &expect, TokenErrorKind::WrongIssuer);
    assert_fails(&Payload::id_token().set("iss", "1").mint(), &keys, &expect, TokenErrorKind::WrongIssuer);
}

#[test]
fn a_wrong_token_use_fails_unless_waived() {
    let ids = clients();
    let keys = fixture_keys();
    let message =
        assert_fails(&Payload::access_token().mint(), &keys, &id_expectations(&ids), TokenErrorKind::WrongTokenUse);
    assert!(message.contains("\"access\"") && message.contains("\"id\""), "{message}");
    assert_fails(&Payload::id_token().mint(), &keys, &access_expectations(&ids), TokenErrorKind::WrongTokenUse);
    assert_fails(
        &Payload::id_token().without("token_use").mint(),
        &keys,
        &id_expectations(&ids),
        TokenErrorKind::WrongTokenUse,
    );
    let waived = Expectations { token_use: None, ..id_expectations(&ids) };
    assert!(verify(&Payload::access_token().mint(), &keys, &waived).is_ok());
    assert!(verify(&Payload::id_token().mint(), &keys, &waived).is_ok());
}

#[test]
fn a_wrong_client_fails_in_aud_for_id_tokens_and_client_id_for_access_tokens() {
    let keys = fixture_keys();
    let others = strings(&["another-client"]);
    let message = assert_fails(&Payload::id_token().mint(), &keys, &id_expectations(&others), TokenErrorKind::WrongClient);
    assert!(message.contains("aud") && message.contains(CLIENT) && message.contains("another-client"), "{message}");
    let message =
        assert_fails(&Payload::access_token().mint(), &keys, &access_expectations(&others), TokenErrorKind::WrongClient);
    assert!(message.contains("client_id"), "{message}");
    // An ID token's client sits in aud, not client_id.
    let ids = clients();
    let swapped = Payload::id_token().without("aud").set("client_id", format!("{CLIENT:?}")).mint();
    let message = assert_fails(&swapped, &keys, &id_expectations(&ids), TokenErrorKind::WrongClient);
    assert!(message.contains("no aud"), "{message}");
    let waived = Expectations { client_ids: None, ..id_expectations(&others) };
    assert!(verify(&Payload::id_token().mint(), &keys, &waived).is_ok());
}

/// With the use waived, a token must still be an ID or an access token:
/// every other `token_use` (missing, another word, another case or spacing,
/// another JSON type) fails as the use, with or without a client check.
#[test]
fn with_token_use_waived_the_claim_must_still_be_id_or_access() {
    let ids = clients();
    let keys = fixture_keys();
    for client_ids in [Some(&ids[..]), None] {
        let waived = Expectations { token_use: None, client_ids, ..id_expectations(&ids) };
        assert!(verify(&Payload::id_token().mint(), &keys, &waived).is_ok());
        assert!(verify(&Payload::access_token().mint(), &keys, &waived).is_ok());
        for base in [Payload::id_token(), Payload::access_token()] {
            let message = assert_fails(&base.clone().without("token_use").mint(), &keys, &waived, TokenErrorKind::WrongTokenUse);
            assert!(message.contains("no token_use") && message.contains(r#""id" or "access""#), "{message}");
            for other in [r#""refresh""#, r#""ID""#, r#""Access""#, r#"" id""#, r#""id ""#, r#""""#, r#""id access""#] {
                let message =
                    assert_fails(&base.clone().set("token_use", other).mint(), &keys, &waived, TokenErrorKind::WrongTokenUse);
                assert!(message.contains(r#"expected "id" or "access""#), "{message}");
            }
            for not_a_string in ["1", "null", "true", r#"["id"]"#, r#"{"id":1}"#] {
                let token = base.clone().set("token_use", not_a_string).mint();
                let message = assert_fails(&token, &keys, &waived, TokenErrorKind::WrongTokenUse);
                assert!(message.contains("not a string"), "{message}");
            }
        }
    }
}

/// With the use waived, the client is read from the claim the token's use
/// implies: an ID token whose client is only in client_id, or an access
/// token whose client is only in aud, is for no allowed client.
#[test]
fn with_token_use_waived_the_client_is_in_the_claim_the_use_implies() {
    let ids = clients();
    let keys = fixture_keys();
    let waived = Expectations { token_use: None, ..id_expectations(&ids) };
    let id_in_client_id = Payload::id_token().without("aud").set("client_id", format!("{CLIENT:?}")).mint();
    let message = assert_fails(&id_in_client_id, &keys, &waived, TokenErrorKind::WrongClient);
    assert!(message.contains("no aud"), "{message}");
    let id_with_other_aud = Payload::id_token().set("aud", r#""intruder""#).set("client_id", format!("{CLIENT:?}")).mint();
    let message = assert_fails(&id_with_other_aud, &keys, &waived, TokenErrorKind::WrongClient);
    assert!(message.contains("aud") && message.contains("intruder"), "{message}");
    let access_in_aud = Payload::access_token().without("client_id").set("aud", format!("{CLIENT:?}")).mint();
    let message = assert_fails(&access_in_aud, &keys, &waived, TokenErrorKind::WrongClient);
    assert!(message.contains("no client_id"), "{message}");
    let access_with_other_client =
        Payload::access_token().set("client_id", r#""intruder""#).set("aud", format!("{CLIENT:?}")).mint();
    let message = assert_fails(&access_with_other_client, &keys, &waived, TokenErrorKind::WrongClient);
    assert!(message.contains("client_id") && message.contains("intruder"), "{message}");
    // An access token's client_id is never an array, as aws-jwt-verify reads it.
    let access_array = Payload::access_token().set("client_id", format!("[{CLIENT:?}]")).mint();
    assert_fails(&access_array, &keys, &waived, TokenErrorKind::WrongClient);
}

#[test]
fn an_audience_array_is_read() {
    let ids = clients();
    let keys = fixture_keys();
    let token = Payload::id_token().set("aud", format!(r#"["x",{CLIENT:?}]"#)).mint();
    assert!(verify(&token, &keys, &id_expectations(&ids)).is_ok());
    let not_strings = Payload::id_token().set("aud", "[1]").mint();
    assert_fails(&not_strings, &keys, &id_expectations(&ids), TokenErrorKind::WrongClient);
}

// ---------------------------------------------------------------------------
// Groups and scopes (any of)

#[test]
fn groups_need_any_one_of_the_required() {
    let ids = clients();
    let keys = fixture_keys();
    let token = Payload::id_token().mint();
    let any = strings(&["nobody", "ops"]);
    assert!(verify(&token, &keys, &Expectations { groups: Some(&any), ..id_expectations(&ids) }).is_ok());
    let none = strings(&["auditors", "billing"]);
    let message = assert_fails(
        &token,
        &keys,
        &Expectations { groups: Some(&none), ..id_expectations(&ids) },
        TokenErrorKind::MissingGroup,
    );
    assert!(message.contains("cognito:groups") && message.contains("auditors"), "{message}");
    let without = Payload::id_token().without("cognito:groups").mint();
    assert_fails(
        &without,
        &keys,
        &Expectations { groups: Some(&any), ..id_expectations(&ids) },
        TokenErrorKind::MissingGroup,
    );
}

#[test]
fn scopes_need_any_one_of_the_required() {
    let ids = clients();
    let keys = fixture_keys();
    let token = Payload::access_token().mint();
    let any = strings(&["phone", "email"]);
    assert!(verify(&token, &keys, &Expectations { scopes: Some(&any), ..access_expectations(&ids) }).is_ok());
    let none = strings(&["phone", "profile", "open"]);
    let message = assert_fails(
        &token,
        &keys,
        &Expectations { scopes: Some(&none), ..access_expectations(&ids) },
        TokenErrorKind::MissingScope,
    );
    assert!(message.contains("scope") && message.contains("phone"), "{message}");
    let without = Payload::access_token().without("scope").mint();
    assert_fails(
        &without,
        &keys,
        &Expectations { scopes: Some(&any), ..access_expectations(&ids) },
        TokenErrorKind::MissingScope,
    );
}

#[test]
fn checks_run_in_aws_jwt_verify_order() {
    let others = strings(&["another-client"]);
    let keys = fixture_keys();
    // Expired, wrong issuer, wrong use and wrong client at once: expiry wins.
    let everything_wrong = Payload::access_token()
        .set("exp", format!("{}", NOW - 1.0))
        .set("iss", r#""https://example.com""#)
        .mint();
    assert_fails(&everything_wrong, &keys, &id_expectations(&others), TokenErrorKind::Expired);
    let wrong_after_time = Payload::access_token().set("iss", r#""https://example.com""#).mint();
    assert_fails(&wrong_after_time, &keys, &id_expectations(&others), TokenErrorKind::WrongIssuer);
    assert_fails(&Payload::access_token().mint(), &keys, &id_expectations(&others), TokenErrorKind::WrongTokenUse);
}

// ---------------------------------------------------------------------------
// Keys and signatures

#[test]
fn an_unknown_kid_is_unknown_key() {
    let ids = clients();
    let token = mint_raw(&key_pair(KEY_B_PKCS8), &header_for(KID_B), &Payload::id_token().json());
    let message = assert_fails(&token, &fixture_keys(), &id_expectations(&ids), TokenErrorKind::UnknownKey);
    assert!(message.contains(KID_B), "{message}");
}

#[test]
fn a_rotated_in_key_is_found_through_the_cache() {
    let ids = clients();
    let mut fetches = 0;
    let mut serve = |_: &str| {
        fetches += 1;
        Ok(if fetches == 1 { JWKS.to_vec() } else { JWKS_ROTATED.to_vec() })
    };
    let mut cache = KeyCache::new();
    let old_token = Payload::id_token().mint();
    for _ in 0..3 {
        let keys = cache.keys_for(JWKS_URI, KID_A, NOW, &mut serve).expect("fetch works");
        assert!(verify(&old_token, keys, &id_expectations(&ids)).is_ok());
    }
    let new_token = mint_raw(&key_pair(KEY_B_PKCS8), &header_for(KID_B), &Payload::id_token().json());
    let kid = header_kid(&new_token).expect("kid readable");
    let keys = cache.keys_for(JWKS_URI, &kid, NOW + 1.0, &mut serve).expect("fetch works");
    assert!(verify(&new_token, keys, &id_expectations(&ids)).is_ok());
    assert_eq!(fetches, 2);
}

#[test]
fn a_key_rotated_in_during_the_miss_wait_is_found_after_it() {
    let ids = clients();
    let mut fetches = 0;
    let mut serve = |_: &str| {
        fetches += 1;
        Ok(if fetches <= 1 { JWKS.to_vec() } else { JWKS_ROTATED.to_vec() })
    };
    let mut cache = KeyCache::new();
    let new_token = mint_raw(&key_pair(KEY_B_PKCS8), &header_for(KID_B), &Payload::id_token().json());
    // The first fetch does not have key B yet: unknown, and no refetch for 10 s.
    let keys = cache.keys_for(JWKS_URI, KID_B, NOW, &mut serve).expect("fetch works");
    assert_fails(&new_token, keys, &id_expectations(&ids), TokenErrorKind::UnknownKey);
    let keys = cache.keys_for(JWKS_URI, KID_B, NOW + 5.0, &mut serve).expect("cached");
    assert_fails(&new_token, keys, &id_expectations(&ids), TokenErrorKind::UnknownKey);
    let keys = cache.keys_for(JWKS_URI, KID_B, NOW + 11.0, &mut serve).expect("fetch works");
    let later = Expectations { now: NOW + 11.0, ..id_expectations(&ids) };
    assert!(verify(&new_token, keys, &later).is_ok());
    assert_eq!(fetches, 2);
}

#[test]
fn a_tampered_payload_no_longer_matches_the_signature() {
    let ids = clients();
    let token = Payload::id_token().mint();
    let parts: Vec<&str> = token.split('.').collect();
    let forged_payload = encode_base64url(Payload::id_token().set("cognito:groups", r#"["root"]"#).json().as_bytes());
    let forged = format!("{}.{}.{}", parts[0], forged_payload, parts[2]);
    let message = assert_fails(&forged, &fixture_keys(), &id_expectations(&ids), TokenErrorKind::BadSignature);
    assert!(message.contains("signature"), "{message}");
}

#[test]
fn a_signature_by_another_key_does_not_match() {
    let ids = clients();
    // Key B's signature under key A's kid.
    let token = mint_raw(&key_pair(KEY_B_PKCS8), &header_for(KID_A), &Payload::id_token().json());
    assert_fails(&token, &fixture_keys(), &id_expectations(&ids), TokenErrorKind::BadSignature);
}

#[test]
fn a_signature_with_nonzero_spare_bits_is_malformed() {
    let ids = clients();
    let token = Payload::id_token().mint();
    // 256 signature bytes take 342 characters; the last one carries 4 spare
    // bits, so the next character of the alphabet spells the same bytes.
    let mut chars: Vec<char> = token.chars().collect();
    let last = chars.len() - 1;
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let value = alphabet.iter().position(|&c| char::from(c) == chars[last]).expect("a base64url character");
    chars[last] = char::from(alphabet[value + 1]);
    let respelt: String = chars.into_iter().collect();
    assert_fails(&respelt, &fixture_keys(), &id_expectations(&ids), TokenErrorKind::Malformed);
}

#[test]
fn algorithms_other_than_rs256_are_refused_before_any_key_use() {
    let ids = clients();
    let keys = fixture_keys();
    let payload = Payload::id_token().json();
    for alg in ["RS512", "HS256", "PS256", "ES256", "none", "rs256"] {
        let header = format!(r#"{{"kid":"{KID_A}","alg":"{alg}"}}"#);
        let token = mint_raw(&key_pair(KEY_A_PKCS8), &header, &payload);
        let message = assert_fails(&token, &keys, &id_expectations(&ids), TokenErrorKind::UnsupportedAlgorithm);
        assert!(message.contains(alg), "{message}");
    }
    // The classic forgery: alg none, an empty signature, and a kid nobody has.
    let unsigned = format!(
        "{}.{}.",
        encode_base64url(br#"{"alg":"none","kid":"nobody"}"#),
        encode_base64url(payload.as_bytes())
    );
    assert_fails(&unsigned, &keys, &id_expectations(&ids), TokenErrorKind::UnsupportedAlgorithm);
}

#[test]
fn a_1024_bit_key_is_invalid() {
    let ids = clients();
    let expect = Expectations {
        token_use: Some(TokenUse::Access),
        now: 1_800_000_000.0,
        ..id_expectations(&ids)
    };
    let message = assert_fails(RSA1024_TOKEN.trim(), &fixture_keys(), &expect, TokenErrorKind::InvalidKey);
    assert!(message.contains("1024") && message.contains("2048"), "{message}");
}

#[test]
fn keys_not_for_rs256_signatures_are_invalid() {
    let ids = clients();
    let keys = fixture_keys();
    let payload = Payload::id_token().json();
    for (kid, reason) in [("enc-a", "\"enc\""), ("rs512-a", "\"RS512\""), ("ec-1", "\"EC\"")] {
        let token = mint_raw(&key_pair(KEY_A_PKCS8), &header_for(kid), &payload);
        let message = assert_fails(&token, &keys, &id_expectations(&ids), TokenErrorKind::InvalidKey);
        assert!(message.contains(reason), "{message}");
    }
}

// ---------------------------------------------------------------------------
// Malformed tokens

fn part(json: &str) -> String {
    encode_base64url(json.as_bytes())
}

#[test]
fn malformed_tokens_say_what_is_wrong() {
    let ids = clients();
    let keys = fixture_keys();
    let expect = id_expectations(&ids);
    let good = Payload::id_token().mint();
    let parts: Vec<&str> = good.split('.').collect();
    let (header, payload, signature) = (parts[0], parts[1], parts[2]);
    let cases: Vec<(String, &str)> = vec![
        (format!("{header}.{payload}"), "2 dot-separated parts"),
        (format!("{header}.{payload}.{signature}.x"), "4 dot-separated parts"),
        (String::new(), "1 dot-separated parts"),
        (format!("{header}=.{payload}.{signature}"), "header is not base64url"),
        (format!("{header}.{payload}+.{signature}"), "payload is not base64url"),
        (format!("{header}.{payload}.{signature}=="), "signature is not base64url"),
        (format!("{header}.{payload}.+{}", &signature[1..]), "signature is not base64url"),
        (format!("{header}.{}.{signature}", part("[1,2]")), "payload is not a JSON object"),
        (format!("{header}.{}.{signature}", part(r#""text""#)), "payload is not a JSON object"),
        (format!("{header}.{}.{signature}", part("{\"a\":1")), "payload is not valid JSON"),
        (format!("{header}.{}.{signature}", part("{\"a\":1} {}")), "payload has more after its JSON object"),
        (format!("{header}.{}.{signature}", part(r#"{"a":1,"a":2}"#)), "repeated member name"),
        (format!("{header}.{}.{signature}", part(r#"{"a":"x\u0000y"}"#)), "NUL"),
        (format!("{header}.{}.{signature}", part(r#"{"a":"\ud800"}"#)), "invalid escape"),
        (format!("{}.{payload}.{signature}", part(&format!(r#"{{"kid":"{KID_A}"}}"#))), "no algorithm (alg)"),
        (format!("{}.{payload}.{signature}", part(&format!(r#"{{"kid":"{KID_A}","alg":256}}"#))), "alg that is not a string"),
        (format!("{}.{payload}.{signature}", part(r#"{"alg":"RS256"}"#)), "no key id (kid)"),
        (format!("{}.{payload}.{signature}", part(r#"{"alg":"RS256","kid":["a"]}"#)), "kid that is not a string"),
        (
            format!("{}.{payload}.{signature}", part(&format!(r#"{{"alg":"RS256","kid":"{KID_A}","crit":["b64"]}}"#))),
            "crit",
        ),
        (format!("{}.{payload}.{signature}", part("")), "header is not valid JSON"),
        (format!("{header}.{payload}."), "signature is empty"),
    ];
    for (token, reason) in cases {
        let message = assert_fails(&token, &keys, &expect, TokenErrorKind::Malformed);
        assert!(message.contains(reason), "expected {reason:?} in {message:?}");
    }
}

#[test]
fn deep_nesting_is_refused_without_recursing_far() {
    let ids = clients();
    let deep = format!("{{\"a\":{}1{}}}", "[".repeat(100_000), "]".repeat(100_000));
    let token = mint_raw(&key_pair(KEY_A_PKCS8), &header_for(KID_A), &deep);
    let message = assert_fails(&token, &fixture_keys(), &id_expectations(&ids), TokenErrorKind::Malformed);
    assert!(message.contains("too deeply"), "{message}");
}

#[test]
fn header_kid_reads_only_the_header() {
    let token = Payload::id_token().mint();
    assert_eq!(header_kid(&token).as_deref(), Ok(KID_A));
    let moto = format!("{}.e30.sig", part(r#"{"alg":"RS256","kid":"dummy","typ":"JWT"}"#));
    assert_eq!(header_kid(&moto).as_deref(), Ok("dummy"));
    // A JSON writer may escape '/': the kid is compared unescaped.
    let escaped = format!("{}.e30.sig", part(r#"{"alg":"RS256","kid":"a1b2+c3\/d4=="}"#));
    assert_eq!(header_kid(&escaped).as_deref(), Ok(KID_A));
    let kinds: Vec<TokenErrorKind> = ["", "a.b", "!!.e30.x", &format!("{}.e30.x", part(r#"{"alg":"RS256"}"#))]
        .iter()
        .map(|token| header_kid(token).map_err(|error| error.kind).err().unwrap_or(TokenErrorKind::UnknownKey))
        .collect();
    assert_eq!(kinds, vec![TokenErrorKind::Malformed; 4]);
}

#[test]
fn an_escaped_kid_selects_its_key() {
    let ids = clients();
    let token = mint_raw(
        &key_pair(KEY_A_PKCS8),
        r#"{"kid":"a1b2+c3\/d4==","alg":"RS256"}"#,
        &Payload::id_token().json(),
    );
    assert!(verify(&token, &fixture_keys(), &id_expectations(&ids)).is_ok());
}

#[test]
fn error_classes_are_distinct_r_condition_names() {
    use TokenErrorKind::*;
    let kinds = [
        Malformed,
        UnknownKey,
        InvalidKey,
        UnsupportedAlgorithm,
        BadSignature,
        Expired,
        NotYetValid,
        WrongIssuer,
        WrongTokenUse,
        WrongClient,
        MissingGroup,
        MissingScope,
    ];
    let mut classes: Vec<&str> = kinds.iter().map(TokenErrorKind::class).collect();
    assert!(classes.iter().all(|class| class.starts_with("cognitoidp_token_") && class.ends_with("_error")));
    assert!(!classes.contains(&TOKEN_ERROR_CLASS));
    assert_eq!(Expired.class(), "cognitoidp_token_expired_error");
    classes.sort_unstable();
    classes.dedup();
    assert_eq!(classes.len(), kinds.len());
}

// ---------------------------------------------------------------------------
// Fuzzing: nothing may panic

/// xorshift64*: deterministic, so a failure reproduces.
struct Xorshift(u64);

impl Xorshift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const JSON_PIECES: &[&str] = &[
    "{", "}", "[", "]", ",", ":", "\"", "\"alg\"", "\"RS256\"", "\"kid\"", "\"a1b2+c3/d4==\"", "\"exp\"", "1e400",
    "-0", "1.5", "null", "true", "fals", "\"\\u0000\"", "\"\\ud800\"", "\"\\u00e9\"", "\"\\", "\"iss\"", "\"aud\"",
    "\"cognito:groups\"", "\"scope\"", "\"token_use\"", "\"id\"", " ", "\u{e9}", "\u{ff}", "9999999999999999999999",
    "\"crit\"", "\"nbf\"", "\"client_id\"",
];

/// Mostly junk: a run of JSON-ish pieces.
fn random_json(rng: &mut Xorshift) -> String {
    (0..rng.below(24)).map(|_| *rng.pick(JSON_PIECES)).collect()
}

/// Always valid JSON, of random shape.
fn random_valid_json(rng: &mut Xorshift, depth: usize) -> String {
    const SCALARS: &[&str] = &[
        "null", "true", "false", "0", "-1.5", "1e308", "1700000000", "\"\"", "\"admin\"", "\"openid\"",
        "\"client-one\"", "\"\\u00e9\\/\"",
    ];
    let kind = if depth >= 4 { 0 } else { rng.below(4) };
    match kind {
        0 | 1 => rng.pick(SCALARS).to_string(),
        2 => {
            let items: Vec<String> = (0..rng.below(4)).map(|_| random_valid_json(rng, depth + 1)).collect();
            format!("[{}]", items.join(","))
        }
        _ => {
            let members: Vec<String> =
                (0..rng.below(4)).map(|i| format!("\"m{i}\":{}", random_valid_json(rng, depth + 1))).collect();
            format!("{{{}}}", members.join(","))
        }
    }
}

fn mutate(rng: &mut Xorshift, token: &str) -> String {
    let mut bytes = token.as_bytes().to_vec();
    for _ in 0..=rng.below(4) {
        let at = rng.below(bytes.len() + 1);
        match rng.below(5) {
            0 if at < bytes.len() => bytes[at] = *rng.pick(b"A.-_=+/\0\xff{\"Zz9"),
            1 if at < bytes.len() => {
                bytes.remove(at);
            }
            2 => bytes.insert(at, *rng.pick(b".A_=\xc3")),
            3 => bytes.truncate(at),
            _ => bytes.extend_from_within(..at),
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

#[test]
fn fuzzed_tokens_never_panic() {
    use TokenErrorKind::*;
    let ids = clients();
    let groups = strings(&["admin"]);
    let scopes = strings(&["openid"]);
    let keys = fixture_keys();
    let expect = Expectations {
        token_use: None,
        groups: Some(&groups),
        scopes: Some(&scopes),
        ..id_expectations(&ids)
    };
    let key = key_pair(KEY_A_PKCS8);
    let seeds = [Payload::id_token().mint(), Payload::access_token().mint(), RSA1024_TOKEN.trim().to_string()];
    let mut rng = Xorshift(0x9E37_79B9_7F4A_7C15);
    let mut outcomes = std::collections::HashMap::new();
    let mut record = |token: &str| {
        let kind = match verify(token, &keys, &expect) {
            Ok(claims) => {
                assert!(matches!(claims.to_value(), Value::List(_)));
                None
            }
            Err(error) => Some(error.kind),
        };
        let _ = header_kid(token);
        *outcomes.entry(kind).or_insert(0) += 1;
    };
    for _ in 0..20_000 {
        let seed = rng.pick(&seeds).clone();
        record(&mutate(&mut rng, &seed));
    }
    for _ in 0..5_000 {
        let header = if rng.below(2) == 0 { header_for(KID_A) } else { random_json(&mut rng) };
        let payload = if rng.below(2) == 0 { random_valid_json(&mut rng, 0) } else { random_json(&mut rng) };
        let token = format!("{}.{}.{}", part(&header), part(&payload), "c2ln");
        record(&token);
        let raw: String = (0..rng.below(60)).map(|_| char::from(*rng.pick(b"ab.=_-+/{}\"\\ \xe9"))).collect();
        record(&raw);
    }
    // Validly signed payloads of random shape reach the claim checks and the
    // conversion to R values.
    for _ in 0..400 {
        let mut payload = Payload::id_token().set("scope", r#""openid""#);
        for _ in 0..rng.below(4) {
            let name = rng.pick(&["exp", "nbf", "iss", "aud", "client_id", "cognito:groups", "scope", "x", "y"]).to_string();
            let value = if rng.below(4) == 0 { random_json(&mut rng) } else { random_valid_json(&mut rng, 0) };
            payload = payload.set(&name, value);
        }
        record(&mint_raw(&key, &header_for(KID_A), &payload.json()));
    }
    // The fuzzer reached deep: past the signature into every claim check,
    // and into the conversion of odd payloads to R values.
    for kind in [BadSignature, Malformed, Expired, NotYetValid, WrongIssuer, WrongClient, MissingGroup, MissingScope] {
        assert!(outcomes.contains_key(&Some(kind)), "{kind:?} never happened: {outcomes:?}");
    }
    assert!(outcomes.get(&None).is_some_and(|&successes| successes >= 20), "{outcomes:?}");
}

#[test]
fn fuzzed_key_sets_never_panic() {
    let mut rng = Xorshift(0x0123_4567_89AB_CDEF);
    let pieces = [
        "{", "}", "[", "]", ",", ":", "\"keys\"", "\"kid\"", "\"kty\"", "\"RSA\"", "\"n\"", "\"e\"", "\"AQAB\"",
        "\"AA\"", "\"use\"", "\"sig\"", "\"alg\"", "1", "null", "\"==\"",
    ];
    let jwks = String::from_utf8_lossy(JWKS).into_owned();
    for _ in 0..5_000 {
        let text: String = if rng.below(2) == 0 {
            (0..rng.below(30)).map(|_| *rng.pick(&pieces)).collect()
        } else {
            mutate(&mut rng, &jwks)
        };
        if let Ok(keys) = KeySet::parse(text.as_bytes()) {
            for kid in [KID_A, "short-1024", "x"] {
                if let Some(jwk) = keys.get(kid) {
                    let _ = jwk.rsa_key_for("RS256");
                }
            }
        }
    }
}
