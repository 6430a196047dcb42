//! Credentials that stay fresh: a credentials provider, for the SDK's own
//! chain, that renews the user-pool tokens with the refresh token and
//! exchanges the new ID token at the identity pool whenever the SDK asks
//! (the SDK's identity cache asks when the credentials it holds are about
//! to expire). A service object made with one works for as long as the
//! refresh token lives. The refresh token, the secret hash and the
//! credentials stay here, in memory: nothing is written, printed or logged.
//!
//! Sources live in the client layer's registry of credentials providers,
//! under a number that a service's settings carry (`client.rs`).

use std::collections::HashMap;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use aws_credential_types::provider::error::CredentialsError;
use aws_credential_types::provider::{future, ProvideCredentials, SharedCredentialsProvider};
use aws_credential_types::Credentials;
use aws_sdk_cognitoidentityprovider::types::AuthFlowType;

use crate::errors::CallError;
use crate::identity::{exchange, logged, Request};

/// What renews: the user pool's app client and the user's refresh token,
/// and the identity pool's exchange.
pub struct Refreshing {
    pub user_pools: aws_sdk_cognitoidentityprovider::Client,
    pub user_pools_target: String,
    pub identity: aws_sdk_cognitoidentity::Client,
    pub identity_target: String,
    pub sts: Option<(aws_sdk_sts::Client, String)>,
    pub client_id: String,
    pub refresh_token: String,
    /// The app client's SECRET_HASH for the user, when it has a secret.
    pub secret_hash: Option<String>,
    /// The remembered device the tokens were issued to.
    pub device_key: Option<String>,
    /// The exchange; its login's token is replaced by each new ID token.
    pub request: Request,
    /// Makes the credentials expire sooner than the pool says (tests).
    pub lifetime_cap: Option<Duration>,
}

impl std::fmt::Debug for Refreshing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Refreshing")
            .field("client_id", &self.client_id)
            .field("refresh_token", &"** redacted **")
            .field("request", &self.request)
            .finish()
    }
}

fn credentials_error(e: CallError) -> CredentialsError {
    // It names the failure (an AWS error code and the service's message, or
    // why there was no answer), never a token.
    let why = match &e {
        CallError::Service { code, message, .. } => format!("{code}: {message}"),
        other => other.message(),
    };
    CredentialsError::provider_error(format!("the identity pool's credentials could not be renewed: {why}"))
}

impl Refreshing {
    async fn renew(&self) -> Result<Credentials, CredentialsError> {
        let mut parameters = HashMap::from([("REFRESH_TOKEN".to_string(), self.refresh_token.clone())]);
        if let Some(hash) = &self.secret_hash {
            parameters.insert("SECRET_HASH".to_string(), hash.clone());
        }
        if let Some(device) = &self.device_key {
            parameters.insert("DEVICE_KEY".to_string(), device.clone());
        }
        let call = self
            .user_pools
            .initiate_auth()
            .auth_flow(AuthFlowType::RefreshTokenAuth)
            .client_id(&self.client_id)
            .set_auth_parameters(Some(parameters))
            .send();
        let answer = logged("initiate_auth", &self.user_pools_target, call)
            .await
            .map_err(credentials_error)?;
        let id_token = answer
            .authentication_result
            .and_then(|r| r.id_token)
            .ok_or_else(|| credentials_error(CallError::response("the refresh brought no ID token (a challenge?)")))?;
        let mut request = self.request.clone();
        request.login = request.login.map(|(provider, _)| (provider, id_token));
        let sts = self.sts.as_ref().map(|(client, target)| (client, target.as_str()));
        let c = exchange(&self.identity, sts, &self.identity_target, &request)
            .await
            .map_err(credentials_error)?;
        let mut expiry = UNIX_EPOCH + Duration::from_secs_f64(c.expiration.max(0.0));
        if let Some(cap) = self.lifetime_cap {
            expiry = expiry.min(SystemTime::now() + cap);
        }
        Ok(Credentials::new(
            c.access_key_id,
            c.secret_access_key,
            Some(c.session_token),
            Some(expiry),
            "cognitoidp-identity-pool",
        ))
    }
}

impl ProvideCredentials for Refreshing {
    fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        future::ProvideCredentials::new(self.renew())
    }
}

/// Registers a source with the client layer; returns the number a
/// service's settings name it by.
pub fn register(source: Refreshing) -> u64 {
    crate::client::register_credentials(SharedCredentialsProvider::new(source))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refusal_names_its_code_and_no_token() {
        let e = credentials_error(CallError::Service {
            code: "NotAuthorizedException".into(),
            message: "Invalid Refresh Token".into(),
            status: 400,
            request_id: None,
            attempts: 1,
        });
        let shown = format!("{}", aws_smithy_types::error::display::DisplayErrorContext(&e));
        assert!(shown.contains("NotAuthorizedException: Invalid Refresh Token"), "{shown}");
    }
}
