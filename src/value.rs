//! The value tree that sits between R objects and the SDK's typed shapes.
//!
//! It mirrors R's own data model (atomic vectors that may hold `NA`, lists with
//! optional names) rather than JSON's, so the schema-driven walkers in
//! `input.rs` and `output.rs` can check lengths and `NA`s exactly as an R user
//! thinks of them, and can be tested without an R session. Only `rvalue.rs`
//! touches R objects.

use std::borrow::Cow;

/// An R value, reduced to what AWS shapes can be built from or returned as.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Logical(Vec<Option<bool>>),
    Integer(Vec<Option<i32>>),
    Double(Vec<Option<f64>>),
    Character(Vec<Option<String>>),
    Raw(Vec<u8>),
    /// A `POSIXct` vector: seconds since the Unix epoch, in UTC.
    Timestamp(Vec<Option<f64>>),
    List(List),
    /// An R value that has no AWS counterpart (a function, a factor, an
    /// environment, ...), kept only as its description for error messages.
    Unsupported(String),
}

/// A name in a list. The model's member names are borrowed, not copied:
/// an answer's value has every member of its shapes, most of them empty.
pub type Name = Cow<'static, str>;

/// A generic R list. `names` is `None` for an unnamed list; an `NA` name is
/// stored as the empty string, which no AWS member is called.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct List {
    pub names: Option<Vec<Name>>,
    pub values: Vec<Value>,
}

impl List {
    pub fn named<N: Into<Name>>(entries: Vec<(N, Value)>) -> List {
        let (names, values) = entries.into_iter().map(|(n, v)| (n.into(), v)).unzip();
        List { names: Some(names), values }
    }

    pub fn unnamed(values: Vec<Value>) -> List {
        List { names: None, values }
    }

    pub fn len(&self) -> usize {
        self.values.len()
    }

    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    pub fn get(&self, name: &str) -> Option<&Value> {
        let names = self.names.as_ref()?;
        names.iter().position(|n| n == name).map(|i| &self.values[i])
    }
}

impl Value {
    pub fn string(s: impl Into<String>) -> Value {
        Value::Character(vec![Some(s.into())])
    }

    pub fn boolean(b: bool) -> Value {
        Value::Logical(vec![Some(b)])
    }

    pub fn named_list(entries: Vec<(&str, Value)>) -> Value {
        Value::List(List::named(entries.into_iter().map(|(n, v)| (n.to_string(), v)).collect()))
    }

    /// Number of elements, as R's `length()` counts them.
    pub fn len(&self) -> usize {
        match self {
            Value::Null | Value::Unsupported(_) => 0,
            Value::Logical(v) => v.len(),
            Value::Integer(v) => v.len(),
            Value::Double(v) | Value::Timestamp(v) => v.len(),
            Value::Character(v) => v.len(),
            Value::Raw(v) => v.len(),
            Value::List(l) => l.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// What the value is without showing it, for values that must stay out
    /// of sight: `a character vector of length 1`, `a named list of length 2`.
    pub fn describe_type(&self) -> String {
        match self {
            Value::Null | Value::Unsupported(_) | Value::List(_) => self.describe(),
            _ => {
                let kind = self.kind();
                let article = if kind.starts_with(['a', 'e', 'i', 'o', 'u']) { "an" } else { "a" };
                format!("{article} {kind} vector of length {}", self.len())
            }
        }
    }

    fn kind(&self) -> &'static str {
        match self {
            Value::Logical(_) => "logical",
            Value::Integer(_) => "integer",
            Value::Double(_) => "numeric",
            Value::Character(_) => "character",
            Value::Raw(_) => "raw",
            Value::Timestamp(_) => "POSIXct",
            Value::Null | Value::Unsupported(_) | Value::List(_) => "list",
        }
    }

    /// What the value is, for error messages: `a character vector of length 2`,
    /// `"abc"`, `NA`, `a named list`, ... Strings are cut short so that an
    /// error message stays one readable line.
    pub fn describe(&self) -> String {
        let kind = match self {
            Value::Null => return "NULL".to_string(),
            Value::Unsupported(what) => return what.clone(),
            Value::List(l) => {
                return match (&l.names, l.len()) {
                    (_, 0) => "an empty list".to_string(),
                    (Some(_), n) => format!("a named list of length {n}"),
                    (None, n) => format!("an unnamed list of length {n}"),
                }
            }
            _ => self.kind(),
        };
        let article = if kind.starts_with(['a', 'e', 'i', 'o', 'u']) { "an" } else { "a" };
        if self.len() != 1 {
            return format!("{article} {kind} vector of length {}", self.len());
        }
        let scalar = match self {
            Value::Logical(v) => v[0].map(|b| if b { "TRUE".into() } else { "FALSE".into() }),
            Value::Integer(v) => v[0].map(|i| format!("{i}L")),
            Value::Double(v) => v[0].map(|d| match d {
                f64::INFINITY => "Inf".to_string(),
                f64::NEG_INFINITY => "-Inf".to_string(),
                d => format!("{d}"),
            }),
            Value::Character(v) => v[0].as_deref().map(quote_short),
            _ => return format!("{article} {kind} value"),
        };
        match scalar {
            Some(s) => format!("{s} ({kind})"),
            None => format!("NA ({kind})"),
        }
    }
}

/// R's text for a double, as `as.character()` writes it (paws sends that
/// text for a number given where the API wants a string): 15 significant
/// digits without trailing zeros, in fixed notation unless scientific
/// notation is narrower, as R's `formatReal()` decides (`1e+05`, `123456`,
/// `0.333333333333333`, `1e-04`).
pub fn r_character(x: f64) -> String {
    if x.is_nan() {
        return "NaN".to_string();
    }
    if x.is_infinite() {
        return if x > 0.0 { "Inf" } else { "-Inf" }.to_string();
    }
    if x == 0.0 {
        return "0".to_string();
    }
    // Rounded to 15 significant digits: d.dddddddddddddde<exponent>.
    let scientific = format!("{:.14e}", x.abs());
    let (mantissa, exponent) = scientific.split_once('e').unwrap_or((&scientific, "0"));
    let exponent: i32 = exponent.parse().unwrap_or(0);
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let significant = digits.trim_end_matches('0').len().max(1) as i32;
    let sign = i32::from(x < 0.0);
    // Widths of the two notations; R takes the fixed one on a tie.
    let exponent_width = if exponent.abs() >= 100 { 5 } else { 4 };
    let scientific_width = sign + significant + i32::from(significant > 1) + exponent_width;
    let decimals = (significant - exponent - 1).max(0);
    let fixed_width = sign + (exponent + 1).max(1) + decimals + i32::from(decimals > 0);
    if fixed_width <= scientific_width {
        let fixed = format!("{:.*}", decimals as usize, x);
        return if fixed.contains('.') { fixed.trim_end_matches('0').trim_end_matches('.').to_string() } else { fixed };
    }
    let mut out = String::with_capacity(24);
    if x < 0.0 {
        out.push('-');
    }
    out.push_str(&digits[..1]);
    if significant > 1 {
        out.push('.');
        out.push_str(&digits[1..significant as usize]);
    }
    out.push_str(&format!("e{}{:02}", if exponent < 0 { '-' } else { '+' }, exponent.abs()));
    out
}

/// Quotes a string for a message, cutting it at 40 characters.
fn quote_short(s: &str) -> String {
    const MAX: usize = 40;
    let mut out: String = s.chars().take(MAX).flat_map(char::escape_default).collect();
    if s.chars().nth(MAX).is_some() {
        out.push_str("...");
    }
    format!("\"{out}\"")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn describes_scalars_vectors_and_lists() {
        assert_eq!(Value::string("ON").describe(), "\"ON\" (character)");
        assert_eq!(Value::Character(vec![None]).describe(), "NA (character)");
        assert_eq!(Value::Logical(vec![Some(true), Some(false)]).describe(), "a logical vector of length 2");
        assert_eq!(Value::Double(vec![Some(1.5)]).describe(), "1.5 (numeric)");
        assert_eq!(Value::Integer(vec![]).describe(), "an integer vector of length 0");
        assert_eq!(Value::List(List::default()).describe(), "an empty list");
        assert_eq!(Value::named_list(vec![("a", Value::Null)]).describe(), "a named list of length 1");
        assert_eq!(Value::Null.describe(), "NULL");
    }

    #[test]
    fn long_strings_are_cut_in_messages() {
        let long = "x".repeat(100);
        let d = Value::string(long).describe();
        assert!(d.starts_with("\"xxxx"));
        assert!(d.contains("...\""));
        assert!(d.len() < 60);
    }

    #[test]
    fn doubles_are_written_as_r_writes_them() {
        // Each pair as R 4.2 printed it with as.character().
        let cases: [(f64, &str); 28] = [
            (0.0, "0"),
            (-0.0, "0"),
            (0.1, "0.1"),
            (1e5, "1e+05"),
            (123456.0, "123456"),
            (1e15, "1e+15"),
            (1e-4, "1e-04"),
            (1.0 / 3.0, "0.333333333333333"),
            (2.0 / 3.0, "0.666666666666667"),
            (1e22, "1e+22"),
            (123456789012345678.0, "123456789012345680"),
            (-0.5, "-0.5"),
            (100.0, "100"),
            (1e-300, "1e-300"),
            (f64::MAX, "1.79769313486232e+308"),
            (5e-324, "4.94065645841247e-324"),
            (99991231.0, "99991231"),
            (1234567.1, "1234567.1"),
            (0.1 + 0.2, "0.3"),
            (100000.5, "100000.5"),
            (3e10, "3e+10"),
            (314159.26535, "314159.26535"),
            (3e-5, "3e-05"),
            (12345678901234567890.0, "12345678901234567168"),
            (0.00012345, "0.00012345"),
            (1e15 + 2.0, "1e+15"),
            (999999999999999.0, "999999999999999"),
            (-1e5, "-1e+05"),
        ];
        for (x, r) in cases {
            assert_eq!(r_character(x), r, "{x:e}");
        }
        assert_eq!(r_character(f64::INFINITY), "Inf");
    }

    #[test]
    fn list_lookup_by_name() {
        let l = List::named(vec![("a", Value::boolean(true)), ("b", Value::Null)]);
        assert_eq!(l.get("a"), Some(&Value::boolean(true)));
        assert_eq!(l.get("z"), None);
        assert_eq!(List::unnamed(vec![Value::Null]).get("a"), None);
    }
}
