//! The answer's JSON body -> the R value paws returns, guided by the model's
//! shapes (`model/`).
//!
//! paws's rules (paws.common's JSON parser, measured on paws 0.7.7):
//! - every member of a structure is there, wherever the structure sits
//!   (inside lists and maps too), in model order; a member the answer lacks
//!   or sends as `null` is its typed empty: `character(0)`, `logical(0)`,
//!   `numeric(0)`, an empty `POSIXct`, `list()` for lists and maps, and for a
//!   structure the named list of its members' empties;
//! - whole numbers of every width are doubles; times are `POSIXct` in GMT;
//!   a blob is a raw vector, and its empty is `character(0)`;
//! - a non-empty list of scalars is one atomic vector (R's `unlist()`);
//!   other lists are unnamed lists; an empty list is `list()`;
//! - a map is a named list in the order of the answer; an empty one `list()`;
//! - a document is what jsonlite makes of it (whole numbers that fit are
//!   integers; `{}` is a named empty list); paws has no shape for its
//!   content, so a structure that lacks one drops the member altogether.
//!
//! The SDK reads the same body into its typed output, but that output cannot
//! say what was absent (it gives a boolean the answer lacks the value
//! `false`), and it keeps maps in hash maps; so the body is read here again.

use std::iter::Peekable;

use aws_smithy_json::deserialize::{json_token_iter, JsonTokenIterator, Token};
use aws_smithy_types::date_time::Format;
use aws_smithy_types::{DateTime, Number};

use crate::model::{Shape, Structure};
use crate::value::{List, Name, Value};

type Tokens<'a> = Peekable<JsonTokenIterator<'a>>;

/// Why an answer could not be read (it does not match its shape).
pub type AnswerError = String;

/// The R value of an answer `body` whose shape is `shape`. An empty body
/// reads as `{}`.
pub fn read_answer(body: &[u8], shape: &Shape) -> Result<Value, AnswerError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(empty(shape));
    }
    let mut tokens = json_token_iter(body).peekable();
    let value = read(&mut tokens, shape, 0)?;
    match tokens.next() {
        None => Ok(value),
        Some(_) => Err("the answer holds more than one JSON value".to_string()),
    }
}

/// The typed empty of `shape`: what paws returns for a member the answer lacks.
pub fn empty(shape: &Shape) -> Value {
    match shape {
        Shape::String => Value::Character(vec![]),
        Shape::Boolean => Value::Logical(vec![]),
        Shape::Integer | Shape::Long | Shape::Double => Value::Double(vec![]),
        Shape::Timestamp => Value::Timestamp(vec![]),
        // paws decodes a missing blob to character(0), not raw(0).
        Shape::Blob => Value::Character(vec![]),
        Shape::Document => Value::Null,
        Shape::List(_) | Shape::Map(_) => Value::List(List::default()),
        Shape::Structure(s) => empty_structure(s),
    }
}

fn empty_structure(s: &Structure) -> Value {
    structure_value(s, std::iter::repeat_with(|| None))
}

/// A structure's named list from the values found for its members, in
/// member order: absent ones are typed empties, except documents, which
/// paws leaves out (`result[[name]] <- NULL`).
fn structure_value(s: &Structure, found: impl Iterator<Item = Option<Value>>) -> Value {
    if s.members.is_empty() {
        return Value::List(List::default());
    }
    let mut names = Vec::with_capacity(s.members.len());
    let mut values = Vec::with_capacity(s.members.len());
    for (member, value) in s.members.iter().zip(found) {
        let value = match (value, member.shape) {
            (Some(v), _) => v,
            (None, Shape::Document) => continue,
            (None, shape) => empty(shape),
        };
        names.push(Name::Borrowed(member.name));
        values.push(value);
    }
    Value::List(List { names: Some(names), values })
}

/// Deep enough for any answer of this API; documents are free-form and
/// guarded by it.
const MAX_DEPTH: usize = 64;

fn next<'a>(tokens: &mut Tokens<'a>) -> Result<Token<'a>, AnswerError> {
    match tokens.next() {
        Some(Ok(token)) => Ok(token),
        Some(Err(e)) => Err(format!("the answer is not valid JSON: {e}")),
        None => Err("the answer ends too early".to_string()),
    }
}

/// Whether the next value is `null`; if so it is consumed.
fn take_null(tokens: &mut Tokens<'_>) -> bool {
    if matches!(tokens.peek(), Some(Ok(Token::ValueNull { .. }))) {
        tokens.next();
        return true;
    }
    false
}

fn unescape(text: aws_smithy_json::deserialize::EscapedStr<'_>) -> Result<String, AnswerError> {
    text.to_unescaped().map(|s| s.into_owned()).map_err(|e| format!("a string of the answer is malformed: {e}"))
}

fn number(value: Number) -> f64 {
    match value {
        Number::PosInt(n) => n as f64,
        Number::NegInt(n) => n as f64,
        Number::Float(f) => f,
    }
}

fn mismatch(expected: &str, token: &Token<'_>) -> AnswerError {
    let got = match token {
        Token::StartArray { .. } => "an array",
        Token::StartObject { .. } => "an object",
        Token::ValueBool { .. } => "a boolean",
        Token::ValueNumber { .. } => "a number",
        Token::ValueString { .. } => "a string",
        Token::ValueNull { .. } => "null",
        Token::EndArray { .. } | Token::EndObject { .. } | Token::ObjectKey { .. } => "the end of a value",
    };
    format!("the answer has {got} where the model has {expected}")
}

/// Reads one value (not `null`: callers handle it) of `shape`.
fn read(tokens: &mut Tokens<'_>, shape: &Shape, depth: usize) -> Result<Value, AnswerError> {
    if depth > MAX_DEPTH {
        return Err(format!("the answer is nested more than {MAX_DEPTH} levels deep"));
    }
    let token = next(tokens)?;
    Ok(match (shape, token) {
        (Shape::Structure(s), Token::StartObject { .. }) => read_structure(tokens, s, depth)?,
        (Shape::List(element), Token::StartArray { .. }) => read_list(tokens, element, depth)?,
        (Shape::Map(value), Token::StartObject { .. }) => read_map(tokens, value, depth)?,
        (Shape::Document, token) => read_document(tokens, token, depth)?,
        (Shape::String, Token::ValueString { value, .. }) => Value::string(unescape(value)?),
        (Shape::Boolean, Token::ValueBool { value, .. }) => Value::boolean(value),
        (Shape::Integer | Shape::Long | Shape::Double, Token::ValueNumber { value, .. }) => {
            Value::Double(vec![Some(number(value))])
        }
        (Shape::Timestamp, Token::ValueNumber { value, .. }) => Value::Timestamp(vec![Some(number(value))]),
        (Shape::Timestamp, Token::ValueString { value, .. }) => {
            let text = unescape(value)?;
            let time = DateTime::from_str(&text, Format::DateTime)
                .or_else(|_| DateTime::from_str(&text, Format::HttpDate))
                .map_err(|_| "a time of the answer is neither a number nor a date".to_string())?;
            Value::Timestamp(vec![Some(time.as_secs_f64())])
        }
        (Shape::Blob, Token::ValueString { value, .. }) => {
            let bytes = aws_smithy_types::base64::decode(unescape(value)?)
                .map_err(|_| "a blob of the answer is not base64".to_string())?;
            Value::Raw(bytes)
        }
        (shape, token) => return Err(mismatch(shape_name(shape), &token)),
    })
}

fn shape_name(shape: &Shape) -> &'static str {
    match shape {
        Shape::String => "a string",
        Shape::Boolean => "a boolean",
        Shape::Integer | Shape::Long | Shape::Double => "a number",
        Shape::Timestamp => "a time",
        Shape::Blob => "a blob",
        Shape::Document => "a document",
        Shape::List(_) => "a list",
        Shape::Map(_) | Shape::Structure(_) => "an object",
    }
}

/// The members of a structure whose `{` has been read; unknown ones (newer
/// than this SDK's model) are skipped, as paws skips them.
fn read_structure(tokens: &mut Tokens<'_>, s: &Structure, depth: usize) -> Result<Value, AnswerError> {
    let mut found: Vec<Option<Value>> = vec![None; s.members.len()];
    loop {
        match next(tokens)? {
            Token::EndObject { .. } => break,
            Token::ObjectKey { key, .. } => {
                let key = key.to_unescaped().map_err(|e| format!("a key of the answer is malformed: {e}"))?;
                match s.members.iter().position(|m| m.name == key) {
                    Some(i) if !take_null(tokens) => found[i] = Some(read(tokens, s.members[i].shape, depth + 1)?),
                    Some(_) => {}
                    None => aws_smithy_json::deserialize::token::skip_value(tokens)
                        .map_err(|e| format!("the answer is not valid JSON: {e}"))?,
                }
            }
            token => return Err(mismatch("a member name", &token)),
        }
    }
    Ok(structure_value(s, found.into_iter()))
}

/// The elements of a list whose `[` has been read. A list of scalars is one
/// vector (paws `unlist()`s it; times lose their class there).
fn read_list(tokens: &mut Tokens<'_>, element: &Shape, depth: usize) -> Result<Value, AnswerError> {
    let mut values = Vec::new();
    loop {
        if matches!(tokens.peek(), Some(Ok(Token::EndArray { .. }))) {
            tokens.next();
            break;
        }
        values.push(if take_null(tokens) { empty(element) } else { read(tokens, element, depth + 1)? });
    }
    if values.is_empty() {
        return Ok(Value::List(List::default()));
    }
    Ok(match element {
        Shape::String | Shape::Boolean | Shape::Integer | Shape::Long | Shape::Double | Shape::Timestamp | Shape::Blob => {
            unlist(values, element)
        }
        _ => Value::List(List::unnamed(values)),
    })
}

/// R's `unlist()` of the scalars of a list: one vector of the elements' type.
fn unlist(values: Vec<Value>, element: &Shape) -> Value {
    let mut strings = Vec::new();
    let mut logicals = Vec::new();
    let mut numbers = Vec::new();
    let mut bytes = Vec::new();
    for value in values {
        match value {
            Value::Character(v) => strings.extend(v),
            Value::Logical(v) => logicals.extend(v),
            Value::Double(v) | Value::Timestamp(v) => numbers.extend(v),
            Value::Raw(v) => bytes.extend(v),
            _ => {}
        }
    }
    match element {
        Shape::String => Value::Character(strings),
        Shape::Boolean => Value::Logical(logicals),
        Shape::Blob => Value::Raw(bytes),
        _ => Value::Double(numbers),
    }
}

/// The entries of a map whose `{` has been read, in the answer's order. A
/// key sent twice keeps its first place and its last value, as paws's
/// `result[[name]] <- value` does.
fn read_map(tokens: &mut Tokens<'_>, value: &Shape, depth: usize) -> Result<Value, AnswerError> {
    let mut entries: Vec<(String, Value)> = Vec::new();
    loop {
        match next(tokens)? {
            Token::EndObject { .. } => break,
            Token::ObjectKey { key, .. } => {
                let key = key.to_unescaped().map_err(|e| format!("a key of the answer is malformed: {e}"))?.into_owned();
                let v = if take_null(tokens) { empty(value) } else { read(tokens, value, depth + 1)? };
                match entries.iter_mut().find(|(k, _)| *k == key) {
                    Some(entry) => entry.1 = v,
                    None => entries.push((key, v)),
                }
            }
            token => return Err(mismatch("a key", &token)),
        }
    }
    if entries.is_empty() {
        return Ok(Value::List(List::default()));
    }
    Ok(Value::List(List::named(entries)))
}

/// Free-form JSON as jsonlite reads it for paws (`simplifyVector = FALSE`):
/// objects are named lists (in order), arrays unnamed lists, `null` is
/// `NULL`, and a number written without a fraction or exponent that fits R's
/// integers is an integer.
fn read_document(tokens: &mut Tokens<'_>, token: Token<'_>, depth: usize) -> Result<Value, AnswerError> {
    if depth > MAX_DEPTH {
        return Err(format!("the answer is nested more than {MAX_DEPTH} levels deep"));
    }
    // R's NA_integer_ is i32::MIN, so the integers stop one short of it.
    let integer = |n: i64| (n > i64::from(i32::MIN) && n <= i64::from(i32::MAX)).then_some(n as i32);
    Ok(match token {
        Token::ValueNull { .. } => Value::Null,
        Token::ValueBool { value, .. } => Value::boolean(value),
        Token::ValueNumber { value: Number::PosInt(n), .. } if n <= i32::MAX as u64 => Value::Integer(vec![Some(n as i32)]),
        Token::ValueNumber { value: Number::NegInt(n), .. } if integer(n).is_some() => Value::Integer(vec![integer(n)]),
        Token::ValueNumber { value, .. } => Value::Double(vec![Some(number(value))]),
        Token::ValueString { value, .. } => Value::string(unescape(value)?),
        Token::StartArray { .. } => {
            let mut items = Vec::new();
            loop {
                match next(tokens)? {
                    Token::EndArray { .. } => break,
                    token => items.push(read_document(tokens, token, depth + 1)?),
                }
            }
            Value::List(List::unnamed(items))
        }
        Token::StartObject { .. } => {
            let mut entries = Vec::new();
            loop {
                match next(tokens)? {
                    Token::EndObject { .. } => break,
                    Token::ObjectKey { key, .. } => {
                        let key = key.to_unescaped().map_err(|e| format!("a key of the answer is malformed: {e}"))?;
                        let token = next(tokens)?;
                        entries.push((key.into_owned(), read_document(tokens, token, depth + 1)?));
                    }
                    token => return Err(mismatch("a key", &token)),
                }
            }
            // `{}` too is a named list (of no names), as jsonlite gives it.
            Value::List(List::named(entries))
        }
        token => return Err(mismatch("a value", &token)),
    })
}
