//! Plain HTTPS requests that are not AWS API calls: a user pool's key set,
//! and the OAuth 2.0 endpoints of its domain. They go through the package's
//! HTTP stack (`client::web_connector`), so proxies and CA bundles work as
//! for every call.
//!
//! Every request has an end: the whole exchange (connecting, sending, and
//! reading the last byte of the answer) must finish within the caller's
//! deadline, and an answer is read only up to [`MAX_BODY`] bytes. A server
//! that sends its headers and then a byte now and then is cut off at the
//! deadline; one that sends too much is cut off at the cap, not after it.

use std::time::Duration;

use aws_smithy_runtime_api::client::http::{HttpConnector, SharedHttpConnector};
use aws_smithy_runtime_api::client::orchestrator::HttpRequest;
use aws_smithy_types::body::SdkBody;
use aws_smithy_types::byte_stream::ByteStream;

use crate::errors::{CallError, FailureKind};
use crate::observe::{self, INFO};

/// An answer, whatever its status.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub content_type: String,
    pub body: Vec<u8>,
}

/// The largest answer read: key sets and token answers are a few KB.
pub const MAX_BODY: usize = 1 << 20;

/// The longest deadline accepted; a longer (or non-finite) one is clamped.
/// R checks the options it comes from, so this only guards other callers.
const MAX_DEADLINE: Duration = Duration::from_secs(3600);

/// A deadline of `seconds` for a whole exchange: a finite, positive number
/// of seconds up to an hour (anything else is clamped into that range, never
/// a panic of `Duration::from_secs_f64`).
pub fn deadline(seconds: f64) -> Duration {
    if seconds.is_nan() || seconds <= 0.0 {
        return Duration::from_millis(1);
    }
    Duration::try_from_secs_f64(seconds).map_or(MAX_DEADLINE, |d| d.min(MAX_DEADLINE))
}

/// Sends `method url` with `headers` and `body`, and reads the answer, all
/// within `deadline`.
pub async fn send(
    connector: &SharedHttpConnector,
    method: &str,
    url: &str,
    headers: &[(&'static str, String)],
    body: Option<String>,
    deadline: Duration,
) -> Result<Answer, CallError> {
    // The URL without its query: what errors and log lines may show.
    let target = url.split('?').next().unwrap_or(url);
    let started = std::time::Instant::now();
    let answer = match tokio::time::timeout(deadline, exchange(connector, method, url, target, headers, body)).await {
        Ok(answer) => answer,
        Err(_elapsed) => Err(past_deadline(target, deadline)),
    };
    // As the API calls' lines at INFO: the method, URL, status and time only.
    let ms = started.elapsed().as_secs_f64() * 1000.0;
    match &answer {
        Ok(a) => observe::log(INFO, || format!("{method} {target}: HTTP {}, {ms:.1} ms", a.status)),
        Err(e) => observe::log(INFO, || format!("{method} {target}: failed: {}, {ms:.1} ms", e.log_summary().0)),
    }
    answer
}

/// The failure of an exchange that did not finish in time.
pub fn past_deadline(target: &str, deadline: Duration) -> CallError {
    CallError::Failure {
        kind: FailureKind::Timeout,
        message: format!(
            "No complete answer from {target} within {} s; the request was abandoned.",
            trim_seconds(deadline.as_secs_f64())
        ),
        attempts: 0,
    }
}

/// Seconds as R would print them: `5`, `0.25`.
fn trim_seconds(seconds: f64) -> String {
    let text = format!("{seconds:.3}");
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

async fn exchange(
    connector: &SharedHttpConnector,
    method: &str,
    url: &str,
    target: &str,
    headers: &[(&'static str, String)],
    body: Option<String>,
) -> Result<Answer, CallError> {
    let mut request = HttpRequest::new(body.map_or_else(SdkBody::empty, SdkBody::from));
    request.set_method(method).map_err(|e| CallError::request(format!("the method {method} is not valid: {e}")))?;
    request.set_uri(url).map_err(|e| CallError::request(format!("the URL {target} is not valid: {e}")))?;
    for (name, value) in headers {
        // R refuses such values before they get here (they name the
        // argument there); this keeps any other caller from a panic. The
        // value itself may be a secret and is not shown.
        request
            .headers_mut()
            .try_insert(*name, value.clone())
            .map_err(|_| CallError::request(format!("the {name} header would not be a valid HTTP header value")))?;
    }
    let response = connector.call(request).await.map_err(|e| CallError::from_connector(&e, target))?;
    let status = response.status().as_u16();
    let content_type = response.headers().get("content-type").unwrap_or("").to_string();
    let too_large = || CallError::response(format!("the answer from {target} is larger than {MAX_BODY} bytes"));
    let mut stream = ByteStream::new(response.into_body());
    // A declared length over the cap is refused before reading any of it.
    if stream.size_hint().0 > MAX_BODY as u64 {
        return Err(too_large());
    }
    let mut bytes: Vec<u8> = Vec::new();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|e| CallError::response(format!("the answer from {target} could not be read: {e}")))?;
        // Checked before the chunk is kept: at most the cap plus one chunk
        // is ever in memory, and reading stops there.
        if chunk.len() > MAX_BODY.saturating_sub(bytes.len()) {
            return Err(too_large());
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(Answer { status, content_type, body: bytes })
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_smithy_runtime_api::client::http::HttpConnectorFuture;
    use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
    use aws_smithy_runtime_api::client::result::ConnectorError;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;

    /// A connector that answers with `answer` (a body of that many bytes),
    /// or never if `None`, and counts the requests it gets.
    #[derive(Debug, Clone)]
    struct Stub {
        answer: Option<usize>,
        calls: Arc<AtomicUsize>,
    }

    impl HttpConnector for Stub {
        fn call(&self, _request: HttpRequest) -> HttpConnectorFuture {
            self.calls.fetch_add(1, Ordering::SeqCst);
            match self.answer {
                Some(size) => {
                    let status = 200u16.try_into().map_err(|e| ConnectorError::other(Box::new(e), None));
                    HttpConnectorFuture::ready(status.map(|status| HttpResponse::new(status, SdkBody::from(vec![b' '; size]))))
                }
                None => HttpConnectorFuture::new(std::future::pending()),
            }
        }
    }

    fn run(answer: Option<usize>, headers: &[(&'static str, String)], deadline: Duration) -> (Result<Answer, CallError>, usize) {
        let calls = Arc::new(AtomicUsize::new(0));
        let connector = SharedHttpConnector::new(Stub { answer, calls: calls.clone() });
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime");
        let result = runtime.block_on(send(&connector, "GET", "https://example.test/x?secret=1", headers, None, deadline));
        (result, calls.load(Ordering::SeqCst))
    }

    #[test]
    fn a_header_value_with_a_control_character_is_a_request_error_before_sending() {
        for value in ["token\n", "token\r", "tok\r\nX-Injected: 1", "tok\0en", "tok\u{1}", "tok\u{7f}"] {
            let (result, calls) = run(Some(2), &[("authorization", format!("Bearer {value}"))], Duration::from_secs(5));
            let error = result.expect_err("refused");
            assert_eq!(error.log_summary().0, "request", "{value:?}");
            assert!(!error.message().contains("tok"), "the value is not shown: {}", error.message());
            assert_eq!(calls, 0, "{value:?}");
        }
        let (result, calls) = run(Some(2), &[("authorization", "Bearer a.b.c".into())], Duration::from_secs(5));
        assert_eq!(result.expect("sent").body, b"  ");
        assert_eq!(calls, 1);
    }

    #[test]
    fn an_answer_that_never_ends_is_a_timeout_at_the_deadline() {
        let started = std::time::Instant::now();
        let (result, calls) = run(None, &[], Duration::from_millis(100));
        let error = result.expect_err("cut off");
        assert_eq!(error.log_summary().0, "timeout");
        assert!(error.message().contains("https://example.test/x within 0.1 s"), "{}", error.message());
        assert!(!error.message().contains("secret"), "the query is not shown");
        assert!(started.elapsed() >= Duration::from_millis(100));
        assert_eq!(calls, 1);
    }

    #[test]
    fn answers_up_to_the_cap_are_read_and_larger_ones_refused() {
        let (result, _) = run(Some(MAX_BODY), &[], Duration::from_secs(5));
        assert_eq!(result.expect("read").body.len(), MAX_BODY);
        let (result, _) = run(Some(MAX_BODY + 1), &[], Duration::from_secs(5));
        let error = result.expect_err("refused");
        assert_eq!(error.log_summary().0, "response");
        assert!(error.message().contains("larger than 1048576 bytes"), "{}", error.message());
    }

    #[test]
    fn deadlines_are_clamped_not_panics() {
        assert_eq!(deadline(5.0), Duration::from_secs(5));
        assert_eq!(deadline(0.25), Duration::from_millis(250));
        for odd in [0.0, -1.0, f64::NAN, f64::NEG_INFINITY, -0.0] {
            assert_eq!(deadline(odd), Duration::from_millis(1), "{odd}");
        }
        for huge in [f64::INFINITY, 1e300, f64::MAX, 7200.0] {
            assert_eq!(deadline(huge), MAX_DEADLINE, "{huge}");
        }
    }

    #[test]
    fn the_deadline_failure_is_a_timeout_that_names_the_target_and_the_time() {
        let error = past_deadline("https://example.test/jwks.json", Duration::from_millis(2500));
        assert_eq!(error.log_summary().0, "timeout");
        assert_eq!(
            error.message(),
            "No complete answer from https://example.test/jwks.json within 2.5 s; the request was abandoned."
        );
    }
}
