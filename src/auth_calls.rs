//! The functions R calls for signing users in (`rpkg/R/signin.R` drives the
//! exchanges with the service's operations): the steps that need big
//! integers, keys or secrets. Passwords and client secrets arrive as R
//! strings and leave only as the proofs and hashes the protocol sends; an SRP
//! exchange's private value never leaves Rust.

use extendr_api::prelude::*;

use crate::auth::{jwt, srp};
use crate::errors::CallError;
use crate::{failure_robj, rvalue};

/// An SRP exchange in progress: its private value, until the claim uses it.
type SrpSlot = Option<srp::Srp>;

fn named(entries: &[(&str, Robj)]) -> Robj {
    let (names, values): (Vec<&str>, Vec<Robj>) = entries.iter().cloned().unzip();
    List::from_names_and_values(names, values).map(Robj::from).unwrap_or_else(|_| ().into())
}

/// The failure for an SRP step: the random source is ours, the rest is about
/// the challenge the service sent.
fn srp_failure(error: srp::SrpError) -> Robj {
    let message = format!("the SRP step could not be made: {error}");
    failure_robj(&match error {
        srp::SrpError::RandomSource => CallError::request(message),
        _ => CallError::response(message),
    })
}

/// Starts an SRP exchange: `srp_a` for the service, and the handle that
/// keeps the private value for [`cip_srp_claim`].
/// @noRd
#[extendr]
fn cip_srp_start() -> Robj {
    match srp::Srp::new(&mut srp::system_random) {
        Ok(exchange) => {
            let srp_a = exchange.public_hex();
            named(&[("handle", ExternalPtr::new(Some(exchange) as SrpSlot).into()), ("srp_a", srp_a.into())])
        }
        Err(error) => srp_failure(error),
    }
}

/// The TIMESTAMP of an answer made now.
/// @noRd
#[extendr]
fn cip_srp_timestamp() -> String {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64);
    srp::timestamp(now)
}

/// Answers a PASSWORD_VERIFIER (or DEVICE_PASSWORD_VERIFIER) challenge with
/// the exchange `handle` started: the PASSWORD_CLAIM_SIGNATURE over
/// `timestamp` (the answer's TIMESTAMP, from [`cip_srp_timestamp`]). The
/// handle is used up.
/// @noRd
#[extendr]
fn cip_srp_claim(
    handle: Robj,
    pool_name: &str,
    user_id: &str,
    salt: &str,
    srp_b: &str,
    secret_block: &str,
    password: &str,
    timestamp: &str,
) -> Robj {
    let mut handle = handle;
    let exchange = <&mut ExternalPtr<SrpSlot>>::try_from(&mut handle).ok().and_then(|ptr| ptr.try_addr_mut().ok()?.take());
    let Some(exchange) = exchange else {
        return failure_robj(&CallError::request("this SRP exchange was used already or is not one"));
    };
    let challenge = srp::Challenge { pool_name, user_id, salt_hex: salt, srp_b_hex: srp_b, secret_block };
    match exchange.password_claim(&challenge, password, timestamp) {
        Ok(claim) => claim.signature.into(),
        Err(error) => srp_failure(error),
    }
}

/// SECRET_HASH for a user name and app client.
/// @noRd
#[extendr]
fn cip_secret_hash(username: &str, client_id: &str, client_secret: &str) -> String {
    srp::secret_hash(username, client_id, client_secret)
}

/// A new device's password, and the verifier and salt ConfirmDevice takes.
/// @noRd
#[extendr]
fn cip_device_secret(device_group_key: &str, device_key: &str) -> Robj {
    match srp::new_device_secret(device_group_key, device_key, &mut srp::system_random) {
        Ok(secret) => named(&[
            ("password", secret.password.as_str().into()),
            ("verifier", secret.verifier.into()),
            ("salt", secret.salt.into()),
        ]),
        Err(error) => srp_failure(error),
    }
}

/// The claims of a token, read without verifying it: for printing whose
/// tokens an object holds and when they expire, and the user name a
/// refresh's secret hash needs. `NULL` if it is not a JWT.
/// @noRd
#[extendr]
fn cip_token_claims(token: &str) -> Robj {
    match jwt::unverified_claims(token) {
        Ok(claims) => rvalue::to_robj(&claims.to_value()),
        Err(_) => ().into(),
    }
}

extendr_module! {
    mod auth_calls;
    fn cip_srp_start;
    fn cip_srp_timestamp;
    fn cip_srp_claim;
    fn cip_secret_hash;
    fn cip_device_secret;
    fn cip_token_claims;
}
