//! Verification of Amazon Cognito ID and access tokens: RS256 JSON Web Tokens
//! checked against the user pool's key set, in the order aws-jwt-verify uses
//! (structure, key, signature, times, issuer, token use, client, groups,
//! scopes), so that a token with several faults reports the same one.
//!
//! Tokens arrive from R users and may be anything, so every step returns a
//! `TokenError` instead of panicking, and no message repeats the token, its
//! signature or its payload as a whole: only the name of the failed check,
//! the claim's name and, for claims that are not secret (iss, token_use, aud,
//! client_id, times), its value.

use std::fmt;

use aws_smithy_json::deserialize::{json_token_iter, EscapedStr, JsonTokenIterator, Token};
use aws_smithy_types::date_time::Format;
use aws_smithy_types::DateTime;
use ring::signature::RSA_PKCS1_2048_8192_SHA256;

use super::jwks::KeySet;
use crate::value::{List, Value};

#[cfg(test)]
mod tests;

/// The one signature algorithm Cognito uses. Anything else, `none` above all,
/// is refused before a key is even looked up.
const SUPPORTED_ALGORITHM: &str = "RS256";

/// The R condition class every token error also carries.
pub const TOKEN_ERROR_CLASS: &str = "cognitoidp_token_error";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenUse {
    Id,
    Access,
}

impl TokenUse {
    /// The value of the `token_use` claim.
    pub fn claim_value(self) -> &'static str {
        match self {
            TokenUse::Id => "id",
            TokenUse::Access => "access",
        }
    }
}

/// What a token must satisfy besides a valid signature.
#[derive(Debug, Clone)]
pub struct Expectations<'a> {
    /// `https://cognito-idp.{region}.amazonaws.com/{userPoolId}`.
    pub issuer: &'a str,
    /// `None` waives the `token_use` check.
    pub token_use: Option<TokenUse>,
    /// `None` waives the client check. Otherwise `aud` (ID tokens) or
    /// `client_id` (access tokens; either claim when `token_use` is waived)
    /// must be one of these.
    pub client_ids: Option<&'a [String]>,
    /// If given, `cognito:groups` must contain at least one of these.
    pub groups: Option<&'a [String]>,
    /// If given, the space-separated `scope` claim must contain at least one
    /// of these.
    pub scopes: Option<&'a [String]>,
    /// Clock skew tolerated on `exp` and `nbf`.
    pub grace_seconds: u64,
    /// Unix seconds, injected so that tests control the clock.
    pub now: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TokenErrorKind {
    Malformed,
    UnknownKey,
    /// The JWK is not RSA, is not for signatures, names another algorithm,
    /// or is too short (or otherwise unusable) for RS256.
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
}

impl TokenErrorKind {
    /// The R condition class for this failure; every one of them sits under
    /// [`TOKEN_ERROR_CLASS`].
    pub fn class(&self) -> &'static str {
        match self {
            TokenErrorKind::Malformed => "cognitoidp_token_malformed_error",
            TokenErrorKind::UnknownKey => "cognitoidp_token_unknown_key_error",
            TokenErrorKind::InvalidKey => "cognitoidp_token_invalid_key_error",
            TokenErrorKind::UnsupportedAlgorithm => "cognitoidp_token_algorithm_error",
            TokenErrorKind::BadSignature => "cognitoidp_token_signature_error",
            TokenErrorKind::Expired => "cognitoidp_token_expired_error",
            TokenErrorKind::NotYetValid => "cognitoidp_token_not_yet_valid_error",
            TokenErrorKind::WrongIssuer => "cognitoidp_token_issuer_error",
            TokenErrorKind::WrongTokenUse => "cognitoidp_token_use_error",
            TokenErrorKind::WrongClient => "cognitoidp_token_client_error",
            TokenErrorKind::MissingGroup => "cognitoidp_token_group_error",
            TokenErrorKind::MissingScope => "cognitoidp_token_scope_error",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct TokenError {
    pub kind: TokenErrorKind,
    pub message: String,
}

impl TokenError {
    fn new(kind: TokenErrorKind, message: impl Into<String>) -> TokenError {
        TokenError { kind, message: message.into() }
    }

    fn malformed(message: impl Into<String>) -> TokenError {
        TokenError::new(TokenErrorKind::Malformed, message)
    }
}

impl fmt::Display for TokenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for TokenError {}

/// The verified payload, members in token order.
#[derive(Debug, Clone, PartialEq)]
pub struct Claims {
    members: Vec<(String, Json)>,
}

impl Claims {
    /// The payload as an R named list: names in token order, numbers as
    /// doubles, the standard times as `POSIXct`, `cognito:groups` always a
    /// character vector, arrays of one scalar type as atomic vectors, nested
    /// objects as named lists and JSON `null` as `NULL`.
    pub fn to_value(&self) -> Value {
        let entries = self
            .members
            .iter()
            .map(|(name, json)| {
                let value = match (name.as_str(), json) {
                    ("exp" | "iat" | "nbf" | "auth_time", Json::Number(seconds)) => {
                        Value::Timestamp(vec![Some(*seconds)])
                    }
                    // A user in no group may come without the claim, one
                    // group must not turn into a scalar of another type, and
                    // R code should be able to use `%in%` on it either way.
                    ("cognito:groups", Json::String(group)) => Value::Character(vec![Some(group.clone())]),
                    ("cognito:groups", Json::Array(items)) if items.is_empty() => Value::Character(Vec::new()),
                    _ => json_to_value(json),
                };
                (name.clone(), value)
            })
            .collect();
        Value::List(List::named(entries))
    }

    fn get(&self, name: &str) -> Option<&Json> {
        self.members.iter().find(|(member, _)| member == name).map(|(_, value)| value)
    }
}

fn json_to_value(json: &Json) -> Value {
    match json {
        Json::Null => Value::Null,
        Json::Bool(b) => Value::boolean(*b),
        Json::Number(x) => Value::Double(vec![Some(*x)]),
        Json::String(s) => Value::string(s.clone()),
        Json::Array(items) => array_to_value(items),
        Json::Object(members) => Value::List(List::named(
            members.iter().map(|(name, value)| (name.clone(), json_to_value(value))).collect(),
        )),
    }
}

/// Arrays whose elements are all strings, all numbers or all booleans become
/// atomic vectors, the way R users expect them from JSON; anything else (empty,
/// mixed, or holding `null`, which must not turn into `NA`) is an unnamed list.
fn array_to_value(items: &[Json]) -> Value {
    if !items.is_empty() {
        let strings: Option<Vec<_>> = items
            .iter()
            .map(|item| match item {
                Json::String(s) => Some(Some(s.clone())),
                _ => None,
            })
            .collect();
        if let Some(strings) = strings {
            return Value::Character(strings);
        }
        let numbers: Option<Vec<_>> = items
            .iter()
            .map(|item| match item {
                Json::Number(x) => Some(Some(*x)),
                _ => None,
            })
            .collect();
        if let Some(numbers) = numbers {
            return Value::Double(numbers);
        }
        let booleans: Option<Vec<_>> = items
            .iter()
            .map(|item| match item {
                Json::Bool(b) => Some(Some(*b)),
                _ => None,
            })
            .collect();
        if let Some(booleans) = booleans {
            return Value::Logical(booleans);
        }
    }
    Value::List(List::unnamed(items.iter().map(json_to_value).collect()))
}

/// The key id a token asks for, read from its header without checking
/// anything else, so that the key cache knows which key set to consult.
pub fn header_kid(token: &str) -> Result<String, TokenError> {
    let parts = split_token(token)?;
    Ok(decode_header(parts.header)?.kid)
}

/// The payload of a token, read without checking its signature or anything
/// else: for showing whose tokens an R object holds and when they expire,
/// and for the user name a refresh's secret hash needs. Never for trust.
pub fn unverified_claims(token: &str) -> Result<Claims, TokenError> {
    let parts = split_token(token)?;
    Ok(Claims { members: decode_json_part(parts.payload, "payload")? })
}

/// Verifies `token` with the key its header names in `keys`, then checks its
/// claims against `expect`. Returns the payload only if everything holds.
pub fn verify(token: &str, keys: &KeySet, expect: &Expectations<'_>) -> Result<Claims, TokenError> {
    let parts = split_token(token)?;
    let header = decode_header(parts.header)?;
    let payload = decode_json_part(parts.payload, "payload")?;
    // Before the signature part is even decoded: an `alg: none` token has an
    // empty one, and must read as the algorithm it is.
    if header.alg != SUPPORTED_ALGORITHM {
        return Err(TokenError::new(
            TokenErrorKind::UnsupportedAlgorithm,
            format!(
                "the token's header names algorithm (alg) {}; Cognito tokens are verified with {SUPPORTED_ALGORITHM} only",
                quote(&header.alg)
            ),
        ));
    }
    let signature = decode_base64url(parts.signature.as_bytes())
        .ok_or_else(|| TokenError::malformed("the token's signature is not base64url (without padding)"))?;
    if signature.is_empty() {
        return Err(TokenError::malformed("the token's signature is empty"));
    }
    let jwk = keys.get(&header.kid).ok_or_else(|| {
        TokenError::new(
            TokenErrorKind::UnknownKey,
            format!("the user pool's key set has no key with the token's key id (kid) {}", quote(&header.kid)),
        )
    })?;
    let public_key = jwk
        .rsa_key_for(&header.alg)
        .map_err(|reason| TokenError::new(TokenErrorKind::InvalidKey, format!("key {}: {reason}", quote(&header.kid))))?;
    public_key
        .verify(&RSA_PKCS1_2048_8192_SHA256, parts.signing_input.as_bytes(), &signature)
        .map_err(|_| {
            TokenError::new(
                TokenErrorKind::BadSignature,
                format!("the token's signature does not match its content for key {}", quote(&header.kid)),
            )
        })?;

    let claims = Claims { members: payload };
    check_times(&claims, expect)?;
    check_issuer(&claims, expect.issuer)?;
    if let Some(token_use) = expect.token_use {
        check_token_use(&claims, token_use)?;
    }
    if let Some(client_ids) = expect.client_ids {
        check_client(&claims, expect.token_use, client_ids)?;
    }
    if let Some(groups) = expect.groups {
        check_groups(&claims, groups)?;
    }
    if let Some(scopes) = expect.scopes {
        check_scopes(&claims, scopes)?;
    }
    Ok(claims)
}

struct TokenParts<'t> {
    header: &'t str,
    payload: &'t str,
    signature: &'t str,
    /// `header.payload` exactly as sent: what the signature covers.
    signing_input: &'t str,
}

fn split_token(token: &str) -> Result<TokenParts<'_>, TokenError> {
    let mut dots = token.match_indices('.').map(|(at, _)| at);
    let (Some(first_dot), Some(second_dot), None) = (dots.next(), dots.next(), dots.next()) else {
        return Err(TokenError::malformed(format!(
            "the token has {} dot-separated parts; a JWT has 3 (header, payload, signature)",
            token.matches('.').count() + 1
        )));
    };
    Ok(TokenParts {
        header: &token[..first_dot],
        payload: &token[first_dot + 1..second_dot],
        signature: &token[second_dot + 1..],
        signing_input: &token[..second_dot],
    })
}

struct Header {
    alg: String,
    kid: String,
}

fn decode_header(encoded: &str) -> Result<Header, TokenError> {
    let members = decode_json_part(encoded, "header")?;
    let mut alg = None;
    let mut kid = None;
    for (name, value) in members {
        match (name.as_str(), value) {
            ("alg", Json::String(s)) => alg = Some(s),
            ("alg", _) => return Err(TokenError::malformed("the token's header has an alg that is not a string")),
            ("kid", Json::String(s)) => kid = Some(s),
            ("kid", _) => return Err(TokenError::malformed("the token's header has a kid that is not a string")),
            // RFC 7515 says a verifier must refuse critical extensions it does
            // not implement; this one implements none.
            ("crit", _) => {
                return Err(TokenError::malformed("the token's header lists critical extensions (crit), which are not supported"))
            }
            _ => {}
        }
    }
    let alg = alg.ok_or_else(|| TokenError::malformed("the token's header has no algorithm (alg)"))?;
    let kid = kid.ok_or_else(|| TokenError::malformed("the token's header has no key id (kid)"))?;
    Ok(Header { alg, kid })
}

fn decode_json_part(encoded: &str, part: &str) -> Result<Vec<(String, Json)>, TokenError> {
    let bytes = decode_base64url(encoded.as_bytes())
        .ok_or_else(|| TokenError::malformed(format!("the token's {part} is not base64url (without padding)")))?;
    parse_json_object(&bytes).map_err(|reason| TokenError::malformed(format!("the token's {part} {reason}")))
}

fn check_times(claims: &Claims, expect: &Expectations<'_>) -> Result<(), TokenError> {
    let grace = expect.grace_seconds as f64;
    let exp = match claims.get("exp") {
        Some(Json::Number(exp)) => *exp,
        Some(_) => return Err(TokenError::malformed("the token's expiry (exp) is not a number")),
        None => return Err(TokenError::malformed("the token has no expiry (exp); Cognito tokens always carry one")),
    };
    // Phrased as "still valid" tests so that a NaN clock fails closed.
    let before_expiry = expect.now < exp + grace;
    if !before_expiry {
        return Err(TokenError::new(
            TokenErrorKind::Expired,
            format!(
                "the token expired at {} (exp); it is now {}{}",
                format_time(exp),
                format_time(expect.now),
                describe_grace(expect.grace_seconds)
            ),
        ));
    }
    let nbf = match claims.get("nbf") {
        None => return Ok(()),
        Some(Json::Number(nbf)) => *nbf,
        Some(_) => return Err(TokenError::malformed("the token's not-before time (nbf) is not a number")),
    };
    let after_start = nbf <= expect.now + grace;
    if !after_start {
        return Err(TokenError::new(
            TokenErrorKind::NotYetValid,
            format!(
                "the token is not valid before {} (nbf); it is now {}{}",
                format_time(nbf),
                format_time(expect.now),
                describe_grace(expect.grace_seconds)
            ),
        ));
    }
    Ok(())
}

fn describe_grace(grace_seconds: u64) -> String {
    if grace_seconds == 0 {
        String::new()
    } else {
        format!(", with a grace of {grace_seconds} s")
    }
}

/// RFC 3339 in UTC when the number is a plausible date, the raw number otherwise.
fn format_time(seconds: f64) -> String {
    // Within ±10^11 s the cast to i64 is exact and the formatter's year range
    // decides; outside it the date would be meaningless anyway.
    if seconds.is_finite() && seconds.abs() < 1e11 {
        if let Ok(text) = DateTime::from_secs_and_nanos(seconds.floor() as i64, 0).fmt(Format::DateTime) {
            return text;
        }
    }
    format!("{seconds} (Unix seconds)")
}

fn check_issuer(claims: &Claims, issuer: &str) -> Result<(), TokenError> {
    let wrong = |message: String| TokenError::new(TokenErrorKind::WrongIssuer, message);
    match claims.get("iss") {
        Some(Json::String(iss)) if iss == issuer => Ok(()),
        Some(Json::String(iss)) => Err(wrong(format!(
            "the token's issuer (iss) is {}, not the user pool's {}",
            quote(iss),
            quote(issuer)
        ))),
        Some(_) => Err(wrong("the token's issuer (iss) is not a string".to_string())),
        None => Err(wrong("the token has no issuer (iss)".to_string())),
    }
}

fn check_token_use(claims: &Claims, expected: TokenUse) -> Result<(), TokenError> {
    let wrong = |message: String| TokenError::new(TokenErrorKind::WrongTokenUse, message);
    let expected = expected.claim_value();
    match claims.get("token_use") {
        Some(Json::String(used)) if used == expected => Ok(()),
        Some(Json::String(used)) => Err(wrong(format!(
            "the token's token_use is {}; expected {}",
            quote(used),
            quote(expected)
        ))),
        Some(_) => Err(wrong("the token's token_use is not a string".to_string())),
        None => Err(wrong(format!("the token has no token_use; expected {}", quote(expected)))),
    }
}

/// ID tokens name the app client in `aud`, access tokens in `client_id`; when
/// the token use is waived, either may carry it.
fn check_client(claims: &Claims, token_use: Option<TokenUse>, client_ids: &[String]) -> Result<(), TokenError> {
    let claim_names: &[&str] = match token_use {
        Some(TokenUse::Id) => &["aud"],
        Some(TokenUse::Access) => &["client_id"],
        None => &["aud", "client_id"],
    };
    let mut presented: Vec<(&str, &str)> = Vec::new();
    for &claim_name in claim_names {
        match claims.get(claim_name) {
            None => {}
            Some(Json::String(client)) => presented.push((claim_name, client)),
            // RFC 7519 allows an array of audiences; Cognito never sends one,
            // but it costs nothing to read it.
            Some(Json::Array(items)) if claim_name == "aud" => {
                for item in items {
                    match item {
                        Json::String(client) => presented.push((claim_name, client)),
                        _ => return Err(wrong_client(format!("the token's {claim_name} holds a value that is not a string"))),
                    }
                }
            }
            Some(_) => return Err(wrong_client(format!("the token's {claim_name} is not a string"))),
        }
    }
    if presented.iter().any(|(_, client)| client_ids.iter().any(|allowed| allowed == client)) {
        return Ok(());
    }
    let expected = quote_list(client_ids);
    match presented.first() {
        None => Err(wrong_client(format!(
            "the token has no {}; expected one of {expected}",
            claim_names.join(" or ")
        ))),
        Some((claim_name, client)) => Err(wrong_client(format!(
            "the token's {claim_name} {}is {}, not one of {expected}",
            if presented.len() > 1 { "(first value) " } else { "" },
            quote(client)
        ))),
    }
}

fn wrong_client(message: String) -> TokenError {
    TokenError::new(TokenErrorKind::WrongClient, message)
}

/// Any-of semantics, as aws-jwt-verify's `groups` option.
fn check_groups(claims: &Claims, required: &[String]) -> Result<(), TokenError> {
    let missing = |message: String| TokenError::new(TokenErrorKind::MissingGroup, message);
    let is_required = |group: &str| required.iter().any(|r| r == group);
    let found = match claims.get("cognito:groups") {
        None => return Err(missing(format!("the token has no cognito:groups; required one of {}", quote_list(required)))),
        Some(Json::String(group)) => is_required(group),
        Some(Json::Array(items)) => {
            let mut found = false;
            for item in items {
                match item {
                    Json::String(group) => found |= is_required(group),
                    _ => return Err(missing("the token's cognito:groups holds a value that is not a string".to_string())),
                }
            }
            found
        }
        Some(_) => return Err(missing("the token's cognito:groups is not an array of strings".to_string())),
    };
    if found {
        Ok(())
    } else {
        Err(missing(format!("the token's cognito:groups has none of {}", quote_list(required))))
    }
}

/// Any-of semantics, as aws-jwt-verify's `scope` option. OAuth 2.0 separates
/// scopes with single spaces; empty pieces are ignored.
fn check_scopes(claims: &Claims, required: &[String]) -> Result<(), TokenError> {
    let missing = |message: String| TokenError::new(TokenErrorKind::MissingScope, message);
    match claims.get("scope") {
        Some(Json::String(scope)) => {
            if scope.split(' ').any(|granted| !granted.is_empty() && required.iter().any(|r| r == granted)) {
                Ok(())
            } else {
                Err(missing(format!("the token's scope has none of {}", quote_list(required))))
            }
        }
        Some(_) => Err(missing("the token's scope is not a string".to_string())),
        None => Err(missing(format!("the token has no scope; required one of {}", quote_list(required)))),
    }
}

/// Quotes a claim, key set field or expected value for a message, cut at 80
/// characters so that a hostile token cannot flood the console.
pub(super) fn quote(text: &str) -> String {
    const MAX_CHARS: usize = 80;
    let mut out: String = text.chars().take(MAX_CHARS).flat_map(char::escape_default).collect();
    if text.chars().nth(MAX_CHARS).is_some() {
        out.push_str("...");
    }
    format!("\"{out}\"")
}

fn quote_list(items: &[String]) -> String {
    const MAX_ITEMS: usize = 5;
    let mut shown: Vec<String> = items.iter().take(MAX_ITEMS).map(|item| quote(item)).collect();
    if items.len() > MAX_ITEMS {
        shown.push(format!("... ({} in all)", items.len()));
    }
    format!("({})", shown.join(", "))
}

// ---------------------------------------------------------------------------
// base64url

const INVALID: u8 = 0xFF;

/// Maps each byte to its 6-bit base64url value, or `INVALID`.
const BASE64URL_VALUES: [u8; 256] = {
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut table = [INVALID; 256];
    let mut i = 0;
    while i < alphabet.len() {
        table[alphabet[i] as usize] = i as u8;
        i += 1;
    }
    table
};

/// Decodes base64url as JWS compact serialization writes it (RFC 7515 §2):
/// no padding, no line breaks, and unused trailing bits zero. Being strict
/// gives every byte string one spelling only, so a signature cannot be
/// re-spelt into a second token that also verifies.
pub(super) fn decode_base64url(text: &[u8]) -> Option<Vec<u8>> {
    // Valid values fit in 6 bits; `INVALID` sets the top two.
    const NOT_SIX_BITS: u8 = 0xC0;
    let whole_bytes = text.len() / 4 * 3;
    let mut out = Vec::with_capacity(whole_bytes + 2);
    out.resize(whole_bytes, 0);
    let mut quads = text.chunks_exact(4);
    for (quad, triple) in (&mut quads).zip(out.chunks_exact_mut(3)) {
        let [a, b, c, d] = [quad[0], quad[1], quad[2], quad[3]].map(|byte| BASE64URL_VALUES[usize::from(byte)]);
        if (a | b | c | d) & NOT_SIX_BITS != 0 {
            return None;
        }
        let bits = (u32::from(a) << 18) | (u32::from(b) << 12) | (u32::from(c) << 6) | u32::from(d);
        triple.copy_from_slice(&bits.to_be_bytes()[1..]);
    }
    let rest = quads.remainder();
    let mut tail = [0u8; 3];
    for (value, &byte) in tail.iter_mut().zip(rest) {
        *value = BASE64URL_VALUES[usize::from(byte)];
    }
    if tail.iter().any(|&value| value & NOT_SIX_BITS != 0) {
        return None;
    }
    let [a, b, c] = tail;
    match rest.len() {
        0 => {}
        2 if b & 0x0F == 0 => out.push((a << 2) | (b >> 4)),
        3 if c & 0x03 == 0 => {
            out.push((a << 2) | (b >> 4));
            out.push((b << 4) | (c >> 2));
        }
        // One leftover character, or leftover bits that are not zero.
        _ => return None,
    }
    Some(out)
}

// ---------------------------------------------------------------------------
// JSON

/// A JSON value with object members kept in document order (R users see the
/// claims in the order Cognito wrote them).
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Json {
    Null,
    Bool(bool),
    Number(f64),
    String(String),
    Array(Vec<Json>),
    Object(Vec<(String, Json)>),
}

/// Deeper nesting than any JWT or JWKS has is refused, which also bounds the
/// recursion below.
const MAX_DEPTH: usize = 32;

/// Parses a document that must be exactly one JSON object. Errors are short
/// reasons that read after "the token's payload" or "the key set".
pub(super) fn parse_json_object(bytes: &[u8]) -> Result<Vec<(String, Json)>, &'static str> {
    let mut tokens = json_token_iter(bytes);
    let members = match next_token(&mut tokens)? {
        Token::StartObject { .. } => read_object(&mut tokens, 1)?,
        _ => return Err("is not a JSON object"),
    };
    if tokens.next().is_some() {
        return Err("has more after its JSON object");
    }
    Ok(members)
}

fn next_token<'a>(tokens: &mut JsonTokenIterator<'a>) -> Result<Token<'a>, &'static str> {
    match tokens.next() {
        Some(Ok(token)) => Ok(token),
        Some(Err(_)) | None => Err("is not valid JSON"),
    }
}

fn read_value<'a>(first: Token<'a>, tokens: &mut JsonTokenIterator<'a>, depth: usize) -> Result<Json, &'static str> {
    Ok(match first {
        Token::ValueNull { .. } => Json::Null,
        Token::ValueBool { value, .. } => Json::Bool(value),
        Token::ValueNumber { value, .. } => Json::Number(value.to_f64_lossy()),
        Token::ValueString { value, .. } => Json::String(unescape(value)?),
        Token::StartObject { .. } => Json::Object(read_object(tokens, depth + 1)?),
        Token::StartArray { .. } => Json::Array(read_array(tokens, depth + 1)?),
        // The tokenizer never yields these where a value belongs.
        Token::EndArray { .. } | Token::EndObject { .. } | Token::ObjectKey { .. } => return Err("is not valid JSON"),
    })
}

fn read_object<'a>(tokens: &mut JsonTokenIterator<'a>, depth: usize) -> Result<Vec<(String, Json)>, &'static str> {
    if depth > MAX_DEPTH {
        return Err("nests JSON too deeply");
    }
    let mut members = Vec::new();
    loop {
        match next_token(tokens)? {
            Token::EndObject { .. } => break,
            Token::ObjectKey { key, .. } => {
                let name = unescape(key)?;
                let first = next_token(tokens)?;
                members.push((name, read_value(first, tokens, depth)?));
            }
            _ => return Err("is not valid JSON"),
        }
    }
    if has_duplicate_names(&members) {
        // Parsers disagree on which duplicate wins; refusing is the only
        // reading that cannot differ from the issuer's.
        return Err("has a JSON object with a repeated member name");
    }
    Ok(members)
}

fn read_array<'a>(tokens: &mut JsonTokenIterator<'a>, depth: usize) -> Result<Vec<Json>, &'static str> {
    if depth > MAX_DEPTH {
        return Err("nests JSON too deeply");
    }
    let mut items = Vec::new();
    loop {
        match next_token(tokens)? {
            Token::EndArray { .. } => return Ok(items),
            first => items.push(read_value(first, tokens, depth)?),
        }
    }
}

fn unescape(text: EscapedStr<'_>) -> Result<String, &'static str> {
    let text = text.to_unescaped().map_err(|_| "has an invalid escape in a JSON string")?;
    if text.contains('\0') {
        // R character strings cannot hold NUL; refuse here rather than fail
        // while building the R value.
        return Err("has a NUL character in a JSON string");
    }
    Ok(text.into_owned())
}

fn has_duplicate_names(members: &[(String, Json)]) -> bool {
    // Pairwise comparison is quickest for the usual dozen claims; sorting
    // keeps a hostile object with thousands of members from costing n².
    const PAIRWISE_MAX: usize = 16;
    if members.len() <= PAIRWISE_MAX {
        members
            .iter()
            .enumerate()
            .any(|(i, (name, _))| members[i + 1..].iter().any(|(other, _)| other == name))
    } else {
        let mut names: Vec<&str> = members.iter().map(|(name, _)| name.as_str()).collect();
        names.sort_unstable();
        names.windows(2).any(|pair| pair[0] == pair[1])
    }
}
