//! What a call does inside the SDK, seen through an interceptor: the attempts
//! it makes (error messages say how many) and the lines of the logging
//! switch paws users know, `options(paws.log_level = 1:4)`.
//!
//! Levels as in paws: at 1 (error) and 2 (warn) only what paws prints there,
//! a retry and why (paws.common itself sets level 2 when it loads, so a
//! session that uses paws for another service has it on); 3 (info) every
//! call, failed or not, and slow calls; 4 (debug) every attempt: endpoint
//! host, attempt number, HTTP status, milliseconds, request id, and the name
//! of the credentials provider that signed it. Lines hold names, numbers and
//! error codes only: never argument values, error messages (the service may
//! echo a value in them), headers or credentials. They are collected here
//! and handed to R after the call, which writes them to R's message stream
//! or to `paws.log_file`. With logging off (level 0, the default) nothing is
//! formatted or kept.

use std::cell::RefCell;
use std::future::Future;
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use aws_credential_types::provider::{future, ProvideCredentials, SharedCredentialsProvider};
use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::context::{
    BeforeTransmitInterceptorContextRef, FinalizerInterceptorContextRef,
};
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::ConfigBag;
use aws_smithy_types::date_time::{DateTime, Format};

pub const ERROR: u8 = 1;
pub const WARN: u8 = 2;
pub const INFO: u8 = 3;
pub const DEBUG: u8 = 4;

/// A call that takes longer than this is logged at `WARN` as slow.
const SLOW: Duration = Duration::from_secs(1);

static LEVEL: AtomicU8 = AtomicU8::new(0);
static LINES: Mutex<Vec<String>> = Mutex::new(Vec::new());

/// Sets the level for the calls that follow (R reads its option before each).
pub fn set_level(level: u8) {
    LEVEL.store(level.min(DEBUG), Ordering::Relaxed);
}

pub fn enabled(level: u8) -> bool {
    level <= LEVEL.load(Ordering::Relaxed)
}

/// Keeps a line for R, if `level` is on.
pub fn log(level: u8, message: impl FnOnce() -> String) {
    if !enabled(level) {
        return;
    }
    let label = ["ERROR", "WARN", "INFO", "DEBUG"][usize::from(level.clamp(ERROR, DEBUG) - 1)];
    let now = DateTime::from(std::time::SystemTime::now()).fmt(Format::DateTime).unwrap_or_default();
    let line = format!("{label} [{now}]: cognitoidp: {}", message());
    LINES.lock().unwrap_or_else(|p| p.into_inner()).push(line);
}

/// The lines kept since the last call, oldest first.
pub fn take() -> Vec<String> {
    if LEVEL.load(Ordering::Relaxed) == 0 {
        return Vec::new();
    }
    std::mem::take(&mut *LINES.lock().unwrap_or_else(|p| p.into_inner()))
}

/// What is known of the call running in this task.
struct Call {
    name: &'static str,
    attempts: u32,
    attempt_started: Option<Instant>,
    host: String,
    signer: Option<String>,
    /// The outcome of the last attempt: `HTTP 500`, `a timeout`, ...
    outcome: Option<String>,
}

tokio::task_local! {
    static CALL: RefCell<Call>;
}

/// How a call went, as the observer saw it.
pub struct Observed {
    pub attempts: u32,
    pub elapsed: Duration,
}

/// Runs one SDK call of operation `name` under observation.
pub async fn observe<F: Future>(name: &'static str, call: F) -> (F::Output, Observed) {
    let call_state = Call { name, attempts: 0, attempt_started: None, host: String::new(), signer: None, outcome: None };
    let started = Instant::now();
    CALL.scope(RefCell::new(call_state), async {
        let output = call.await;
        let attempts = CALL.with(|c| c.borrow().attempts);
        (output, Observed { attempts, elapsed: started.elapsed() })
    })
    .await
}

/// The log lines of a finished call, all at `INFO`: its outcome, or why it
/// failed (a handled `NotAuthorizedException` is no error of the session's,
/// and paws prints nothing for it at the lower levels), and a note if it
/// was slow. `failure` is the error code or kind of failure.
pub fn log_call(name: &str, observed: &Observed, failure: Option<(&str, Option<u16>, Option<&str>)>) {
    let ms = observed.elapsed.as_secs_f64() * 1000.0;
    let attempts = observed.attempts;
    match failure {
        None => {
            log(INFO, || format!("{name}: done in {ms:.1} ms, {attempts} attempt(s)"));
            if observed.elapsed >= SLOW {
                log(INFO, || format!("{name}: slow: {ms:.0} ms, {attempts} attempt(s)"));
            }
        }
        Some((what, status, request_id)) => log(INFO, || {
            let status = status.map(|s| format!(", HTTP {s}")).unwrap_or_default();
            let id = request_id.map(|r| format!(", request id {r}")).unwrap_or_default();
            format!("{name}: failed: {what}{status}, {attempts} attempt(s), {ms:.1} ms{id}")
        }),
    }
}

/// The interceptor every client carries.
#[derive(Debug)]
pub struct CallObserver {
    /// The provider of the credentials last handed to the signer.
    credentials: Arc<Mutex<Option<String>>>,
}

impl CallObserver {
    /// An observer, and the credentials provider to give the client instead
    /// of `inner`: it reports which provider of a chain answered.
    pub fn with_credentials(inner: Option<SharedCredentialsProvider>) -> (CallObserver, Option<SharedCredentialsProvider>) {
        let slot = Arc::new(Mutex::new(None));
        let recording = inner.map(|inner| SharedCredentialsProvider::new(RecordingProvider { inner, slot: slot.clone() }));
        (CallObserver { credentials: slot }, recording)
    }
}

fn with_call(f: impl FnOnce(&mut Call)) {
    // The SDK runs the attempts inside the future given to `observe`, so
    // the task-local is in scope; elsewhere there is nothing to record.
    let _ = CALL.try_with(|c| f(&mut c.borrow_mut()));
}

impl Intercept for CallObserver {
    fn name(&self) -> &'static str {
        "cognitoidp::CallObserver"
    }

    fn read_before_attempt(
        &self,
        _context: &BeforeTransmitInterceptorContextRef<'_>,
        _components: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        with_call(|call| {
            call.attempts += 1;
            call.attempt_started = Some(Instant::now());
            if call.attempts > 1 {
                let (name, n, why) = (call.name, call.attempts, call.outcome.as_deref().unwrap_or("an error"));
                log(WARN, || format!("{name}: retrying (attempt {n}) after {why}"));
            }
        });
        Ok(())
    }

    fn read_before_transmit(
        &self,
        context: &BeforeTransmitInterceptorContextRef<'_>,
        _components: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        if !enabled(DEBUG) {
            return Ok(());
        }
        let request = context.request();
        let host = request.uri().split("://").nth(1).unwrap_or("").split('/').next().unwrap_or("").to_string();
        let signed = request.headers().contains_key("authorization");
        let signer = signed.then(|| self.credentials.lock().ok().and_then(|s| s.clone()).unwrap_or_else(|| "unknown".into()));
        with_call(|call| {
            call.host = host;
            call.signer = signer;
        });
        Ok(())
    }

    fn read_after_attempt(
        &self,
        context: &FinalizerInterceptorContextRef<'_>,
        _components: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        // Only the log reads what follows: with it off, nothing is formatted.
        if !enabled(WARN) {
            return Ok(());
        }
        let status = context.response().map(|r| r.status().as_u16());
        let outcome = match (status, context.output_or_error()) {
            (Some(s), _) => format!("HTTP {s}"),
            (None, Some(Err(e))) if e.is_timeout_error() => "a timeout".to_string(),
            (None, Some(Err(e))) if e.is_connector_error() => "a connection failure".to_string(),
            (None, _) => "no answer".to_string(),
        };
        let request_id = context
            .response()
            .and_then(|r| r.headers().get("x-amzn-requestid").or_else(|| r.headers().get("x-amz-request-id")))
            .map(str::to_string);
        with_call(|call| {
            let ms = call.attempt_started.map_or(0.0, |t| t.elapsed().as_secs_f64() * 1000.0);
            log(DEBUG, || {
                let signed = match &call.signer {
                    Some(provider) => format!("signed with credentials from {provider}"),
                    None => "unsigned".to_string(),
                };
                let id = request_id.as_deref().unwrap_or("none");
                format!(
                    "{} attempt {}: {}, {outcome}, {ms:.1} ms, request id {id}, {signed}",
                    call.name, call.attempts, call.host
                )
            });
            call.outcome = Some(outcome);
        });
        Ok(())
    }
}

/// A credentials provider that remembers which provider answered (for the
/// debug log): the name the credentials carry, e.g. `Environment`,
/// `ProfileFile`, `cognitoidp-config`. Only the name is kept.
#[derive(Debug)]
struct RecordingProvider {
    inner: SharedCredentialsProvider,
    slot: Arc<Mutex<Option<String>>>,
}

impl ProvideCredentials for RecordingProvider {
    fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        future::ProvideCredentials::new(async move {
            let credentials = self.inner.provide_credentials().await?;
            if let Ok(mut slot) = self.slot.lock() {
                *slot = Some(provider_name(&credentials));
            }
            Ok(credentials)
        })
    }
}

/// The provider name of credentials. `Credentials` has no accessor for it;
/// its `Debug` form starts with it (and redacts the secret and token).
fn provider_name(credentials: &aws_credential_types::Credentials) -> String {
    let shown = format!("{credentials:?}");
    shown
        .split("provider_name: \"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap_or("unknown")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_provider_name_and_nothing_else_is_read_from_credentials() {
        let creds = aws_credential_types::Credentials::new("AKIDEXAMPLE", "very-secret", Some("token-secret".into()), None, "cognitoidp-config");
        assert_eq!(provider_name(&creds), "cognitoidp-config");
    }

    #[test]
    fn lines_are_kept_only_at_the_levels_switched_on() {
        set_level(0);
        log(ERROR, || "off".into());
        assert!(take().is_empty());
        set_level(INFO);
        log(DEBUG, || "too detailed".into());
        log(WARN, || "kept".into());
        let lines = take();
        assert_eq!(lines.len(), 1);
        assert!(lines[0].starts_with("WARN ["), "{}", lines[0]);
        assert!(lines[0].ends_with("]: cognitoidp: kept"), "{}", lines[0]);
        set_level(0);
    }
}
