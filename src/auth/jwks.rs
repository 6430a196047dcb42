//! A user pool's JSON Web Key Set and the per-URI cache that decides when to
//! fetch it. The HTTP request itself is the caller's: the cache only gets a
//! `fetch` callback, so its rules can be tested without a network.

use std::collections::hash_map::{Entry, HashMap};

use ring::signature::RsaPublicKeyComponents;

use super::encoding::{decode_base64url, parse_json_object, quote, Json};

#[cfg(test)]
mod tests;

/// After a fetch that did not turn up the wanted key, no further fetch for a
/// missing key for this long: aws-jwt-verify's rule, which keeps tokens with
/// made-up key ids from hammering the JWKS endpoint.
const MISS_REFETCH_SECONDS: f64 = 10.0;

/// The modulus sizes ring's `RSA_PKCS1_2048_8192_SHA256` verifies: shorter
/// keys are too weak, and the upper bound caps what one verification costs.
const MIN_MODULUS_BITS: usize = 2048;
const MAX_MODULUS_BITS: usize = 8192;

/// The largest public exponent ring accepts: it bounds the cost of a
/// verification.
const MAX_EXPONENT: u64 = (1 << 33) - 1;

/// A parsed JWKS: every key that has a `kid`, in document order. `kty` and
/// `use` are checked as the set is parsed (the verdict is kept with the key);
/// `alg` is kept to compare with the header of the token that picks the key.
#[derive(Debug, Clone, Default)]
pub struct KeySet {
    keys: Vec<Jwk>,
}

#[derive(Debug, Clone)]
pub(super) struct Jwk {
    kid: String,
    alg: Option<String>,
    /// The RSA public key, or why this entry cannot verify RS256 signatures
    /// whatever the token says (not RSA, not for signatures, wrong JSON types,
    /// bad base64url, a modulus under 2048 bits, a repeated kid...), worked out
    /// once when the set is parsed rather than on every verification.
    rsa: Result<RsaPublicKeyComponents<Vec<u8>>, String>,
}

impl KeySet {
    /// Parses `{"keys": [...]}`. A structurally broken document is an error;
    /// a key that cannot serve RS256 is kept (with the reason) so that a token
    /// naming it fails as `InvalidKey` rather than `UnknownKey`, and entries
    /// without a string `kid` are skipped because no token can select them.
    pub fn parse(json: &[u8]) -> Result<KeySet, String> {
        let members = parse_json_object(json).map_err(|reason| format!("the key set {reason}"))?;
        let entries = match members.into_iter().find(|(name, _)| name == "keys") {
            Some((_, Json::Array(entries))) => entries,
            Some(_) => return Err("the key set's \"keys\" is not an array".to_string()),
            None => return Err("the key set has no \"keys\" array".to_string()),
        };
        let mut keys: Vec<Jwk> = Vec::with_capacity(entries.len());
        for entry in entries {
            let Json::Object(fields) = entry else {
                return Err("the key set's \"keys\" holds a value that is not a JSON object".to_string());
            };
            let Some(jwk) = Jwk::from_fields(fields) else { continue };
            match keys.iter_mut().find(|known| known.kid == jwk.kid) {
                // Two keys under one kid leave no way to tell which one a
                // token means; neither is used.
                Some(known) => known.rsa = Err("the key set has more than one key with this key id".to_string()),
                None => keys.push(jwk),
            }
        }
        Ok(KeySet { keys })
    }

    pub fn contains(&self, kid: &str) -> bool {
        self.get(kid).is_some()
    }

    pub fn len(&self) -> usize {
        self.keys.len()
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    pub(super) fn get(&self, kid: &str) -> Option<&Jwk> {
        // Pools publish two or three keys: a scan beats hashing.
        self.keys.iter().find(|key| key.kid == kid)
    }
}

impl Jwk {
    fn from_fields(fields: Vec<(String, Json)>) -> Option<Jwk> {
        let (mut kid, mut kty, mut key_use, mut alg, mut n, mut e) = (None, None, None, None, None, None);
        for (name, value) in fields {
            let slot = match name.as_str() {
                "kid" => &mut kid,
                "kty" => &mut kty,
                "use" => &mut key_use,
                "alg" => &mut alg,
                "n" => &mut n,
                "e" => &mut e,
                _ => continue,
            };
            *slot = Some(value);
        }
        let Some(Json::String(kid)) = kid else { return None };
        let (kty, key_use, alg) =
            match (text_field(kty, "key type (kty)"), text_field(key_use, "use"), text_field(alg, "algorithm (alg)")) {
                (Ok(kty), Ok(key_use), Ok(alg)) => (kty, key_use, alg),
                (Err(problem), _, _) | (_, Err(problem), _) | (_, _, Err(problem)) => {
                    return Some(Jwk { kid, alg: None, rsa: Err(problem) })
                }
            };
        let rsa = match (kty.as_deref(), key_use.as_deref()) {
            (Some("RSA"), None | Some("sig")) => rsa_components(n.as_ref(), e.as_ref()),
            (Some("RSA"), Some(other)) => Err(format!("its use is {}, not \"sig\"", quote(other))),
            (Some(other), _) => Err(format!("its key type (kty) is {}, not \"RSA\"", quote(other))),
            (None, _) => Err("it has no key type (kty)".to_string()),
        };
        Some(Jwk { kid, alg, rsa })
    }

    /// The key, if this entry may verify a token whose header names
    /// `header_alg`. aws-jwt-verify checks kty, use and alg before the key
    /// material; all of these failures are `InvalidKey`, so only the message
    /// depends on which comes first.
    pub(super) fn rsa_key_for(&self, header_alg: &str) -> Result<&RsaPublicKeyComponents<Vec<u8>>, String> {
        let key = self.rsa.as_ref().map_err(Clone::clone)?;
        match self.alg.as_deref() {
            Some(alg) if alg != header_alg => Err(format!(
                "it is for algorithm (alg) {}, but the token's header names {}",
                quote(alg),
                quote(header_alg)
            )),
            _ => Ok(key),
        }
    }
}

fn text_field(value: Option<Json>, name: &str) -> Result<Option<String>, String> {
    match value {
        None => Ok(None),
        Some(Json::String(text)) => Ok(Some(text)),
        Some(_) => Err(format!("its {name} is not a string")),
    }
}

/// Decodes and checks n and e up front, so that a weak or malformed key is
/// reported as such instead of as a signature that does not match.
fn rsa_components(n: Option<&Json>, e: Option<&Json>) -> Result<RsaPublicKeyComponents<Vec<u8>>, String> {
    let modulus = big_endian_field(n, "modulus (n)")?;
    let exponent = big_endian_field(e, "exponent (e)")?;
    let modulus_bits = bit_length(&modulus);
    if modulus_bits < MIN_MODULUS_BITS {
        return Err(format!("its modulus has {modulus_bits} bits; RS256 needs at least {MIN_MODULUS_BITS}"));
    }
    if modulus_bits > MAX_MODULUS_BITS {
        return Err(format!("its modulus has {modulus_bits} bits; at most {MAX_MODULUS_BITS} are supported"));
    }
    if modulus.last().is_some_and(|byte| byte & 1 == 0) {
        return Err("its modulus is even, which no RSA modulus is".to_string());
    }
    let exponent_value = if exponent.len() <= 8 {
        exponent.iter().fold(0u64, |value, &byte| (value << 8) | u64::from(byte))
    } else {
        u64::MAX
    };
    if !(3..=MAX_EXPONENT).contains(&exponent_value) || exponent_value & 1 == 0 {
        return Err("its exponent (e) is not an odd number from 3 to 2^33 - 1".to_string());
    }
    Ok(RsaPublicKeyComponents { n: modulus, e: exponent })
}

/// A base64url big-endian integer field with leading zero bytes removed (ring
/// wants minimal encodings; RFC 7518 asks issuers for them but some add a
/// sign byte). Padding is tolerated here: the key set comes from the
/// configured pool, not from the token, and its spelling carries no meaning.
fn big_endian_field(value: Option<&Json>, name: &str) -> Result<Vec<u8>, String> {
    let text = match value {
        Some(Json::String(text)) => text,
        Some(_) => return Err(format!("its {name} is not a string")),
        None => return Err(format!("it has no {name}")),
    };
    let bytes = decode_base64url(text.trim_end_matches('=').as_bytes())
        .ok_or_else(|| format!("its {name} is not base64url"))?;
    let first_nonzero = bytes.iter().position(|&byte| byte != 0).unwrap_or(bytes.len());
    Ok(bytes[first_nonzero..].to_vec())
}

fn bit_length(big_endian: &[u8]) -> usize {
    match big_endian.first() {
        None => 0,
        Some(&top) => big_endian.len() * 8 - top.leading_zeros() as usize,
    }
}

/// What a failed key-set fetch is, to the cache: the caller's error type
/// (the R glue keeps its classed `CallError`; tests use `String`).
pub trait FetchFailure: Clone {
    /// The failure of `fetch(uri)`, as the cache returns it.
    fn fetching(self, uri: &str) -> Self;
    /// A fetched document that is not a usable key set.
    fn unusable(reason: String) -> Self;
    /// A remembered failure, returned again without fetching; the next fetch
    /// may be tried in `retry_in` seconds.
    fn again(self, retry_in: f64) -> Self;
}

impl FetchFailure for String {
    fn fetching(self, uri: &str) -> String {
        format!("could not fetch the key set from {uri}: {self}")
    }
    fn unusable(reason: String) -> String {
        reason
    }
    fn again(self, retry_in: f64) -> String {
        format!("{self} (a recent fetch failed; the next is tried in {retry_in:.0} s)")
    }
}

/// Key sets by JWKS URI, fetched on first use and again only when a token
/// names a key the cached set lacks, at most once per `MISS_REFETCH_SECONDS`
/// after a fetch that did not find it. A fetch that fails where no set is
/// cached is remembered as long: calls in that window get its failure at
/// once instead of each waiting out a fetch of their own (a service
/// verifying tokens during an outage stays responsive).
#[derive(Debug)]
pub struct KeyCache<E = String> {
    sets: HashMap<String, CachedKeySet>,
    /// The last failed fetch per URI with no set cached, and when it failed.
    failures: HashMap<String, (f64, E)>,
}

impl<E> Default for KeyCache<E> {
    fn default() -> Self {
        KeyCache { sets: HashMap::new(), failures: HashMap::new() }
    }
}

#[derive(Debug)]
struct CachedKeySet {
    keys: KeySet,
    /// `None` for a preloaded set.
    fetched_at: Option<f64>,
    /// When a fetch last came back without the key it was made for.
    last_failed_lookup: Option<f64>,
}

impl CachedKeySet {
    fn fetched(keys: KeySet, wanted_kid: &str, now: f64) -> CachedKeySet {
        let found = keys.contains(wanted_kid);
        CachedKeySet { keys, fetched_at: Some(now), last_failed_lookup: if found { None } else { Some(now) } }
    }

    fn may_fetch_for_miss(&self, now: f64) -> bool {
        match self.last_failed_lookup {
            None => true,
            Some(failed_at) => waited_out(failed_at, now),
        }
    }
}

/// Whether `MISS_REFETCH_SECONDS` have passed since `since`. A NaN or
/// backward clock does not open the gate.
fn waited_out(since: f64, now: f64) -> bool {
    now - since >= MISS_REFETCH_SECONDS
}

impl KeyCache<String> {
    pub fn new() -> KeyCache<String> {
        KeyCache::default()
    }
}

impl<E: FetchFailure> KeyCache<E> {
    /// Installs a key set without fetching it (keys shipped with the app, or
    /// fetched by other means); it counts as fresh, with no recent miss.
    pub fn preload(&mut self, uri: &str, keys: KeySet) {
        self.failures.remove(uri);
        self.sets.insert(uri.to_owned(), CachedKeySet { keys, fetched_at: None, last_failed_lookup: None });
    }

    /// When the set for `uri` was last fetched (`None` if never, or if it was
    /// preloaded).
    pub fn fetched_at(&self, uri: &str) -> Option<f64> {
        self.sets.get(uri).and_then(|cached| cached.fetched_at)
    }

    /// The key set to verify a token with `kid`, fetching it with
    /// `fetch(uri)` only when no set is cached yet for `uri`, or when the set
    /// lacks `kid` and no fetch has come back without a wanted key in the
    /// last 10 s. The set returned may still lack `kid`; `verify` then reports
    /// `UnknownKey`. A failed fetch or an unparsable set is an error and
    /// leaves any earlier set in place; where there is none, the same error
    /// is returned without fetching for the next 10 s.
    pub fn keys_for(
        &mut self,
        uri: &str,
        kid: &str,
        now: f64,
        fetch: &mut dyn FnMut(&str) -> Result<Vec<u8>, E>,
    ) -> Result<&KeySet, E> {
        let cached = match self.sets.entry(uri.to_owned()) {
            Entry::Vacant(slot) => {
                if let Some((failed_at, failure)) = self.failures.get(uri) {
                    if !waited_out(*failed_at, now) {
                        let retry_in = (failed_at + MISS_REFETCH_SECONDS - now).clamp(0.0, MISS_REFETCH_SECONDS);
                        return Err(failure.clone().again(if retry_in.is_nan() { MISS_REFETCH_SECONDS } else { retry_in }));
                    }
                }
                return match fetch_key_set(uri, fetch) {
                    Ok(keys) => {
                        self.failures.remove(uri);
                        Ok(&slot.insert(CachedKeySet::fetched(keys, kid, now)).keys)
                    }
                    Err(failure) => {
                        // Failures older than the window are dropped, so
                        // that the map holds only URIs failing right now.
                        self.failures.retain(|_, (failed_at, _)| !waited_out(*failed_at, now));
                        self.failures.insert(uri.to_owned(), (now, failure.clone()));
                        Err(failure)
                    }
                };
            }
            Entry::Occupied(slot) => slot.into_mut(),
        };
        if cached.keys.contains(kid) || !cached.may_fetch_for_miss(now) {
            return Ok(&cached.keys);
        }
        match fetch_key_set(uri, fetch) {
            Ok(keys) => *cached = CachedKeySet::fetched(keys, kid, now),
            Err(error) => {
                // A failing endpoint is not asked again by every token either.
                cached.last_failed_lookup = Some(now);
                return Err(error);
            }
        }
        Ok(&cached.keys)
    }
}

fn fetch_key_set<E: FetchFailure>(uri: &str, fetch: &mut dyn FnMut(&str) -> Result<Vec<u8>, E>) -> Result<KeySet, E> {
    let body = fetch(uri).map_err(|error| error.fetching(uri))?;
    KeySet::parse(&body).map_err(|error| E::unusable(format!("{error} (fetched from {uri})")))
}
