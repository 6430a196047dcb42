//! The functions R calls for signing users in (`rpkg/R/signin.R` drives the
//! exchanges with the service's operations) and for trusting their tokens
//! (`rpkg/R/tokens.R`): the steps that need big integers, keys, secrets or
//! plain HTTPS. Passwords and client secrets arrive as R strings and leave
//! only as the proofs, hashes and headers the protocols send; an SRP
//! exchange's private value never leaves Rust.

use std::sync::{LazyLock, Mutex};

use extendr_api::prelude::*;

use crate::auth::jwks::{FetchFailure, KeyCache, KeySet};
use crate::auth::{jwt, srp};
use crate::errors::CallError;
use crate::value::Value;
use crate::{client, interrupt, model, observe, output, web};
use crate::{failure_robj, guarded, read_log_level, rvalue};

/// An SRP exchange in progress: its private value, until the claim uses it.
type SrpSlot = Option<srp::Srp>;

/// `x` with the log lines of the requests made for it (`options(paws.log_level)`),
/// for R to write out.
fn with_log(mut x: Robj) -> Robj {
    let lines = observe::take();
    if !lines.is_empty() {
        let _ = x.set_attrib("log", lines);
    }
    x
}

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
    guarded("cip_srp_start", || {
        match srp::Srp::new(&mut srp::system_random) {
            Ok(exchange) => {
                let srp_a = exchange.public_hex();
                named(&[("handle", ExternalPtr::new(Some(exchange) as SrpSlot).into()), ("srp_a", srp_a.into())])
            }
            Err(error) => srp_failure(error),
        }
    })
}

/// The TIMESTAMP of an answer made now. Not `guarded`: it reads only the
/// clock, and `srp::timestamp` is total over `i64` (Euclidean division,
/// indexes reduced modulo 7 and 12).
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
    guarded("cip_srp_claim", || {
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
    })
}

/// SECRET_HASH for a user name and app client. Not `guarded`: HMAC-SHA256
/// and base64 accept any bytes, and extendr refuses non-strings before this
/// runs (R checks the arguments first).
/// @noRd
#[extendr]
fn cip_secret_hash(username: &str, client_id: &str, client_secret: &str) -> String {
    srp::secret_hash(username, client_id, client_secret)
}

/// A new device's password, and the verifier and salt ConfirmDevice takes.
/// @noRd
#[extendr]
fn cip_device_secret(device_group_key: &str, device_key: &str) -> Robj {
    guarded("cip_device_secret", || {
        match srp::new_device_secret(device_group_key, device_key, &mut srp::system_random) {
            Ok(secret) => named(&[
                ("password", secret.password.as_str().into()),
                ("verifier", secret.verifier.into()),
                ("salt", secret.salt.into()),
            ]),
            Err(error) => srp_failure(error),
        }
    })
}

/// The claims of a token, read without verifying it: for printing whose
/// tokens an object holds and when they expire, and the user name a
/// refresh's secret hash needs. `NULL` if it is not a JWT.
/// @noRd
#[extendr]
fn cip_token_claims(token: &str) -> Robj {
    guarded("cip_token_claims", || {
        match jwt::unverified_claims(token) {
            Ok(claims) => rvalue::to_robj(&claims.to_value()),
            Err(_) => ().into(),
        }
    })
}

// ---- trusting tokens ----------------------------------------------------------------

/// The user pools' key sets, per key set URL, for the whole process
/// (aws-jwt-verify's rules; see `KeyCache`).
static KEYS: LazyLock<Mutex<KeyCache<CallError>>> = LazyLock::new(|| Mutex::new(KeyCache::default()));

/// A failed fetch keeps its class (a timeout, a connection, ...) in the
/// cache, and so when the cache gives it again without fetching.
impl FetchFailure for CallError {
    fn fetching(self, _uri: &str) -> CallError {
        // The messages of `web::send` already name the URL.
        self
    }
    fn unusable(reason: String) -> CallError {
        CallError::response(reason)
    }
    fn again(self, retry_in: f64) -> CallError {
        self.with_note(&format!(" (remembered from a failed fetch moments ago; the key set is fetched again in {retry_in:.0} s)"))
    }
}

fn now() -> f64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0.0, |d| d.as_secs_f64())
}

/// A character vector's elements (`NULL` is `None`: a waived check).
fn strings(x: &Robj) -> Option<Vec<String>> {
    match rvalue::from_robj(x) {
        Value::Character(v) => Some(v.into_iter().flatten().collect()),
        _ => None,
    }
}

/// Fetches a key set with the package's HTTP stack, all of it within
/// `deadline`.
fn fetch_key_set(uri: &str, deadline: std::time::Duration) -> Result<Vec<u8>, CallError> {
    let connector = client::web_connector(interrupt::pending)?;
    let headers = [("accept", "application/json".to_string())];
    let answer = client::block_on(web::send(&connector, "GET", uri, &headers, None, deadline), interrupt::pending)
        .map_err(|_| CallError::Interrupted)??;
    if answer.status != 200 {
        return Err(CallError::response(format!("the key set at {uri} answered HTTP {}", answer.status)));
    }
    Ok(answer.body)
}

/// Verifies each of `tokens` against the key set at `jwks_uri` (fetched and
/// cached as aws-jwt-verify does) and the expectations, all at the same
/// time (now); returns a list with each token's claims, or its failure, in
/// its place, and the positions of the failures as its attribute "failed"
/// (so that R need not look at every element). A key-set fetch must end
/// within `jwks_timeout` seconds.
/// @noRd
#[extendr]
#[allow(clippy::too_many_arguments)]
fn cip_verify_tokens(
    tokens: Robj,
    issuer: &str,
    jwks_uri: &str,
    token_use: Robj,
    client_ids: Robj,
    groups: Robj,
    scopes: Robj,
    grace_seconds: f64,
    jwks_timeout: f64,
) -> Robj {
    guarded("cip_verify_tokens", || {
        read_log_level();
        let deadline = web::deadline(jwks_timeout);
        let token_use = match strings(&token_use).as_deref() {
            Some([u]) if u == "id" => Some(jwt::TokenUse::Id),
            Some([u]) if u == "access" => Some(jwt::TokenUse::Access),
            _ => None,
        };
        let (client_ids, groups, scopes) = (strings(&client_ids), strings(&groups), strings(&scopes));
        let tokens = match rvalue::from_robj(&tokens) {
            Value::Character(v) => v,
            _ => Vec::new(),
        };
        let expect = jwt::Expectations {
            issuer,
            token_use,
            client_ids: client_ids.as_deref(),
            groups: groups.as_deref(),
            scopes: scopes.as_deref(),
            grace_seconds: grace_seconds.max(0.0) as u64,
            now: now(),
        };
        let mut cache = KEYS.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let mut failed_fetch = None;
        let mut failed = Vec::new();
        let results: Vec<Robj> = tokens
            .iter()
            .enumerate()
            .map(|(i, token)| match verify_one(&mut cache, &mut failed_fetch, token.as_deref().unwrap_or(""), jwks_uri, deadline, &expect) {
                Ok(claims) => rvalue::to_robj(&claims.to_value()),
                Err(error) => {
                    failed.push(i as i32 + 1);
                    failure_robj(&error)
                }
            })
            .collect();
        let mut list: Robj = List::from_values(results).into();
        let _ = list.set_attrib("failed", failed);
        with_log(list)
    })
}

/// Verifies one token. `failed_fetch` is the failure of a fetch (or of the
/// key set it brought) earlier in the same call: the tokens after it get that
/// failure rather than each trying the key set's URL again.
fn verify_one(
    cache: &mut KeyCache<CallError>,
    failed_fetch: &mut Option<CallError>,
    token: &str,
    jwks_uri: &str,
    deadline: std::time::Duration,
    expect: &jwt::Expectations<'_>,
) -> Result<jwt::Claims, CallError> {
    let untrusted = |e: jwt::TokenError| CallError::Token { class: e.kind.class(), message: e.message };
    let kid = jwt::header_kid(token).map_err(untrusted)?;
    let earlier = failed_fetch.clone();
    let keys = cache.keys_for(jwks_uri, &kid, expect.now, &mut |uri| match &earlier {
        Some(failure) => Err(failure.clone()),
        None => fetch_key_set(uri, deadline),
    });
    match keys {
        Ok(keys) => jwt::verify(token, keys, expect).map_err(untrusted),
        // The failure keeps its class (a connection, a timeout, ...).
        Err(failure) => Err(failed_fetch.insert(failure).clone()),
    }
}

/// Installs the key set `jwks` (JSON text) for `jwks_uri`, so that tokens
/// verify without fetching it.
/// @noRd
#[extendr]
fn cip_preload_keys(jwks_uri: &str, jwks: &str) -> Robj {
    guarded("cip_preload_keys", || match KeySet::parse(jwks.as_bytes()) {
        Ok(keys) => {
            KEYS.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).preload(jwks_uri, keys);
            ().into()
        }
        Err(message) => failure_robj(&CallError::request(format!("the key set cannot be used: {message}"))),
    })
}

// ---- the OAuth 2.0 endpoints of a user-pool domain -------------------------------------

fn base64url(bytes: &[u8]) -> String {
    base64_simd::URL_SAFE_NO_PAD.encode_to_string(bytes)
}

/// A PKCE verifier (32 random bytes, base64url: 43 characters), its S256
/// challenge, and a random state and nonce.
/// @noRd
#[extendr]
fn cip_pkce() -> Robj {
    guarded("cip_pkce", || {
        let mut random = [0u8; 64];
        if srp::system_random(&mut random).is_err() {
            return failure_robj(&CallError::request("the random number generator failed"));
        }
        let verifier = base64url(&random[..32]);
        let challenge = base64url(ring::digest::digest(&ring::digest::SHA256, verifier.as_bytes()).as_ref());
        named(&[
            ("code_verifier", verifier.into()),
            ("code_challenge", challenge.into()),
            ("state", base64url(&random[32..48]).into()),
            ("nonce", base64url(&random[48..]).into()),
        ])
    })
}

/// Sends a request to an OAuth endpoint: `form` (a string that R's
/// `encode_query()` made, or `NULL`) as the urlencoded body, sent as it is so
/// that one encoding rule makes every query string and form body; `bearer` as an `Authorization: Bearer`
/// token, `client_id` and `client_secret` as HTTP Basic credentials. Returns
/// the status, and the body read as JSON (`NULL` if it is not) or as text.
/// The whole exchange must end within `timeout` seconds. R checks that
/// the header values are visible ASCII; here a bad one is a request error.
/// @noRd
#[extendr]
fn cip_web_request(method: &str, url: &str, form: Robj, bearer: Robj, client_id: Robj, client_secret: Robj, timeout: f64) -> Robj {
    guarded("cip_web_request", || {
        read_log_level();
        let deadline = web::deadline(timeout);
        let mut headers: Vec<(&'static str, String)> = vec![("accept", "application/json".into())];
        let body = match strings(&form) {
            Some(mut encoded) if encoded.len() == 1 => {
                headers.push(("content-type", "application/x-www-form-urlencoded".into()));
                encoded.pop()
            }
            _ => None,
        };
        if let Some([token]) = strings(&bearer).as_deref() {
            headers.push(("authorization", format!("Bearer {token}")));
        }
        if let (Some([id]), Some([secret])) = (strings(&client_id).as_deref(), strings(&client_secret).as_deref()) {
            let credentials = base64_simd::STANDARD.encode_to_string(format!("{id}:{secret}"));
            headers.push(("authorization", format!("Basic {credentials}")));
        }
        let sent = client::web_connector(interrupt::pending).and_then(|connector| {
            client::block_on(web::send(&connector, method, url, &headers, body, deadline), interrupt::pending)
                .map_err(|_| CallError::Interrupted)?
        });
        let answer = match sent {
            Ok(answer) => answer,
            Err(error) => return with_log(failure_robj(&error)),
        };
        let json = if answer.content_type.contains("json") {
            output::read_answer(&answer.body, &model::DOCUMENT).ok()
        } else {
            None
        };
        let text = if json.is_some() { String::new() } else { String::from_utf8_lossy(&answer.body).into_owned() };
        with_log(named(&[
            ("status", i32::from(answer.status).into()),
            ("json", json.map_or_else(|| ().into(), |v| rvalue::to_robj(&v))),
            ("text", text.into()),
        ]))
    })
}

extendr_module! {
    mod auth_calls;
    fn cip_verify_tokens;
    fn cip_preload_keys;
    fn cip_pkce;
    fn cip_web_request;
    fn cip_srp_start;
    fn cip_srp_timestamp;
    fn cip_srp_claim;
    fn cip_secret_hash;
    fn cip_device_secret;
    fn cip_token_claims;
}
