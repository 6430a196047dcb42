//! From a signed-in user to AWS credentials, through a Cognito identity
//! pool: the user-pool ID token (or nothing, for a guest) is exchanged for
//! the temporary credentials of a role of the pool.
//!
//! - The enhanced flow: GetId, then GetCredentialsForIdentity (the pool
//!   chooses the role, or the token does with `custom_role_arn`).
//! - The basic flow, when a role is named: GetId, GetOpenIdToken, then STS
//!   AssumeRoleWithWebIdentity with the pool's OpenID token.
//!
//! All three identity-pool calls and AssumeRoleWithWebIdentity are sent
//! unsigned: no AWS credentials are needed. The identity id is remembered
//! per endpoint, pool and login (provider and subject) for the life of the
//! process, as the AWS SDK for JavaScript remembers it, so a renewal costs
//! one call (two in the basic flow), not two (three); an identity the pool
//! no longer knows is forgotten and looked up once more.
//!
//! The calls go through the typed SDK clients the client layer makes for
//! every service, with the same configuration, retries and log.

use std::collections::HashMap;
use std::sync::Mutex;

use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;

use crate::client::{client_kind, ClientKind};
use crate::errors::CallError;

/// STS, for the basic flow's AssumeRoleWithWebIdentity.
pub static STS: ClientKind = client_kind!(aws_sdk_sts, "sts", "STS", "AWS_ENDPOINT_URL_STS");

/// One exchange.
#[derive(Clone)]
pub struct Request {
    pub identity_pool_id: String,
    /// The user's login: the provider name
    /// (`cognito-idp.<region>.amazonaws.com/<user pool id>`) and the ID
    /// token; `None` for a guest.
    pub login: Option<(String, String)>,
    /// Who the login is (the token's `sub`): with the provider, the key under
    /// which the identity id is remembered.
    pub subject: String,
    pub custom_role_arn: Option<String>,
    pub account_id: Option<String>,
    /// The basic flow's role and session name.
    pub basic: Option<(String, String)>,
}

impl std::fmt::Debug for Request {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Request")
            .field("identity_pool_id", &self.identity_pool_id)
            .field("login", &self.login.as_ref().map(|(provider, _)| (provider, "** redacted **")))
            .field("custom_role_arn", &self.custom_role_arn)
            .field("basic", &self.basic)
            .finish()
    }
}

/// Temporary credentials of the pool's role.
#[derive(Clone)]
pub struct AwsCredentials {
    pub access_key_id: String,
    pub secret_access_key: String,
    pub session_token: String,
    /// Seconds since the epoch.
    pub expiration: f64,
    pub identity_id: String,
}

impl std::fmt::Debug for AwsCredentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AwsCredentials")
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &"** redacted **")
            .field("session_token", &"** redacted **")
            .field("expiration", &self.expiration)
            .field("identity_id", &self.identity_id)
            .finish()
    }
}

/// Where identity ids are remembered: endpoint, pool, provider, subject.
type IdentityKey = (String, String, String, String);

static IDENTITY_IDS: Mutex<Option<HashMap<IdentityKey, String>>> = Mutex::new(None);

fn remembered(key: &IdentityKey) -> Option<String> {
    IDENTITY_IDS.lock().unwrap_or_else(|p| p.into_inner()).as_ref().and_then(|m| m.get(key).cloned())
}

fn remember(key: IdentityKey, identity_id: Option<String>) {
    let mut guard = IDENTITY_IDS.lock().unwrap_or_else(|p| p.into_inner());
    let map = guard.get_or_insert_with(HashMap::new);
    match identity_id {
        Some(id) => {
            // A process that signs in very many users keeps a bounded list.
            if map.len() >= 10_000 {
                map.clear();
            }
            map.insert(key, id);
        }
        None => {
            map.remove(&key);
        }
    }
}

/// Forgets every remembered identity id (for tests).
pub fn forget_identities() {
    *IDENTITY_IDS.lock().unwrap_or_else(|p| p.into_inner()) = None;
}

/// Runs one SDK call under the package's log, as an operation call is.
pub(crate) async fn logged<T, E, F>(name: &'static str, target: &str, call: F) -> Result<T, CallError>
where
    F: std::future::Future<Output = Result<T, SdkError<E, HttpResponse>>>,
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    let (result, observed) = crate::observe::observe(name, call).await;
    let result = result.map_err(|e| CallError::from_sdk(e, target).with_attempts(observed.attempts));
    crate::observe::log_call(name, &observed, result.as_ref().err().map(CallError::log_summary));
    result
}

fn missing(what: &str) -> CallError {
    CallError::response(format!("the answer has no {what}"))
}

/// Exchanges the login of `request` for credentials (see the module's
/// documentation). `target` names the identity-pools endpoint in messages
/// and in the key the identity id is remembered under.
pub async fn exchange(
    identity: &aws_sdk_cognitoidentity::Client,
    sts: Option<(&aws_sdk_sts::Client, &str)>,
    target: &str,
    request: &Request,
) -> Result<AwsCredentials, CallError> {
    let provider = request.login.as_ref().map(|(p, _)| p.clone()).unwrap_or_default();
    let key = (target.to_string(), request.identity_pool_id.clone(), provider, request.subject.clone());
    let logins: Option<HashMap<String, String>> = request.login.clone().map(|login| HashMap::from([login]));
    let known = remembered(&key);
    let identity_id = match &known {
        Some(id) => id.clone(),
        None => get_id(identity, target, request, &logins).await?,
    };
    let credentials = match credentials_for(identity, sts, target, request, &logins, &identity_id).await {
        // The pool no longer knows a remembered identity (deleted, or merged
        // into another): look it up once more.
        Err(CallError::Service { code, .. }) if known.is_some() && code == "ResourceNotFoundException" => {
            remember(key.clone(), None);
            let identity_id = get_id(identity, target, request, &logins).await?;
            credentials_for(identity, sts, target, request, &logins, &identity_id).await
        }
        other => other,
    }?;
    remember(key, Some(credentials.identity_id.clone()));
    Ok(credentials)
}

async fn get_id(
    identity: &aws_sdk_cognitoidentity::Client,
    target: &str,
    request: &Request,
    logins: &Option<HashMap<String, String>>,
) -> Result<String, CallError> {
    let call = identity
        .get_id()
        .identity_pool_id(&request.identity_pool_id)
        .set_account_id(request.account_id.clone())
        .set_logins(logins.clone())
        .send();
    logged("get_id", target, call).await?.identity_id.ok_or_else(|| missing("IdentityId"))
}

async fn credentials_for(
    identity: &aws_sdk_cognitoidentity::Client,
    sts: Option<(&aws_sdk_sts::Client, &str)>,
    target: &str,
    request: &Request,
    logins: &Option<HashMap<String, String>>,
    identity_id: &str,
) -> Result<AwsCredentials, CallError> {
    match (&request.basic, sts) {
        (Some((role_arn, session_name)), Some((sts, sts_target))) => {
            let call = identity.get_open_id_token().identity_id(identity_id).set_logins(logins.clone()).send();
            let answer = logged("get_open_id_token", target, call).await?;
            let token = answer.token.ok_or_else(|| missing("Token"))?;
            let identity_id = answer.identity_id.unwrap_or_else(|| identity_id.to_string());
            let call = sts
                .assume_role_with_web_identity()
                .role_arn(role_arn)
                .role_session_name(session_name)
                .web_identity_token(token)
                .send();
            let answer = logged("assume_role_with_web_identity", sts_target, call).await?;
            let c = answer.credentials.ok_or_else(|| missing("Credentials"))?;
            Ok(AwsCredentials {
                access_key_id: c.access_key_id,
                secret_access_key: c.secret_access_key,
                session_token: c.session_token,
                expiration: c.expiration.as_secs_f64(),
                identity_id,
            })
        }
        (Some(_), None) => Err(CallError::request("the basic flow needs an STS client")),
        (None, _) => {
            let call = identity
                .get_credentials_for_identity()
                .identity_id(identity_id)
                .set_logins(logins.clone())
                .set_custom_role_arn(request.custom_role_arn.clone())
                .send();
            let answer = logged("get_credentials_for_identity", target, call).await?;
            let c = answer.credentials.ok_or_else(|| missing("Credentials"))?;
            Ok(AwsCredentials {
                access_key_id: c.access_key_id.ok_or_else(|| missing("Credentials$AccessKeyId"))?,
                secret_access_key: c.secret_key.ok_or_else(|| missing("Credentials$SecretKey"))?,
                session_token: c.session_token.ok_or_else(|| missing("Credentials$SessionToken"))?,
                expiration: c.expiration.ok_or_else(|| missing("Credentials$Expiration"))?.as_secs_f64(),
                identity_id: answer.identity_id.unwrap_or_else(|| identity_id.to_string()),
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_output_shows_no_token_or_secret() {
        let request = Request {
            identity_pool_id: "us-east-1:abc".into(),
            login: Some(("cognito-idp.us-east-1.amazonaws.com/us-east-1_x".into(), "eyJ.secret-token.sig".into())),
            subject: "sub".into(),
            custom_role_arn: None,
            account_id: None,
            basic: None,
        };
        let shown = format!("{request:?}");
        assert!(shown.contains("cognito-idp.us-east-1.amazonaws.com/us-east-1_x") && !shown.contains("secret-token"), "{shown}");
        let credentials = AwsCredentials {
            access_key_id: "ASIAEXAMPLE".into(),
            secret_access_key: "secret-key".into(),
            session_token: "session-token".into(),
            expiration: 1.0,
            identity_id: "us-east-1:id".into(),
        };
        let shown = format!("{credentials:?}");
        assert!(shown.contains("ASIAEXAMPLE") && !shown.contains("secret-key") && !shown.contains("session-token"), "{shown}");
    }

    #[test]
    fn identity_ids_are_remembered_per_endpoint_pool_and_login() {
        let key = |endpoint: &str, subject: &str| {
            (endpoint.to_string(), "us-east-1:pool".to_string(), "provider".to_string(), subject.to_string())
        };
        remember(key("https://a", "ada"), Some("us-east-1:1".into()));
        assert_eq!(remembered(&key("https://a", "ada")).as_deref(), Some("us-east-1:1"));
        assert_eq!(remembered(&key("https://b", "ada")), None);
        assert_eq!(remembered(&key("https://a", "bob")), None);
        remember(key("https://a", "ada"), None);
        assert_eq!(remembered(&key("https://a", "ada")), None);
    }
}
