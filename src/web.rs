//! Plain HTTPS requests that are not AWS API calls: a user pool's key set,
//! and the OAuth 2.0 endpoints of its domain. They go through the package's
//! HTTP stack (`client::web_connector`), so proxies and CA bundles work as
//! for every call.

use aws_smithy_runtime_api::client::http::{HttpConnector, SharedHttpConnector};
use aws_smithy_runtime_api::client::orchestrator::HttpRequest;
use aws_smithy_types::body::SdkBody;
use aws_smithy_types::byte_stream::ByteStream;

use crate::errors::CallError;
use crate::observe::{self, INFO};

/// An answer, whatever its status.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub content_type: String,
    pub body: Vec<u8>,
}

/// The largest answer read: key sets and token answers are a few KB.
const MAX_BODY: usize = 1 << 20;

/// Sends `method url` with `headers` and `body`.
pub async fn send(
    connector: &SharedHttpConnector,
    method: &str,
    url: &str,
    headers: &[(&'static str, String)],
    body: Option<String>,
) -> Result<Answer, CallError> {
    // The URL without its query: what errors and log lines may show.
    let target = url.split('?').next().unwrap_or(url);
    let started = std::time::Instant::now();
    let answer = exchange(connector, method, url, target, headers, body).await;
    // As the API calls' lines at INFO: the method, URL, status and time only.
    let ms = started.elapsed().as_secs_f64() * 1000.0;
    match &answer {
        Ok(a) => observe::log(INFO, || format!("{method} {target}: HTTP {}, {ms:.1} ms", a.status)),
        Err(e) => observe::log(INFO, || format!("{method} {target}: failed: {}, {ms:.1} ms", e.log_summary().0)),
    }
    answer
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
        request.headers_mut().insert(*name, value.clone());
    }
    let response = connector.call(request).await.map_err(|e| CallError::from_connector(&e, target))?;
    let status = response.status().as_u16();
    let content_type = response.headers().get("content-type").unwrap_or("").to_string();
    let bytes = ByteStream::new(response.into_body())
        .collect()
        .await
        .map_err(|e| CallError::response(format!("the answer from {target} could not be read: {e}")))?
        .into_bytes();
    if bytes.len() > MAX_BODY {
        return Err(CallError::response(format!("the answer from {target} is larger than {MAX_BODY} bytes")));
    }
    Ok(Answer { status, content_type, body: bytes.to_vec() })
}
