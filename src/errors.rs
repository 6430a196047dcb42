//! Why a call failed, as data. extendr turns a Rust `Err` into a plain R
//! error without classes, so failures travel to R as a list and the R layer
//! raises the classed condition (`R/errors.R`).

use std::error::Error as StdError;

use aws_credential_types::provider::error::CredentialsError;
use aws_sdk_cognitoidentityprovider::error::{ProvideErrorMetadata, SdkError};
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::result::ConnectorError;

use crate::input::InputError;
use crate::value::Value;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FailureKind {
    /// No usable credentials were found, or resolving them failed.
    Credentials,
    /// The request could not be sent: refused, unreachable, DNS.
    Connection,
    /// The TLS handshake failed (an untrusted or invalid certificate, ...).
    /// A kind of connection failure: R classes it as both.
    Tls,
    /// No answer within the configured time.
    Timeout,
    /// An answer came but could not be read.
    Response,
    /// The request could not be built (no region, a bad endpoint, ...).
    Request,
}

impl FailureKind {
    pub fn as_str(&self) -> &'static str {
        match self {
            FailureKind::Credentials => "credentials",
            FailureKind::Connection => "connection",
            FailureKind::Tls => "tls",
            FailureKind::Timeout => "timeout",
            FailureKind::Response => "response",
            FailureKind::Request => "request",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum CallError {
    /// A bad argument; nothing was sent.
    Input(InputError),
    /// The service answered with an error. `attempts` counts the first try
    /// and the retries (0 where not known).
    Service { code: String, message: String, status: u16, request_id: Option<String>, attempts: u32 },
    /// Failed without an answer from the service.
    Failure { kind: FailureKind, message: String, attempts: u32 },
    /// A token that is not to be trusted; `class` says which check failed
    /// (an R condition class under `cognitoidp_token_error`).
    Token { class: &'static str, message: String },
    /// The user interrupted the wait; the request was abandoned.
    Interrupted,
}

impl From<InputError> for CallError {
    fn from(e: InputError) -> Self {
        CallError::Input(e)
    }
}

impl CallError {
    /// Classifies an SDK error. `target` says what was being called (the
    /// endpoint, or the region), for the messages of failures without answer.
    pub fn from_sdk<E>(err: SdkError<E, HttpResponse>, target: &str) -> CallError
    where
        E: ProvideErrorMetadata + StdError + Send + Sync + 'static,
    {
        if let SdkError::ServiceError(ctx) = &err {
            let raw = ctx.raw();
            return match ctx.err().code() {
                Some(code) => CallError::Service {
                    code: code.to_string(),
                    message: ctx.err().message().unwrap_or_default().to_string(),
                    status: raw.status().as_u16(),
                    request_id: request_id(raw),
                    attempts: 0,
                },
                None => unknown_service_error(raw),
            };
        }
        // An error status whose body the SDK could not read is still the
        // service's answer: paws calls it "UnknownError", with the HTTP classes.
        if let SdkError::ResponseError(ctx) = &err {
            if ctx.raw().status().as_u16() >= 300 {
                return unknown_service_error(ctx.raw());
            }
        }
        let detail = error_chain(&err);
        if has_source::<CredentialsError>(&err) {
            return failure(
                FailureKind::Credentials,
                format!(
                    "No usable AWS credentials: {detail}. Looked in config$credentials, the environment \
                     (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_PROFILE), the shared files \
                     (~/.aws/credentials, ~/.aws/config), SSO, web identity, and container and instance roles."
                ),
            );
        }
        // Without a region, the endpoint rules (no endpoint URL given) or
        // the signer (with one) fail with these texts.
        if detail.contains("Missing Region") || detail.contains("missing signing region") {
            return failure(
                FailureKind::Request,
                format!("{detail}. Set a region: config$region, the AWS_REGION variable, or a profile's `region`."),
            );
        }
        match &err {
            SdkError::TimeoutError(_) => timeout(target, &detail),
            SdkError::DispatchFailure(ctx) if ctx.is_timeout() => timeout(target, &detail),
            SdkError::DispatchFailure(_) if has_source::<rustls::Error>(&err) => failure(
                FailureKind::Tls,
                format!(
                    "The TLS connection to {target} failed: {detail}. If the endpoint uses a private CA, \
                     point AWS_CA_BUNDLE (or `ca_bundle` in your profile) at its certificate."
                ),
            ),
            SdkError::DispatchFailure(_) => failure(
                FailureKind::Connection,
                format!("Could not send the request to {target}: {detail}. Check the endpoint, the network and any proxy."),
            ),
            SdkError::ResponseError(ctx) => {
                let raw = ctx.raw();
                let content_type = raw.headers().get("content-type").unwrap_or("none");
                failure(
                    FailureKind::Response,
                    format!(
                        "The answer from {target} (HTTP {}, content type {content_type}) could not be read as the \
                         operation's JSON: {detail}",
                        raw.status().as_u16()
                    ),
                )
            }
            _ => failure(FailureKind::Request, format!("The request could not be built: {detail}")),
        }
    }

    /// A request that could not be built or made.
    pub fn request(message: impl Into<String>) -> CallError {
        failure(FailureKind::Request, message.into())
    }

    /// A failure of a request that is not an AWS API call (`web.rs`): no
    /// answer from `target` in time, a failed TLS handshake, or no connection.
    pub fn from_connector(err: &ConnectorError, target: &str) -> CallError {
        let detail = error_chain(err);
        if err.is_timeout() {
            failure(FailureKind::Timeout, format!("No answer from {target} in time: {detail}"))
        } else if has_source::<rustls::Error>(err) {
            failure(
                FailureKind::Tls,
                format!(
                    "The TLS connection to {target} failed: {detail}. If it uses a private CA, point \
                     AWS_CA_BUNDLE (or `ca_bundle` in your profile) at its certificate."
                ),
            )
        } else {
            failure(
                FailureKind::Connection,
                format!("Could not send the request to {target}: {detail}. Check the URL, the network and any proxy."),
            )
        }
    }

    /// A panic caught before it reached R: a bug, reported without its
    /// text (a panic message can quote the input, which may be a secret).
    pub fn internal(function: &str) -> CallError {
        failure(
            FailureKind::Request,
            format!("internal error in {function}: the call was stopped before it could finish (please report this)"),
        )
    }

    /// This failure with `note` added to its message (its kind, and so its R
    /// class, unchanged).
    pub fn with_note(mut self, note: &str) -> CallError {
        match &mut self {
            CallError::Service { message, .. } | CallError::Failure { message, .. } | CallError::Token { message, .. } => {
                message.push_str(note);
            }
            CallError::Input(_) | CallError::Interrupted => {}
        }
        self
    }

    /// An answer that could not be used.
    pub fn response(message: impl Into<String>) -> CallError {
        failure(FailureKind::Response, message.into())
    }

    /// What the log says of this failure: the error code or kind, the HTTP
    /// status and request id if there was an answer. Never the message.
    pub fn log_summary(&self) -> (&str, Option<u16>, Option<&str>) {
        match self {
            CallError::Service { code, status, request_id, .. } => (code, Some(*status), request_id.as_deref()),
            CallError::Failure { kind, .. } => (kind.as_str(), None, None),
            CallError::Input(_) => ("invalid arguments", None, None),
            CallError::Token { .. } => ("untrusted token", None, None),
            CallError::Interrupted => ("interrupted", None, None),
        }
    }

    /// What went wrong, in words (without the attempts count).
    pub fn message(&self) -> String {
        match self {
            CallError::Input(e) => e.to_string(),
            CallError::Service { message, .. } | CallError::Failure { message, .. } | CallError::Token { message, .. } => {
                message.clone()
            }
            CallError::Interrupted => "interrupted".to_string(),
        }
    }

    /// Records how many attempts the failed call made.
    pub fn with_attempts(mut self, n: u32) -> CallError {
        match &mut self {
            CallError::Service { attempts, .. } | CallError::Failure { attempts, .. } => *attempts = n,
            CallError::Input(_) | CallError::Token { .. } | CallError::Interrupted => {}
        }
        self
    }

    /// The list the R layer turns into a condition.
    pub fn to_value(&self) -> Value {
        let string = |s: &str| Value::string(s);
        match self {
            CallError::Input(e) => Value::named_list(vec![
                ("kind", string("param")),
                ("message", string(&e.to_string())),
                ("path", string(&e.path)),
            ]),
            CallError::Service { code, message, status, request_id, attempts } => Value::named_list(vec![
                ("kind", string("service")),
                ("code", string(code)),
                ("message", string(message)),
                ("status_code", Value::Integer(vec![Some(i32::from(*status))])),
                ("request_id", Value::Character(vec![request_id.clone()])),
                ("attempts", count(*attempts)),
            ]),
            CallError::Failure { kind, message, attempts } => {
                let message = match attempts {
                    0 | 1 => message.clone(),
                    n => format!("{message} (after {n} attempts)"),
                };
                Value::named_list(vec![
                    ("kind", string(kind.as_str())),
                    ("message", string(&message)),
                    ("attempts", count(*attempts)),
                ])
            }
            CallError::Token { class, message } => Value::named_list(vec![
                ("kind", string("token")),
                ("class", string(class)),
                ("message", string(message)),
            ]),
            CallError::Interrupted => Value::named_list(vec![
                ("kind", string("interrupt")),
                ("message", string("The call was interrupted; the request was abandoned.")),
            ]),
        }
    }
}

/// The message a panic carried, if it was text.
pub fn panic_reason(payload: &(dyn std::any::Any + Send)) -> &str {
    payload
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| payload.downcast_ref::<&str>().copied())
        .unwrap_or("unknown reason")
}

fn failure(kind: FailureKind, message: String) -> CallError {
    CallError::Failure { kind, message, attempts: 0 }
}

/// An attempt count for R: `NA` where it is not known.
fn count(attempts: u32) -> Value {
    Value::Integer(vec![(attempts > 0).then(|| attempts.min(i32::MAX as u32) as i32)])
}

fn timeout(target: &str, detail: &str) -> CallError {
    failure(
        FailureKind::Timeout,
        format!("No answer from {target} in time: {detail}. Raise config$timeout, or check that the endpoint is reachable."),
    )
}

/// A service error without an AWS error code, usually a proxy's or load
/// balancer's page: the message is the start of a plain-text body, and only
/// says what the body was for markup.
fn unknown_service_error(raw: &HttpResponse) -> CallError {
    const MAX_CHARS: usize = 200;
    let body = raw.body().bytes().map(String::from_utf8_lossy).unwrap_or_default();
    let body = body.trim();
    let content_type = raw.headers().get("content-type").unwrap_or("none");
    let message = if body.is_empty() {
        "The answer carried no AWS error code and no body.".to_string()
    } else if body.starts_with('<') {
        format!("The answer carried no AWS error code; its body is a page of type {content_type}.")
    } else {
        let mut text: String = body.chars().take(MAX_CHARS).collect();
        if body.chars().nth(MAX_CHARS).is_some() {
            text.push_str("...");
        }
        text
    };
    CallError::Service {
        code: "UnknownError".to_string(),
        message,
        status: raw.status().as_u16(),
        request_id: request_id(raw),
        attempts: 0,
    }
}

fn request_id(raw: &HttpResponse) -> Option<String> {
    ["x-amzn-requestid", "x-amz-request-id"]
        .iter()
        .find_map(|h| raw.headers().get(*h))
        .map(str::to_string)
}

/// The error and its sources, as one line of their `Display` texts. (The
/// SDK's `DisplayErrorContext` adds each error's `Debug` form, which is noise
/// in an R message.) A text already contained in the previous one is skipped.
fn error_chain(err: &(dyn StdError + 'static)) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut current = Some(err);
    while let Some(e) = current {
        let text = e.to_string();
        if !text.is_empty() && !parts.last().is_some_and(|last| last.contains(&text)) {
            parts.push(text);
        }
        current = e.source();
    }
    parts.join(": ")
}

fn has_source<T: StdError + 'static>(err: &(dyn StdError + 'static)) -> bool {
    let mut current = Some(err);
    while let Some(e) = current {
        if e.is::<T>() {
            return true;
        }
        // An io::Error's source() skips the error it wraps; look at it too.
        if let Some(inner) = e.downcast_ref::<std::io::Error>().and_then(|io| io.get_ref()) {
            if has_source::<T>(inner) {
                return true;
            }
        }
        current = e.source();
    }
    false
}
