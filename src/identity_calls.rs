//! The functions R calls for identity pools' credentials
//! (`rpkg/R/aws-credentials.R` checks the arguments and makes the result).

use extendr_api::prelude::*;

use crate::errors::CallError;
use crate::glue::{failure_robj, guarded, read_log_level};
use crate::identity::{self, AwsCredentials, Request};
use crate::value::Value;
use crate::{client, interrupt, observe, operations, rvalue, settings_of};

/// A string argument R passes as `NULL` or a single string.
fn optional(x: &Robj) -> Option<String> {
    x.as_str().filter(|s| !s.is_empty()).map(str::to_string)
}

fn credentials_value(c: &AwsCredentials) -> Value {
    Value::named_list(vec![
        ("access_key_id", Value::string(c.access_key_id.clone())),
        ("secret_access_key", Value::string(c.secret_access_key.clone())),
        ("session_token", Value::string(c.session_token.clone())),
        ("expiration", Value::Timestamp(vec![Some(c.expiration)])),
        ("identity_id", Value::string(c.identity_id.clone())),
    ])
}

fn typed<C: Clone + 'static>(client: client::AnyClient) -> Result<C, CallError> {
    client
        .downcast_ref::<C>()
        .cloned()
        .ok_or_else(|| CallError::request("internal error: a client of another service"))
}

/// The credentials of an identity pool's role for a login (`provider` and
/// `id_token`, both `NULL` for a guest), through the service handle's
/// configuration; with `role_arn`, by the basic flow. Returns the list
/// `access_key_id`, `secret_access_key`, `session_token`, `expiration`
/// (seconds since the epoch), `identity_id`, or a failure.
/// @noRd
#[extendr]
#[allow(clippy::too_many_arguments)]
fn cip_aws_credentials(
    handle: Robj,
    identity_pool_id: &str,
    provider: Robj,
    id_token: Robj,
    subject: &str,
    custom_role_arn: Robj,
    account_id: Robj,
    role_arn: Robj,
    session_name: &str,
) -> Robj {
    guarded("cip_aws_credentials", || {
        read_log_level();
        let request = Request {
            identity_pool_id: identity_pool_id.to_string(),
            login: optional(&provider).zip(optional(&id_token)),
            subject: subject.to_string(),
            custom_role_arn: optional(&custom_role_arn),
            account_id: optional(&account_id),
            basic: optional(&role_arn).map(|role| (role, session_name.to_string())),
        };
        let outcome = (|| -> Result<AwsCredentials, CallError> {
            let settings = settings_of(&handle)?;
            let service =
                operations::find_service("cognitoidentity").ok_or_else(|| CallError::request("no identity pools"))?;
            let (any, target) = client::client(&settings, &service.client, interrupt::pending)?;
            let ids: aws_sdk_cognitoidentity::Client = typed(any)?;
            let sts = match request.basic {
                Some(_) => {
                    let (any, sts_target) = client::client(&settings, &identity::STS, interrupt::pending)?;
                    Some((typed::<aws_sdk_sts::Client>(any)?, sts_target))
                }
                None => None,
            };
            let sts_ref = sts.as_ref().map(|(c, t)| (c, t.as_str()));
            let pending = identity::exchange(&ids, sts_ref, &target, &request);
            client::block_on(pending, interrupt::pending).unwrap_or(Err(CallError::Interrupted))
        })();
        let mut robj = match outcome {
            Ok(credentials) => rvalue::to_robj(&credentials_value(&credentials)),
            Err(error) => failure_robj(&error),
        };
        let lines = observe::take();
        if !lines.is_empty() {
            let _ = robj.set_attrib("log", lines);
        }
        robj
    })
}

/// Forgets the identity ids remembered so far.
/// @noRd
#[extendr]
fn cip_forget_identities() {
    identity::forget_identities();
}

extendr_module! {
    mod identity_calls;
    fn cip_aws_credentials;
    fn cip_forget_identities;
}
