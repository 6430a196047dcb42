//! The wire against its references, for every operation of every service
//! (132 of user pools, 23 of identity pools): botocore's own serializer and
//! parser (offline), through `tests/oracle/oracle.py`, with the service's
//! botocore model named in `.ci/codegen/services.tsv`.
//!
//! - Requests: random valid arguments of every operation, written as an R
//!   user may write them (with every lenient form paws accepts: numbers and
//!   logicals for strings, numbers in strings, "true"/"false", named lists
//!   for lists, vectors for lists), must give the body botocore writes for
//!   the same arguments in their exact types, compared as parsed JSON.
//! - Answers: random valid answers of every output shape (optional members
//!   absent or `null` at every depth, `{}` elements, empty lists and maps, maps in
//!   scrambled order, members this SDK does not know) must read as botocore
//!   parses them, turned into R values by paws's rules. The SDK's own parser
//!   must accept each answer too, which ties the shape graph to its schemas.
//!
//! The oracle runs in the Python that has botocore (moto's virtualenv,
//! `$MOTO_VENV` or /opt/moto-venv). The generator is seeded: runs repeat.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::Command;

use aws_smithy_json::serialize::JsonValueWriter;
use cognitoidp::model::{Shape, Structure};
use cognitoidp::operations::{Operation, Service};
use cognitoidp::output::read_answer;
use cognitoidp::services::SERVICES;
use cognitoidp::value::{List, Value};

mod common;
use common::Rng;

const ROUNDS: usize = 20;
/// Below this depth optional members, elements and entries are made.
const DEEP: usize = 5;

/// JSON as the oracle reads it; blobs and times in its tagged forms.
enum Json {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Arr(Vec<Json>),
    Obj(Vec<(String, Json)>),
    Blob(Vec<u8>),
    Time(f64),
}

impl Json {
    fn write(&self, out: &mut String) {
        match self {
            Json::Null => out.push_str("null"),
            Json::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Json::Int(i) => write!(out, "{i}").unwrap(),
            // Rust writes the shortest text that reads back as the same double.
            Json::Float(f) => write!(out, "{f:?}").unwrap(),
            Json::Str(s) => JsonValueWriter::new(out).string(s),
            Json::Arr(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    item.write(out);
                }
                out.push(']');
            }
            Json::Obj(entries) => {
                out.push('{');
                for (i, (key, value)) in entries.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    JsonValueWriter::new(out).string(key);
                    out.push(':');
                    value.write(out);
                }
                out.push('}');
            }
            Json::Blob(bytes) => {
                Json::Obj(vec![("__blob__".into(), Json::Str(aws_smithy_types::base64::encode(bytes)))]).write(out)
            }
            Json::Time(secs) => Json::Obj(vec![("__timestamp__".into(), Json::Float(*secs))]).write(out),
        }
    }

    fn text(&self) -> String {
        let mut out = String::new();
        self.write(&mut out);
        out
    }
}

fn random_text(rng: &mut Rng) -> String {
    const PIECES: &[&str] = &["a", "Z", "0", " ", "{####}", "é", "日本", "\u{1F600}", "\"", "\\", "$", "\n", "\t", "NA", "/"];
    (0..rng.below(6)).map(|_| *rng.pick(PIECES)).collect()
}

/// Distinct names for the entries of a map, never empty (R needs names).
fn random_keys(rng: &mut Rng, n: usize) -> Vec<String> {
    let mut keys: Vec<String> = Vec::new();
    while keys.len() < n {
        let key = format!("k{}{}", rng.below(100), random_text(rng));
        if !keys.contains(&key) {
            keys.push(key);
        }
    }
    keys
}

fn whole(rng: &mut Rng, limit: u64) -> i64 {
    let x = (rng.next() % limit) as i64;
    if rng.chance(30) {
        -x
    } else {
        x
    }
}

/// Seconds with at most six decimals (botocore keeps microseconds).
fn seconds(rng: &mut Rng) -> f64 {
    rng.below(4_000_000_000) as f64 + rng.below(64) as f64 / 64.0
}

fn shuffle<T>(rng: &mut Rng, items: &mut [T]) {
    for i in (1..items.len()).rev() {
        items.swap(i, rng.below(i + 1));
    }
}

fn is_scalar(shape: &Shape) -> bool {
    !matches!(shape, Shape::List(_) | Shape::Map(_) | Shape::Structure(_) | Shape::Document)
}

/// A random valid argument of `shape`: as an R user may give it, and as
/// botocore's parameters.
fn argument(rng: &mut Rng, shape: &Shape, depth: usize) -> (Value, Json) {
    match shape {
        Shape::Structure(s) => structure_argument(rng, s, depth),
        Shape::List(element) => {
            let n = if depth < DEEP { rng.below(4) } else { 0 };
            let (values, json): (Vec<Value>, Vec<Json>) = (0..n).map(|_| argument(rng, element, depth + 1)).unzip();
            let value = if n > 0 && is_scalar(element) && rng.chance(40) {
                as_vector(values.clone()).unwrap_or_else(|| Value::List(List::unnamed(values)))
            } else if rng.chance(30) {
                // A named list where the model has a list: paws drops the names.
                Value::List(List::named(random_keys(rng, n).into_iter().zip(values).collect()))
            } else {
                Value::List(List::unnamed(values))
            };
            (value, Json::Arr(json))
        }
        Shape::Map(value_shape) => {
            let n = if depth < DEEP { rng.below(4) } else { 0 };
            let keys = random_keys(rng, n);
            let (values, json): (Vec<Value>, Vec<Json>) = (0..n).map(|_| argument(rng, value_shape, depth + 1)).unzip();
            let value = Value::List(List::named(keys.iter().cloned().zip(values).collect()));
            (value, Json::Obj(keys.into_iter().zip(json).collect()))
        }
        Shape::String => match rng.below(8) {
            // R's as.character() of these is plain: whole numbers below 1e5,
            // halves below 1e4, any integer, TRUE and FALSE.
            0 => {
                let x = rng.below(100_000);
                (Value::Double(vec![Some(x as f64)]), Json::Str(x.to_string()))
            }
            1 => {
                let x = rng.below(10_000) as f64 + 0.5;
                (Value::Double(vec![Some(x)]), Json::Str(x.to_string()))
            }
            2 => {
                let x = whole(rng, i32::MAX as u64) as i32;
                (Value::Integer(vec![Some(x)]), Json::Str(x.to_string()))
            }
            3 => {
                let b = rng.chance(50);
                (Value::boolean(b), Json::Str(if b { "TRUE" } else { "FALSE" }.into()))
            }
            _ => {
                let text = random_text(rng);
                (Value::string(text.clone()), Json::Str(text))
            }
        },
        Shape::Boolean => {
            let b = rng.chance(50);
            let value = match rng.below(4) {
                0 => Value::string(if b { "true" } else { "FALSE" }),
                1 => Value::string(if b { "True" } else { "false" }),
                _ => Value::boolean(b),
            };
            (value, Json::Bool(b))
        }
        Shape::Integer => {
            let x = whole(rng, i32::MAX as u64);
            (number_argument(rng, x as f64, true), Json::Int(x))
        }
        Shape::Long => {
            let x = whole(rng, 1 << 53);
            (number_argument(rng, x as f64, false), Json::Int(x))
        }
        Shape::Double => {
            let x = whole(rng, 1 << 40) as f64 + 0.25;
            (number_argument(rng, x, false), Json::Float(x))
        }
        Shape::Timestamp => {
            let secs = seconds(rng);
            (Value::Timestamp(vec![Some(secs)]), Json::Time(secs))
        }
        Shape::Blob => {
            let bytes: Vec<u8> = (0..rng.below(20)).map(|_| rng.below(256) as u8).collect();
            (Value::Raw(bytes.clone()), Json::Blob(bytes))
        }
        Shape::Document => document_argument(rng, 0),
    }
}

/// A number as R may give it: a double, an integer (where it is one), or a
/// string holding it.
fn number_argument(rng: &mut Rng, x: f64, int32: bool) -> Value {
    match rng.below(5) {
        0 => Value::string(format!("{x}")),
        1 => Value::string(format!(" {x}\n")),
        2 if int32 => Value::Integer(vec![Some(x as i32)]),
        _ => Value::Double(vec![Some(x)]),
    }
}

/// Scalars of one R type as one vector (a list of scalars may be given so).
fn as_vector(values: Vec<Value>) -> Option<Value> {
    let mut out = values.first()?.clone();
    for v in &values[1..] {
        match (&mut out, v) {
            (Value::Character(a), Value::Character(b)) => a.extend(b.iter().cloned()),
            (Value::Double(a), Value::Double(b)) => a.extend(b.iter().copied()),
            (Value::Integer(a), Value::Integer(b)) => a.extend(b.iter().copied()),
            (Value::Logical(a), Value::Logical(b)) => a.extend(b.iter().copied()),
            _ => return None,
        }
    }
    Some(out)
}

fn structure_argument(rng: &mut Rng, s: &Structure, depth: usize) -> (Value, Json) {
    let mut given: Vec<(String, Value, Option<Json>)> = Vec::new();
    for member in s.members {
        let required = s.required.contains(&member.name);
        if required || (depth < DEEP && rng.chance(60)) {
            let (value, json) = argument(rng, member.shape, depth + 1);
            given.push((member.name.to_string(), value, Some(json)));
        } else if rng.chance(10) {
            // NULL: not given, at every depth.
            given.push((member.name.to_string(), Value::Null, None));
        }
    }
    shuffle(rng, &mut given);
    let json = given.iter_mut().filter_map(|(name, _, json)| json.take().map(|j| (name.clone(), j))).collect();
    let value = if given.is_empty() {
        Value::List(List::default())
    } else {
        Value::List(List::named(given.into_iter().map(|(name, value, _)| (name, value)).collect()))
    };
    (value, Json::Obj(json))
}

fn document_argument(rng: &mut Rng, depth: usize) -> (Value, Json) {
    match rng.below(if depth > 2 { 5 } else { 7 }) {
        0 => {
            let text = random_text(rng);
            (Value::string(text.clone()), Json::Str(text))
        }
        1 => {
            let b = rng.chance(50);
            (Value::boolean(b), Json::Bool(b))
        }
        2 => {
            let x = whole(rng, 1 << 40);
            (Value::Double(vec![Some(x as f64)]), Json::Int(x))
        }
        3 => {
            let x = whole(rng, 1000) as f64 + 0.5;
            (Value::Double(vec![Some(x)]), Json::Float(x))
        }
        4 if depth > 0 => (Value::Null, Json::Null),
        4 | 5 => {
            let (values, json): (Vec<Value>, Vec<Json>) = (0..rng.below(3)).map(|_| document_argument(rng, depth + 1)).unzip();
            (Value::List(List::unnamed(values)), Json::Arr(json))
        }
        _ => {
            let n = rng.below(3);
            let keys = random_keys(rng, n);
            let (values, json): (Vec<Value>, Vec<Json>) = keys.iter().map(|_| document_argument(rng, depth + 1)).unzip();
            let value = Value::List(List { names: Some(keys.iter().cloned().map(Into::into).collect()), values });
            (value, Json::Obj(keys.into_iter().zip(json).collect()))
        }
    }
}

/// A random valid answer of `shape`, as JSON.
fn answer(rng: &mut Rng, shape: &Shape, depth: usize) -> Json {
    match shape {
        Shape::Structure(s) => {
            let mut members = Vec::new();
            for member in s.members {
                // A valid answer has the required members (the SDK refuses one without).
                if s.required.contains(&member.name) || (depth < DEEP && rng.chance(60)) {
                    members.push((member.name.to_string(), answer(rng, member.shape, depth + 1)));
                } else if rng.chance(10) {
                    members.push((member.name.to_string(), Json::Null));
                }
            }
            if rng.chance(5) {
                // A member newer than this SDK's model.
                members.push(("ZzNotInTheModel".to_string(), Json::Arr(vec![Json::Obj(vec![]), Json::Int(1)])));
            }
            shuffle(rng, &mut members);
            Json::Obj(members)
        }
        Shape::List(element) => {
            let n = if depth < DEEP { rng.below(4) } else { 0 };
            Json::Arr(
                (0..n)
                    .map(|_| match element {
                        Shape::Structure(_) if rng.chance(20) => Json::Obj(vec![]),
                        _ => answer(rng, element, depth + 1),
                    })
                    .collect(),
            )
        }
        Shape::Map(value) => {
            let n = if depth < DEEP { rng.below(4) } else { 0 };
            Json::Obj(random_keys(rng, n).into_iter().map(|k| (k, answer(rng, value, depth + 1))).collect())
        }
        Shape::String => Json::Str(random_text(rng)),
        Shape::Boolean => Json::Bool(rng.chance(50)),
        Shape::Integer => Json::Int(whole(rng, i32::MAX as u64)),
        Shape::Long => Json::Int(whole(rng, 1 << 53)),
        Shape::Double => Json::Float(whole(rng, 1 << 40) as f64 + 0.5),
        Shape::Timestamp => match rng.below(3) {
            0 => Json::Int(rng.below(4_000_000_000) as i64),
            _ => Json::Float(seconds(rng)),
        },
        Shape::Blob => {
            let bytes: Vec<u8> = (0..rng.below(20)).map(|_| rng.below(256) as u8).collect();
            Json::Str(aws_smithy_types::base64::encode(&bytes))
        }
        Shape::Document => document_argument(rng, 0).1,
    }
}

/// The tagged form of an R value the oracle compares.
fn tagged(value: &Value) -> Json {
    let atomic = |kind: &str, values: Vec<Json>| {
        Json::Obj(vec![("type".into(), Json::Str(kind.into())), ("values".into(), Json::Arr(values))])
    };
    let float = |x: &Option<f64>| x.map_or(Json::Null, Json::Float);
    match value {
        Value::Null | Value::Unsupported(_) => Json::Null,
        Value::Character(v) => atomic("character", v.iter().map(|s| s.clone().map_or(Json::Null, Json::Str)).collect()),
        Value::Logical(v) => atomic("logical", v.iter().map(|b| b.map_or(Json::Null, Json::Bool)).collect()),
        Value::Integer(v) => atomic("integer", v.iter().map(|i| i.map_or(Json::Null, |i| Json::Int(i.into()))).collect()),
        Value::Double(v) => atomic("double", v.iter().map(float).collect()),
        Value::Timestamp(v) => atomic("POSIXct", v.iter().map(float).collect()),
        Value::Raw(bytes) => Json::Obj(vec![
            ("type".into(), Json::Str("raw".into())),
            ("base64".into(), Json::Str(aws_smithy_types::base64::encode(bytes))),
        ]),
        Value::List(list) => Json::Obj(vec![
            ("type".into(), Json::Str("list".into())),
            (
                "names".into(),
                list.names.as_ref().map_or(Json::Null, |n| Json::Arr(n.iter().map(|n| Json::Str(n.to_string())).collect())),
            ),
            ("values".into(), Json::Arr(list.values.iter().map(tagged).collect())),
        ]),
    }
}

fn structure_of(shape: &Shape) -> &Structure {
    match shape {
        Shape::Structure(s) => s,
        _ => panic!("an operation's shape that is not a structure"),
    }
}


/// botocore's name of a service (`cognito-identity`), from the line of
/// `.ci/codegen/services.tsv` that declares it.
fn botocore_service(service: &Service) -> String {
    let table = std::fs::read_to_string(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(".ci/codegen/services.tsv")).unwrap();
    let line = table.lines().find(|l| l.split('\t').next() == Some(service.name)).expect("the service is in services.tsv");
    let model = line.split('\t').nth(2).unwrap();
    model.split('/').next().unwrap().to_string()
}

/// The Python with botocore, or `None` (then the test is skipped, unless
/// COGNITOIDP_REQUIRE_MOTO=true, as on CI).
fn oracle_python() -> Option<PathBuf> {
    let venv = std::env::var("MOTO_VENV").unwrap_or_else(|_| "/opt/moto-venv".to_string());
    let python = PathBuf::from(venv).join("bin/python");
    if python.exists() {
        return Some(python);
    }
    if std::env::var("COGNITOIDP_REQUIRE_MOTO").is_ok_and(|v| v.eq_ignore_ascii_case("true")) {
        panic!("botocore's Python is required (COGNITOIDP_REQUIRE_MOTO=true) but {} is missing", python.display());
    }
    None
}

/// Runs the oracle of `service` on `cases` (JSON lines after the members
/// line) and returns its verdict lines. `label` keeps the case files of
/// tests that run at the same time apart.
fn oracle(python: &PathBuf, service: &Service, label: &str, cases: &[String]) -> Vec<String> {
    let structures: Vec<(String, Json)> = service
        .model
        .structures
        .iter()
        .map(|s| (s.name.to_string(), Json::Arr(s.members.iter().map(|m| Json::Str(m.name.into())).collect())))
        .collect();
    let members = Json::Obj(vec![("kind".into(), Json::Str("members".into())), ("structures".into(), Json::Obj(structures))]);
    let mut input = members.text();
    for case in cases {
        input.push('\n');
        input.push_str(case);
    }
    let file = std::env::temp_dir().join(format!("cognitoidp-oracle-{}-{label}-{}.jsonl", service.name, std::process::id()));
    std::fs::write(&file, input).unwrap();
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/oracle/oracle.py");
    let out = Command::new(python)
        .arg(&script)
        .args(["--service", &botocore_service(service)])
        .arg(&file)
        .env_remove("LD_LIBRARY_PATH")
        .output()
        .unwrap();
    let _ = std::fs::remove_file(&file);
    assert!(out.status.success(), "the oracle failed: {}", String::from_utf8_lossy(&out.stderr));
    let verdicts: Vec<String> = String::from_utf8(out.stdout).unwrap().lines().map(str::to_string).collect();
    assert_eq!(verdicts.len(), cases.len(), "one verdict per case");
    verdicts
}

fn failures(verdicts: &[String], cases: &[String]) -> Vec<String> {
    verdicts
        .iter()
        .zip(cases)
        .filter(|(verdict, _)| verdict.as_str() != r#"{"ok": true}"#)
        .map(|(verdict, case)| format!("{verdict}\n  case: {case}"))
        .collect()
}

fn case(kind: &str, op: &dyn Operation, fields: Vec<(&str, Json)>) -> String {
    let mut entries = vec![("kind".to_string(), Json::Str(kind.into())), ("operation".to_string(), Json::Str(op.name().into()))];
    entries.extend(fields.into_iter().map(|(k, v)| (k.to_string(), v)));
    Json::Obj(entries).text()
}

#[test]
fn request_bodies_are_what_botocore_writes() {
    let Some(python) = oracle_python() else {
        eprintln!("skipped: no Python with botocore");
        return;
    };
    let mut rng = Rng(0x5eed_b0d1_e5a5_0001);
    for service in SERVICES {
        let mut cases = Vec::new();
        for op in service.operations {
            for _ in 0..ROUNDS {
                let (args, params) = structure_argument(&mut rng, structure_of(op.input_shape()), 0);
                let body = op
                    .request_body(&args)
                    .unwrap_or_else(|e| panic!("{}: valid arguments refused: {e}\n{args:?}", op.name()));
                cases.push(case("request", *op, vec![("params", params), ("body", Json::Str(body))]));
            }
        }
        let verdicts = oracle(&python, service, "requests", &cases);
        let failed = failures(&verdicts, &cases);
        assert!(failed.is_empty(), "{}: {} of {} bodies differ from botocore's:\n{}", service.name, failed.len(), cases.len(), failed[..failed.len().min(5)].join("\n"));
        assert_eq!(cases.len(), service.operations.len() * ROUNDS);
    }
}

#[test]
fn answers_read_as_botocore_parses_them_by_paws_rules() {
    let Some(python) = oracle_python() else {
        eprintln!("skipped: no Python with botocore");
        return;
    };
    let mut rng = Rng(0x5eed_b0d1_e5a5_0002);
    for service in SERVICES {
        let mut cases = Vec::new();
        for op in service.operations {
            for _ in 0..ROUNDS {
                let body = answer(&mut rng, op.output_shape(), 0).text();
                let value = read_answer(body.as_bytes(), op.output_shape())
                    .unwrap_or_else(|e| panic!("{}: a valid answer was refused: {e}\n{body}", op.name()));
                sdk_reads(*op, &body);
                cases.push(case("response", *op, vec![("body", Json::Str(body)), ("value", tagged(&value))]));
            }
        }
        let verdicts = oracle(&python, service, "answers", &cases);
        let failed = failures(&verdicts, &cases);
        assert!(failed.is_empty(), "{}: {} of {} answers differ from paws's values:\n{}", service.name, failed.len(), cases.len(), failed[..failed.len().min(5)].join("\n"));
        assert_eq!(cases.len(), service.operations.len() * ROUNDS);
    }
}

/// The SDK's own parser (the JSON codec of its awsJson 1.1 protocol)
/// reads the answer: the shape graph and the SDK's schemas agree on every
/// member's type. (It refuses a `{}` element whose structure has required
/// members, which paws reads; so does the call, see `operations/`.)
fn sdk_reads(op: &dyn Operation, body: &str) {
    use aws_smithy_json::codec::{JsonCodec, JsonCodecSettings};
    use aws_smithy_schema::codec::Codec;
    let codec = JsonCodec::new(JsonCodecSettings::builder().use_json_name(false).build());
    let mut deserializer = codec.create_deserializer(body.as_bytes());
    match op.shape_from(true, &mut deserializer) {
        Ok(_) => {}
        Err(e) if e.to_string().contains("was not specified but it is required") => {}
        Err(e) => panic!("{}: the SDK refuses an answer the shape graph allows: {e}\n{body}", op.name()),
    }
}
