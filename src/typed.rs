//! The SDK's typed shapes as value trees, and shapes made up from nothing
//! but their schemas: the smallest arguments an operation accepts
//! ([`required_members_only`]), and what the schema-driven property tests
//! build and compare. Calls do not go through here: arguments are read by
//! `input.rs`, answers by `output.rs`.
//!
//! [`ValueWriter`] is a [`ShapeSerializer`] that builds the [`Value`] tree
//! from any shape; [`EveryMember`] is a deserializer that reports every
//! member of every structure (or only the required ones) as present.

use aws_smithy_schema::serde::{SerdeError, SerializableStruct, ShapeDeserializer, ShapeSerializer};
use aws_smithy_schema::{Schema, ShapeType};
use aws_smithy_types::{BigDecimal, BigInteger, Blob, DateTime, Document, Number};

use crate::value::{List, Value};

/// Serializes a typed shape into a named list.
pub fn to_value(shape: &dyn SerializableStruct) -> Result<Value, SerdeError> {
    let mut writer = ValueWriter::new(Container::Struct);
    shape.serialize_members(&mut writer)?;
    Ok(writer.finish())
}

/// A shape with every member of every structure present (placeholder values).
pub fn every_member<T>(deserialize: fn(&mut dyn ShapeDeserializer) -> Result<T, SerdeError>) -> Result<T, SerdeError> {
    deserialize(&mut EveryMember { depth: 0, required_only: false })
}

/// A shape with only the required members present, at every depth
/// (placeholder values): the smallest input that passes the local checks.
pub fn required_members_only<T>(
    deserialize: fn(&mut dyn ShapeDeserializer) -> Result<T, SerdeError>,
) -> Result<T, SerdeError> {
    deserialize(&mut EveryMember { depth: 0, required_only: true })
}

#[derive(Clone, Copy, PartialEq)]
enum Container {
    Struct,
    List,
    Map,
}

/// Collects the members (or elements, or entries) of one aggregate.
struct ValueWriter {
    kind: Container,
    names: Vec<String>,
    values: Vec<Value>,
    /// In a map, the key written just before its value.
    pending_key: Option<String>,
}

impl ValueWriter {
    fn new(kind: Container) -> Self {
        ValueWriter { kind, names: Vec::new(), values: Vec::new(), pending_key: None }
    }

    fn push(&mut self, schema: &Schema<'_>, value: Value) -> Result<(), SerdeError> {
        match self.kind {
            Container::Struct => {
                let name = schema.member_name().ok_or_else(|| SerdeError::custom("structure member without a name"))?;
                self.names.push(name.to_string());
            }
            Container::List => {}
            Container::Map => {
                let key = self.pending_key.take().ok_or_else(|| SerdeError::custom("map value without a key"))?;
                self.names.push(key);
            }
        }
        self.values.push(value);
        Ok(())
    }

    fn finish(self) -> Value {
        match self.kind {
            Container::List => Value::List(List { names: None, values: self.values }),
            // A structure without members is `list()`, as paws returns it.
            Container::Struct if self.values.is_empty() => Value::List(List::default()),
            Container::Struct => Value::List(List { names: Some(self.names.into_iter().map(Into::into).collect()), values: self.values }),
            // The SDK keeps maps in hash maps, whose order changes from run
            // to run; sorted by key, a map's R list is always the same.
            Container::Map => {
                let mut entries: Vec<(String, Value)> = self.names.into_iter().zip(self.values).collect();
                entries.sort_by(|a, b| a.0.cmp(&b.0));
                Value::List(List::named(entries))
            }
        }
    }

    fn nested(
        &mut self,
        schema: &Schema<'_>,
        kind: Container,
        write: &dyn Fn(&mut dyn ShapeSerializer) -> Result<(), SerdeError>,
    ) -> Result<(), SerdeError> {
        let mut child = ValueWriter::new(kind);
        write(&mut child)?;
        // A list of strings (not a list of lists that happen to hold one
        // string each) is a character vector.
        let of_strings = schema.member().is_none_or(|element| element.shape_type() == ShapeType::String);
        let value = match child.finish() {
            Value::List(list) if kind == Container::List && of_strings => strings_as_vector(list),
            other => other,
        };
        self.push(schema, value)
    }
}

/// A non-empty list of strings is a character vector, as paws returns it;
/// other lists stay lists.
fn strings_as_vector(list: List) -> Value {
    let all_strings = !list.is_empty() && list.values.iter().all(|v| matches!(v, Value::Character(s) if s.len() == 1));
    if !all_strings {
        return Value::List(list);
    }
    Value::Character(
        list.values
            .into_iter()
            .flat_map(|v| match v {
                Value::Character(s) => s,
                _ => Vec::new(),
            })
            .collect(),
    )
}

fn document_to_value(doc: &Document) -> Value {
    match doc {
        Document::Object(map) => {
            let mut entries: Vec<(String, Value)> =
                map.iter().map(|(k, v)| (k.clone(), document_to_value(v))).collect();
            entries.sort_by(|a, b| a.0.cmp(&b.0));
            Value::List(List::named(entries))
        }
        Document::Array(items) => Value::List(List::unnamed(items.iter().map(document_to_value).collect())),
        Document::Number(Number::PosInt(n)) => Value::Double(vec![Some(*n as f64)]),
        Document::Number(Number::NegInt(n)) => Value::Double(vec![Some(*n as f64)]),
        Document::Number(Number::Float(f)) => Value::Double(vec![Some(*f)]),
        Document::String(s) => Value::string(s.clone()),
        Document::Bool(b) => Value::boolean(*b),
        Document::Null => Value::Null,
    }
}

impl ShapeSerializer for ValueWriter {
    fn write_struct(&mut self, schema: &Schema<'_>, value: &dyn SerializableStruct) -> Result<(), SerdeError> {
        self.nested(schema, Container::Struct, &|ser| value.serialize_members(ser))
    }
    fn write_list(
        &mut self,
        schema: &Schema<'_>,
        write_elements: &dyn Fn(&mut dyn ShapeSerializer) -> Result<(), SerdeError>,
    ) -> Result<(), SerdeError> {
        self.nested(schema, Container::List, write_elements)
    }
    fn write_map(
        &mut self,
        schema: &Schema<'_>,
        write_entries: &dyn Fn(&mut dyn ShapeSerializer) -> Result<(), SerdeError>,
    ) -> Result<(), SerdeError> {
        self.nested(schema, Container::Map, write_entries)
    }
    fn write_boolean(&mut self, schema: &Schema<'_>, value: bool) -> Result<(), SerdeError> {
        self.push(schema, Value::boolean(value))
    }
    // Whole numbers of every width are doubles, as paws returns them (and R
    // has no 64-bit integer).
    fn write_byte(&mut self, schema: &Schema<'_>, value: i8) -> Result<(), SerdeError> {
        self.push(schema, Value::Double(vec![Some(value.into())]))
    }
    fn write_short(&mut self, schema: &Schema<'_>, value: i16) -> Result<(), SerdeError> {
        self.push(schema, Value::Double(vec![Some(value.into())]))
    }
    fn write_integer(&mut self, schema: &Schema<'_>, value: i32) -> Result<(), SerdeError> {
        self.push(schema, Value::Double(vec![Some(value.into())]))
    }
    fn write_long(&mut self, schema: &Schema<'_>, value: i64) -> Result<(), SerdeError> {
        self.push(schema, Value::Double(vec![Some(value as f64)]))
    }
    fn write_float(&mut self, schema: &Schema<'_>, value: f32) -> Result<(), SerdeError> {
        self.push(schema, Value::Double(vec![Some(value.into())]))
    }
    fn write_double(&mut self, schema: &Schema<'_>, value: f64) -> Result<(), SerdeError> {
        self.push(schema, Value::Double(vec![Some(value)]))
    }
    fn write_big_integer(&mut self, schema: &Schema<'_>, value: &BigInteger) -> Result<(), SerdeError> {
        self.push(schema, Value::string(value.as_ref()))
    }
    fn write_big_decimal(&mut self, schema: &Schema<'_>, value: &BigDecimal) -> Result<(), SerdeError> {
        self.push(schema, Value::string(value.as_ref()))
    }
    fn write_string(&mut self, schema: &Schema<'_>, value: &str) -> Result<(), SerdeError> {
        if self.kind == Container::Map && self.pending_key.is_none() {
            self.pending_key = Some(value.to_string());
            return Ok(());
        }
        self.push(schema, Value::string(value))
    }
    fn write_blob(&mut self, schema: &Schema<'_>, value: Blob) -> Result<(), SerdeError> {
        self.push(schema, Value::Raw(value.into_inner()))
    }
    fn write_timestamp(&mut self, schema: &Schema<'_>, value: &DateTime) -> Result<(), SerdeError> {
        self.push(schema, Value::Timestamp(vec![Some(value.as_secs_f64())]))
    }
    fn write_document(&mut self, schema: &Schema<'_>, value: &Document) -> Result<(), SerdeError> {
        self.push(schema, document_to_value(value))
    }
    fn write_null(&mut self, schema: &Schema<'_>) -> Result<(), SerdeError> {
        self.push(schema, Value::Null)
    }
}

/// A deserializer that reports every member of every structure as present
/// (or, with `required_only`, every required one), with a placeholder value,
/// so that serializing the result shows the whole tree. Lists and maps stay
/// empty: their empties are `list()`.
struct EveryMember {
    depth: usize,
    required_only: bool,
}

/// Deep enough for any AWS output; a guard against recursive shapes.
const MAX_TEMPLATE_DEPTH: usize = 32;

impl ShapeDeserializer for EveryMember {
    fn read_struct(
        &mut self,
        schema: &Schema<'_>,
        state: &mut dyn FnMut(&Schema<'_>, &mut dyn ShapeDeserializer) -> Result<(), SerdeError>,
    ) -> Result<(), SerdeError> {
        if self.depth >= MAX_TEMPLATE_DEPTH {
            return Ok(());
        }
        // Only a minimal input needs the model's rules (templates take every member).
        let required = if self.required_only { crate::model::structure_of(schema).required } else { &[] };
        for member in schema.members() {
            let wanted = !self.required_only || schema.is_union() || member.member_name().is_some_and(|m| required.contains(&m));
            if !wanted {
                continue;
            }
            state(member, &mut EveryMember { depth: self.depth + 1, required_only: self.required_only })?;
            // A union holds one member at a time: the first one stands for it.
            if schema.is_union() {
                break;
            }
        }
        Ok(())
    }
    fn read_list(&mut self, _: &Schema<'_>, _: &mut dyn FnMut(&mut dyn ShapeDeserializer) -> Result<(), SerdeError>) -> Result<(), SerdeError> {
        Ok(())
    }
    fn read_map(&mut self, _: &Schema<'_>, _: &mut dyn FnMut(String, &mut dyn ShapeDeserializer) -> Result<(), SerdeError>) -> Result<(), SerdeError> {
        Ok(())
    }
    fn read_boolean(&mut self, _: &Schema<'_>) -> Result<bool, SerdeError> {
        Ok(false)
    }
    fn read_byte(&mut self, _: &Schema<'_>) -> Result<i8, SerdeError> {
        Ok(0)
    }
    fn read_short(&mut self, _: &Schema<'_>) -> Result<i16, SerdeError> {
        Ok(0)
    }
    fn read_integer(&mut self, _: &Schema<'_>) -> Result<i32, SerdeError> {
        Ok(0)
    }
    fn read_long(&mut self, _: &Schema<'_>) -> Result<i64, SerdeError> {
        Ok(0)
    }
    fn read_float(&mut self, _: &Schema<'_>) -> Result<f32, SerdeError> {
        Ok(0.0)
    }
    fn read_double(&mut self, _: &Schema<'_>) -> Result<f64, SerdeError> {
        Ok(0.0)
    }
    fn read_big_integer(&mut self, _: &Schema<'_>) -> Result<BigInteger, SerdeError> {
        Ok(BigInteger::default())
    }
    fn read_big_decimal(&mut self, _: &Schema<'_>) -> Result<BigDecimal, SerdeError> {
        Ok(BigDecimal::default())
    }
    fn read_string(&mut self, _: &Schema<'_>) -> Result<String, SerdeError> {
        Ok(String::new())
    }
    fn read_blob(&mut self, _: &Schema<'_>) -> Result<Blob, SerdeError> {
        Ok(Blob::new(Vec::new()))
    }
    fn read_timestamp(&mut self, _: &Schema<'_>) -> Result<DateTime, SerdeError> {
        Ok(DateTime::from_secs(0))
    }
    fn read_document(&mut self, _: &Schema<'_>) -> Result<Document, SerdeError> {
        Ok(Document::Object(Default::default()))
    }
    fn is_null(&self) -> bool {
        false
    }
    fn container_size(&self) -> Option<usize> {
        Some(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_maps_and_scalars_are_written_as_r_values() {
        let mut writer = ValueWriter::new(Container::Struct);
        let member = |name: &'static str| Schema::new_member(
            aws_smithy_schema::ShapeId::from_parts("t#S$m", "t", "S"),
            aws_smithy_schema::ShapeType::String,
            name,
            0,
        );
        let (l, m, n, t) = (member("L"), member("M"), member("N"), member("T"));
        writer.write_string_list(&l, &["a".to_string(), "b".to_string()]).unwrap();
        let map: std::collections::HashMap<String, String> = [("k".to_string(), "v".to_string())].into();
        writer.write_string_string_map(&m, &map).unwrap();
        writer.write_long(&n, 1 << 40).unwrap();
        writer.write_timestamp(&t, &DateTime::from_secs(1_700_000_000)).unwrap();
        assert_eq!(
            writer.finish(),
            Value::named_list(vec![
                ("L", Value::Character(vec![Some("a".into()), Some("b".into())])),
                ("M", Value::named_list(vec![("k", Value::string("v"))])),
                ("N", Value::Double(vec![Some((1u64 << 40) as f64)])),
                ("T", Value::Timestamp(vec![Some(1_700_000_000.0)])),
            ])
        );
    }
}
