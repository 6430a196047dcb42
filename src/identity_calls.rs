//! The functions R calls for identity pools' credentials, once
//! (`cognito_aws_credentials()`) or renewed as needed
//! (`cognito_credentials_source()`); `rpkg/R/aws-credentials.R` checks the
//! arguments and makes the results.

use std::time::Duration;

use extendr_api::prelude::*;

use crate::errors::CallError;
use crate::glue::{failure_robj, guarded, read_log_level};
use crate::identity::{self, AwsCredentials, Request};
use crate::refreshing::{self, Refreshing};
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

/// Unregisters its source when R collects a source object.
struct SourceGuard(u64);

impl Drop for SourceGuard {
    fn drop(&mut self) {
        client::unregister_credentials(self.0);
    }
}

/// Makes a self-renewing credentials source (see `refreshing.rs`) from the
/// user-pools service handle `app_handle` (its app client signs the user
/// in), the identity-pools configuration `identity_handle`, the login's
/// provider and subject, and what a refresh sends. Returns the list `id`
/// (the number settings name it by) and `handle` (which unregisters it when
/// collected), or a failure. Nothing is sent yet.
/// @noRd
#[extendr]
#[allow(clippy::too_many_arguments)]
fn cip_credentials_source(
    app_handle: Robj,
    identity_handle: Robj,
    identity_pool_id: &str,
    provider: &str,
    subject: &str,
    client_id: &str,
    refresh_token: &str,
    secret_hash: Robj,
    device_key: Robj,
    custom_role_arn: Robj,
    account_id: Robj,
    role_arn: Robj,
    session_name: &str,
    max_lifetime: Robj,
) -> Robj {
    guarded("cip_credentials_source", || {
        let made = (|| -> Result<u64, CallError> {
            let app_settings = settings_of(&app_handle)?;
            let identity_settings = settings_of(&identity_handle)?;
            let user_pools = operations::find_service("cognitoidentityprovider")
                .ok_or_else(|| CallError::request("no user pools"))?;
            let identity_pools =
                operations::find_service("cognitoidentity").ok_or_else(|| CallError::request("no identity pools"))?;
            let (any, user_pools_target) = client::client(&app_settings, &user_pools.client, interrupt::pending)?;
            let user_pools = typed::<aws_sdk_cognitoidentityprovider::Client>(any)?;
            let (any, identity_target) =
                client::client(&identity_settings, &identity_pools.client, interrupt::pending)?;
            let identity = typed::<aws_sdk_cognitoidentity::Client>(any)?;
            let basic = optional(&role_arn).map(|role| (role, session_name.to_string()));
            let sts = match basic {
                Some(_) => {
                    let (any, target) = client::client(&identity_settings, &identity::STS, interrupt::pending)?;
                    Some((typed::<aws_sdk_sts::Client>(any)?, target))
                }
                None => None,
            };
            let source = Refreshing {
                user_pools,
                user_pools_target,
                identity,
                identity_target,
                sts,
                client_id: client_id.to_string(),
                refresh_token: refresh_token.to_string(),
                secret_hash: optional(&secret_hash),
                device_key: optional(&device_key),
                request: Request {
                    identity_pool_id: identity_pool_id.to_string(),
                    // The ID token comes from each refresh.
                    login: Some((provider.to_string(), String::new())),
                    subject: subject.to_string(),
                    custom_role_arn: optional(&custom_role_arn),
                    account_id: optional(&account_id),
                    basic,
                },
                lifetime_cap: max_lifetime
                    .as_real()
                    .filter(|s| s.is_finite() && *s >= 0.0)
                    .map(Duration::from_secs_f64),
            };
            Ok(refreshing::register(source))
        })();
        match made {
            Ok(id) => List::from_names_and_values(
                ["id", "handle"],
                [Robj::from(id as f64), ExternalPtr::new(SourceGuard(id)).into()],
            )
            .map(Robj::from)
            .unwrap_or_else(|_| ().into()),
            Err(error) => failure_robj(&error),
        }
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
    fn cip_credentials_source;
    fn cip_forget_identities;
}
