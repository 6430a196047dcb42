//! R arguments -> the SDK's typed operation input, driven by the shapes' schemas.
//!
//! The SDK's generated `Input::deserialize` walks its own schema and asks a
//! [`ShapeDeserializer`] for each member; [`ValueReader`] answers from the
//! [`Value`] tree. Every check happens here, before anything is sent: the R
//! type and length of each scalar, `NA`, lists where structures are expected,
//! unknown member names (listing the valid ones from the schema handed to
//! `read_struct`), and required members the caller left out (the model's
//! list, generated into the operation table). Values of members the model
//! marks sensitive, and everything inside them, are described by type and
//! length only, never shown.

use aws_smithy_schema::serde::{SerdeError, ShapeDeserializer};
use aws_smithy_schema::Schema;
use aws_smithy_types::{BigDecimal, BigInteger, Blob, DateTime, Document, Number};
use std::collections::{HashMap, HashSet};

use crate::operations::member_rules;
use crate::value::{List, Value};

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

/// Builds an SDK input shape from the named list of an operation's arguments.
///
/// `deserialize` is the shape's generated `deserialize` function; every
/// check happens while it reads, and the first bad value is reported.
pub fn read_input<T>(
    args: &Value,
    deserialize: fn(&mut dyn ShapeDeserializer) -> Result<T, SerdeError>,
) -> Result<T, InputError> {
    let mut first_error = None;
    let result = {
        let mut reader = ValueReader { value: args, path: String::new(), sensitive: false, error: &mut first_error };
        deserialize(&mut reader)
    };
    result.map_err(|e| first_error.take().unwrap_or(InputError { path: String::new(), problem: e.to_string() }))
}

/// Answers a generated deserializer from one node of the [`Value`] tree.
struct ValueReader<'v, 'e> {
    value: &'v Value,
    path: String,
    /// Inside a member the model marks sensitive: values are never shown.
    sensitive: bool,
    /// The first error, with its path (errors travel outwards, so it is the deepest).
    error: &'e mut Option<InputError>,
}

fn member_path(parent: &str, name: &str) -> String {
    if parent.is_empty() {
        name.to_string()
    } else {
        format!("{parent}${name}")
    }
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
        let mut child = ValueReader { value, path, sensitive: self.sensitive || sensitive, error: self.error };
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

    fn number(&mut self, what: &str) -> Result<f64, SerdeError> {
        let x = match self.value {
            Value::Double(v) => self.scalar(Some(v), what)?,
            Value::Integer(v) => self.scalar(Some(v), what)? as f64,
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
            Ok(x)
        } else {
            Err(self.expected(what))
        }
    }

    /// Names of a list that stands for a structure or a map: present for every
    /// element, non-empty and unique.
    fn checked_names(&mut self, list: &'v List, what: &str) -> Result<&'v [String], SerdeError> {
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
            if !seen.insert(name.as_str()) {
                return Err(self.fail(format!("the name `{name}` appears more than once")));
            }
        }
        Ok(names)
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
        let rules = member_rules(schema);
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
            let sensitive = rules.sensitive.contains(&name.as_str());
            self.visit_child(value, member_path(&self.path, name), sensitive, |child| state(member, child))?;
        }
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
        // An atomic vector stands for a list of its elements, as in paws.
        let elements: Vec<Value> = match self.value {
            Value::List(list) if list.names.as_ref().is_none_or(|n| n.iter().all(String::is_empty)) => {
                let paths: Vec<String> = (0..list.len()).map(element_path).collect();
                for (value, path) in list.values.iter().zip(paths) {
                    self.visit_child(value, path, false, |child| state(child))?;
                }
                return Ok(());
            }
            Value::Character(v) => v.iter().map(|x| Value::Character(vec![x.clone()])).collect(),
            Value::Logical(v) => v.iter().map(|x| Value::Logical(vec![*x])).collect(),
            Value::Integer(v) => v.iter().map(|x| Value::Integer(vec![*x])).collect(),
            Value::Double(v) => v.iter().map(|x| Value::Double(vec![*x])).collect(),
            Value::Timestamp(v) => v.iter().map(|x| Value::Timestamp(vec![*x])).collect(),
            _ => return Err(self.expected("an unnamed list or a vector")),
        };
        for (i, value) in elements.iter().enumerate() {
            self.visit_child(value, element_path(i), false, |child| state(child))?;
        }
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
        for (name, value) in names.iter().zip(&list.values) {
            let path = format!("{}[[\"{}\"]]", self.path, name.escape_default());
            self.visit_child(value, path, false, |child| state(name.clone(), child))?;
        }
        Ok(())
    }

    fn read_boolean(&mut self, _schema: &Schema<'_>) -> Result<bool, SerdeError> {
        match self.value {
            Value::Logical(v) => self.scalar(Some(v), "a single TRUE or FALSE"),
            _ => Err(self.expected("a single TRUE or FALSE")),
        }
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
        Ok(self.number("a single finite number")? as f32)
    }

    fn read_double(&mut self, _schema: &Schema<'_>) -> Result<f64, SerdeError> {
        self.number("a single finite number")
    }

    fn read_big_integer(&mut self, schema: &Schema<'_>) -> Result<BigInteger, SerdeError> {
        let text = self.read_string(schema)?;
        text.parse().map_err(|_| self.fail("expected a whole number written as a string"))
    }

    fn read_big_decimal(&mut self, schema: &Schema<'_>) -> Result<BigDecimal, SerdeError> {
        let text = self.read_string(schema)?;
        text.parse().map_err(|_| self.fail("expected a decimal number written as a string"))
    }

    fn read_string(&mut self, _schema: &Schema<'_>) -> Result<String, SerdeError> {
        match self.value {
            Value::Character(v) => self.scalar(Some(v), "a single string"),
            _ => Err(self.expected("a single string")),
        }
    }

    fn read_blob(&mut self, _schema: &Schema<'_>) -> Result<Blob, SerdeError> {
        match self.value {
            Value::Raw(bytes) => Ok(Blob::new(bytes.clone())),
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
        if secs.is_finite() {
            Ok(DateTime::from_secs_f64(secs))
        } else {
            Err(self.expected(WHAT))
        }
    }

    fn read_document(&mut self, _schema: &Schema<'_>) -> Result<Document, SerdeError> {
        let path = self.path.clone();
        document(self.value, &path, 0).map_err(|(path, problem)| {
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

/// A document (free-form JSON) from R: named lists are objects, unnamed
/// lists and vectors longer than one are arrays, length-one vectors are
/// scalars, `NULL` is null. `NA` has no JSON counterpart and is refused.
fn document(value: &Value, path: &str, depth: usize) -> Result<Document, (String, String)> {
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
        Value::Null => return Ok(Document::Null),
        Value::List(list) => {
            return match &list.names {
                Some(names) => {
                    let mut object = HashMap::with_capacity(list.len());
                    for (name, v) in names.iter().zip(&list.values) {
                        if name.is_empty() {
                            return refuse("a document object needs every element named".to_string());
                        }
                        let child = format!("{path}[[\"{}\"]]", name.escape_default());
                        object.insert(name.clone(), document(v, &child, depth + 1)?);
                    }
                    Ok(Document::Object(object))
                }
                _ => list
                    .values
                    .iter()
                    .enumerate()
                    .map(|(i, v)| document(v, &format!("{path}[[{}]]", i + 1), depth + 1))
                    .collect::<Result<Vec<_>, _>>()
                    .map(Document::Array),
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
    if items.len() == 1 {
        return Ok(items.remove(0));
    }
    Ok(Document::Array(items))
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
        read_input(&args, SetUserPoolMfaConfigInput::deserialize)
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
                    names.push(path[0].to_string());
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
        assert_eq!(crate::output::to_value(&input).unwrap(), full_args());
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
            (vec!["UserPoolId"], Value::Double(vec![Some(42.0)]), "expected a single string, got 42 (numeric)"),
            (vec!["UserPoolId"], Value::Character(vec![None]), "got NA (character)"),
            (vec!["UserPoolId"], Value::Character(vec![]), "a character vector of length 0"),
            (vec!["UserPoolId"], Value::Logical(vec![None]), "got NA (logical)"),
            (vec!["MfaConfiguration"], Value::Character(vec![Some("ON".into()), Some("OFF".into())]), "length 2"),
            (vec!["SmsMfaConfiguration", "SmsConfiguration", "EumsSms", "Region"], Value::Integer(vec![Some(3)]), "got 3L (integer)"),
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

        let twice = Value::List(List::named(vec![("Message".into(), s("a")), ("Message".into(), s("b"))]));
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
}
