//! cognitoidp: the Rust core of paws-compatible Amazon Cognito clients for
//! R (user pools and identity pools).
//!
//! Layers, from R downwards:
//! - `lib.rs`: the functions R calls (`.Call` entry points, via extendr)
//!   for the service's operations, and the assembly of all of them;
//!   `auth_calls.rs`, those of `auth/` (signing in, trusting tokens);
//!   `webapp_calls.rs`, those of `webapp/` (sealed cookies, random tokens
//!   and QR codes for the Shiny sign-in module); below them, `glue.rs`, what
//!   every entry point shares (the log level, failures as R lists);
//! - `rvalue.rs`: R objects <-> [`value::Value`], the neutral value tree;
//! - `services/` holds each service's generated operations and shapes, one
//!   folder per service; `operations/` is the generic operation and service
//!   they are made of, `batch.rs` runs many calls of one at once and
//!   `paginate.rs` pages through long results; `identity.rs` exchanges a
//!   user's tokens for AWS credentials at an identity pool, and
//!   `identity_calls.rs` has the functions R calls for it;
//! - the codec: `input.rs` reads arguments into the SDK's typed input and
//!   the request body, `output.rs` reads the answer's body into the value
//!   paws returns, `typed.rs` turns typed shapes into values (for the
//!   smallest valid arguments and the property tests); below them,
//!   `model/`, the model's shapes and rules, generated;
//! - `settings.rs` (configuration and credentials), `client.rs` (the tokio
//!   runtime and the SDK clients), `wire.rs` (the bodies the SDK sends and
//!   receives), `observe.rs` (attempts and the log), `interrupt.rs` (Ctrl-C
//!   while waiting);
//! - `errors.rs`: failures as data, raised as classed conditions in R.

pub mod auth;
mod auth_calls;
pub mod batch;
pub mod client;
pub mod errors;
mod glue;
pub mod identity;
mod identity_calls;
pub mod input;
pub mod interrupt;
pub mod model;
pub mod observe;
pub mod operations;
pub mod output;
pub mod paginate;
pub mod refreshing;
pub mod rvalue;
pub mod services;
pub mod settings;
pub mod typed;
pub mod value;
pub mod web;
pub mod webapp;
mod webapp_calls;
pub mod wire;

use extendr_api::prelude::*;
use extendr_api::SEXP;
use extendr_ffi::{
    R_ClearExternalPtr, R_ExternalPtrAddr, R_ExternalPtrProtected, R_ExternalPtrTag, R_MakeExternalPtr,
    R_RegisterCFinalizerEx, R_SetExternalPtrAddr, Rboolean, Rf_install, Rf_protect, Rf_unprotect, TYPEOF, SEXPTYPE,
};

use batch::Job;
use errors::CallError;
use glue::{failure_robj, guarded, read_log_level, FAILURE_CLASS};
use settings::Settings;
use value::Value;

/// The settings behind a handle made by `cip_settings_handle()`; `NULL`
/// stands for the default configuration (environment and shared files).
///
/// A handle is an external pointer to the parsed [`Settings`] that also
/// keeps, as its protected value, the list they were parsed from. R
/// serializes that list with the handle (`saveRDS()`, parallel workers) but
/// not the address, so a handle that arrives in another process has none:
/// its settings are parsed again from the list, once, on its first call.
pub(crate) fn settings_of(handle: &Robj) -> std::result::Result<Settings, CallError> {
    if handle.is_null() {
        return Ok(Settings::default());
    }
    let invalid = || CallError::request("the service object is not valid: make it with its constructor, such as cognitoidentityprovider()");
    let sexp = unsafe { handle.get() };
    // Only a pointer this package made (its tag says so) is read as Settings.
    if unsafe { TYPEOF(sexp) != SEXPTYPE::EXTPTRSXP || R_ExternalPtrTag(sexp) != handle_tag() } {
        return Err(invalid());
    }
    unsafe {
        let addr = R_ExternalPtrAddr(sexp) as *const Settings;
        if let Some(settings) = addr.as_ref() {
            return Ok(settings.clone());
        }
        let list = rvalue::from_sexp(R_ExternalPtrProtected(sexp));
        let settings = Settings::from_value(&list).map_err(|_| invalid())?;
        R_SetExternalPtrAddr(sexp, Box::into_raw(Box::new(settings.clone())).cast());
        R_RegisterCFinalizerEx(sexp, Some(drop_settings), Rboolean::TRUE);
        Ok(settings)
    }
}

/// The tag of the package's handles: a symbol, so unique in the session and
/// kept by serialization.
fn handle_tag() -> SEXP {
    unsafe { Rf_install(c"cognitoidp_settings".as_ptr()) }
}

extern "C" fn drop_settings(handle: SEXP) {
    unsafe {
        let addr = R_ExternalPtrAddr(handle) as *mut Settings;
        if !addr.is_null() {
            drop(Box::from_raw(addr));
            R_ClearExternalPtr(handle);
        }
    }
}

fn find_service(service: &str) -> std::result::Result<&'static operations::Service, CallError> {
    operations::find_service(service).ok_or_else(|| CallError::request(format!("unknown service `{service}`")))
}

fn find_operation(service: &str, name: &str) -> std::result::Result<&'static dyn operations::Operation, CallError> {
    find_service(service)?
        .operation(name)
        .ok_or_else(|| CallError::request(format!("unknown operation `{name}` of {service}")))
}

/// The SDK client of `service` for a service handle, and what messages call
/// its target.
fn connect(handle: &Robj, service: &str) -> std::result::Result<(client::AnyClient, String), CallError> {
    let settings = settings_of(handle)?;
    client::client(&settings, &find_service(service)?.client, interrupt::pending)
}

fn call(handle: &Robj, service: &str, operation: &str, args: &Value) -> std::result::Result<Value, CallError> {
    let op = find_operation(service, operation)?;
    // Arguments are checked before a client is built or anything is sent.
    let prepared = op.prepare(args)?;
    let (client, target) = connect(handle, service)?;
    let pending = prepared(client, target);
    client::block_on(pending, interrupt::pending).unwrap_or(Err(CallError::Interrupted))
}

/// Makes the handle a service object keeps (see [`settings_of`]). Secrets
/// stay out of R's printable objects: an external pointer prints as its
/// address, and R offers no way to read its protected value.
/// @noRd
#[extendr]
fn cip_settings_handle(settings: Robj) -> Robj {
    guarded("cip_settings_handle", || {
        match Settings::from_value(&rvalue::from_robj(&settings)) {
            Ok(s) => unsafe {
                let addr = Box::into_raw(Box::new(s));
                let handle = Rf_protect(R_MakeExternalPtr(addr.cast(), handle_tag(), settings.get()));
                R_RegisterCFinalizerEx(handle, Some(drop_settings), Rboolean::TRUE);
                let robj = Robj::from_sexp(handle);
                Rf_unprotect(1);
                robj
            },
            Err(message) => failure_robj(&CallError::request(message)),
        }
    })
}

/// `.Call(wrap__cip_call, handle, service, operation, args)`: calls
/// `operation` of `service` with the named list `args`. Returns the result, or a list of class
/// `cognitoidp_failure` describing why there is none.
///
/// The hot path takes and returns raw SEXPs instead of going through
/// `#[extendr]`: extendr 0.9 records every `Robj` it makes in a global table
/// whose compaction sizes it by the slots ever used (2 x full + 100,000), so
/// two new objects per call made resident memory grow with the number of
/// calls. A panic becomes a failure, never an unwinding across the FFI.
#[no_mangle]
pub extern "C" fn cip_call_sexp(handle: SEXP, service: SEXP, operation: SEXP, args: SEXP) -> SEXP {
    read_log_level();
    let outcome = std::panic::catch_unwind(|| {
        // The handle is the same object at every call of a service, so the
        // `Robj` made for it takes no new place in extendr's table.
        let handle = unsafe { Robj::from_sexp(handle) };
        let service = rvalue::scalar_string(service).unwrap_or_default();
        let operation = rvalue::scalar_string(operation).unwrap_or_default();
        call(&handle, &service, &operation, &rvalue::from_sexp(args))
    });
    // The panic's text is not shown: it may quote an argument, a password.
    let result = outcome.unwrap_or_else(|_| Err(CallError::internal("cip_call")));
    let sexp = match result {
        Ok(value) => rvalue::to_sexp(&value),
        Err(error) => rvalue::to_sexp_with_class(&error.to_value(), FAILURE_CLASS),
    };
    // The log lines of the call, if logging is on, for R to write out.
    unsafe { rvalue::with_lines(sexp, c"log", &observe::take()) }
}

/// Checks `args` for `operation` as a call would, without sending anything:
/// `NULL` if they would be sent, else the failure.
/// @noRd
#[extendr]
fn cip_check_args(service: &str, operation: &str, args: Robj) -> Robj {
    guarded("cip_check_args", || {
        let checked = find_operation(service, operation).and_then(|op| op.prepare(&rvalue::from_robj(&args)).map_err(CallError::from));
        match checked {
            Ok(_) => ().into(),
            Err(error) => failure_robj(&error),
        }
    })
}

/// The request body `args` make for `operation` (what a call would send), or
/// the failure: for tests of the wire.
/// @noRd
#[extendr]
fn cip_request_body(service: &str, operation: &str, args: Robj) -> Robj {
    guarded("cip_request_body", || {
        let body = find_operation(service, operation).and_then(|op| op.request_body(&rvalue::from_robj(&args)).map_err(CallError::from));
        match body {
            Ok(body) => body.into(),
            Err(error) => failure_robj(&error),
        }
    })
}

/// The smallest arguments `operation` accepts (required members only, with
/// placeholder values), for tests that every operation reaches the wire.
/// @noRd
#[extendr]
fn cip_minimal_args(service: &str, operation: &str) -> Robj {
    guarded("cip_minimal_args", || {
        match find_operation(service, operation) {
            Ok(op) => rvalue::to_robj(&op.minimal_args()),
            Err(error) => failure_robj(&error),
        }
    })
}

/// The value an operation returns when the server sends no members.
/// @noRd
#[extendr]
fn cip_output_template(service: &str, operation: &str) -> Robj {
    guarded("cip_output_template", || {
        match find_operation(service, operation) {
            Ok(op) => rvalue::to_robj(op.template()),
            Err(error) => failure_robj(&error),
        }
    })
}

/// A job (batch or pagination) R polls; `None` once its results are taken.
type JobSlot = Option<Box<dyn Job>>;

fn job_robj(started: std::result::Result<Box<dyn Job>, CallError>) -> Robj {
    match started {
        Ok(job) => ExternalPtr::new(Some(job) as JobSlot).into(),
        Err(error) => failure_robj(&error),
    }
}

/// Starts a batch: checks every request of the list `requests` and returns a
/// handle for `cip_job_poll()`; nothing is sent yet.
/// @noRd
#[extendr]
fn cip_batch_start(handle: Robj, service: &str, operation: &str, requests: Robj, concurrency: i32) -> Robj {
    guarded("cip_batch_start", || {
        job_robj((|| {
            let op = find_operation(service, operation)?;
            let requests = match rvalue::from_robj(&requests) {
                Value::List(list) => list.values,
                other => vec![other],
            };
            let (client, target) = connect(&handle, service)?;
            let concurrency = usize::try_from(concurrency).unwrap_or(1);
            Ok(Box::new(batch::Batch::new(op, client, target, &requests, concurrency)) as Box<dyn Job>)
        })())
    })
}

/// Starts paginating `operation` from the arguments `args` (paws's
/// `paginate()`); `max_items` is `NULL` or a number, `stop_on_same_token` a
/// flag. Returns a handle for `cip_job_poll()`; nothing is sent yet.
/// @noRd
#[extendr]
fn cip_paginate_start(
    handle: Robj,
    service: &str,
    operation: &str,
    args: Robj,
    max_items: Robj,
    stop_on_same_token: bool,
) -> Robj {
    guarded("cip_paginate_start", || {
        job_robj((|| {
            let op = find_operation(service, operation)?;
            let max_items = max_items.as_real().map(|m| m.clamp(0.0, usize::MAX as f64) as usize);
            let (client, target) = connect(&handle, service)?;
            let pager = paginate::Pager::new(op, client, target, rvalue::from_robj(&args), max_items, stop_on_same_token)?;
            Ok(Box::new(pager) as Box<dyn Job>)
        })())
    })
}

fn with_job<R>(job: &mut Robj, f: impl FnOnce(&mut JobSlot) -> R) -> Option<R> {
    let ptr: &mut ExternalPtr<JobSlot> = job.try_into().ok()?;
    ptr.try_addr_mut().ok().map(f)
}

/// Lets the job make progress for up to `seconds`; returns how much is
/// finished, or a failure if the user interrupted.
/// @noRd
#[extendr]
fn cip_job_poll(job: Robj, seconds: f64) -> Robj {
    guarded("cip_job_poll", || {
        read_log_level();
        let mut job = job;
        // `try_`: a NaN survives the clamp, and `from_secs_f64` panics on it.
        let budget = std::time::Duration::try_from_secs_f64(seconds.clamp(0.0, 3600.0)).unwrap_or_default();
        let polled = with_job(&mut job, |j| j.as_mut().map(|j| (j.poll(budget, interrupt::pending), j.is_done())));
        match polled.flatten() {
            Some((Ok(finished), done)) => {
                let log = Robj::from(observe::take());
                List::from_names_and_values(["finished", "done", "log"], [Robj::from(finished as f64), Robj::from(done), log])
                    .map(Robj::from)
                    .unwrap_or_else(|_| ().into())
            }
            Some((Err(_), _)) => failure_robj(&CallError::Interrupted),
            None => failure_robj(&CallError::request("the job is no longer running")),
        }
    })
}

/// Cancels what is still waiting or in flight.
/// @noRd
#[extendr]
fn cip_job_cancel(job: Robj) {
    let mut job = job;
    // Cancelling has nothing to report; a panic (a bug) must not reach R.
    let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| with_job(&mut job, |j| j.as_mut().map(|j| j.cancel()))));
}

/// The results of a job: each the value, or a failure.
/// @noRd
#[extendr]
fn cip_job_results(job: Robj) -> Robj {
    guarded("cip_job_results", || {
        let mut job = job;
        let results = with_job(&mut job, Option::take).flatten().map(|j| j.into_results());
        match results {
            Some(results) => List::from_values(results.iter().map(|r| match r {
                Ok(value) => rvalue::to_robj(value),
                Err(error) => failure_robj(error),
            }))
            .into(),
            None => failure_robj(&CallError::request("the job's results were already taken")),
        }
    })
}

/// Registers the package's `.Call` routines with R (from `R_init_cognitoidp`
/// in entrypoint.c): those `extendr_module!` lists, `wrap__cip_call`, and the
/// raw-SEXP routines of `auth_calls.rs`.
#[no_mangle]
pub extern "C" fn cognitoidp_register_routines(info: *mut extendr_api::DllInfo) {
    let mut metadata = get_cognitoidp_metadata();
    metadata.functions.push(glue::raw_routine(
        "Calls an operation (see cip_call_sexp)",
        "cip_call_sexp",
        "cip_call",
        "wrap__cip_call",
        &["handle", "service", "operation", "args"],
        cip_call_sexp as *const u8,
    ));
    metadata.functions.extend(auth_calls::raw_routines());
    unsafe { extendr_api::register_call_methods(info, metadata) }
}

extendr_module! {
    mod cognitoidp;
    use auth_calls;
    use identity_calls;
    use webapp_calls;
    fn cip_settings_handle;
    fn cip_check_args;
    fn cip_request_body;
    fn cip_output_template;
    fn cip_minimal_args;
    fn cip_batch_start;
    fn cip_paginate_start;
    fn cip_job_poll;
    fn cip_job_cancel;
    fn cip_job_results;
}
