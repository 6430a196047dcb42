//! Property tests of the conversion layer over every shape of the API: for
//! each of the 132 operations, random values of its input and its output
//! shape are built from the SDK's own schemas (every member type occurs:
//! strings and enums, booleans, integers, longs, timestamps, blobs, lists,
//! maps, documents, nested structures), turned into the R
//! value tree, and read back as R arguments are read. The round trip must
//! give the same tree. Then the trees are damaged at random: reading them
//! must never panic, and must fail with a path or succeed.
//!
//! The small xorshift generator of `common/`, with a fixed seed, keeps the
//! runs repeatable.

use std::collections::HashMap;

use aws_smithy_schema::serde::{SerdeError, ShapeDeserializer};
use aws_smithy_schema::Schema;
use aws_smithy_types::{BigDecimal, BigInteger, Blob, DateTime, Document, Number};
use cognitoidp::model::structure_of;
use cognitoidp::operations::Operation;
use cognitoidp::services::SERVICES;
use cognitoidp::value::{List, Value};

/// The operations of every service.
fn every_operation() -> impl Iterator<Item = &'static dyn Operation> {
    SERVICES.iter().flat_map(|s| s.operations.iter().copied())
}

mod common;
use common::Rng;

/// How many values of each schema type the generator made.
type Seen = HashMap<&'static str, usize>;

/// A deserializer that answers with random values: every required member
/// and most optional ones, one member of a union, short lists and maps.
struct Random<'a> {
    rng: &'a mut Rng,
    seen: &'a mut Seen,
    depth: usize,
}

const MAX_DEPTH: usize = 6;

impl Random<'_> {
    fn child(&mut self) -> Random<'_> {
        Random { rng: self.rng, seen: self.seen, depth: self.depth + 1 }
    }
    fn saw(&mut self, kind: &'static str) {
        *self.seen.entry(kind).or_default() += 1;
    }
    fn text(&mut self) -> String {
        const PIECES: &[&str] = &["a", "Z", "0", " ", "{####}", "é", "日本", "\u{1F600}", "\"", "\\", "$", "\n", "NA"];
        (0..self.rng.below(8)).map(|_| *self.rng.pick(PIECES)).collect()
    }
    fn whole(&mut self, max: usize) -> f64 {
        let x = self.rng.below(max) as f64;
        if self.rng.chance(50) {
            -x
        } else {
            x
        }
    }
    fn document(&mut self, depth: usize) -> Document {
        match self.rng.below(if depth > 2 { 4 } else { 6 }) {
            0 => Document::String(self.text()),
            1 => Document::Bool(self.rng.chance(50)),
            2 => Document::Number(Number::PosInt(self.rng.below(1 << 40) as u64)),
            3 => Document::Number(Number::Float(self.whole(1000) + 0.25)),
            4 => Document::Array((0..self.rng.below(3)).map(|_| self.document(depth + 1)).collect()),
            _ => Document::Object((0..self.rng.below(3)).map(|i| (format!("k{i}"), self.document(depth + 1))).collect()),
        }
    }
}

impl ShapeDeserializer for Random<'_> {
    fn read_struct(
        &mut self,
        schema: &Schema<'_>,
        state: &mut dyn FnMut(&Schema<'_>, &mut dyn ShapeDeserializer) -> Result<(), SerdeError>,
    ) -> Result<(), SerdeError> {
        let members = schema.members();
        if schema.is_union() {
            self.saw("union");
            let pick = self.rng.below(members.len());
            return state(members[pick], &mut self.child());
        }
        self.saw("structure");
        let required = structure_of(schema).required;
        for member in members {
            let wanted = member.member_name().is_some_and(|m| required.contains(&m)) || (self.depth < MAX_DEPTH && self.rng.chance(70));
            // A document member that is absent and one that is JSON null
            // look alike in R (NULL); only non-null documents are made.
            if wanted {
                state(member, &mut self.child())?;
            }
        }
        Ok(())
    }
    fn read_list(
        &mut self,
        _: &Schema<'_>,
        state: &mut dyn FnMut(&mut dyn ShapeDeserializer) -> Result<(), SerdeError>,
    ) -> Result<(), SerdeError> {
        self.saw("list");
        let n = if self.depth < MAX_DEPTH { self.rng.below(4) } else { 0 };
        (0..n).try_for_each(|_| state(&mut self.child()))
    }
    fn read_map(
        &mut self,
        _: &Schema<'_>,
        state: &mut dyn FnMut(String, &mut dyn ShapeDeserializer) -> Result<(), SerdeError>,
    ) -> Result<(), SerdeError> {
        self.saw("map");
        // One entry at most: a map's order is a hash map's, not the R list's.
        if self.depth < MAX_DEPTH && self.rng.chance(60) {
            let key = format!("key-{}", self.text());
            state(key, &mut self.child())?;
        }
        Ok(())
    }
    fn read_boolean(&mut self, _: &Schema<'_>) -> Result<bool, SerdeError> {
        self.saw("boolean");
        Ok(self.rng.chance(50))
    }
    fn read_byte(&mut self, _: &Schema<'_>) -> Result<i8, SerdeError> {
        Ok(self.whole(128) as i8)
    }
    fn read_short(&mut self, _: &Schema<'_>) -> Result<i16, SerdeError> {
        Ok(self.whole(32768) as i16)
    }
    fn read_integer(&mut self, _: &Schema<'_>) -> Result<i32, SerdeError> {
        self.saw("integer");
        Ok(self.whole(1 << 31) as i32)
    }
    fn read_long(&mut self, _: &Schema<'_>) -> Result<i64, SerdeError> {
        self.saw("long");
        Ok(self.whole(1 << 52) as i64)
    }
    fn read_float(&mut self, _: &Schema<'_>) -> Result<f32, SerdeError> {
        Ok(self.whole(1000) as f32 + 0.5)
    }
    fn read_double(&mut self, _: &Schema<'_>) -> Result<f64, SerdeError> {
        self.saw("double");
        Ok(self.whole(1 << 40) + 0.125)
    }
    fn read_big_integer(&mut self, _: &Schema<'_>) -> Result<BigInteger, SerdeError> {
        Ok(BigInteger::default())
    }
    fn read_big_decimal(&mut self, _: &Schema<'_>) -> Result<BigDecimal, SerdeError> {
        Ok(BigDecimal::default())
    }
    fn read_string(&mut self, _: &Schema<'_>) -> Result<String, SerdeError> {
        self.saw("string");
        Ok(self.text())
    }
    fn read_blob(&mut self, _: &Schema<'_>) -> Result<Blob, SerdeError> {
        self.saw("blob");
        Ok(Blob::new((0..self.rng.below(40)).map(|_| self.rng.below(256) as u8).collect::<Vec<u8>>()))
    }
    fn read_timestamp(&mut self, _: &Schema<'_>) -> Result<DateTime, SerdeError> {
        self.saw("timestamp");
        let secs = self.rng.below(4_000_000_000) as f64 + [0.0, 0.5, 0.25][self.rng.below(3)];
        Ok(DateTime::from_secs_f64(secs))
    }
    fn read_document(&mut self, _: &Schema<'_>) -> Result<Document, SerdeError> {
        self.saw("document");
        Ok(Document::Object((0..1 + self.rng.below(3)).map(|i| (format!("k{i}"), self.document(0))).collect()))
    }
    fn is_null(&self) -> bool {
        false
    }
    fn container_size(&self) -> Option<usize> {
        None
    }
}

const ROUNDS: usize = 20;

#[test]
fn every_shape_of_every_operation_round_trips_through_the_r_value_tree() {
    let mut rng = Rng(0x5eed_c0de_1234_5678);
    let mut seen = Seen::new();
    let mut trips = 0;
    for op in every_operation() {
        for output in [false, true] {
            for _ in 0..ROUNDS {
                let made = op
                    .shape_from(output, &mut Random { rng: &mut rng, seen: &mut seen, depth: 0 })
                    .unwrap_or_else(|e| panic!("{}: {e}", op.name()));
                let back = op
                    .shape_from_value(output, &made)
                    .unwrap_or_else(|e| panic!("{} (output: {output}): {e}\n{made:?}", op.name()));
                assert_eq!(back, made, "{} (output: {output})", op.name());
                trips += 1;
            }
        }
    }
    assert_eq!(trips, every_operation().count() * 2 * ROUNDS);
    // (This API has no unions, doubles or floats.)
    for kind in ["structure", "list", "map", "boolean", "integer", "long", "string", "blob", "timestamp", "document"] {
        assert!(seen.get(kind).copied().unwrap_or(0) > 0, "no {kind} was generated: {seen:?}");
    }
}

/// A value R could pass where any member is expected.
fn hostile(rng: &mut Rng) -> Value {
    match rng.below(12) {
        0 => Value::Null,
        1 => Value::Logical(vec![None]),
        2 => Value::Integer(vec![Some(i32::MIN + 1), None]),
        3 => Value::Double(vec![Some(f64::NAN)]),
        4 => Value::Double(vec![Some(1e300)]),
        5 => Value::Character(vec![]),
        6 => Value::Character(vec![None]),
        7 => Value::Raw(vec![0; 3]),
        8 => Value::Timestamp(vec![Some(-1e20)]),
        9 => Value::List(List::named(vec![("", Value::Null), ("x", Value::Null)])),
        10 => Value::List(List::unnamed(vec![Value::Unsupported("a function".into())])),
        _ => Value::Unsupported("an environment".into()),
    }
}

/// Replaces one node of `value`, chosen at random, with a hostile value.
fn damage(rng: &mut Rng, value: &mut Value) {
    if let Value::List(list) = value {
        if !list.values.is_empty() && rng.chance(70) {
            let i = rng.below(list.values.len());
            return damage(rng, &mut list.values[i]);
        }
    }
    *value = hostile(rng);
}

#[test]
fn damaged_values_of_every_shape_fail_with_a_path_or_convert() {
    let mut rng = Rng(0xbad_5eed_0000_0001);
    let mut seen = Seen::new();
    let mut refused = 0;
    for op in every_operation() {
        for output in [false, true] {
            for _ in 0..ROUNDS {
                let mut value = op.shape_from(output, &mut Random { rng: &mut rng, seen: &mut seen, depth: 0 }).unwrap();
                damage(&mut rng, &mut value);
                let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| op.shape_from_value(output, &value)));
                match outcome.unwrap_or_else(|_| panic!("{}: panicked on {value:?}", op.name())) {
                    Ok(_) => {}
                    Err(e) => {
                        assert!(!e.problem.is_empty(), "{}: an error without a problem", op.name());
                        refused += 1;
                    }
                }
            }
        }
    }
    // Most damage is refused (NULL in an optional member is not damage).
    assert!(refused > every_operation().count() * ROUNDS, "only {refused} refused");
}
