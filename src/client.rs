//! The tokio runtime and the SDK clients, one runtime per process and one
//! client per service and configuration.
//!
//! R sees a plain blocking call: `block_on` drives the request on R's main
//! thread (a current-thread runtime, so no worker threads are started and
//! nothing else ever runs R code). Clients are cached per distinct
//! [`Settings`], so credentials are resolved once and refreshed by the SDK,
//! and connections are kept alive between calls. A `fork()` child (for
//! example under `parallel::mclapply`) notices the new process id and builds
//! its own runtime and clients: the parent's threads do not exist in the child
//! and its pooled connections are shared with the parent.

use std::any::Any;
use std::borrow::Cow;
use std::collections::HashMap;
use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use aws_config::retry::RetryConfig;
use aws_config::stalled_stream_protection::StalledStreamProtectionConfig;
use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, Region};
use aws_credential_types::provider::SharedCredentialsProvider;
use aws_credential_types::Credentials;
use aws_runtime::env_config::file::EnvConfigFiles;
use aws_smithy_http_client::proxy::ProxyConfig;
use aws_smithy_http_client::tls::{rustls_provider::CryptoMode, Provider, TlsContext, TrustStore};
use aws_smithy_http_client::Connector;
use aws_smithy_async::rt::sleep::SharedAsyncSleep;
use aws_smithy_runtime_api::client::http::{HttpConnectorSettings, SharedHttpClient, SharedHttpConnector};
use aws_types::os_shim_internal::{Env, Fs};
use aws_types::SdkConfig;

use crate::errors::CallError;
use crate::observe::CallObserver;
use crate::settings::Settings;

/// A service's SDK client, whichever the service: each operation takes it
/// back as its own service's type (see `operations::Op`).
pub type AnyClient = Arc<dyn Any + Send + Sync>;

/// What a service's client is made of besides the shared configuration.
pub struct ClientParts {
    /// Counts attempts and writes the debug log.
    pub observer: CallObserver,
    /// The credentials, wrapped so the observer learns which provider answered.
    pub credentials: Option<SharedCredentialsProvider>,
    /// Sign nothing (paws's anonymous credentials).
    pub anonymous: bool,
}

/// How one service's client is made and where its requests go: every
/// service's client is built the same way from the same configuration (see
/// `operations::service!`).
pub struct ClientKind {
    /// paws's name of the service, which tells the cached clients apart.
    pub name: &'static str,
    /// The model's serviceId, for messages: `Cognito Identity`.
    pub service_id: &'static str,
    /// The variable that sets this service's endpoint: `AWS_ENDPOINT_URL_COGNITO_IDENTITY`.
    pub endpoint_variable: &'static str,
    pub make: fn(&SdkConfig, ClientParts) -> AnyClient,
}

/// The [`ClientKind`] of an SDK crate's client: made from the shared
/// configuration with the package's interceptors and credentials, the same
/// way for every service.
macro_rules! client_kind {
    ($sdk:ident, $name:expr, $service_id:expr, $endpoint_variable:expr) => {
        $crate::client::ClientKind {
            name: $name,
            service_id: $service_id,
            endpoint_variable: $endpoint_variable,
            make: |config, parts| {
                let mut builder = $sdk::config::Builder::from(config)
                    .interceptor(parts.observer)
                    .interceptor($crate::wire::BodySwap);
                if let Some(credentials) = parts.credentials {
                    builder = builder.credentials_provider(credentials);
                }
                if parts.anonymous {
                    // As paws's anonymous credentials: requests go unsigned. With no
                    // credentials provider, SigV4 does not apply and no-auth is used.
                    builder = builder.allow_no_auth();
                }
                ::std::sync::Arc::new($sdk::Client::from_conf(builder.build()))
            },
        }
    };
}
pub(crate) use client_kind;

/// Credentials providers of the package (`refreshing.rs`), by the number a
/// service's settings name them by (`Settings::credentials_source`).
static CREDENTIALS_SOURCES: Mutex<Vec<(u64, SharedCredentialsProvider)>> = Mutex::new(Vec::new());
static NEXT_SOURCE: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

/// Registers a credentials provider; returns its number.
pub fn register_credentials(provider: SharedCredentialsProvider) -> u64 {
    let id = NEXT_SOURCE.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    CREDENTIALS_SOURCES.lock().unwrap_or_else(|p| p.into_inner()).push((id, provider));
    id
}

/// Forgets a credentials provider (its R object is gone).
pub fn unregister_credentials(id: u64) {
    CREDENTIALS_SOURCES.lock().unwrap_or_else(|p| p.into_inner()).retain(|(i, _)| *i != id);
}

fn registered_credentials(id: u64) -> Option<SharedCredentialsProvider> {
    CREDENTIALS_SOURCES.lock().unwrap_or_else(|p| p.into_inner()).iter().find(|(i, _)| *i == id).map(|(_, p)| p.clone())
}

/// A client, and its region for messages.
#[derive(Clone)]
struct Cached {
    client: AnyClient,
    region: Option<Region>,
}

struct Process {
    pid: u32,
    runtime: Arc<tokio::runtime::Runtime>,
    /// Keyed by the settings and a fingerprint of the environment the SDK's
    /// configuration chain reads, so that a changed `AWS_REGION` or
    /// `AWS_PROFILE` takes effect on the next call, as in paws.
    clients: HashMap<(&'static str, Settings, u64), Cached>,
    /// The connector for requests that are not AWS API calls (`web.rs`), and
    /// the environment fingerprint it was made for.
    web: Option<(u64, SharedHttpConnector)>,
}

/// More distinct configurations than this in one process means the
/// environment keeps changing; the cache is then emptied, not grown.
const MAX_CLIENTS: usize = 16;

static PROCESS: Mutex<Option<Process>> = Mutex::new(None);

/// How often a waiting call looks for a user interrupt.
const INTERRUPT_POLL: Duration = Duration::from_millis(50);

/// The error of a wait that the user interrupted.
#[derive(Debug, PartialEq)]
pub struct Interrupted;

/// Runs `f` on this process's state, creating it on first use.
fn with_process<R>(f: impl FnOnce(&mut Process) -> R) -> R {
    // The lock is never held across a wait: R may run event handlers while
    // we check for interrupts, and those may call back into the package.
    let mut guard = PROCESS.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let pid = std::process::id();
    if guard.as_ref().is_some_and(|p| p.pid != pid) {
        // Inherited from the parent through fork(): forget, never drop.
        // Dropping would wait for runtime threads that were not forked.
        std::mem::forget(guard.take());
    }
    let process = guard.get_or_insert_with(|| Process {
        pid,
        // Fails only if the OS refuses the runtime's timer or I/O driver
        // (out of file descriptors), never because of an argument; every
        // function R calls catches the panic (`guarded`) as a classed error.
        runtime: Arc::new(
            tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("a tokio runtime can be created"),
        ),
        clients: HashMap::new(),
        web: None,
    });
    f(process)
}

/// Tells whether the user asked to stop waiting (`interrupt::pending` in R;
/// `|| false` where there is no R, as in `cargo test`).
pub type InterruptCheck = fn() -> bool;

/// Runs `future` to completion on this process's runtime; `Err(Interrupted)`
/// if `interrupted` says so first, in which case the future is dropped (the
/// request is abandoned) before control returns to the caller.
pub fn block_on<F: Future>(future: F, interrupted: InterruptCheck) -> Result<F::Output, Interrupted> {
    block_on_with(&runtime(), future, interrupted)
}

/// This process's runtime.
pub fn runtime() -> Arc<tokio::runtime::Runtime> {
    with_process(|p| p.runtime.clone())
}

/// [`block_on`] on a runtime the caller holds.
pub fn block_on_with<F: Future>(
    runtime: &tokio::runtime::Runtime,
    future: F,
    interrupted: InterruptCheck,
) -> Result<F::Output, Interrupted> {
    // A write to a closed connection must be an error, not R's SIGPIPE
    // handler jumping out of the runtime (see `PipeSignalIgnored`).
    let _pipe = crate::interrupt::PipeSignalIgnored::new();
    runtime.block_on(async {
        tokio::pin!(future);
        loop {
            tokio::select! {
                biased;
                output = &mut future => return Ok(output),
                _ = tokio::time::sleep(INTERRUPT_POLL) => {
                    if interrupted() {
                        return Err(Interrupted);
                    }
                }
            }
        }
    })
}

/// The client of service `kind` for `settings`, built on first use, and
/// where its requests go (for messages).
pub fn client(settings: &Settings, kind: &'static ClientKind, interrupted: InterruptCheck) -> Result<(AnyClient, String), CallError> {
    let key = (kind.name, settings.clone(), environment_fingerprint());
    let (runtime, cached) = with_process(|p| (p.runtime.clone(), p.clients.get(&key).cloned()));
    if let Some(cached) = cached {
        return Ok((cached.client, target(settings, kind, cached.region.as_ref())));
    }
    let retry = retry_config(settings)?;
    // aws-config panics on retry settings it cannot parse in a profile; that
    // becomes a request error here rather than an unclassed R error.
    let built = std::panic::catch_unwind(AssertUnwindSafe(|| {
        block_on_with(&runtime, build_client(settings.clone(), kind, retry), interrupted)
    }));
    let client = match built {
        Ok(result) => result.map_err(|Interrupted| CallError::Interrupted)??,
        Err(panic) => {
            let reason = without_debug_tail(crate::errors::panic_reason(&*panic));
            return Err(CallError::request(format!("The AWS configuration could not be loaded: {reason}")));
        }
    };
    let target = target(settings, kind, client.region.as_ref());
    with_process(|p| {
        if p.clients.len() >= MAX_CLIENTS {
            p.clients.clear();
        }
        p.clients.insert(key, client.clone())
    });
    Ok((client.client, target))
}

/// A hash of the environment variables that can change how a client is
/// configured: every `AWS_*` variable, the proxy variables, and `HOME` (where
/// the shared files are). Independent of the variables' order. Names are
/// matched without regard to case, as Windows looks them up (elsewhere this
/// only adds a variable such as `aws_x` that changes nothing).
fn environment_fingerprint() -> u64 {
    let mut fingerprint = 0u64;
    env_block::for_each_entry(|entry| fingerprint ^= entry_hash(entry));
    fingerprint
}

/// The names, besides `AWS_*`, whose values the fingerprint covers.
const FINGERPRINT_NAMES: [&str; 5] = ["HOME", "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "ALL_PROXY"];

/// The hash of an environment entry `NAME=value` (in the platform's code
/// units: bytes, or UTF-16 on Windows) if the fingerprint covers it, else 0.
fn entry_hash<U: Copy + Into<u32> + std::hash::Hash>(entry: &[U]) -> u64 {
    use std::hash::{Hash, Hasher};
    let ascii_upper = |u: U| -> u32 {
        let c = u.into();
        if (u32::from(b'a')..=u32::from(b'z')).contains(&c) { c - 32 } else { c }
    };
    let starts_with = |prefix: &str| {
        entry.len() >= prefix.len() && prefix.bytes().zip(entry).all(|(p, &u)| ascii_upper(u) == u32::from(p))
    };
    let named = |name: &str| starts_with(name) && entry.get(name.len()).is_some_and(|&u| u.into() == u32::from(b'='));
    if !(starts_with("AWS_") || FINGERPRINT_NAMES.iter().any(|name| named(name))) {
        return 0;
    }
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    entry.hash(&mut hasher);
    hasher.finish()
}

/// The process environment read where the platform keeps it, without
/// copying: the fingerprint is taken on every call, and `std::env::vars_os`,
/// which copies every variable into two new strings, made it about 15 times
/// slower (0.6 against 9 µs with R's 65 variables, some 5% of a call's CPU).
/// Only R's main thread changes the environment, and it is the one here.
mod env_block {
    /// POSIX: the `environ` array of `NAME=value` C strings. A macOS library
    /// reaches it through `_NSGetEnviron()` (only programs link `environ`).
    #[cfg(unix)]
    pub fn for_each_entry(mut visit: impl FnMut(&[u8])) {
        use std::os::raw::c_char;
        #[cfg(target_vendor = "apple")]
        unsafe extern "C" {
            fn _NSGetEnviron() -> *mut *const *const c_char;
        }
        #[cfg(not(target_vendor = "apple"))]
        unsafe extern "C" {
            static environ: *const *const c_char;
        }
        unsafe {
            #[cfg(target_vendor = "apple")]
            let mut entry = *_NSGetEnviron();
            #[cfg(not(target_vendor = "apple"))]
            let mut entry = environ;
            while !entry.is_null() && !(*entry).is_null() {
                visit(std::ffi::CStr::from_ptr(*entry).to_bytes());
                entry = entry.add(1);
            }
        }
    }

    /// Windows: one block of UTF-16 `NAME=value` strings, each ended by a 0,
    /// the block by an empty string; a copy the system makes for the caller.
    #[cfg(windows)]
    pub fn for_each_entry(mut visit: impl FnMut(&[u16])) {
        #[link(name = "kernel32")]
        unsafe extern "system" {
            fn GetEnvironmentStringsW() -> *mut u16;
            fn FreeEnvironmentStringsW(block: *mut u16) -> i32;
        }
        unsafe {
            let block = GetEnvironmentStringsW();
            if block.is_null() {
                return;
            }
            let mut start = block;
            while *start != 0 {
                let mut len = 0;
                while *start.add(len) != 0 {
                    len += 1;
                }
                visit(std::slice::from_raw_parts(start, len));
                start = start.add(len + 1);
            }
            FreeEnvironmentStringsW(block);
        }
    }

    /// Elsewhere, the standard library's copy.
    #[cfg(not(any(unix, windows)))]
    pub fn for_each_entry(mut visit: impl FnMut(&[u8])) {
        for (name, value) in std::env::vars_os() {
            let mut entry = name.into_encoded_bytes();
            entry.push(b'=');
            entry.extend_from_slice(value.as_encoded_bytes());
            visit(&entry);
        }
    }
}

/// Where requests of a client go, for messages: the endpoint URL if one is
/// configured (explicitly or by environment), else the region's endpoint.
fn target(settings: &Settings, kind: &ClientKind, region: Option<&Region>) -> String {
    let from_env = [kind.endpoint_variable, "AWS_ENDPOINT_URL"]
        .iter()
        .find_map(|name| std::env::var(name).ok().filter(|v| !v.is_empty()));
    let service = kind.service_id;
    match (settings.endpoint.clone().or(from_env), region) {
        (Some(endpoint), _) => endpoint,
        (None, Some(region)) => format!("the {service} endpoint of region {region}"),
        (None, None) => format!("the {service} endpoint (no region is set)"),
    }
}

/// The TLS settings of every connection: the system's roots, or the CA
/// bundle the AWS CLI would use instead of them.
fn tls_context(ca_bundle: Option<Vec<u8>>) -> Result<TlsContext, String> {
    let mut trust = TrustStore::default();
    if let Some(pem) = ca_bundle {
        // As in the AWS CLI, the bundle replaces the system's roots.
        trust = TrustStore::empty().with_native_roots(false).with_pem_certificate(pem);
    }
    TlsContext::builder().with_trust_store(trust).build().map_err(|e| format!("the CA bundle cannot be used: {e}"))
}

/// One HTTP stack (hyper 1 + rustls) and one crypto backend (ring) for every
/// connection, instead of the SDK default's aws-lc build. Unlike the SDK's
/// default client it honours `HTTPS_PROXY`, `HTTP_PROXY` and `NO_PROXY` (as
/// paws does through curl), and the CA bundle the AWS CLI would use.
fn connector(settings: Option<HttpConnectorSettings>, sleep: Option<SharedAsyncSleep>, tls: TlsContext) -> Connector {
    let mut connector = Connector::builder();
    connector.set_connector_settings(settings);
    connector.set_sleep_impl(sleep);
    connector
        .proxy_config(ProxyConfig::from_env())
        .tls_provider(Provider::Rustls(CryptoMode::Ring))
        .tls_context(tls)
        .build()
}

/// The HTTP client of the SDK clients (see [`connector`]).
fn http_client(settings: &Settings, ca_bundle: Option<Vec<u8>>) -> Result<SharedHttpClient, String> {
    let tls = tls_context(ca_bundle)?;
    let mut builder = aws_smithy_http_client::Builder::new();
    if settings.close_connection {
        // paws's close_connection: no connection is kept for a later request.
        builder = builder.pool_max_idle_per_host(0);
    }
    Ok(builder.build_with_connector_fn(move |connector_settings, components| {
        connector(connector_settings.cloned(), components.and_then(|c| c.sleep_impl()), tls.clone())
    }))
}

/// How long a request that is not an AWS API call may take to connect, and
/// to see each part of the answer.
const WEB_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
const WEB_READ_TIMEOUT: Duration = Duration::from_secs(30);

/// The connector for requests that are not AWS API calls (a user pool's key
/// set, the OAuth endpoints of its domain): the same stack as the SDK
/// clients, with the default configuration's CA bundle. Made once per
/// environment, so its connections are kept alive between requests.
pub fn web_connector(interrupted: InterruptCheck) -> Result<SharedHttpConnector, CallError> {
    let fingerprint = environment_fingerprint();
    let (runtime, cached) = with_process(|p| (p.runtime.clone(), p.web.clone()));
    if let Some((_, connector)) = cached.filter(|(made_for, _)| *made_for == fingerprint) {
        return Ok(connector);
    }
    let bundle = block_on_with(&runtime, ca_bundle(&Settings::default()), interrupted)
        .map_err(|Interrupted| CallError::Interrupted)?
        .map_err(CallError::request)?;
    let tls = tls_context(bundle).map_err(CallError::request)?;
    let timeouts = HttpConnectorSettings::builder()
        .connect_timeout(WEB_CONNECT_TIMEOUT)
        .read_timeout(WEB_READ_TIMEOUT)
        .build();
    let sleep = SharedAsyncSleep::new(aws_smithy_async::rt::sleep::TokioSleep::new());
    let made = SharedHttpConnector::new(connector(Some(timeouts), Some(sleep), tls));
    with_process(|p| p.web = Some((fingerprint, made.clone())));
    Ok(made)
}

/// The PEM file of CA certificates to trust, found as the AWS CLI finds it
/// (the Rust SDK reads neither by itself): `AWS_CA_BUNDLE`, else `ca_bundle`
/// in the selected profile of the shared config file.
async fn ca_bundle(settings: &Settings) -> Result<Option<Vec<u8>>, String> {
    let path = match std::env::var("AWS_CA_BUNDLE") {
        Ok(path) if !path.is_empty() => Some(path),
        _ => {
            let profile = settings.profile.clone().map(Cow::Owned);
            let files = EnvConfigFiles::default();
            // An unreadable or malformed config file is reported by the SDK
            // itself when it resolves credentials; here it only means "no bundle".
            aws_config::profile::load(&Fs::real(), &Env::real(), &files, profile)
                .await
                .ok()
                .and_then(|profiles| profiles.get("ca_bundle").map(str::to_string))
        }
    };
    let Some(path) = path else { return Ok(None) };
    let pem = std::fs::read(&path).map_err(|e| format!("cannot read the CA bundle {path} (AWS_CA_BUNDLE or ca_bundle): {e}"))?;
    // Without this check, a wrong file would only show later, as every
    // certificate being untrusted.
    if !pem.windows(27).any(|w| w == b"-----BEGIN CERTIFICATE-----") {
        return Err(format!("the CA bundle {path} (AWS_CA_BUNDLE or ca_bundle) holds no PEM certificate"));
    }
    Ok(Some(pem))
}

/// The SDK's error texts end with the error's `Debug` form in parentheses,
/// `(SomeError { ... })`; that is noise in an R message, and so are its
/// line breaks.
fn without_debug_tail(text: &str) -> String {
    let end = if text.ends_with(')') {
        text.match_indices(" (")
            .map(|(i, _)| i)
            .find(|&i| {
                let rest = &text[i + 2..];
                rest.starts_with(|c: char| c.is_ascii_uppercase()) && rest.split_whitespace().nth(1) == Some("{")
            })
            .unwrap_or(text.len())
    } else {
        text.len()
    };
    text[..end].split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The retry configuration to impose, if any. `config$max_retries` wins.
/// Otherwise aws-config reads `AWS_MAX_ATTEMPTS` and `AWS_RETRY_MODE` itself,
/// but panics on values it cannot parse, and knows only the `standard` mode:
/// bad values become a request error here, and the AWS CLI's `legacy` and
/// `adaptive` modes (both exponential backoff with jitter too) run as standard.
fn retry_config(settings: &Settings) -> Result<Option<RetryConfig>, CallError> {
    if let Some(attempts) = settings.max_attempts {
        return Ok(Some(RetryConfig::standard().with_max_attempts(attempts)));
    }
    let variable = |name: &str| std::env::var(name).ok().map(|v| v.trim().to_string()).filter(|v| !v.is_empty());
    let attempts = match variable("AWS_MAX_ATTEMPTS") {
        None => None,
        Some(text) => match text.parse::<u32>() {
            Ok(n) if n >= 1 => Some(n),
            _ => {
                return Err(CallError::request(format!(
                    "AWS_MAX_ATTEMPTS must be a whole number of at least 1, not `{text}`"
                )))
            }
        },
    };
    match variable("AWS_RETRY_MODE").map(|mode| mode.to_ascii_lowercase()).as_deref() {
        None | Some("standard") => Ok(None),
        Some("legacy" | "adaptive") => Ok(Some(RetryConfig::standard().with_max_attempts(attempts.unwrap_or(3)))),
        Some(other) => Err(CallError::request(format!(
            "AWS_RETRY_MODE must be standard, legacy or adaptive, not `{other}`"
        ))),
    }
}

async fn build_client(settings: Settings, kind: &ClientKind, retry: Option<RetryConfig>) -> Result<Cached, CallError> {
    let bundle = ca_bundle(&settings).await.map_err(CallError::request)?;
    let http = http_client(&settings, bundle).map_err(CallError::request)?;
    let mut loader = aws_config::defaults(BehaviorVersion::latest())
        .http_client(http)
        // Stall detection guards long streaming bodies; these operations send
        // and receive small JSON documents, which config$timeout bounds, so
        // its per-call timers are only overhead.
        .stalled_stream_protection(StalledStreamProtectionConfig::disabled());
    if let Some(region) = &settings.region {
        loader = loader.region(Region::new(region.clone()));
    }
    if let Some(profile) = &settings.profile {
        loader = loader.profile_name(profile);
    }
    if let Some(endpoint) = &settings.endpoint {
        loader = loader.endpoint_url(endpoint);
    }
    if let Some(creds) = &settings.credentials {
        loader = loader.credentials_provider(Credentials::new(
            &creds.access_key_id,
            &creds.secret_access_key,
            creds.session_token.clone(),
            None,
            "cognitoidp-config",
        ));
    }
    if let Some(id) = settings.credentials_source {
        let provider = registered_credentials(id).ok_or_else(|| {
            CallError::request(
                "the credentials source of this service object does not exist in this process \
                 (made in another R session, or dropped): make it again with cognito_credentials_source()",
            )
        })?;
        loader = loader.credentials_provider(provider);
    }
    if settings.anonymous {
        loader = loader.no_credentials();
    }
    if settings.timeout.is_some() || settings.connect_timeout.is_some() {
        let mut timeouts = TimeoutConfig::builder();
        if let Some(t) = settings.timeout {
            timeouts = timeouts.connect_timeout(t).operation_attempt_timeout(t);
        }
        if let Some(t) = settings.connect_timeout {
            timeouts = timeouts.connect_timeout(t);
        }
        loader = loader.timeout_config(timeouts.build());
    }
    if let Some(retry) = retry {
        loader = loader.retry_config(retry);
    }
    let sdk_config = loader.load().await;
    // The observer counts attempts and writes the debug log; it learns which
    // provider answered through a wrapper around the credentials provider.
    let (observer, credentials) = CallObserver::with_credentials(sdk_config.credentials_provider());
    let parts = ClientParts { observer, credentials, anonymous: settings.anonymous };
    Ok(Cached { client: (kind.make)(&sdk_config, parts), region: sdk_config.region().cloned() })
}

#[cfg(test)]
mod tests {
    /// The environment as the standard library reads it, one `NAME=value`
    /// per variable, in the platform's code units.
    #[cfg(unix)]
    fn std_entries() -> Vec<Vec<u8>> {
        std::env::vars_os()
            .map(|(name, value)| [name.as_encoded_bytes(), b"=", value.as_encoded_bytes()].concat())
            .collect()
    }
    #[cfg(windows)]
    fn std_entries() -> Vec<Vec<u16>> {
        use std::os::windows::ffi::OsStrExt;
        std::env::vars_os()
            .map(|(name, value)| {
                let mut entry: Vec<u16> = name.encode_wide().collect();
                entry.push(u16::from(b'='));
                entry.extend(value.encode_wide());
                entry
            })
            .collect()
    }

    #[cfg(any(unix, windows))]
    #[test]
    fn the_environment_read_in_place_is_the_one_std_reads() {
        let mut read = Vec::new();
        super::env_block::for_each_entry(|entry| read.push(entry.to_vec()));
        let mut expected = std_entries();
        read.sort();
        expected.sort();
        assert!(!read.is_empty());
        assert_eq!(read, expected);
    }

    #[test]
    fn the_fingerprint_covers_aws_proxy_and_home_variables_in_any_case() {
        use super::entry_hash;
        let covered: [&[u8]; 11] = [
            b"AWS_REGION=eu-west-1", b"aws_profile=dev", b"Aws_=", b"HOME=/home/a", b"home=/h",
            b"HTTP_PROXY=http://p:3128", b"https_proxy=http://p", b"NO_PROXY=*", b"all_proxy=",
            b"AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER=http://127.0.0.1:1", b"AWS_X=a=b",
        ];
        for entry in covered {
            assert_ne!(entry_hash(entry), 0, "{}", String::from_utf8_lossy(entry));
            let wide: Vec<u16> = entry.iter().map(|&b| u16::from(b)).collect();
            assert_ne!(entry_hash(&wide), 0);
        }
        let ignored: [&[u8]; 9] = [
            b"PATH=/usr/bin", b"HOMEPATH=\\Users\\a", b"HOME", b"HTTP_PROXY_X=1", b"AWS=1", b"AW_S=1",
            b"XAWS_REGION=1", b"", b"NO_PROXYES=1",
        ];
        for entry in ignored {
            assert_eq!(entry_hash(entry), 0, "{}", String::from_utf8_lossy(entry));
        }
        // A changed value changes the hash; the name alone does not make it.
        assert_ne!(entry_hash(b"AWS_REGION=eu-west-1"), entry_hash(b"AWS_REGION=us-east-1"));
        assert_ne!(entry_hash(b"AWS_PROFILE=a"), entry_hash(b"AWS_PROFILE=b"));
    }

    #[test]
    fn debug_tails_and_line_breaks_are_dropped() {
        let text = "invalid retry configuration. source: global profile (`default`) key: `retry_mode`: \
                    error parsing string 'bogus' as RetryMode, valid options are: [\n    Standard,\n] \
                    (EnvConfigError { property_source: \"global profile (`default`)\", err: X })";
        assert_eq!(
            super::without_debug_tail(text),
            "invalid retry configuration. source: global profile (`default`) key: `retry_mode`: \
             error parsing string 'bogus' as RetryMode, valid options are: [ Standard, ]"
        );
        assert_eq!(super::without_debug_tail("plain (as is)"), "plain (as is)");
    }
}
