//! Asking R, from inside a wait, whether the user pressed Ctrl-C.
//!
//! `R_CheckUserInterrupt()` answers an interrupt by jumping out of the
//! caller, which must never happen across Rust frames. `R_ToplevelExec` runs
//! it in a context of its own and reports the jump as `FALSE` instead.

use extendr_ffi::Rboolean;
use std::os::raw::c_void;

unsafe extern "C" {
    fn R_ToplevelExec(fun: extern "C" fn(*mut c_void), data: *mut c_void) -> Rboolean;
    fn R_CheckUserInterrupt();
}

extern "C" fn check_user_interrupt(_: *mut c_void) {
    unsafe { R_CheckUserInterrupt() }
}

/// True if R has an interrupt waiting (which this call consumes).
/// Must be called on R's main thread.
pub fn pending() -> bool {
    unsafe { R_ToplevelExec(check_user_interrupt, std::ptr::null_mut()) == Rboolean::FALSE }
}
