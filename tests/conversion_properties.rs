//! Property tests of the conversion layer (R value tree <-> SDK shapes), on
//! many generated inputs from a fixed seed:
//! - valid arguments always convert, and the typed input serializes back to
//!   exactly the arguments given (less the NULLs, which mean "not given");
//! - arbitrary, hostile arguments never panic: they convert, or fail with
//!   the path of a member that exists in the arguments.
//!
//! The generator is the small xorshift PRNG of `common/` (not proptest).

use aws_sdk_cognitoidentityprovider::operation::set_user_pool_mfa_config::SetUserPoolMfaConfigInput;
use cognitoidp::input::read_input;
use cognitoidp::typed::to_value;
use cognitoidp::value::{List, Value};

mod common;
use common::Rng;

/// The input shape, as (member, kind) trees: what valid arguments look like.
enum Kind {
    Str,
    Bool,
    Struct(&'static [(&'static str, Kind)]),
}

const EUMS: &[(&str, Kind)] = &[
    ("CallerArn", Kind::Str),
    ("ExternalId", Kind::Str),
    ("OriginationIdentity", Kind::Str),
    ("ConfigurationSetName", Kind::Str),
    ("InEntityId", Kind::Str),
    ("InTemplateId", Kind::Str),
    ("Region", Kind::Str),
];
const SMS_CONFIG: &[(&str, Kind)] = &[
    ("SnsCallerArn", Kind::Str),
    ("ExternalId", Kind::Str),
    ("SnsRegion", Kind::Str),
    ("EumsSms", Kind::Struct(EUMS)),
];
const INPUT: &[(&str, Kind)] = &[
    ("UserPoolId", Kind::Str),
    (
        "SmsMfaConfiguration",
        Kind::Struct(&[("SmsAuthenticationMessage", Kind::Str), ("SmsConfiguration", Kind::Struct(SMS_CONFIG))]),
    ),
    ("SoftwareTokenMfaConfiguration", Kind::Struct(&[("Enabled", Kind::Bool)])),
    ("EmailMfaConfiguration", Kind::Struct(&[("Message", Kind::Str), ("Subject", Kind::Str)])),
    ("MfaConfiguration", Kind::Str),
    (
        "WebAuthnConfiguration",
        Kind::Struct(&[("RelyingPartyId", Kind::Str), ("UserVerification", Kind::Str), ("FactorConfiguration", Kind::Str)]),
    ),
];

/// Members the model requires when their structure is given.
const REQUIRED: &[&str] = &["UserPoolId", "SnsCallerArn", "CallerArn"];

fn random_text(rng: &mut Rng) -> String {
    const PIECES: &[&str] = &["a", "Z", "0", " ", "{####}", "é", "日本", "\u{1F600}", "\"", "\\", "$", "\n", "NA"];
    let len = if rng.chance(2) { 5000 } else { rng.below(12) };
    (0..len).map(|_| *rng.pick(PIECES)).collect()
}

/// Valid arguments for `kind`; `None` leaves an optional member out.
fn valid(rng: &mut Rng, kind: &Kind) -> Value {
    match kind {
        Kind::Str => Value::string(random_text(rng)),
        Kind::Bool => Value::boolean(rng.chance(50)),
        Kind::Struct(members) => {
            let mut entries = Vec::new();
            for (name, member) in members.iter() {
                if REQUIRED.contains(name) || rng.chance(60) {
                    entries.push((name.to_string(), valid(rng, member)));
                } else if rng.chance(20) {
                    entries.push((name.to_string(), Value::Null));
                }
            }
            // The order of members in an R list does not matter.
            for i in (1..entries.len()).rev() {
                let j = rng.below(i + 1);
                entries.swap(i, j);
            }
            Value::List(List::named(entries))
        }
    }
}

/// The arguments as the SDK sees them: NULL members dropped, members in the
/// shape's order, and a boolean left out of a given structure present with
/// the model's default, `false` (the SDK sends it so).
fn canonical(value: &Value, kind: &Kind) -> Value {
    match (value, kind) {
        (Value::List(list), Kind::Struct(members)) => {
            let given: Vec<(String, Value)> = members
                .iter()
                .filter_map(|(name, member)| match (list.get(name), member) {
                    (None | Some(Value::Null), Kind::Bool) => Some((name.to_string(), Value::boolean(false))),
                    (None | Some(Value::Null), _) => None,
                    (Some(v), _) => Some((name.to_string(), canonical(v, member))),
                })
                .collect();
            // A structure with no members given is `list()`.
            if given.is_empty() {
                Value::List(List::default())
            } else {
                Value::List(List::named(given))
            }
        }
        (v, _) => v.clone(),
    }
}

/// Anything at all, biased towards what R users get wrong.
fn hostile(rng: &mut Rng, depth: usize, names: &[&str]) -> Value {
    let scalar_len = |rng: &mut Rng| *rng.pick(&[0usize, 1, 1, 1, 2, 50]);
    match rng.below(if depth > 6 { 7 } else { 10 }) {
        0 => Value::Null,
        1 => Value::Character((0..scalar_len(rng)).map(|_| (!rng.chance(15)).then(|| random_text(rng))).collect()),
        2 => Value::Logical((0..scalar_len(rng)).map(|_| (!rng.chance(15)).then(|| rng.chance(50))).collect()),
        3 => Value::Integer((0..scalar_len(rng)).map(|_| (!rng.chance(15)).then(|| rng.next() as i32)).collect()),
        4 => Value::Double(
            (0..scalar_len(rng))
                .map(|_| (!rng.chance(15)).then(|| *rng.pick(&[0.0, 1.5, -1.0, f64::INFINITY, 1e300])))
                .collect(),
        ),
        5 => Value::Unsupported(rng.pick(&["a factor", "an R object of type function", "a string that is not valid UTF-8"]).to_string()),
        6 => Value::Raw(vec![0, 255]),
        _ => {
            let n = rng.below(5);
            let values: Vec<Value> = (0..n).map(|_| hostile(rng, depth + 1, names)).collect();
            let names = match rng.below(4) {
                0 => None,
                _ => Some(
                    (0..n)
                        .map(|_| match rng.below(8) {
                            0 => String::new().into(),
                            1 => "Bogus".into(),
                            _ => rng.pick(names).to_string().into(),
                        })
                        .collect(),
                ),
            };
            Value::List(List { names, values })
        }
    }
}

/// Replaces, adds or removes one member somewhere in a tree of named lists.
fn mutate(rng: &mut Rng, value: &mut Value, names: &[&str]) {
    let Value::List(list) = value else { return };
    let n = list.values.len();
    if n > 0 && rng.chance(50) {
        let i = rng.below(n);
        if matches!(list.values[i], Value::List(_)) && rng.chance(60) {
            return mutate(rng, &mut list.values[i], names);
        }
        if rng.chance(80) {
            list.values[i] = hostile(rng, 1, names);
        } else {
            list.values.remove(i);
            if let Some(nm) = list.names.as_mut() {
                nm.remove(i);
            }
        }
    } else {
        let name = if rng.chance(50) { "Bogus" } else { rng.pick(names) };
        list.values.push(hostile(rng, 1, names));
        list.names.get_or_insert_with(|| vec![Default::default(); n]).push(name.to_string().into());
    }
}

fn all_member_names(members: &[(&'static str, Kind)], out: &mut Vec<&'static str>) {
    for (name, kind) in members {
        out.push(name);
        if let Kind::Struct(inner) = kind {
            all_member_names(inner, out);
        }
    }
}

#[test]
fn valid_arguments_round_trip_through_the_typed_input() {
    let mut rng = Rng(0x5eed_0001);
    let shape = Kind::Struct(INPUT);
    for case in 0..5_000 {
        let args = valid(&mut rng, &shape);
        let input = read_input(&args, SetUserPoolMfaConfigInput::deserialize)
            .unwrap_or_else(|e| panic!("case {case}: valid arguments refused: {e}\n{args:?}"));
        let back = to_value(&input.typed).unwrap();
        assert_eq!(back, canonical(&args, &shape), "case {case}");
    }
}

#[test]
fn hostile_arguments_convert_or_fail_with_a_path_that_exists() {
    let mut rng = Rng(0x5eed_0002);
    let mut names = Vec::new();
    all_member_names(INPUT, &mut names);
    names.push("Bogus");
    let (mut accepted, mut refused) = (0, 0);
    let shape = Kind::Struct(INPUT);
    for case in 0..20_000 {
        // Half wholly random, half valid arguments with a few members
        // replaced by hostile values, added or removed.
        let args = if rng.chance(50) {
            hostile(&mut rng, 0, &names)
        } else {
            let mut args = valid(&mut rng, &shape);
            for _ in 0..rng.below(3) {
                mutate(&mut rng, &mut args, &names);
            }
            args
        };
        match read_input(&args, SetUserPoolMfaConfigInput::deserialize) {
            Ok(_) => accepted += 1,
            Err(e) => {
                refused += 1;
                assert!(!e.problem.is_empty(), "case {case}: an empty problem");
                if !e.path.is_empty() {
                    let leaf = e.path.rsplit('$').next().unwrap();
                    let leaf = leaf.split("[[").next().unwrap();
                    assert!(
                        names.contains(&leaf) || leaf.is_empty(),
                        "case {case}: the path `{}` names no member of the arguments ({})",
                        e.path,
                        e.problem
                    );
                }
            }
        }
    }
    // The generator must exercise both outcomes to mean anything.
    assert!(accepted > 2_000 && refused > 10_000, "accepted {accepted}, refused {refused}");
}
