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

use aws_smithy_types::date_time::Format;
use aws_smithy_types::DateTime;
use ring::signature::RSA_PKCS1_2048_8192_SHA256;

use super::encoding::{decode_base64url, parse_json_object, quote};
pub(crate) use super::encoding::Json;
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
    /// The use the token must have. `None` accepts either, but `token_use`
    /// must still be `id` or `access`.
    pub token_use: Option<TokenUse>,
    /// `None` waives the client check. Otherwise the claim the token's use
    /// implies, `aud` (ID tokens) or `client_id` (access tokens), must be
    /// one of these.
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

/// How a claim's JSON value appears in R, decided here once for both
/// builders (the [`Value`] tree of [`Claims::to_value`] and the R objects
/// `auth_calls.rs` makes straight away). A scalar is a slice of one.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum RShape<'a> {
    Null,
    /// Unix seconds, as a `POSIXct` in GMT.
    Time(f64),
    /// Items that are all booleans: a logical vector.
    Logical(&'a [Json]),
    /// Items that are all numbers: a double vector.
    Double(&'a [Json]),
    /// Items that are all strings: a character vector.
    Character(&'a [Json]),
    /// Anything else in an array (empty, mixed, or holding `null`, which must
    /// not turn into `NA`): an unnamed list of the items' shapes.
    List(&'a [Json]),
    /// A named list, members in order.
    Object(&'a [(String, Json)]),
}

impl Claims {
    /// The payload as an R named list: names in token order, numbers as
    /// doubles, the standard times as `POSIXct`, `cognito:groups` always a
    /// character vector, arrays of one scalar type as atomic vectors, nested
    /// objects as named lists and JSON `null` as `NULL`.
    pub fn to_value(&self) -> Value {
        Value::List(List::named(
            self.shapes().map(|(name, shape)| (name.to_owned(), shape_to_value(shape))).collect(),
        ))
    }

    /// Each member's name and how it appears in R (see [`Claims::to_value`]).
    pub(crate) fn shapes(&self) -> impl ExactSizeIterator<Item = (&str, RShape<'_>)> {
        self.members.iter().map(|(name, json)| {
            let shape = match (name.as_str(), json) {
                ("exp" | "iat" | "nbf" | "auth_time", Json::Number(seconds)) => RShape::Time(*seconds),
                // A user in no group may come without the claim, one group
                // must not turn into a scalar of another type, and R code
                // should be able to use `%in%` on it either way.
                ("cognito:groups", Json::String(_)) => RShape::Character(std::slice::from_ref(json)),
                ("cognito:groups", Json::Array(items)) if items.is_empty() => RShape::Character(items),
                _ => RShape::of(json),
            };
            (name.as_str(), shape)
        })
    }

    /// The members' names, in token order.
    pub(crate) fn names(&self) -> impl Iterator<Item = &str> {
        self.members.iter().map(|(name, _)| name.as_str())
    }

    fn get(&self, name: &str) -> Option<&Json> {
        self.members.iter().find(|(member, _)| member == name).map(|(_, value)| value)
    }
}

impl<'a> RShape<'a> {
    /// The shape of a value below the top level (no times there).
    pub(crate) fn of(json: &'a Json) -> RShape<'a> {
        let one = std::slice::from_ref(json);
        match json {
            Json::Null => RShape::Null,
            Json::Bool(_) => RShape::Logical(one),
            Json::Number(_) => RShape::Double(one),
            Json::String(_) => RShape::Character(one),
            Json::Object(members) => RShape::Object(members),
            Json::Array(items) if items.is_empty() => RShape::List(items),
            Json::Array(items) => {
                if items.iter().all(|item| matches!(item, Json::String(_))) {
                    RShape::Character(items)
                } else if items.iter().all(|item| matches!(item, Json::Number(_))) {
                    RShape::Double(items)
                } else if items.iter().all(|item| matches!(item, Json::Bool(_))) {
                    RShape::Logical(items)
                } else {
                    RShape::List(items)
                }
            }
        }
    }
}

/// The items of an atomic shape; `None` (an `NA`) for an item of another
/// type, which [`RShape::of`] never puts there.
pub(crate) fn json_bool(json: &Json) -> Option<bool> {
    match json {
        Json::Bool(b) => Some(*b),
        _ => None,
    }
}

pub(crate) fn json_number(json: &Json) -> Option<f64> {
    match json {
        Json::Number(x) => Some(*x),
        _ => None,
    }
}

pub(crate) fn json_str(json: &Json) -> Option<&str> {
    match json {
        Json::String(s) => Some(s),
        _ => None,
    }
}

fn shape_to_value(shape: RShape<'_>) -> Value {
    match shape {
        RShape::Null => Value::Null,
        RShape::Time(seconds) => Value::Timestamp(vec![Some(seconds)]),
        RShape::Logical(items) => Value::Logical(items.iter().map(json_bool).collect()),
        RShape::Double(items) => Value::Double(items.iter().map(json_number).collect()),
        RShape::Character(items) => Value::Character(items.iter().map(|item| json_str(item).map(str::to_owned)).collect()),
        RShape::List(items) => Value::List(List::unnamed(items.iter().map(|item| shape_to_value(RShape::of(item))).collect())),
        RShape::Object(members) => Value::List(List::named(
            members.iter().map(|(name, value)| (name.clone(), shape_to_value(RShape::of(value)))).collect(),
        )),
    }
}

/// The key id a token asks for, read from its header without checking
/// anything else, so that the key cache knows which key set to consult.
pub fn header_kid(token: &str) -> Result<String, TokenError> {
    Ok(read_header(token)?.header.kid)
}

/// A token split in its parts, with its header read: what the key cache
/// needs ([`HeaderRead::kid`]) and what [`verify_read`] goes on from, so
/// that the header is decoded once per token.
pub struct HeaderRead<'t> {
    parts: TokenParts<'t>,
    header: Header,
}

impl HeaderRead<'_> {
    /// The key id the token's header names.
    pub fn kid(&self) -> &str {
        &self.header.kid
    }
}

/// Splits `token` and reads its header (the first checks of [`verify`]).
pub fn read_header(token: &str) -> Result<HeaderRead<'_>, TokenError> {
    let parts = split_token(token)?;
    let header = decode_header(parts.header)?;
    Ok(HeaderRead { parts, header })
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
    verify_read(&read_header(token)?, keys, expect)
}

/// [`verify`] for a token whose header [`read_header`] has read.
pub fn verify_read(read: &HeaderRead<'_>, keys: &KeySet, expect: &Expectations<'_>) -> Result<Claims, TokenError> {
    let HeaderRead { parts, header } = read;
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
    let token_use = check_token_use(&claims, expect.token_use)?;
    if let Some(client_ids) = expect.client_ids {
        check_client(&claims, token_use, client_ids)?;
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

/// The token's use: `id` or `access` whether or not one of them is expected
/// (a token with another `token_use`, or none, is not a Cognito ID or access
/// token, so waiving the check only waives which of the two), and `expected`
/// if it is given.
fn check_token_use(claims: &Claims, expected: Option<TokenUse>) -> Result<TokenUse, TokenError> {
    let wrong = |message: String| TokenError::new(TokenErrorKind::WrongTokenUse, message);
    let wanted = match expected {
        Some(token_use) => quote(token_use.claim_value()),
        None => format!("{} or {}", quote(TokenUse::Id.claim_value()), quote(TokenUse::Access.claim_value())),
    };
    let used = match claims.get("token_use") {
        Some(Json::String(used)) if used == TokenUse::Id.claim_value() => TokenUse::Id,
        Some(Json::String(used)) if used == TokenUse::Access.claim_value() => TokenUse::Access,
        Some(Json::String(used)) => {
            return Err(wrong(format!("the token's token_use is {}; expected {wanted}", quote(used))))
        }
        Some(_) => return Err(wrong(format!("the token's token_use is not a string; expected {wanted}"))),
        None => return Err(wrong(format!("the token has no token_use; expected {wanted}"))),
    };
    match expected {
        Some(expected) if expected != used => Err(wrong(format!(
            "the token's token_use is {}; expected {wanted}",
            quote(used.claim_value())
        ))),
        _ => Ok(used),
    }
}

/// ID tokens name the app client in `aud`, access tokens in `client_id`
/// (the claim the token's use implies, also when the use is not expected).
fn check_client(claims: &Claims, token_use: TokenUse, client_ids: &[String]) -> Result<(), TokenError> {
    let claim_name = match token_use {
        TokenUse::Id => "aud",
        TokenUse::Access => "client_id",
    };
    let mut presented: Vec<&str> = Vec::new();
    match claims.get(claim_name) {
        None => {}
        Some(Json::String(client)) => presented.push(client),
        // RFC 7519 allows an array of audiences; Cognito never sends one,
        // but it costs nothing to read it.
        Some(Json::Array(items)) if token_use == TokenUse::Id => {
            for item in items {
                match item {
                    Json::String(client) => presented.push(client),
                    _ => return Err(wrong_client(format!("the token's {claim_name} holds a value that is not a string"))),
                }
            }
        }
        Some(_) => return Err(wrong_client(format!("the token's {claim_name} is not a string"))),
    }
    if presented.iter().any(|client| client_ids.iter().any(|allowed| allowed == client)) {
        return Ok(());
    }
    let expected = quote_list(client_ids);
    match presented.first() {
        None => Err(wrong_client(format!("the token has no {claim_name}; expected one of {expected}"))),
        Some(client) => Err(wrong_client(format!(
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

fn quote_list(items: &[String]) -> String {
    const MAX_ITEMS: usize = 5;
    let mut shown: Vec<String> = items.iter().take(MAX_ITEMS).map(|item| quote(item)).collect();
    if items.len() > MAX_ITEMS {
        shown.push(format!("... ({} in all)", items.len()));
    }
    format!("({})", shown.join(", "))
}
