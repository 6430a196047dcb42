//! R arguments -> the SDK's typed operation input, driven by the shapes' schemas.
//!
//! The SDK's generated `Input::deserialize` walks its own schema and asks a
//! [`ShapeDeserializer`] for each member; [`ValueReader`] answers from the
//! [`Value`] tree. Every check happens here, before anything is sent: the R
//! type and length of each scalar, `NA`, lists where structures are expected,
//! unknown member names (listing the valid ones from the schema handed to
//! `read_struct`), and required members the caller left out.

use aws_smithy_schema::serde::{SerdeError, SerializableStruct, ShapeDeserializer, ShapeSerializer};
use aws_smithy_schema::Schema;
use aws_smithy_types::{BigDecimal, BigInteger, Blob, DateTime, Document};
use std::collections::HashSet;

use crate::value::{List, Value};

/// A bad argument, found before any request was made.
#[derive(Debug, Clone, PartialEq)]
pub struct InputError {
    /// Where the bad value is, as R code would reach it: `A$B[[2]]$C`.
    pub path: String,
    /// What is wrong with it.
    pub problem: String,
}

impl std::fmt::Display for InputError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.path.is_empty() {
            write!(f, "{}", self.problem)
        } else {
            write!(f, "`{}`: {}", self.path, self.problem)
        }
    }
}

/// Builds an SDK input shape from the named list of an operation's arguments.
///
/// `deserialize` is the shape's generated `deserialize` function. After it
/// succeeds, the typed value is walked once more: a string member that holds
/// `""` although the caller never gave it was filled in by the SDK because
/// the model marks it required (the generated builders default required
/// strings to `""`), and is reported instead of being sent.
pub fn read_input<T: SerializableStruct>(
    args: &Value,
    deserialize: fn(&mut dyn ShapeDeserializer) -> Result<T, SerdeError>,
) -> Result<T, InputError> {
    let mut log = ReadLog::default();
    let result = {
        let mut reader = ValueReader { value: args, path: String::new(), log: &mut log };
        deserialize(&mut reader)
    };
    let input = match result {
        Ok(input) => input,
        Err(e) => {
            return Err(log.error.take().unwrap_or(InputError { path: String::new(), problem: e.to_string() }))
        }
    };
    let mut check = RequiredCheck { path: String::new(), given: &log.given, missing: Vec::new() };
    // Serializing into the checker cannot fail: it only records paths.
    let _ = input.serialize_members(&mut check);
    match check.missing.into_iter().next() {
        Some(path) => Err(InputError { path, problem: "is required but missing".to_string() }),
        None => Ok(input),
    }
}

/// What a read has learned so far: the first error (with its path) and the
/// paths of the scalar members the caller gave.
#[derive(Default)]
struct ReadLog {
    error: Option<InputError>,
    given: HashSet<String>,
}

/// Answers a generated deserializer from one node of the [`Value`] tree.
struct ValueReader<'v, 'l> {
    value: &'v Value,
    path: String,
    log: &'l mut ReadLog,
}

fn member_path(parent: &str, name: &str) -> String {
    if parent.is_empty() {
        name.to_string()
    } else {
        format!("{parent}${name}")
    }
}

impl<'v, 'l> ValueReader<'v, 'l> {
    /// Records the error at this reader's path (the first one wins: it is the
    /// deepest, since errors travel outwards) and returns it for `?`.
    fn fail(&mut self, problem: impl Into<String>) -> SerdeError {
        let problem = problem.into();
        if self.log.error.is_none() {
            self.log.error = Some(InputError { path: self.path.clone(), problem: problem.clone() });
        }
        SerdeError::custom(problem)
    }

    fn expected(&mut self, what: &str) -> SerdeError {
        let got = self.value.describe();
        self.fail(format!("expected {what}, got {got}"))
    }

    /// Visits a child value; an error the SDK raised inside it (a builder
    /// that refused to build, say) is recorded at the child's path.
    fn visit_child<R>(
        &mut self,
        value: &Value,
        path: String,
        visit: impl FnOnce(&mut dyn ShapeDeserializer) -> Result<R, SerdeError>,
    ) -> Result<R, SerdeError> {
        let mut child = ValueReader { value, path, log: self.log };
        let result = visit(&mut child);
        if let Err(e) = &result {
            if child.log.error.is_none() {
                let problem = e.to_string();
                child.fail(problem);
            }
        }
        result
    }

    fn given(&mut self) {
        self.log.given.insert(self.path.clone());
    }

    /// The single element of a length-one vector, or an error naming `what`.
    fn scalar<T: Clone>(&mut self, elements: Option<&[Option<T>]>, what: &str) -> Result<T, SerdeError> {
        match elements {
            Some([Some(x)]) => {
                let x = x.clone();
                self.given();
                Ok(x)
            }
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

impl<'v, 'l> ShapeDeserializer for ValueReader<'v, 'l> {
    fn read_struct(
        &mut self,
        schema: &Schema<'_>,
        state: &mut dyn FnMut(&Schema<'_>, &mut dyn ShapeDeserializer) -> Result<(), SerdeError>,
    ) -> Result<(), SerdeError> {
        let Value::List(list) = self.value else {
            return Err(self.expected("a named list"));
        };
        let names = self.checked_names(list, "a named list")?;
        for (name, value) in names.iter().zip(&list.values) {
            let Some(member) = schema.member_schema(name) else {
                let valid = member_names(schema);
                let path = member_path(&self.path, name);
                let problem = format!("unknown member; valid members are: {valid}");
                self.log.error.get_or_insert(InputError { path, problem: problem.clone() });
                return Err(SerdeError::unknown_member(name.clone()));
            };
            // NULL means "not given", at every depth, as for top-level arguments.
            if matches!(value, Value::Null) {
                continue;
            }
            self.visit_child(value, member_path(&self.path, name), |child| state(member, child))?;
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
                    self.visit_child(value, path, |child| state(child))?;
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
            self.visit_child(value, element_path(i), |child| state(child))?;
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
            self.visit_child(value, path, |child| state(name.clone(), child))?;
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
            Value::Raw(bytes) => {
                self.given();
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
        if secs.is_finite() {
            Ok(DateTime::from_secs_f64(secs))
        } else {
            Err(self.expected(WHAT))
        }
    }

    fn read_document(&mut self, _schema: &Schema<'_>) -> Result<Document, SerdeError> {
        Err(self.fail("document members are not supported yet"))
    }

    fn is_null(&self) -> bool {
        matches!(self.value, Value::Null)
    }

    fn container_size(&self) -> Option<usize> {
        Some(self.value.len())
    }
}

/// Walks a typed input and collects the string members that are `""` without
/// the caller having given them: required members the SDK filled in.
///
/// Booleans and numbers the SDK fills in are the model's `@default` values
/// (`false`, `0`), which the service accepts, so only strings are checked.
struct RequiredCheck<'g> {
    path: String,
    given: &'g HashSet<String>,
    missing: Vec<String>,
}

impl RequiredCheck<'_> {
    fn child_path(&self, schema: &Schema<'_>) -> String {
        match schema.member_name() {
            Some(name) => member_path(&self.path, name),
            None => self.path.clone(),
        }
    }
}

impl ShapeSerializer for RequiredCheck<'_> {
    fn write_struct(&mut self, schema: &Schema<'_>, value: &dyn SerializableStruct) -> Result<(), SerdeError> {
        let mut child = RequiredCheck { path: self.child_path(schema), given: self.given, missing: Vec::new() };
        value.serialize_members(&mut child)?;
        self.missing.append(&mut child.missing);
        Ok(())
    }
    fn write_string(&mut self, schema: &Schema<'_>, value: &str) -> Result<(), SerdeError> {
        let path = self.child_path(schema);
        if value.is_empty() && !self.given.contains(&path) {
            self.missing.push(path);
        }
        Ok(())
    }
    // Elements of lists and maps were all given by the caller: nothing to check.
    fn write_list(&mut self, _: &Schema<'_>, _: &dyn Fn(&mut dyn ShapeSerializer) -> Result<(), SerdeError>) -> Result<(), SerdeError> {
        Ok(())
    }
    fn write_map(&mut self, _: &Schema<'_>, _: &dyn Fn(&mut dyn ShapeSerializer) -> Result<(), SerdeError>) -> Result<(), SerdeError> {
        Ok(())
    }
    fn write_boolean(&mut self, _: &Schema<'_>, _: bool) -> Result<(), SerdeError> {
        Ok(())
    }
    fn write_byte(&mut self, _: &Schema<'_>, _: i8) -> Result<(), SerdeError> {
        Ok(())
    }
    fn write_short(&mut self, _: &Schema<'_>, _: i16) -> Result<(), SerdeError> {
        Ok(())
    }
    fn write_integer(&mut self, _: &Schema<'_>, _: i32) -> Result<(), SerdeError> {
        Ok(())
    }
    fn write_long(&mut self, _: &Schema<'_>, _: i64) -> Result<(), SerdeError> {
        Ok(())
    }
    fn write_float(&mut self, _: &Schema<'_>, _: f32) -> Result<(), SerdeError> {
        Ok(())
    }
    fn write_double(&mut self, _: &Schema<'_>, _: f64) -> Result<(), SerdeError> {
        Ok(())
    }
    fn write_big_integer(&mut self, _: &Schema<'_>, _: &BigInteger) -> Result<(), SerdeError> {
        Ok(())
    }
    fn write_big_decimal(&mut self, _: &Schema<'_>, _: &BigDecimal) -> Result<(), SerdeError> {
        Ok(())
    }
    fn write_blob(&mut self, _: &Schema<'_>, _: Blob) -> Result<(), SerdeError> {
        Ok(())
    }
    fn write_timestamp(&mut self, _: &Schema<'_>, _: &DateTime) -> Result<(), SerdeError> {
        Ok(())
    }
    fn write_document(&mut self, _: &Schema<'_>, _: &Document) -> Result<(), SerdeError> {
        Ok(())
    }
    fn write_null(&mut self, _: &Schema<'_>) -> Result<(), SerdeError> {
        Ok(())
    }
}
