//! cognitoidp: the Rust core of a paws-compatible Amazon Cognito user-pools
//! client for R.
//!
//! Layers, from R downwards:
//! - `lib.rs`: the functions R calls (`.Call` entry points, via extendr);
//! - `rvalue.rs`: R objects <-> [`value::Value`], the neutral value tree;
//! - `input.rs` / `output.rs`: `Value` <-> the SDK's typed shapes, driven by
//!   the shapes' Smithy schemas; `operations.rs` lists the operations and
//!   `batch.rs` runs many calls of one at once;
//! - `settings.rs` (configuration and credentials), `client.rs` (the tokio
//!   runtime and the SDK clients), `interrupt.rs` (Ctrl-C while waiting);
//! - `errors.rs`: failures as data, raised as classed conditions in R.

pub mod batch;
pub mod client;
pub mod errors;
pub mod input;
pub mod interrupt;
pub mod operations;
pub mod output;
pub mod rvalue;
pub mod settings;
pub mod value;

use extendr_api::prelude::*;
use extendr_api::SEXP;

use errors::CallError;
use settings::Settings;
use value::Value;

/// Class of the list returned instead of a result when a call fails.
const FAILURE_CLASS: &str = "cognitoidp_failure";

fn failure_robj(error: &CallError) -> Robj {
    let mut robj = rvalue::to_robj(&error.to_value());
    let _ = robj.set_class([FAILURE_CLASS]);
    robj
}

/// The settings behind a handle made by `cip_settings_handle()`; `NULL`
/// stands for the default configuration (environment and shared files).
fn settings_of(handle: &Robj) -> std::result::Result<Settings, CallError> {
    if handle.is_null() {
        return Ok(Settings::default());
    }
    let invalid = || CallError::request("the service object is not valid (was it saved and loaded in another session?)");
    let ptr: &ExternalPtr<Settings> = handle.try_into().map_err(|_| invalid())?;
    ptr.try_addr().cloned().map_err(|_| invalid())
}

fn find_operation(name: &str) -> std::result::Result<&'static dyn operations::Operation, CallError> {
    operations::find(name).ok_or_else(|| CallError::request(format!("unknown operation `{name}`")))
}

/// The SDK client for a service handle, and what messages call its target.
fn connect(handle: &Robj) -> std::result::Result<(aws_sdk_cognitoidentityprovider::Client, String), CallError> {
    let settings = settings_of(handle)?;
    let client = client::client(&settings, interrupt::pending)?;
    let target = client::target(&settings, &client);
    Ok((client, target))
}

fn call(handle: &Robj, operation: &str, args: &Value) -> std::result::Result<Value, CallError> {
    let op = find_operation(operation)?;
    // Arguments are checked before a client is built or anything is sent.
    let prepared = op.prepare(args)?;
    let (client, target) = connect(handle)?;
    let pending = prepared(client, target);
    client::block_on(pending, interrupt::pending).unwrap_or(Err(CallError::Interrupted))
}

/// Makes the handle a service object keeps: an external pointer to its
/// settings. Secrets stay on the Rust side, out of R's printable objects.
/// @noRd
#[extendr]
fn cip_settings_handle(settings: Robj) -> Robj {
    match Settings::from_value(&rvalue::from_robj(&settings)) {
        Ok(s) => ExternalPtr::new(s).into(),
        Err(message) => failure_robj(&CallError::request(message)),
    }
}

/// `.Call(wrap__cip_call, handle, operation, args)`: calls `operation` with
/// the named list `args`. Returns the result, or a list of class
/// `cognitoidp_failure` describing why there is none.
///
/// The hot path takes and returns raw SEXPs instead of going through
/// `#[extendr]`: extendr 0.9 records every `Robj` it makes in a global table
/// whose compaction sizes it by the slots ever used (2 x full + 100,000), so
/// two new objects per call made resident memory grow with the number of
/// calls. A panic becomes a failure, never an unwinding across the FFI.
#[no_mangle]
pub extern "C" fn cip_call_sexp(handle: SEXP, operation: SEXP, args: SEXP) -> SEXP {
    let outcome = std::panic::catch_unwind(|| {
        // The handle is the same object at every call of a service, so the
        // `Robj` made for it takes no new place in extendr's table.
        let handle = unsafe { Robj::from_sexp(handle) };
        let operation = rvalue::scalar_string(operation).unwrap_or_default();
        call(&handle, &operation, &rvalue::from_sexp(args))
    });
    let result = outcome
        .unwrap_or_else(|panic| Err(CallError::request(format!("internal error: {}", errors::panic_reason(&*panic)))));
    match result {
        Ok(value) => rvalue::to_sexp(&value),
        Err(error) => rvalue::to_sexp_with_class(&error.to_value(), FAILURE_CLASS),
    }
}

/// Checks `args` for `operation` as a call would, without sending anything:
/// `NULL` if they would be sent, else the failure.
/// @noRd
#[extendr]
fn cip_check_args(operation: &str, args: Robj) -> Robj {
    let checked = find_operation(operation).and_then(|op| op.prepare(&rvalue::from_robj(&args)).map_err(CallError::from));
    match checked {
        Ok(_) => ().into(),
        Err(error) => failure_robj(&error),
    }
}

/// The value an operation returns when the server sends no members.
/// @noRd
#[extendr]
fn cip_output_template(operation: &str) -> Robj {
    match find_operation(operation) {
        Ok(op) => rvalue::to_robj(op.template()),
        Err(error) => failure_robj(&error),
    }
}

/// Starts a batch: checks every request of the list `requests` and returns a
/// handle for `cip_batch_poll()`; nothing is sent yet.
/// @noRd
#[extendr]
fn cip_batch_start(handle: Robj, operation: &str, requests: Robj, concurrency: i32) -> Robj {
    let started = (|| -> std::result::Result<batch::Batch, CallError> {
        let op = find_operation(operation)?;
        let requests = match rvalue::from_robj(&requests) {
            Value::List(list) => list.values,
            other => vec![other],
        };
        let (client, target) = connect(&handle)?;
        let concurrency = usize::try_from(concurrency).unwrap_or(1);
        Ok(batch::Batch::new(op, client, target, &requests, concurrency))
    })();
    match started {
        Ok(job) => ExternalPtr::new(Some(job)).into(),
        Err(error) => failure_robj(&error),
    }
}

fn with_batch<R>(job: &mut Robj, f: impl FnOnce(&mut Option<batch::Batch>) -> R) -> Option<R> {
    let ptr: &mut ExternalPtr<Option<batch::Batch>> = job.try_into().ok()?;
    ptr.try_addr_mut().ok().map(f)
}

/// Lets the batch make progress for up to `seconds`; returns the number of
/// finished calls, or a failure if the user interrupted.
/// @noRd
#[extendr]
fn cip_batch_poll(job: Robj, seconds: f64) -> Robj {
    let mut job = job;
    let budget = std::time::Duration::from_secs_f64(seconds.clamp(0.0, 3600.0));
    let polled = with_batch(&mut job, |b| b.as_mut().map(|b| b.poll(budget, interrupt::pending)));
    match polled.flatten() {
        Some(Ok(finished)) => Robj::from(finished as i32),
        Some(Err(_)) => failure_robj(&CallError::Interrupted),
        None => failure_robj(&CallError::request("the batch is no longer running")),
    }
}

/// Cancels what is still waiting or in flight.
/// @noRd
#[extendr]
fn cip_batch_cancel(job: Robj) {
    let mut job = job;
    with_batch(&mut job, |b| b.as_mut().map(batch::Batch::cancel));
}

/// The results of a batch, in request order: each the value, or a failure.
/// @noRd
#[extendr]
fn cip_batch_results(job: Robj) -> Robj {
    let mut job = job;
    let results = with_batch(&mut job, Option::take).flatten().map(batch::Batch::into_results);
    match results {
        Some(results) => List::from_values(results.iter().map(|r| match r {
            Ok(value) => rvalue::to_robj(value),
            Err(error) => failure_robj(error),
        }))
        .into(),
        None => failure_robj(&CallError::request("the batch results were already taken")),
    }
}

/// Registers the package's `.Call` routines with R (from `R_init_cognitoidp`
/// in entrypoint.c): those `extendr_module!` lists, and `wrap__cip_call`.
#[no_mangle]
pub extern "C" fn cognitoidp_register_routines(info: *mut extendr_api::DllInfo) {
    let mut metadata = get_cognitoidp_metadata();
    let arg = |name| extendr_api::metadata::Arg { name, arg_type: "SEXP", default: None };
    metadata.functions.push(extendr_api::metadata::Func {
        doc: "Calls an operation (see cip_call_sexp)",
        rust_name: "cip_call_sexp",
        mod_name: "cognitoidp",
        r_name: "cip_call",
        c_name: "wrap__cip_call",
        args: vec![arg("handle"), arg("operation"), arg("args")],
        return_type: "SEXP",
        func_ptr: cip_call_sexp as *const u8,
        hidden: false,
        invisible: None,
    });
    unsafe { extendr_api::register_call_methods(info, metadata) }
}

extendr_module! {
    mod cognitoidp;
    fn cip_settings_handle;
    fn cip_check_args;
    fn cip_output_template;
    fn cip_batch_start;
    fn cip_batch_poll;
    fn cip_batch_cancel;
    fn cip_batch_results;
}
