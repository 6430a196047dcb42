//! R objects <-> the [`Value`] tree. The only module that reads or builds R
//! objects for arguments and results; it runs on R's main thread only.
//!
//! It works on SEXPs with R's own API rather than through extendr's `Robj`
//! wrappers: those register every object in a global table, which cost more
//! than the rest of the conversion on a call's hot path. The result is handed
//! to extendr as one `Robj` at the end.

use extendr_api::prelude::Robj;
use extendr_api::GetSexp;
use extendr_ffi::{
    cetype_t, R_CHAR, R_ClassSymbol, R_NaInt, R_NaReal, R_NaString, R_NamesSymbol, R_NilValue, R_xlen_t, Rf_allocVector,
    Rf_getAttrib, Rf_install, Rf_mkCharLenCE, Rf_protect, Rf_setAttrib, Rf_unprotect, Rf_xlength, SET_STRING_ELT,
    SET_VECTOR_ELT, SEXP, SEXPTYPE, STRING_ELT, TYPEOF, VECTOR_ELT, INTEGER, LOGICAL, RAW, REAL,
};

use crate::value::{List, Value};

/// R lists nested deeper than this are refused rather than walked, so a
/// pathological argument cannot overflow the stack. AWS shapes are far shallower.
const MAX_DEPTH: usize = 64;

// Part of R's API (Rinternals.h); not bound by extendr-ffi. SEXP is an
// opaque pointer to R, as in extendr-ffi's own declarations.
#[allow(improper_ctypes)]
unsafe extern "C" {
    fn Rf_getCharCE(x: SEXP) -> cetype_t;
    fn Rf_translateCharUTF8(x: SEXP) -> *const std::os::raw::c_char;
    fn Rf_inherits(x: SEXP, class: *const std::os::raw::c_char) -> extendr_ffi::Rboolean;
    fn Rf_GetOption1(tag: SEXP) -> SEXP;
    fn Rf_asInteger(x: SEXP) -> std::os::raw::c_int;
}

/// The R option `name` as a whole number, if it is set to one.
pub fn integer_option(name: &std::ffi::CStr) -> Option<i32> {
    unsafe {
        let value = Rf_GetOption1(Rf_install(name.as_ptr()));
        if matches!(TYPEOF(value), SEXPTYPE::INTSXP | SEXPTYPE::REALSXP | SEXPTYPE::LGLSXP) && Rf_xlength(value) >= 1 {
            Some(Rf_asInteger(value)).filter(|&i| i != R_NaInt)
        } else {
            None
        }
    }
}

/// `x` with the character vector `lines` as its attribute `name`.
/// # Safety
/// `x` must be an unprotected SEXP fresh from this module; it is returned
/// unprotected, as [`to_sexp`] returns its results.
pub unsafe fn with_lines(x: SEXP, name: &std::ffi::CStr, lines: &[String]) -> SEXP {
    if lines.is_empty() {
        return x;
    }
    let x = Rf_protect(x);
    let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
    Rf_setAttrib(x, Rf_install(name.as_ptr()), character(&lines));
    Rf_unprotect(1);
    x
}

/// Converts an R argument into a [`Value`]. Never fails: what has no AWS
/// counterpart becomes [`Value::Unsupported`], reported later with its path.
pub fn from_robj(x: &Robj) -> Value {
    from_sexp(unsafe { x.get() })
}

/// [`from_robj`] for a SEXP that R passed to `.Call` (and so protects).
pub fn from_sexp(x: SEXP) -> Value {
    unsafe { from_sexp_at(x, 0) }
}

/// The string of a length-one character vector, if it is one.
pub fn scalar_string(x: SEXP) -> Option<String> {
    match from_sexp(x) {
        Value::Character(mut v) if v.len() == 1 => v.pop().flatten(),
        _ => None,
    }
}

fn inherits(x: SEXP, class: &std::ffi::CStr) -> bool {
    unsafe { Rf_inherits(x, class.as_ptr()) != extendr_ffi::Rboolean::FALSE }
}

/// # Safety
/// `x` must be a valid SEXP, protected by the caller. Allocates nothing.
unsafe fn from_sexp_at(x: SEXP, depth: usize) -> Value {
    let n = Rf_xlength(x) as usize;
    match TYPEOF(x) {
        SEXPTYPE::NILSXP => Value::Null,
        _ if inherits(x, c"factor") => Value::Unsupported("a factor (convert it with as.character())".to_string()),
        SEXPTYPE::LGLSXP => Value::Logical(
            slice(LOGICAL(x), n).iter().map(|&b| if b == R_NaInt { None } else { Some(b != 0) }).collect(),
        ),
        SEXPTYPE::INTSXP => {
            let values = slice(INTEGER(x), n).iter().map(|&i| if i == R_NaInt { None } else { Some(i) });
            if inherits(x, c"Date") {
                Value::Timestamp(values.map(|d| d.map(|days| f64::from(days) * 86_400.0)).collect())
            } else {
                Value::Integer(values.collect())
            }
        }
        SEXPTYPE::REALSXP => {
            // R's NA_real_ is one of the NaNs; any NaN is "not a number" to AWS.
            let values = slice(REAL(x), n).iter().map(|&d| if d.is_nan() { None } else { Some(d) }).collect();
            if inherits(x, c"POSIXct") {
                Value::Timestamp(values)
            } else if inherits(x, c"Date") {
                Value::Timestamp(values.into_iter().map(|d| d.map(|days| days * 86_400.0)).collect())
            } else {
                Value::Double(values)
            }
        }
        SEXPTYPE::STRSXP => match strings(x) {
            Some(v) => Value::Character(v),
            None => Value::Unsupported("a string that is not valid UTF-8".to_string()),
        },
        SEXPTYPE::RAWSXP => Value::Raw(slice(RAW(x), n).to_vec()),
        SEXPTYPE::VECSXP => {
            if depth >= MAX_DEPTH {
                return Value::Unsupported(format!("a list nested more than {MAX_DEPTH} levels deep"));
            }
            let names_sexp = Rf_getAttrib(x, R_NamesSymbol);
            let names = if TYPEOF(names_sexp) == SEXPTYPE::STRSXP {
                match strings(names_sexp) {
                    Some(v) => Some(v.into_iter().map(|n| n.unwrap_or_default().into()).collect()),
                    None => return Value::Unsupported("a list whose names are not valid UTF-8".to_string()),
                }
            } else {
                None
            };
            let values = (0..n).map(|i| from_sexp_at(VECTOR_ELT(x, i as R_xlen_t), depth + 1)).collect();
            Value::List(List { names, values })
        }
        other => Value::Unsupported(format!("an R object of type {}", type_name(other))),
    }
}

unsafe fn slice<'a, T>(data: *const T, n: usize) -> &'a [T] {
    if n == 0 {
        &[]
    } else {
        std::slice::from_raw_parts(data, n)
    }
}

fn type_name(t: SEXPTYPE) -> &'static str {
    match t {
        SEXPTYPE::CLOSXP | SEXPTYPE::BUILTINSXP | SEXPTYPE::SPECIALSXP => "function",
        SEXPTYPE::ENVSXP => "environment",
        SEXPTYPE::CPLXSXP => "complex",
        SEXPTYPE::SYMSXP => "symbol",
        SEXPTYPE::LANGSXP => "language (a call)",
        SEXPTYPE::EXPRSXP => "expression",
        SEXPTYPE::EXTPTRSXP => "externalptr",
        SEXPTYPE::S4SXP => "S4",
        SEXPTYPE::LISTSXP => "pairlist",
        _ => "unknown",
    }
}

/// The elements of a character vector as UTF-8, or `None` if one of them
/// cannot be: strings marked latin1 are translated, "bytes" and malformed
/// strings are refused (they cannot be sent as JSON text).
unsafe fn strings(x: SEXP) -> Option<Vec<Option<String>>> {
    let n = Rf_xlength(x);
    let mut out = Vec::with_capacity(n as usize);
    for i in 0..n {
        let c = STRING_ELT(x, i);
        if c == R_NaString {
            out.push(None);
            continue;
        }
        let text = match Rf_getCharCE(c) {
            cetype_t::CE_LATIN1 => std::ffi::CStr::from_ptr(Rf_translateCharUTF8(c)).to_bytes(),
            cetype_t::CE_BYTES => return None,
            _ => slice(R_CHAR(c).cast::<u8>(), Rf_xlength(c) as usize),
        };
        out.push(Some(std::str::from_utf8(text).ok()?.to_string()));
    }
    Some(out)
}

/// Builds the R value for a result. Zero-length vectors keep their type
/// (`character(0)`, `logical(0)`, ...), as paws returns them.
pub fn to_robj(value: &Value) -> Robj {
    unsafe { Robj::from_sexp(build(value)) }
}

/// [`to_robj`] as a SEXP to return from `.Call` straight away.
pub fn to_sexp(value: &Value) -> SEXP {
    unsafe { build(value) }
}

/// [`to_sexp`], with a class attribute.
pub fn to_sexp_with_class(value: &Value, class: &str) -> SEXP {
    unsafe {
        let x = Rf_protect(build(value));
        Rf_setAttrib(x, R_ClassSymbol, character(&[class]));
        Rf_unprotect(1);
        x
    }
}

/// # Safety
/// Returns an unprotected SEXP: the caller protects it or stores it in a
/// protected object before allocating anything else.
unsafe fn build(value: &Value) -> SEXP {
    match value {
        Value::Null | Value::Unsupported(_) => R_NilValue,
        Value::Logical(v) => {
            vector(SEXPTYPE::LGLSXP, v, |x, i, b| *LOGICAL(x).add(i) = b.map_or(R_NaInt, i32::from))
        }
        Value::Integer(v) => vector(SEXPTYPE::INTSXP, v, |x, i, n| *INTEGER(x).add(i) = n.unwrap_or(R_NaInt)),
        Value::Double(v) => vector(SEXPTYPE::REALSXP, v, |x, i, d| *REAL(x).add(i) = d.unwrap_or(R_NaReal)),
        Value::Timestamp(v) => {
            let x = Rf_protect(vector(SEXPTYPE::REALSXP, v, |x, i, d| *REAL(x).add(i) = d.unwrap_or(R_NaReal)));
            // As paws returns times: POSIXct in GMT.
            Rf_setAttrib(x, R_ClassSymbol, character(&["POSIXct", "POSIXt"]));
            Rf_setAttrib(x, Rf_install(c"tzone".as_ptr()), character(&["GMT"]));
            Rf_unprotect(1);
            x
        }
        Value::Character(v) => {
            let x = Rf_protect(Rf_allocVector(SEXPTYPE::STRSXP, v.len() as R_xlen_t));
            for (i, s) in v.iter().enumerate() {
                SET_STRING_ELT(x, i as R_xlen_t, s.as_deref().map_or(R_NaString, |s| charsxp(s)));
            }
            Rf_unprotect(1);
            x
        }
        Value::Raw(bytes) => vector(SEXPTYPE::RAWSXP, bytes, |x, i, b| *RAW(x).add(i) = *b),
        Value::List(list) => {
            let x = Rf_protect(Rf_allocVector(SEXPTYPE::VECSXP, list.values.len() as R_xlen_t));
            for (i, v) in list.values.iter().enumerate() {
                SET_VECTOR_ELT(x, i as R_xlen_t, build(v));
            }
            // A named list of length 0 keeps its (empty) names: `named list()`.
            if let Some(names) = list.names.as_deref() {
                let names: Vec<&str> = names.iter().map(AsRef::as_ref).collect();
                Rf_setAttrib(x, R_NamesSymbol, character(&names));
            }
            Rf_unprotect(1);
            x
        }
    }
}

/// An R vector of `kind` with one element per item, filled by `set`.
unsafe fn vector<T>(kind: SEXPTYPE, items: &[T], set: impl Fn(SEXP, usize, &T)) -> SEXP {
    let x = Rf_allocVector(kind, items.len() as R_xlen_t);
    for (i, item) in items.iter().enumerate() {
        set(x, i, item);
    }
    x
}

/// A character vector (unprotected; see [`to_sexp`]).
pub(crate) unsafe fn character(items: &[&str]) -> SEXP {
    let x = Rf_protect(Rf_allocVector(SEXPTYPE::STRSXP, items.len() as R_xlen_t));
    for (i, s) in items.iter().enumerate() {
        SET_STRING_ELT(x, i as R_xlen_t, charsxp(s));
    }
    Rf_unprotect(1);
    x
}

/// An R string in UTF-8. R strings cannot hold NUL, and R would raise an
/// error across Rust frames for one, so a NUL from the wire is replaced.
pub(crate) unsafe fn charsxp(s: &str) -> SEXP {
    if s.contains('\0') {
        let clean = s.replace('\0', "\u{FFFD}");
        return Rf_mkCharLenCE(clean.as_ptr().cast(), clean.len() as i32, cetype_t::CE_UTF8);
    }
    Rf_mkCharLenCE(s.as_ptr().cast(), s.len() as i32, cetype_t::CE_UTF8)
}
