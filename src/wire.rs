//! The bodies on the wire. The SDK still resolves the endpoint, signs,
//! retries and sends; but the body it sends is the one `input.rs` wrote
//! (exactly the members the caller gave, as botocore writes them), and the
//! body of the answer is kept for `output.rs` to read (the SDK's typed
//! output has lost what paws returns: which members were absent, and the
//! order of maps).
//!
//! An interceptor every client carries does both, for the call running in
//! the current task: [`exchange`] puts the body in place for it and hands
//! back the answer's body.

use std::cell::RefCell;
use std::future::Future;

use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::context::{
    AfterDeserializationInterceptorContextRef, BeforeTransmitInterceptorContextMut,
};
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::body::SdkBody;
use aws_smithy_types::config_bag::ConfigBag;

/// The bodies of the call running in this task.
struct Bodies {
    /// To send: taken when the request is ready, before the first attempt.
    request: Option<String>,
    /// The body of the last successful (2xx) answer.
    answer: Option<Vec<u8>>,
}

tokio::task_local! {
    static BODIES: RefCell<Bodies>;
}

/// Runs one SDK call that sends `body` as its request body; returns its
/// output and the body of its successful (2xx) answer, if there was one.
pub async fn exchange<F: Future>(body: String, call: F) -> (F::Output, Option<Vec<u8>>) {
    let bodies = RefCell::new(Bodies { request: Some(body), answer: None });
    BODIES
        .scope(bodies, async {
            let output = call.await;
            let answer = BODIES.with(|b| b.borrow_mut().answer.take());
            (output, answer)
        })
        .await
}

/// The interceptor every client carries (see the module's documentation).
#[derive(Debug)]
pub struct BodySwap;

impl Intercept for BodySwap {
    fn name(&self) -> &'static str {
        "cognitoidp::BodySwap"
    }

    /// Once per call, after the SDK serialized its request and before the
    /// attempts (which each send a copy of it, so retries send it too).
    fn modify_before_retry_loop(
        &self,
        context: &mut BeforeTransmitInterceptorContextMut<'_>,
        _components: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let Some(body) = BODIES.try_with(|b| b.borrow_mut().request.take()).ok().flatten() else {
            return Ok(());
        };
        let request = context.request_mut();
        request.headers_mut().insert("Content-Length", body.len().to_string());
        *request.body_mut() = SdkBody::from(body);
        Ok(())
    }

    /// Keeps the body of a successful answer, also one the SDK could not
    /// build its typed output from (a structure without a member the model
    /// requires, say): paws reads those, and `output.rs` can.
    fn read_after_deserialization(
        &self,
        context: &AfterDeserializationInterceptorContextRef<'_>,
        _components: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let response = context.response();
        if response.status().is_success() {
            if let Some(bytes) = response.body().bytes() {
                let _ = BODIES.try_with(|b| b.borrow_mut().answer = Some(bytes.to_vec()));
            }
        }
        Ok(())
    }
}
