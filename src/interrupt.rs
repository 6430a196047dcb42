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

/// SIGPIPE ignored while this lives, R's own handler put back after.
///
/// A socket write to a peer that has closed (a server that refuses a request
/// too large and hangs up, a proxy that drops the connection) raises SIGPIPE
/// where the write is vectored (`writev` takes no `MSG_NOSIGNAL`). R's
/// handler answers it with an R error, a `longjmp` out of the middle of the
/// tokio runtime: the runtime and the package's state are left broken, and
/// later calls fail. Ignored, the signal turns into the `EPIPE` error of the
/// write, which the HTTP stack reports as a failed request. Held around
/// every wait on the runtime (`client::block_on_with`), on R's main thread.
pub struct PipeSignalIgnored {
    #[cfg(unix)]
    previous: usize,
}

#[cfg(unix)]
mod signals {
    use std::os::raw::c_int;
    // The same numbers on Linux and macOS.
    pub const SIGPIPE: c_int = 13;
    pub const SIG_IGN: usize = 1;
    pub const SIG_ERR: usize = usize::MAX;
    unsafe extern "C" {
        // R installs its handler with signal() too, so restoring with it
        // keeps R's flags.
        pub fn signal(signum: c_int, handler: usize) -> usize;
    }
}

impl PipeSignalIgnored {
    #[cfg(unix)]
    pub fn new() -> PipeSignalIgnored {
        PipeSignalIgnored { previous: unsafe { signals::signal(signals::SIGPIPE, signals::SIG_IGN) } }
    }

    /// Windows has no SIGPIPE.
    #[cfg(not(unix))]
    pub fn new() -> PipeSignalIgnored {
        PipeSignalIgnored {}
    }
}

impl Default for PipeSignalIgnored {
    fn default() -> Self {
        PipeSignalIgnored::new()
    }
}

impl Drop for PipeSignalIgnored {
    fn drop(&mut self) {
        #[cfg(unix)]
        if self.previous != signals::SIG_ERR {
            unsafe { signals::signal(signals::SIGPIPE, self.previous) };
        }
    }
}
