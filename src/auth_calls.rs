//! The functions R calls for signing users in (`rpkg/R/signin.R` drives the
//! exchanges with the service's operations) and for trusting their tokens
//! (`rpkg/R/tokens.R`): the steps that need big integers, keys, secrets or
//! plain HTTPS. Passwords and client secrets arrive as R strings and leave
//! only as the proofs, hashes and headers the protocols send; an SRP
//! exchange's private value never leaves Rust.

use std::borrow::Cow;
use std::sync::{LazyLock, Mutex};

use extendr_api::prelude::*;
use extendr_api::SEXP;
use extendr_ffi::{R_CHAR, R_NaString, R_xlen_t, Rf_allocVector, Rf_protect, Rf_setAttrib, Rf_unprotect, Rf_xlength};
use extendr_ffi::{Rf_install, SET_VECTOR_ELT, SEXPTYPE, STRING_ELT, TYPEOF, INTEGER};
use zeroize::Zeroizing;

use crate::auth::jwks::{FetchFailure, KeyCache, KeySet};
use crate::auth::{jwt, srp};
use crate::errors::CallError;
use crate::glue::{failure_robj, guarded, raw_routine, read_log_level, unix_now, FAILURE_CLASS};
use crate::value::Value;
use crate::{client, interrupt, model, observe, output, rvalue, web};

mod claims;

/// An SRP exchange in progress. R's external pointer owns it; the claim
/// wipes its private value in place ([`srp::Srp::claim_once`]) and the
/// finalizer drops it (wiping again).
type SrpSlot = srp::Srp;

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
        srp::SrpError::Spent => CallError::request("this SRP exchange was used already or is not one"),
        _ => CallError::response(message),
    })
}

/// Starts an SRP exchange: `srp_a` for the service, and the handle that
/// keeps the private value for [`cip_srp_claim`].
/// @noRd
#[extendr]
fn cip_srp_start() -> Robj {
    guarded("cip_srp_start", || match srp::Srp::new(&mut srp::system_random) {
        Ok(exchange) => {
            let srp_a = exchange.public_hex();
            named(&[("handle", ExternalPtr::<SrpSlot>::new(exchange).into()), ("srp_a", srp_a.into())])
        }
        Err(error) => srp_failure(error),
    })
}

/// The TIMESTAMP of an answer made now. Not `guarded`: it reads only the
/// clock, and `srp::timestamp` is total over `i64` (Euclidean division,
/// indexes reduced modulo 7 and 12).
/// @noRd
#[extendr]
fn cip_srp_timestamp() -> String {
    // Whole seconds, rounded down (the clock is not before 1970).
    srp::timestamp(unix_now() as i64)
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
        // Used where it lives: moving it out would leave its bytes behind.
        let exchange = <&mut ExternalPtr<SrpSlot>>::try_from(&mut handle).ok().and_then(|ptr| ptr.try_addr_mut().ok());
        let Some(exchange) = exchange else {
            return srp_failure(srp::SrpError::Spent);
        };
        let challenge = srp::Challenge { pool_name, user_id, salt_hex: salt, srp_b_hex: srp_b, secret_block };
        match exchange.claim_once(&challenge, password, timestamp) {
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

/// [`strings_of`] for an argument extendr passes as an `Robj`.
fn strings(x: &Robj) -> Option<Vec<String>> {
    strings_of(unsafe { x.get() })
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

/// `.Call(wrap__cip_verify_tokens, tokens, issuer, jwks_uri, token_use,
/// client_ids, groups, scopes, grace_seconds, jwks_timeout)`: verifies each of `tokens`
/// against the key set at `jwks_uri` (fetched and cached as aws-jwt-verify
/// does) and the expectations, all at the same time (now); returns a list
/// with each token's claims, or its failure, in its place, and the positions
/// of the failures as its attribute "failed" (so that R need not look at
/// every element). A key-set fetch must end within `jwks_timeout` seconds.
///
/// Raw SEXPs in and out (see `cip_call_sexp` in lib.rs): one call may make
/// tens of thousands of results, and an `Robj` for each would grow extendr's
/// table by as many slots. Tokens are read where R keeps them. A panic in a
/// token's verification becomes that token's failure.
#[no_mangle]
pub extern "C" fn cip_verify_tokens_sexp(
    tokens: SEXP,
    issuer: SEXP,
    jwks_uri: SEXP,
    token_use: SEXP,
    client_ids: SEXP,
    groups: SEXP,
    scopes: SEXP,
    grace_seconds: SEXP,
    jwks_timeout: SEXP,
) -> SEXP {
    read_log_level();
    let [issuer, jwks_uri] = [issuer, jwks_uri].map(|x| rvalue::scalar_string(x).unwrap_or_default());
    let token_use = match strings_of(token_use).as_deref() {
        Some([u]) if u == "id" => Some(jwt::TokenUse::Id),
        Some([u]) if u == "access" => Some(jwt::TokenUse::Access),
        _ => None,
    };
    let (client_ids, groups, scopes) = (strings_of(client_ids), strings_of(groups), strings_of(scopes));
    let grace_seconds = match rvalue::from_sexp(grace_seconds) {
        Value::Double(v) => v.first().copied().flatten().unwrap_or(0.0),
        Value::Integer(v) => v.first().copied().flatten().map_or(0.0, f64::from),
        _ => 0.0,
    };
    let deadline = web::deadline(match rvalue::from_sexp(jwks_timeout) {
        Value::Double(v) => v.first().copied().flatten().unwrap_or(0.0),
        _ => 0.0,
    });
    let expect = jwt::Expectations {
        issuer: &issuer,
        token_use,
        client_ids: client_ids.as_deref(),
        groups: groups.as_deref(),
        scopes: scopes.as_deref(),
        grace_seconds: grace_seconds.max(0.0) as u64,
        now: unix_now(),
    };
    let count = if unsafe { TYPEOF(tokens) } == SEXPTYPE::STRSXP { unsafe { Rf_xlength(tokens) } } else { 0 };
    let mut cache = KEYS.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let mut failed_fetch = None;
    let mut failed: Vec<i32> = Vec::new();
    unsafe {
        let results = Rf_protect(Rf_allocVector(SEXPTYPE::VECSXP, count));
        let mut builder = claims::Builder::new();
        for i in 0..count {
            let token = token_text(STRING_ELT(tokens, i));
            let verified = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                verify_one(&mut cache, &mut failed_fetch, &token, &jwks_uri, deadline, &expect)
            }))
            .unwrap_or_else(|_| Err(CallError::internal("cip_verify_tokens")));
            let result = match verified {
                Ok(claims) => builder.claims(&claims),
                Err(error) => {
                    failed.push(i as i32 + 1);
                    rvalue::to_sexp_with_class(&error.to_value(), FAILURE_CLASS)
                }
            };
            SET_VECTOR_ELT(results, i, result);
        }
        builder.finish();
        let positions = Rf_protect(Rf_allocVector(SEXPTYPE::INTSXP, failed.len() as R_xlen_t));
        for (k, position) in failed.iter().enumerate() {
            *INTEGER(positions).add(k) = *position;
        }
        Rf_setAttrib(results, Rf_install(c"failed".as_ptr()), positions);
        Rf_unprotect(2);
        rvalue::with_lines(results, c"log", &observe::take())
    }
}

/// A token as R holds it, borrowed (copied only if it is not UTF-8, when
/// it cannot be a JWT anyway and fails as malformed). `NA` reads as empty.
///
/// # Safety
/// `x` is a CHARSXP that R keeps alive for the call.
unsafe fn token_text<'a>(x: SEXP) -> Cow<'a, str> {
    if x == R_NaString {
        return Cow::Borrowed("");
    }
    let length = usize::try_from(Rf_xlength(x)).unwrap_or(0);
    if length == 0 {
        return Cow::Borrowed("");
    }
    let bytes = std::slice::from_raw_parts(R_CHAR(x).cast::<u8>(), length);
    match std::str::from_utf8(bytes) {
        Ok(text) => Cow::Borrowed(text),
        Err(_) => String::from_utf8_lossy(bytes),
    }
}

/// A character vector's elements (`NULL`, or anything else, is `None`: a
/// waived check).
fn strings_of(x: SEXP) -> Option<Vec<String>> {
    match rvalue::from_sexp(x) {
        Value::Character(v) => Some(v.into_iter().flatten().collect()),
        _ => None,
    }
}

/// The `.Call` routines of this module that take raw SEXPs, for lib.rs to
/// register beside the `extendr_module!` ones.
pub(crate) fn raw_routines() -> Vec<extendr_api::metadata::Func> {
    vec![raw_routine(
        "Verifies tokens (see cip_verify_tokens_sexp)",
        "cip_verify_tokens_sexp",
        "cip_verify_tokens",
        "wrap__cip_verify_tokens",
        &["tokens", "issuer", "jwks_uri", "token_use", "client_ids", "groups", "scopes", "grace_seconds", "jwks_timeout"],
        cip_verify_tokens_sexp as *const u8,
    )]
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
    let read = jwt::read_header(token).map_err(untrusted)?;
    let earlier = failed_fetch.clone();
    let keys = cache.keys_for(jwks_uri, read.kid(), expect.now, &mut |uri| match &earlier {
        Some(failure) => Err(failure.clone()),
        None => fetch_key_set(uri, deadline),
    });
    match keys {
        Ok(keys) => jwt::verify_read(&read, keys, expect).map_err(untrusted),
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
        // The verifier is the secret of the exchange; R keeps it (the caller
        // sends it with the code), but no copy is left behind in Rust.
        let mut random = Zeroizing::new([0u8; 64]);
        if srp::system_random(&mut random[..]).is_err() {
            return failure_robj(&CallError::request("the random number generator failed"));
        }
        let verifier = Zeroizing::new(base64url(&random[..32]));
        let challenge = base64url(ring::digest::digest(&ring::digest::SHA256, verifier.as_bytes()).as_ref());
        named(&[
            ("code_verifier", verifier.as_str().into()),
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
