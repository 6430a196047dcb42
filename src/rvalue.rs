//! R objects <-> the [`Value`] tree. The only module that reads or builds R
//! objects for arguments and results; it runs on R's main thread only.

use extendr_api::prelude::*;
use extendr_ffi::{cetype_t, R_CHAR, Rf_xlength, SEXP, STRING_ELT};

use crate::value::{List as VList, Value};

/// R lists nested deeper than this are refused rather than walked, so a
/// pathological argument cannot overflow the stack. AWS shapes are far shallower.
const MAX_DEPTH: usize = 64;

// Part of R's API (Rinternals.h); not bound by extendr-ffi. SEXP is an
// opaque pointer to R, as in extendr-ffi's own declarations.
#[allow(improper_ctypes)]
unsafe extern "C" {
    fn Rf_getCharCE(x: SEXP) -> cetype_t;
    fn Rf_translateCharUTF8(x: SEXP) -> *const std::os::raw::c_char;
}

/// Converts an R argument into a [`Value`]. Never fails: what has no AWS
/// counterpart becomes [`Value::Unsupported`], reported later with its path.
pub fn from_robj(x: &Robj) -> Value {
    from_robj_at(x, 0)
}

fn from_robj_at(x: &Robj, depth: usize) -> Value {
    if x.inherits("factor") {
        return Value::Unsupported("a factor (convert it with as.character())".to_string());
    }
    match x.rtype() {
        Rtype::Null => Value::Null,
        Rtype::Logicals => Value::Logical(
            x.as_logical_slice()
                .unwrap_or_default()
                .iter()
                .map(|b| if b.is_na() { None } else { Some(b.is_true()) })
                .collect(),
        ),
        Rtype::Integers => Value::Integer(
            x.as_integer_slice()
                .unwrap_or_default()
                .iter()
                .map(|&i| if i == i32::MIN { None } else { Some(i) })
                .collect(),
        ),
        Rtype::Doubles => {
            // R's NA_real_ is one of the NaNs; any NaN is "not a number" to AWS.
            let values = x
                .as_real_slice()
                .unwrap_or_default()
                .iter()
                .map(|&d| if d.is_nan() { None } else { Some(d) })
                .collect();
            if x.inherits("POSIXct") {
                Value::Timestamp(values)
            } else {
                Value::Double(values)
            }
        }
        Rtype::Strings => match strings(x) {
            Some(v) => Value::Character(v),
            None => Value::Unsupported("a string that is not valid UTF-8".to_string()),
        },
        Rtype::Raw => Value::Raw(x.as_raw_slice().unwrap_or_default().to_vec()),
        Rtype::List => {
            if depth >= MAX_DEPTH {
                return Value::Unsupported(format!("a list nested more than {MAX_DEPTH} levels deep"));
            }
            let names = match x.get_attrib("names") {
                Some(n) if n.rtype() == Rtype::Strings => match strings(&n) {
                    Some(v) => Some(v.into_iter().map(Option::unwrap_or_default).collect()),
                    None => return Value::Unsupported("a list whose names are not valid UTF-8".to_string()),
                },
                _ => None,
            };
            let values = match x.as_list() {
                Some(list) => list.values().map(|v| from_robj_at(&v, depth + 1)).collect(),
                None => Vec::new(),
            };
            Value::List(VList { names, values })
        }
        other => Value::Unsupported(format!("an R object of type {}", type_name(other))),
    }
}

fn type_name(t: Rtype) -> &'static str {
    match t {
        Rtype::Function | Rtype::Builtin | Rtype::Special => "function",
        Rtype::Environment => "environment",
        Rtype::Complexes => "complex",
        Rtype::Symbol => "symbol",
        Rtype::Language => "language (a call)",
        Rtype::Expressions => "expression",
        Rtype::ExternalPtr => "externalptr",
        Rtype::S4 => "S4",
        Rtype::Pairlist => "pairlist",
        _ => "unknown",
    }
}

/// The elements of a character vector as UTF-8, or `None` if one of them
/// cannot be: strings marked latin1 are translated, "bytes" and malformed
/// strings are refused (they cannot be sent as JSON text).
fn strings(x: &Robj) -> Option<Vec<Option<String>>> {
    let sexp = unsafe { x.get() };
    let n = x.len();
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        unsafe {
            let c = STRING_ELT(sexp, i as isize);
            if c == extendr_ffi::R_NaString {
                out.push(None);
                continue;
            }
            let encoding = Rf_getCharCE(c);
            let text = match encoding {
                cetype_t::CE_LATIN1 => std::ffi::CStr::from_ptr(Rf_translateCharUTF8(c)).to_bytes(),
                cetype_t::CE_BYTES => return None,
                _ => std::slice::from_raw_parts(R_CHAR(c).cast::<u8>(), Rf_xlength(c) as usize),
            };
            out.push(Some(std::str::from_utf8(text).ok()?.to_string()));
        }
    }
    Some(out)
}

/// Builds the R value for a result. Zero-length vectors keep their type
/// (`character(0)`, `logical(0)`, ...), as paws returns them.
pub fn to_robj(value: &Value) -> Robj {
    match value {
        Value::Null | Value::Unsupported(_) => ().into(),
        Value::Logical(v) => Logicals::from_values(v.iter().map(|x| match x {
            Some(b) => Rbool::from(*b),
            None => Rbool::na(),
        }))
        .into(),
        Value::Integer(v) => Integers::from_values(v.iter().map(|x| match x {
            Some(i) => Rint::from(*i),
            None => Rint::na(),
        }))
        .into(),
        Value::Double(v) => doubles(v).into(),
        Value::Timestamp(v) => {
            let mut robj: Robj = doubles(v).into();
            // As paws returns times: POSIXct in GMT.
            let _ = robj.set_class(["POSIXct", "POSIXt"]);
            let _ = robj.set_attrib("tzone", "GMT");
            robj
        }
        Value::Character(v) => Strings::from_values(v.iter().map(|x| match x {
            // R strings cannot hold NUL; a NUL from the wire would make R
            // raise an error across Rust frames, so it is replaced.
            Some(s) if s.contains('\0') => Rstr::from(s.replace('\0', "\u{FFFD}").as_str()),
            Some(s) => Rstr::from(s.as_str()),
            None => Rstr::na(),
        }))
        .into(),
        Value::Raw(bytes) => Raw::from_bytes(bytes).into(),
        Value::List(list) => {
            let mut robj: Robj = List::from_values(list.values.iter().map(to_robj)).into();
            if let Some(names) = &list.names {
                if !names.is_empty() {
                    let _ = robj.set_names(names.iter().map(|n| n.replace('\0', "\u{FFFD}")));
                }
            }
            robj
        }
    }
}

fn doubles(v: &[Option<f64>]) -> Doubles {
    Doubles::from_values(v.iter().map(|x| match x {
        Some(d) => Rfloat::from(*d),
        None => Rfloat::na(),
    }))
}
