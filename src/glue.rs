//! What every `.Call` entry point shares, below both `lib.rs` (the service's
//! operations) and `auth_calls.rs` (signing in, tokens): the log level R's
//! options ask for, a failure as the list R raises a condition from, and
//! panics kept from crossing into R.

use extendr_api::prelude::*;

use crate::errors::CallError;
use crate::{observe, rvalue};

/// Class of the list returned instead of a result when a call fails.
pub(crate) const FAILURE_CLASS: &str = "cognitoidp_failure";

/// Switches the log on or off for what follows, as `options(paws.log_level)` says.
pub(crate) fn read_log_level() {
    let level = rvalue::integer_option(c"paws.log_level").unwrap_or(0);
    observe::set_level(level.clamp(0, i32::from(observe::DEBUG)) as u8);
}

/// The clock, in unix seconds (0 for a clock before 1970).
pub(crate) fn unix_now() -> f64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0.0, |d| d.as_secs_f64())
}

pub(crate) fn failure_robj(error: &CallError) -> Robj {
    let mut robj = rvalue::to_robj(&error.to_value());
    let _ = robj.set_class([FAILURE_CLASS]);
    robj
}

/// Runs the body of a function R calls, turning a panic into a failure of
/// R class `cognitoidp_request_error` (extendr 0.9 would catch it too, but
/// raise an unclassed error carrying the panic's text, which may quote a
/// secret argument, and would abort R if that text held a NUL). No panic is
/// known to be reachable from R; this keeps a bug from being more than an
/// error.
pub(crate) fn guarded(function: &str, body: impl FnOnce() -> Robj) -> Robj {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(body))
        .unwrap_or_else(|_| failure_robj(&CallError::internal(function)))
}

/// The registration of a `.Call` routine that takes and returns raw SEXPs
/// (written by hand, outside `extendr_module!`): `args` are its arguments'
/// names, all SEXPs.
pub(crate) fn raw_routine(
    doc: &'static str,
    rust_name: &'static str,
    r_name: &'static str,
    c_name: &'static str,
    args: &[&'static str],
    func_ptr: *const u8,
) -> extendr_api::metadata::Func {
    extendr_api::metadata::Func {
        doc,
        rust_name,
        mod_name: "cognitoidp",
        r_name,
        c_name,
        args: args.iter().map(|&name| extendr_api::metadata::Arg { name, arg_type: "SEXP", default: None }).collect(),
        return_type: "SEXP",
        func_ptr,
        hidden: false,
        invisible: None,
    }
}
