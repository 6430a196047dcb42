//! R arguments -> the SDK's typed operation input and the request body,
//! driven by the shapes' schemas.
//!
//! The SDK's generated `Input::deserialize` walks its own schema and asks a
//! [`ShapeDeserializer`] for each member; [`ValueReader`] answers from the
//! [`Value`] tree. Every check happens here, before anything is sent: the R
//! type and length of each scalar, `NA`, lists where structures are expected,
//! unknown member names (listing the valid ones from the schema handed to
//! `read_struct`), and required members the caller left out (from the model's
//! rules in `model/`). Values of members the model marks sensitive, and
//! everything inside them, are described by type and length only, never shown.
//!
//! While it reads, the reader writes the JSON body to send, as botocore
//! writes it: exactly the members the caller gave, at every depth. The typed
//! input cannot say which members were given (the SDK fills a boolean or an
//! integer the caller left out with its default), so the body the SDK would
//! serialize from it is not what paws or botocore send.
//!
//! What paws accepts beyond the exact types is accepted too, and sent as
//! paws sends it: a number or logical where the model has a string (as R's
//! `as.character()` writes it), a string holding a JSON number where it has a
//! number, "true"/"false" in any case where it has a boolean, and a named
//! list where it has a list (the names are dropped). Where paws would send
//! broken JSON, the reader refuses, with the path.

use aws_smithy_json::serialize::JsonValueWriter;
use aws_smithy_schema::serde::{SerdeError, ShapeDeserializer};
use aws_smithy_schema::Schema;
use aws_smithy_types::{BigDecimal, BigInteger, Blob, DateTime, Document, Number};
use std::collections::{HashMap, HashSet};

use crate::model;
use crate::value::{r_character, List, Name, Value};

/// A bad argument, found before any request was made.
#[derive(Debug, Clone, PartialEq)]
pub struct InputError {
    /// Where the bad value is, as R code would reach it: `A$B[[2]]$C`.
    pub path: String,
    /// What is wrong with it.
    pub problem: String,
}

/// The message R shows: "Invalid argument `A$B`: expected ...".
impl std::fmt::Display for InputError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.path.is_empty() {
            write!(f, "Invalid arguments: {}", self.problem)
        } else {
            write!(f, "Invalid argument `{}`: {}", self.path, self.problem)
        }
    }
}

impl InputError {
    /// The same error, for an argument list that is element `index` (from 0)
    /// of a list called `list`: the path says how to reach it from there.
    pub fn within(self, list: &str, index: usize) -> InputError {
        let element = format!("{list}[[{}]]", index + 1);
        let path = if self.path.is_empty() { element } else { format!("{element}${}", self.path) };
        InputError { path, problem: self.problem }
    }
}

/// Checked arguments: the SDK's typed shape, and the JSON body that says
/// exactly what the caller gave.
#[derive(Debug)]
pub struct Checked<T> {
    pub typed: T,
    pub body: String,
}

/// Builds an SDK input shape, and the request body, from the named list of
/// an operation's arguments.
///
/// `deserialize` is the shape's generated `deserialize` function; every
/// check happens while it reads, and the first bad value is reported.
pub fn read_input<T>(
    args: &Value,
    deserialize: fn(&mut dyn ShapeDeserializer) -> Result<T, SerdeError>,
) -> Result<Checked<T>, InputError> {
    let mut first_error = None;
    let mut body = String::with_capacity(256);
    let result = {
        let mut reader =
            ValueReader { value: args, path: String::new(), sensitive: false, error: &mut first_error, body: &mut body };
        deserialize(&mut reader)
    };
    match result {
        Ok(typed) => Ok(Checked { typed, body }),
        Err(e) => Err(first_error.take().unwrap_or(InputError { path: String::new(), problem: e.to_string() })),
    }
}

/// Answers a generated deserializer from one node of the [`Value`] tree,
/// and writes the node's JSON to the body.
struct ValueReader<'v, 'e> {
    value: &'v Value,
    path: String,
    /// Inside a member the model marks sensitive: values are never shown.
    sensitive: bool,
    /// The first error, with its path (errors travel outwards, so it is the deepest).
    error: &'e mut Option<InputError>,
    /// The request body being written.
    body: &'e mut String,
}

fn member_path(parent: &str, name: &str) -> String {
    if parent.is_empty() {
        name.to_string()
    } else {
        format!("{parent}${name}")
    }
}

/// JSON's insignificant whitespace, which paws leaves around a value it
/// pastes into the body.
fn trim_json_space(text: &str) -> &str {
    text.trim_matches([' ', '\t', '\n', '\r'])
}

/// The number a string holds, if it is a JSON number (`"5"`, `"-2.5"`,
/// `"1e3"`): what paws pastes into the body for it. `"0x10"`, `"Inf"`,
/// `".5"` or `"05"` would make broken JSON there, so they are not numbers.
fn json_number(text: &str) -> Option<f64> {
    let text = trim_json_space(text);
    let digits = |s: &str| s.bytes().take_while(u8::is_ascii_digit).count();
    let rest = text.strip_prefix('-').unwrap_or(text);
    let whole = digits(rest);
    if whole == 0 || (whole > 1 && rest.starts_with('0')) {
        return None;
    }
    let mut rest = &rest[whole..];
    if let Some(fraction) = rest.strip_prefix('.') {
        let n = digits(fraction);
        if n == 0 {
            return None;
        }
        rest = &fraction[n..];
    }
    if let Some(exponent) = rest.strip_prefix(['e', 'E']) {
        let exponent = exponent.strip_prefix(['+', '-']).unwrap_or(exponent);
        let n = digits(exponent);
        if n == 0 {
            return None;
        }
        rest = &exponent[n..];
    }
    if !rest.is_empty() {
        return None;
    }
    text.parse::<f64>().ok().filter(|x| x.is_finite())
}

/// Writes `x` as a JSON number: whole numbers without a fraction.
fn write_number(body: &mut String, x: f64) {
    const EXACT: f64 = 9_007_199_254_740_992.0;
    let number = if x.fract() == 0.0 && x.abs() <= EXACT {
        if x >= 0.0 {
            Number::PosInt(x as u64)
        } else {
            Number::NegInt(x as i64)
        }
    } else {
        Number::Float(x)
    };
    JsonValueWriter::new(body).number(number);
}

impl<'v, 'e> ValueReader<'v, 'e> {
    /// Records the error at this reader's path (the first one wins: it is the
    /// deepest, since errors travel outwards) and returns it for `?`.
    fn fail(&mut self, problem: impl Into<String>) -> SerdeError {
        let problem = problem.into();
        if self.error.is_none() {
            *self.error = Some(InputError { path: self.path.clone(), problem: problem.clone() });
        }
        SerdeError::custom(problem)
    }

    fn expected(&mut self, what: &str) -> SerdeError {
        let got = if self.sensitive {
            format!("{} (the value is sensitive and not shown)", self.value.describe_type())
        } else {
            self.value.describe()
        };
        self.fail(format!("expected {what}, got {got}"))
    }

    /// Visits a child value; an error the SDK raised inside it (a builder
    /// that refused to build, say) is recorded at the child's path.
    fn visit_child<R>(
        &mut self,
        value: &Value,
        path: String,
        sensitive: bool,
        visit: impl FnOnce(&mut dyn ShapeDeserializer) -> Result<R, SerdeError>,
    ) -> Result<R, SerdeError> {
        let mut child = ValueReader {
            value,
            path,
            sensitive: self.sensitive || sensitive,
            error: &mut *self.error,
            body: &mut *self.body,
        };
        let result = visit(&mut child);
        if let Err(e) = &result {
            if child.error.is_none() {
                let problem = e.to_string();
                child.fail(problem);
            }
        }
        result
    }

    /// The single element of a length-one vector, or an error naming `what`.
    fn scalar<T: Clone>(&mut self, elements: Option<&[Option<T>]>, what: &str) -> Result<T, SerdeError> {
        match elements {
            Some([Some(x)]) => Ok(x.clone()),
            _ => Err(self.expected(what)),
        }
    }

    /// A finite number: given as one, or as a string holding a JSON number.
    fn number(&mut self, what: &str) -> Result<f64, SerdeError> {
        let x = match self.value {
            Value::Double(v) => self.scalar(Some(v), what)?,
            Value::Integer(v) => self.scalar(Some(v), what)? as f64,
            Value::Character(v) => {
                let text = self.scalar(Some(v), what)?;
                return json_number(&text).ok_or_else(|| self.expected(what));
            }
            _ => return Err(self.expected(what)),
        };
        if x.is_finite() {
            Ok(x)
        } else {
            Err(self.expected(what))
        }
    }

    fn whole_number(&mut self, min: f64, max: f64, what: &str) -> Result<f64, SerdeError> {
        let x = self.number(what)?;
        if x.fract() == 0.0 && x >= min && x <= max {
            write_number(self.body, x);
            Ok(x)
        } else {
            Err(self.expected(what))
        }
    }

    /// A string, or a single number or logical as R's `as.character()`
    /// writes it (paws sends that text).
    fn text(&mut self) -> Result<String, SerdeError> {
        const WHAT: &str = "a single string";
        match self.value {
            Value::Character(v) => self.scalar(Some(v), WHAT),
            Value::Double(v) => Ok(r_character(self.scalar(Some(v), WHAT)?)),
            Value::Integer(v) => Ok(self.scalar(Some(v), WHAT)?.to_string()),
            Value::Logical(v) => Ok(if self.scalar(Some(v), WHAT)? { "TRUE" } else { "FALSE" }.to_string()),
            _ => Err(self.expected(WHAT)),
        }
    }

    /// Names of a list that stands for a structure or a map: present for every
    /// element, non-empty and unique.
    fn checked_names(&mut self, list: &'v List, what: &str) -> Result<&'v [Name], SerdeError> {
        if list.is_empty() {
            return Ok(&[]);
        }
        let Some(names) = list.names.as_deref() else {
            return Err(self.expected(what));
        };
        let mut seen = HashSet::with_capacity(names.len());
        for (i, name) in names.iter().enumerate() {
            if name.is_empty() {
                return Err(self.fail(format!("element {} of the list has no name; {what} needs every element named", i + 1)));
            }
            if !seen.insert(name.as_ref()) {
                return Err(self.fail(format!("the name `{name}` appears more than once")));
            }
        }
        Ok(names)
    }

    /// Writes `"name":` after the separator a member or entry needs.
    fn write_key(&mut self, first: bool, name: &str) {
        if !first {
            self.body.push(',');
        }
        JsonValueWriter::new(self.body).string(name);
        self.body.push(':');
    }
}

fn member_names(schema: &Schema<'_>) -> String {
    schema.members().iter().filter_map(|m| m.member_name()).collect::<Vec<_>>().join(", ")
}

impl<'v, 'e> ShapeDeserializer for ValueReader<'v, 'e> {
    fn read_struct(
        &mut self,
        schema: &Schema<'_>,
        state: &mut dyn FnMut(&Schema<'_>, &mut dyn ShapeDeserializer) -> Result<(), SerdeError>,
    ) -> Result<(), SerdeError> {
        let Value::List(list) = self.value else {
            return Err(self.expected("a named list"));
        };
        let names = self.checked_names(list, "a named list")?;
        let rules = model::structure_of(schema);
        self.body.push('{');
        let mut first = true;
        for (name, value) in names.iter().zip(&list.values) {
            let Some(member) = schema.member_schema(name) else {
                let valid = member_names(schema);
                let path = member_path(&self.path, name);
                let problem = format!("unknown member; valid members are: {valid}");
                self.error.get_or_insert(InputError { path, problem: problem.clone() });
                return Err(SerdeError::unknown_member(name.clone()));
            };
            // NULL means "not given", at every depth, as for top-level arguments.
            if matches!(value, Value::Null) {
                continue;
            }
            self.write_key(first, name);
            first = false;
            let sensitive = rules.sensitive.contains(&name.as_ref());
            self.visit_child(value, member_path(&self.path, name), sensitive, |child| state(member, child))?;
        }
        self.body.push('}');
        // A structure's required members must be given (not NULL).
        for &name in rules.required {
            if list.get(name).is_none_or(|v| matches!(v, Value::Null)) {
                let path = member_path(&self.path, name);
                self.error.get_or_insert(InputError { path, problem: "is required but missing".to_string() });
                return Err(SerdeError::custom(format!("{name} is required")));
            }
        }
        Ok(())
    }

    fn read_list(
        &mut self,
        _schema: &Schema<'_>,
        state: &mut dyn FnMut(&mut dyn ShapeDeserializer) -> Result<(), SerdeError>,
    ) -> Result<(), SerdeError> {
        let prefix = self.path.clone();
        let element_path = |i: usize| format!("{prefix}[[{}]]", i + 1);
        self.body.push('[');
        // A list's names are dropped, as paws drops them; an atomic vector
        // stands for a list of its elements.
        let elements: Vec<Value> = match self.value {
            Value::List(list) => {
                for (i, value) in list.values.iter().enumerate() {
                    if i > 0 {
                        self.body.push(',');
                    }
                    self.visit_child(value, element_path(i), false, |child| state(child))?;
                }
                self.body.push(']');
                return Ok(());
            }
            Value::Character(v) => v.iter().map(|x| Value::Character(vec![x.clone()])).collect(),
            Value::Logical(v) => v.iter().map(|x| Value::Logical(vec![*x])).collect(),
            Value::Integer(v) => v.iter().map(|x| Value::Integer(vec![*x])).collect(),
            Value::Double(v) => v.iter().map(|x| Value::Double(vec![*x])).collect(),
            Value::Timestamp(v) => v.iter().map(|x| Value::Timestamp(vec![*x])).collect(),
            _ => return Err(self.expected("a list or a vector")),
        };
        for (i, value) in elements.iter().enumerate() {
            if i > 0 {
                self.body.push(',');
            }
            self.visit_child(value, element_path(i), false, |child| state(child))?;
        }
        self.body.push(']');
        Ok(())
    }

    fn read_map(
        &mut self,
        _schema: &Schema<'_>,
        state: &mut dyn FnMut(String, &mut dyn ShapeDeserializer) -> Result<(), SerdeError>,
    ) -> Result<(), SerdeError> {
        let Value::List(list) = self.value else {
            return Err(self.expected("a named list"));
        };
        let names = self.checked_names(list, "a named list")?;
        self.body.push('{');
        for (i, (name, value)) in names.iter().zip(&list.values).enumerate() {
            self.write_key(i == 0, name);
            let path = format!("{}[[\"{}\"]]", self.path, name.escape_default());
            self.visit_child(value, path, false, |child| state(name.to_string(), child))?;
        }
        self.body.push('}');
        Ok(())
    }

    fn read_boolean(&mut self, _schema: &Schema<'_>) -> Result<bool, SerdeError> {
        const WHAT: &str = "a single TRUE or FALSE";
        let b = match self.value {
            Value::Logical(v) => self.scalar(Some(v), WHAT)?,
            // paws lowercases the text into the body: any case of true/false.
            Value::Character(v) => match self.scalar(Some(v), WHAT)?.to_ascii_lowercase() {
                t if trim_json_space(&t) == "true" => true,
                f if trim_json_space(&f) == "false" => false,
                _ => return Err(self.expected(WHAT)),
            },
            _ => return Err(self.expected(WHAT)),
        };
        JsonValueWriter::new(self.body).boolean(b);
        Ok(b)
    }

    fn read_byte(&mut self, _schema: &Schema<'_>) -> Result<i8, SerdeError> {
        Ok(self.whole_number(i8::MIN as f64, i8::MAX as f64, "a whole number from -128 to 127")? as i8)
    }

    fn read_short(&mut self, _schema: &Schema<'_>) -> Result<i16, SerdeError> {
        Ok(self.whole_number(i16::MIN as f64, i16::MAX as f64, "a whole number from -32768 to 32767")? as i16)
    }

    fn read_integer(&mut self, _schema: &Schema<'_>) -> Result<i32, SerdeError> {
        Ok(self.whole_number(i32::MIN as f64, i32::MAX as f64, "a single whole number (32-bit)")? as i32)
    }

    fn read_long(&mut self, _schema: &Schema<'_>) -> Result<i64, SerdeError> {
        // 2^53: beyond it an R double no longer holds every whole number.
        const EXACT: f64 = 9_007_199_254_740_992.0;
        Ok(self.whole_number(-EXACT, EXACT, "a single whole number")? as i64)
    }

    fn read_float(&mut self, _schema: &Schema<'_>) -> Result<f32, SerdeError> {
        let x = self.number("a single finite number")?;
        write_number(self.body, x);
        Ok(x as f32)
    }

    fn read_double(&mut self, _schema: &Schema<'_>) -> Result<f64, SerdeError> {
        let x = self.number("a single finite number")?;
        write_number(self.body, x);
        Ok(x)
    }

    fn read_big_integer(&mut self, _schema: &Schema<'_>) -> Result<BigInteger, SerdeError> {
        let text = self.text()?;
        let value = text.parse().map_err(|_| self.fail("expected a whole number written as a string"))?;
        JsonValueWriter::new(self.body).write_raw_value(&text);
        Ok(value)
    }

    fn read_big_decimal(&mut self, _schema: &Schema<'_>) -> Result<BigDecimal, SerdeError> {
        let text = self.text()?;
        let value = text.parse().map_err(|_| self.fail("expected a decimal number written as a string"))?;
        JsonValueWriter::new(self.body).write_raw_value(&text);
        Ok(value)
    }

    fn read_string(&mut self, _schema: &Schema<'_>) -> Result<String, SerdeError> {
        let text = self.text()?;
        JsonValueWriter::new(self.body).string(&text);
        Ok(text)
    }

    fn read_blob(&mut self, _schema: &Schema<'_>) -> Result<Blob, SerdeError> {
        match self.value {
            Value::Raw(bytes) => {
                JsonValueWriter::new(self.body).string(&aws_smithy_types::base64::encode(bytes));
                Ok(Blob::new(bytes.clone()))
            }
            _ => Err(self.expected("a raw vector")),
        }
    }

    fn read_timestamp(&mut self, _schema: &Schema<'_>) -> Result<DateTime, SerdeError> {
        const WHAT: &str = "a single POSIXct time or number of seconds since 1970";
        let secs = match self.value {
            Value::Timestamp(v) => self.scalar(Some(v), WHAT)?,
            Value::Double(_) | Value::Integer(_) => self.number(WHAT)?,
            _ => return Err(self.expected(WHAT)),
        };
        if !secs.is_finite() {
            return Err(self.expected(WHAT));
        }
        // awsJson sends times as seconds since 1970.
        write_number(self.body, secs);
        Ok(DateTime::from_secs_f64(secs))
    }

    fn read_document(&mut self, _schema: &Schema<'_>) -> Result<Document, SerdeError> {
        let path = self.path.clone();
        document(self.value, &path, 0, self.body).map_err(|(path, problem)| {
            self.error.get_or_insert(InputError { path, problem: problem.clone() });
            SerdeError::custom(problem)
        })
    }

    fn is_null(&self) -> bool {
        matches!(self.value, Value::Null)
    }

    fn container_size(&self) -> Option<usize> {
        Some(self.value.len())
    }
}

/// A document (free-form JSON) from R, also written to `body`: named lists
/// are objects, unnamed lists and vectors longer than one are arrays,
/// length-one vectors are scalars, `NULL` is null. `NA` has no JSON
/// counterpart and is refused.
fn document(value: &Value, path: &str, depth: usize, body: &mut String) -> Result<Document, (String, String)> {
    const MAX_DEPTH: usize = 64;
    let refuse = |what: String| Err((path.to_string(), what));
    if depth > MAX_DEPTH {
        return refuse(format!("a document nested more than {MAX_DEPTH} levels deep"));
    }
    fn number(x: f64) -> Document {
        if x.fract() == 0.0 && x.abs() < 9_007_199_254_740_992.0 {
            if x >= 0.0 {
                return Document::Number(Number::PosInt(x as u64));
            }
            return Document::Number(Number::NegInt(x as i64));
        }
        Document::Number(Number::Float(x))
    }
    let scalars: Vec<Option<Document>> = match value {
        Value::Null => {
            body.push_str("null");
            return Ok(Document::Null);
        }
        Value::List(list) => {
            return match &list.names {
                Some(names) => {
                    body.push('{');
                    let mut object = HashMap::with_capacity(list.len());
                    for (i, (name, v)) in names.iter().zip(&list.values).enumerate() {
                        if name.is_empty() {
                            return refuse("a document object needs every element named".to_string());
                        }
                        if i > 0 {
                            body.push(',');
                        }
                        JsonValueWriter::new(body).string(name);
                        body.push(':');
                        let child = format!("{path}[[\"{}\"]]", name.escape_default());
                        object.insert(name.to_string(), document(v, &child, depth + 1, body)?);
                    }
                    body.push('}');
                    Ok(Document::Object(object))
                }
                _ => {
                    body.push('[');
                    let mut items = Vec::with_capacity(list.len());
                    for (i, v) in list.values.iter().enumerate() {
                        if i > 0 {
                            body.push(',');
                        }
                        items.push(document(v, &format!("{path}[[{}]]", i + 1), depth + 1, body)?);
                    }
                    body.push(']');
                    Ok(Document::Array(items))
                }
            };
        }
        Value::Logical(v) => v.iter().map(|x| x.map(Document::Bool)).collect(),
        Value::Integer(v) => v.iter().map(|x| x.map(|i| number(i.into()))).collect(),
        Value::Double(v) => v.iter().map(|x| x.filter(|d| d.is_finite()).map(number)).collect(),
        Value::Character(v) => v.iter().map(|x| x.clone().map(Document::String)).collect(),
        other => return refuse(format!("expected a list or vector for a document, got {}", other.describe_type())),
    };
    if scalars.iter().any(Option::is_none) {
        return refuse("a document cannot hold NA or non-finite numbers".to_string());
    }
    let mut items: Vec<Document> = scalars.into_iter().flatten().collect();
    let single = items.len() == 1;
    let document = if single { items.remove(0) } else { Document::Array(items) };
    JsonValueWriter::new(body).document(&document);
    Ok(document)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use aws_sdk_cognitoidentityprovider::operation::set_user_pool_mfa_config::SetUserPoolMfaConfigInput;
    use aws_sdk_cognitoidentityprovider::types::{UserPoolMfaType, UserVerificationType, WebAuthnFactorConfigurationType};

    fn s(x: &str) -> Value {
        Value::string(x)
    }

    fn read(args: Value) -> Result<SetUserPoolMfaConfigInput, InputError> {
        read_input(&args, SetUserPoolMfaConfigInput::deserialize).map(|checked| checked.typed)
    }

    /// Every member of the current input shape, at every depth.
    pub(crate) fn full_args() -> Value {
        Value::named_list(vec![
            ("UserPoolId", s("eu-west-1_abc")),
            (
                "SmsMfaConfiguration",
                Value::named_list(vec![
                    ("SmsAuthenticationMessage", s("Your code is {####}")),
                    (
                        "SmsConfiguration",
                        Value::named_list(vec![
                            ("SnsCallerArn", s("arn:aws:iam::123456789012:role/sns")),
                            ("ExternalId", s("ext-1")),
                            ("SnsRegion", s("eu-west-1")),
                            (
                                "EumsSms",
                                Value::named_list(vec![
                                    ("CallerArn", s("arn:aws:iam::123456789012:role/eums")),
                                    ("ExternalId", s("ext-2")),
                                    ("OriginationIdentity", s("+15550100")),
                                    ("ConfigurationSetName", s("set-1")),
                                    ("InEntityId", s("entity-1")),
                                    ("InTemplateId", s("template-1")),
                                    ("Region", s("eu-west-2")),
                                ]),
                            ),
                        ]),
                    ),
                ]),
            ),
            ("SoftwareTokenMfaConfiguration", Value::named_list(vec![("Enabled", Value::boolean(true))])),
            (
                "EmailMfaConfiguration",
                Value::named_list(vec![("Message", s("Code: {####}")), ("Subject", s("Sign-in code"))]),
            ),
            ("MfaConfiguration", s("OPTIONAL")),
            (
                "WebAuthnConfiguration",
                Value::named_list(vec![
                    ("RelyingPartyId", s("example.com")),
                    ("UserVerification", s("required")),
                    ("FactorConfiguration", s("MULTI_FACTOR_WITH_USER_VERIFICATION")),
                ]),
            ),
        ])
    }

    fn with_member(path: &[&str], value: Value) -> Value {
        fn set(node: &mut Value, path: &[&str], value: Value) {
            let Value::List(list) = node else { panic!("not a list") };
            let names = list.names.get_or_insert_with(Vec::new);
            match names.iter().position(|n| n == path[0]) {
                Some(i) if path.len() == 1 => list.values[i] = value,
                Some(i) => set(&mut list.values[i], &path[1..], value),
                None => {
                    assert_eq!(path.len(), 1, "missing parent {path:?}");
                    names.push(path[0].to_string().into());
                    list.values.push(value);
                }
            }
        }
        let mut args = full_args();
        set(&mut args, path, value);
        args
    }

    fn error_for(args: Value) -> InputError {
        read(args).expect_err("the arguments should be refused")
    }

    #[test]
    fn every_member_reaches_the_typed_input() {
        let input = read(full_args()).unwrap();
        assert_eq!(input.user_pool_id(), Some("eu-west-1_abc"));
        let sms = input.sms_mfa_configuration().unwrap();
        assert_eq!(sms.sms_authentication_message(), Some("Your code is {####}"));
        let sms_config = sms.sms_configuration().unwrap();
        assert_eq!(sms_config.sns_caller_arn(), "arn:aws:iam::123456789012:role/sns");
        assert_eq!(sms_config.external_id(), Some("ext-1"));
        assert_eq!(sms_config.sns_region(), Some("eu-west-1"));
        let eums = sms_config.eums_sms().unwrap();
        assert_eq!(eums.caller_arn(), "arn:aws:iam::123456789012:role/eums");
        assert_eq!(eums.external_id(), Some("ext-2"));
        assert_eq!(eums.origination_identity(), Some("+15550100"));
        assert_eq!(eums.configuration_set_name(), Some("set-1"));
        assert_eq!(eums.in_entity_id(), Some("entity-1"));
        assert_eq!(eums.in_template_id(), Some("template-1"));
        assert_eq!(eums.region(), Some("eu-west-2"));
        assert!(input.software_token_mfa_configuration().unwrap().enabled());
        let email = input.email_mfa_configuration().unwrap();
        assert_eq!((email.message(), email.subject()), (Some("Code: {####}"), Some("Sign-in code")));
        assert_eq!(input.mfa_configuration(), Some(&UserPoolMfaType::Optional));
        let web = input.web_authn_configuration().unwrap();
        assert_eq!(web.relying_party_id(), Some("example.com"));
        assert_eq!(web.user_verification(), Some(&UserVerificationType::Required));
        assert_eq!(
            web.factor_configuration(),
            Some(&WebAuthnFactorConfigurationType::MultiFactorWithUserVerification)
        );
    }

    #[test]
    fn typed_input_serializes_back_to_the_same_arguments() {
        let input = read(full_args()).unwrap();
        assert_eq!(crate::typed::to_value(&input).unwrap(), full_args());
    }

    #[test]
    fn null_members_are_left_out_at_every_depth() {
        let args = Value::named_list(vec![
            ("UserPoolId", s("p")),
            ("SmsMfaConfiguration", Value::Null),
            ("EmailMfaConfiguration", Value::named_list(vec![("Message", Value::Null), ("Subject", s("x"))])),
        ]);
        let input = read(args).unwrap();
        assert!(input.sms_mfa_configuration().is_none());
        assert_eq!(input.email_mfa_configuration().unwrap().message(), None);
    }

    #[test]
    fn unknown_enum_values_pass_through() {
        let input = read(with_member(&["MfaConfiguration"], s("MAYBE"))).unwrap();
        assert_eq!(input.mfa_configuration().unwrap().as_str(), "MAYBE");
    }

    #[test]
    fn wrong_scalar_types_name_the_path() {
        let cases = [
            (vec!["SoftwareTokenMfaConfiguration", "Enabled"], s("yes"), "expected a single TRUE or FALSE, got \"yes\" (character)"),
            (vec!["SoftwareTokenMfaConfiguration", "Enabled"], Value::Logical(vec![None]), "got NA (logical)"),
            (vec!["SoftwareTokenMfaConfiguration", "Enabled"], Value::Logical(vec![Some(true), Some(false)]), "a logical vector of length 2"),
            (vec!["SoftwareTokenMfaConfiguration", "Enabled"], Value::Double(vec![Some(1.0)]), "got 1 (numeric)"),
            (vec!["UserPoolId"], Value::Double(vec![Some(4.0), Some(2.0)]), "expected a single string, got a numeric vector of length 2"),
            (vec!["UserPoolId"], Value::Double(vec![None]), "expected a single string, got NA (numeric)"),
            (vec!["UserPoolId"], Value::Raw(vec![1]), "expected a single string, got a raw value"),
            (vec!["UserPoolId"], Value::Character(vec![None]), "got NA (character)"),
            (vec!["UserPoolId"], Value::Character(vec![]), "a character vector of length 0"),
            (vec!["UserPoolId"], Value::Logical(vec![None]), "got NA (logical)"),
            (vec!["MfaConfiguration"], Value::Character(vec![Some("ON".into()), Some("OFF".into())]), "length 2"),
            (vec!["SmsMfaConfiguration", "SmsConfiguration", "EumsSms", "Region"], Value::Integer(vec![None]), "got NA (integer)"),
            (vec!["WebAuthnConfiguration", "RelyingPartyId"], Value::Unsupported("a factor".into()), "got a factor"),
        ];
        for (path, value, expected) in cases {
            let err = error_for(with_member(&path, value));
            assert_eq!(err.path, path.join("$"));
            assert!(err.problem.contains(expected), "{err} should contain {expected}");
        }
    }

    #[test]
    fn structures_must_be_named_lists() {
        let err = error_for(with_member(&["SoftwareTokenMfaConfiguration"], Value::boolean(true)));
        assert_eq!(err.path, "SoftwareTokenMfaConfiguration");
        assert!(err.problem.contains("expected a named list, got TRUE (logical)"), "{err}");

        let unnamed = Value::List(List::unnamed(vec![Value::boolean(true)]));
        let err = error_for(with_member(&["SoftwareTokenMfaConfiguration"], unnamed));
        assert!(err.problem.contains("an unnamed list of length 1"), "{err}");

        let partly = Value::List(List {
            names: Some(vec!["Message".into(), "".into()]),
            values: vec![s("a"), s("b")],
        });
        let err = error_for(with_member(&["EmailMfaConfiguration"], partly));
        assert_eq!(err.path, "EmailMfaConfiguration");
        assert!(err.problem.contains("element 2 of the list has no name"), "{err}");

        let twice = Value::List(List::named(vec![("Message", s("a")), ("Message", s("b"))]));
        let err = error_for(with_member(&["EmailMfaConfiguration"], twice));
        assert!(err.problem.contains("`Message` appears more than once"), "{err}");

        // An empty list is an empty structure, as in paws.
        let input = read(with_member(&["EmailMfaConfiguration"], Value::List(List::default()))).unwrap();
        assert_eq!(input.email_mfa_configuration().unwrap().message(), None);
    }

    #[test]
    fn unknown_members_list_the_valid_ones() {
        let err = error_for(with_member(&["SmsMfaConfiguration", "SmsConfiguration", "EumsSms", "Bogus"], s("x")));
        assert_eq!(err.path, "SmsMfaConfiguration$SmsConfiguration$EumsSms$Bogus");
        assert_eq!(
            err.problem,
            "unknown member; valid members are: CallerArn, ExternalId, OriginationIdentity, \
             ConfigurationSetName, InEntityId, InTemplateId, Region"
        );
        let err = error_for(with_member(&["Bogus"], s("x")));
        assert_eq!(err.path, "Bogus");
        assert!(err.problem.contains("UserPoolId, SmsMfaConfiguration, SoftwareTokenMfaConfiguration"), "{err}");
    }

    #[test]
    fn required_members_are_not_filled_in_silently() {
        let without = |path: &[&str]| with_member(path, Value::Null);
        let err = error_for(without(&["SmsMfaConfiguration", "SmsConfiguration", "SnsCallerArn"]));
        assert_eq!(
            err.to_string(),
            "Invalid argument `SmsMfaConfiguration$SmsConfiguration$SnsCallerArn`: is required but missing"
        );
        let in_batch = err.within("requests", 2);
        assert_eq!(in_batch.path, "requests[[3]]$SmsMfaConfiguration$SmsConfiguration$SnsCallerArn");
        let err = error_for(without(&["SmsMfaConfiguration", "SmsConfiguration", "EumsSms", "CallerArn"]));
        assert_eq!(err.path, "SmsMfaConfiguration$SmsConfiguration$EumsSms$CallerArn");
        let err = error_for(without(&["UserPoolId"]));
        assert_eq!(err.path, "UserPoolId");
        // Given explicitly, even empty, a required member is the caller's choice.
        assert!(read(with_member(&["UserPoolId"], s(""))).is_ok());
        // Optional members may be left out.
        assert!(read(without(&["SmsMfaConfiguration", "SmsConfiguration", "ExternalId"])).is_ok());
    }

    fn body_of(args: Value) -> String {
        read_input(&args, SetUserPoolMfaConfigInput::deserialize).expect("accepted").body
    }

    #[test]
    fn the_body_holds_exactly_the_members_given() {
        // The SDK's typed input holds `PreferredMfa = false`-style defaults
        // for what the caller left out; the body does not.
        let args = Value::named_list(vec![
            ("UserPoolId", s("eu-west-1_abc")),
            ("SoftwareTokenMfaConfiguration", Value::List(List::default())),
            ("EmailMfaConfiguration", Value::named_list(vec![("Message", Value::Null), ("Subject", s("Code \"1\""))])),
            ("MfaConfiguration", s("ON")),
        ]);
        assert_eq!(
            body_of(args),
            r#"{"UserPoolId":"eu-west-1_abc","SoftwareTokenMfaConfiguration":{},"EmailMfaConfiguration":{"Subject":"Code \"1\""},"MfaConfiguration":"ON"}"#
        );
        assert_eq!(body_of(full_args()).matches("\"Enabled\":true").count(), 1);
    }

    #[test]
    fn what_paws_accepts_is_sent_as_paws_sends_it() {
        let with = |path: &[&str], value: Value| {
            let args = with_member(path, value);
            let body = body_of(args.clone());
            (read(args).unwrap(), body)
        };
        // A number or logical where the model has a string: as.character().
        let (input, body) = with(&["UserPoolId"], Value::Double(vec![Some(99991231.0)]));
        assert_eq!(input.user_pool_id(), Some("99991231"));
        assert!(body.starts_with(r#"{"UserPoolId":"99991231","#), "{body}");
        let (input, _) = with(&["UserPoolId"], Value::Double(vec![Some(1e5)]));
        assert_eq!(input.user_pool_id(), Some("1e+05"));
        let (input, _) = with(&["UserPoolId"], Value::Integer(vec![Some(0)]));
        assert_eq!(input.user_pool_id(), Some("0"));
        let (input, _) = with(&["MfaConfiguration"], Value::boolean(true));
        assert_eq!(input.mfa_configuration().unwrap().as_str(), "TRUE");
        // "true"/"false" in any case where the model has a boolean.
        let (input, body) = with(&["SoftwareTokenMfaConfiguration", "Enabled"], s("FALSE"));
        assert!(!input.software_token_mfa_configuration().unwrap().enabled());
        assert!(body.contains(r#""SoftwareTokenMfaConfiguration":{"Enabled":false}"#), "{body}");
        for refused in ["yes", "T", "1", ""] {
            let err = error_for(with_member(&["SoftwareTokenMfaConfiguration", "Enabled"], s(refused)));
            assert!(err.problem.starts_with("expected a single TRUE or FALSE"), "{refused}: {err}");
        }
    }

    #[test]
    fn numbers_written_as_strings_must_be_json_numbers() {
        for (text, number) in [("5", 5.0), ("-2.5", -2.5), ("1e3", 1000.0), (" 7 ", 7.0), ("0", 0.0), ("0.5", 0.5)] {
            assert_eq!(json_number(text), Some(number), "{text}");
        }
        for text in ["", "-", "05", ".5", "5.", "+5", "0x10", "Inf", "NaN", "1e", "1e+", "5 6", "five", "1e999"] {
            assert_eq!(json_number(text), None, "{text}");
        }
    }

    #[test]
    fn a_named_list_where_the_model_has_a_list_loses_its_names() {
        use aws_sdk_cognitoidentityprovider::operation::admin_create_user::AdminCreateUserInput;
        let attribute = |name: &str, value: Value| Value::named_list(vec![("Name", s(name)), ("Value", value)]);
        let args = Value::named_list(vec![
            ("UserPoolId", s("p")),
            ("Username", s("ada")),
            (
                "UserAttributes",
                Value::List(List::named(vec![
                    ("a", attribute("custom:score", Value::Double(vec![Some(0.0)]))),
                    ("b", attribute("name", s("Ada"))),
                ])),
            ),
            ("DesiredDeliveryMediums", Value::List(List::named(vec![("first", s("EMAIL"))]))),
        ]);
        let checked = read_input(&args, AdminCreateUserInput::deserialize).unwrap();
        assert_eq!(
            checked.body,
            r#"{"UserPoolId":"p","Username":"ada","UserAttributes":[{"Name":"custom:score","Value":"0"},{"Name":"name","Value":"Ada"}],"DesiredDeliveryMediums":["EMAIL"]}"#
        );
        // Errors inside such a list name the element by its position.
        let bad = Value::named_list(vec![
            ("UserPoolId", s("p")),
            ("Username", s("ada")),
            ("UserAttributes", Value::List(List::named(vec![("a", attribute("x", Value::Raw(vec![])))]))),
        ]);
        let err = read_input(&bad, AdminCreateUserInput::deserialize).unwrap_err();
        assert_eq!(err.path, "UserAttributes[[1]]$Value");
    }

    #[test]
    fn sensitive_values_stay_unshown_in_lenient_forms_too() {
        use aws_sdk_cognitoidentityprovider::operation::admin_set_user_password::AdminSetUserPasswordInput;
        let args = Value::named_list(vec![
            ("UserPoolId", s("p")),
            ("Username", s("ada")),
            ("Password", Value::Character(vec![Some("hunter2".into()), Some("x".into())])),
        ]);
        let err = read_input(&args, AdminSetUserPasswordInput::deserialize).unwrap_err();
        assert_eq!(err.path, "Password");
        assert!(!err.problem.contains("hunter2"), "{err}");
        assert!(err.problem.contains("not shown"), "{err}");
    }
}
