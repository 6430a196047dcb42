//! The readers the token and the key set share, below both `jwt.rs` and
//! `jwks.rs`: strict base64url, JSON objects read into a tree that keeps
//! member order, and the quoting of read text for messages.
//!
//! The JSON is tokenized by aws-smithy-json, the tokenizer that reads every
//! answer of the service (`output.rs`); the tree above it is this module's
//! because the guarantees a verifier needs are not the tokenizer's (nor
//! serde_json's, which would keep the last of two members with one name and
//! lose their order): a repeated member name is refused at every depth,
//! nesting is bounded, and NUL (which R strings cannot hold) is refused.

use aws_smithy_json::deserialize::{json_token_iter, EscapedStr, JsonTokenIterator, Token};

#[cfg(test)]
mod tests;

/// Quotes a claim, key set field or expected value for a message, cut at 80
/// characters so that a hostile token cannot flood the console.
pub(crate) fn quote(text: &str) -> String {
    const MAX_CHARS: usize = 80;
    let mut out: String = text.chars().take(MAX_CHARS).flat_map(char::escape_default).collect();
    if text.chars().nth(MAX_CHARS).is_some() {
        out.push_str("...");
    }
    format!("\"{out}\"")
}

// ---------------------------------------------------------------------------
// base64url

/// Decodes base64url as JWS compact serialization writes it (RFC 7515 §2):
/// no padding, no line breaks, and unused trailing bits zero. Being strict
/// gives every byte string one spelling only, so a signature cannot be
/// re-spelt into a second token that also verifies. base64-simd's
/// unpadded URL-safe engine is that strict (it refuses `=`, characters
/// outside the alphabet, a lone trailing character and nonzero spare bits);
/// the tests in `encoding/tests.rs` hold it to each of these.
pub(crate) fn decode_base64url(text: &[u8]) -> Option<Vec<u8>> {
    base64_simd::URL_SAFE_NO_PAD.decode_to_vec(text).ok()
}

// ---------------------------------------------------------------------------
// JSON

/// A JSON value with object members kept in document order (R users see the
/// claims in the order Cognito wrote them).
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Json {
    Null,
    Bool(bool),
    Number(f64),
    String(String),
    Array(Vec<Json>),
    Object(Vec<(String, Json)>),
}

/// Deeper nesting than any JWT or JWKS has is refused, which also bounds the
/// recursion below.
pub(crate) const MAX_DEPTH: usize = 32;

/// Parses a document that must be exactly one JSON object. Errors are short
/// reasons that read after "the token's payload" or "the key set".
pub(crate) fn parse_json_object(bytes: &[u8]) -> Result<Vec<(String, Json)>, &'static str> {
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
