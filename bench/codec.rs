//! What the exact wire costs per call, in the codec alone (no HTTP): reading
//! the answer's body into the R value tree (`output::read_answer`), beside
//! what the SDK's own parse of the same body into its typed output, with
//! 0.2's conversion of that output, cost; and checking the arguments while
//! writing the request body (`request_body`).
//!
//!   cargo run --release --example codec      (CODEC_ITERATIONS, default 20000)
//!
//! Answers: set_user_pool_mfa_config's small one (the benchmarks' stub
//! answer), and describe_user_pool's with every member of the model present
//! (lists of two elements, maps of two entries): 0.2 did the SDK's parse and
//! the conversion on every call; now the SDK parses and `read_answer` reads.
//! Prints medians of batches; never fails on a timing.

use std::time::Instant;

use cognitoidp::model::Shape;
use cognitoidp::operations::{find, Operation};
use cognitoidp::output::read_answer;
use cognitoidp::value::Value;

/// A JSON answer of `shape` with every member present.
fn full_answer(shape: &Shape, depth: usize, out: &mut String) {
    match shape {
        Shape::Structure(s) => {
            out.push('{');
            for (i, member) in s.members.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&format!("\"{}\":", member.name));
                full_answer(member.shape, depth + 1, out);
            }
            out.push('}');
        }
        Shape::List(element) => {
            out.push('[');
            if depth < 8 {
                full_answer(element, depth + 1, out);
                out.push(',');
                full_answer(element, depth + 1, out);
            }
            out.push(']');
        }
        Shape::Map(value) => {
            out.push('{');
            if depth < 8 {
                out.push_str("\"first\":");
                full_answer(value, depth + 1, out);
                out.push_str(",\"second\":");
                full_answer(value, depth + 1, out);
            }
            out.push('}');
        }
        Shape::String => out.push_str("\"some-value-of-a-string\""),
        Shape::Boolean => out.push_str("true"),
        Shape::Integer | Shape::Long => out.push_str("1234"),
        Shape::Double => out.push_str("12.5"),
        Shape::Timestamp => out.push_str("1795842757.993"),
        Shape::Blob => out.push_str("\"AAEC\""),
        Shape::Document => out.push_str("{\"a\":[1,\"b\"]}"),
    }
}

/// Median of `batches` batches of `iterations` runs of `f`, in µs per run.
fn median_us(iterations: usize, mut f: impl FnMut()) -> f64 {
    let mut batches: Vec<f64> = (0..15)
        .map(|_| {
            let start = Instant::now();
            for _ in 0..iterations {
                f();
            }
            start.elapsed().as_secs_f64() * 1e6 / iterations as f64
        })
        .collect();
    batches.sort_by(|a, b| a.total_cmp(b));
    batches[batches.len() / 2]
}

fn sdk_parse_and_convert(op: &dyn Operation, body: &[u8]) -> Value {
    use aws_smithy_json::codec::{JsonCodec, JsonCodecSettings};
    use aws_smithy_schema::codec::Codec;
    let codec = JsonCodec::new(JsonCodecSettings::builder().use_json_name(false).build());
    op.shape_from(true, &mut codec.create_deserializer(body)).expect("the SDK reads the answer")
}

fn main() {
    let iterations: usize = std::env::var("CODEC_ITERATIONS").ok().and_then(|v| v.parse().ok()).unwrap_or(20_000);
    println!("codec: medians of 15 batches of {iterations} runs, µs per run");
    let small = find("cognitoidentityprovider", "set_user_pool_mfa_config").unwrap();
    let large = find("cognitoidentityprovider", "describe_user_pool").unwrap();
    let small_body = br#"{"MfaConfiguration":"ON","SoftwareTokenMfaConfiguration":{"Enabled":true}}"#.to_vec();
    let mut large_body = String::new();
    full_answer(large.output_shape(), 0, &mut large_body);
    for (name, op, body) in [("set_user_pool_mfa_config", small, small_body.as_slice()), ("describe_user_pool (every member)", large, large_body.as_bytes())] {
        let shape = op.output_shape();
        let read = median_us(iterations, || {
            std::hint::black_box(read_answer(std::hint::black_box(body), shape).unwrap());
        });
        let sdk = median_us(iterations, || {
            std::hint::black_box(sdk_parse_and_convert(op, std::hint::black_box(body)));
        });
        println!(
            "answer of {name}, {} bytes: read_answer {read:.2}; the SDK's typed parse + 0.2's conversion of it {sdk:.2}",
            body.len()
        );
    }
    let args = Value::named_list(vec![
        ("UserPoolId", Value::string("us-east-1_bench")),
        ("SoftwareTokenMfaConfiguration", Value::named_list(vec![("Enabled", Value::boolean(true))])),
        ("MfaConfiguration", Value::string("ON")),
    ]);
    let write = median_us(iterations, || {
        std::hint::black_box(small.request_body(std::hint::black_box(&args)).unwrap());
    });
    println!("arguments of set_user_pool_mfa_config checked, typed input built and body written: {write:.2}");
}
