//! What no SDK does for its users: signing them in (the Secure Remote
//! Password proof, client secret hashes, remembered devices) and trusting
//! their tokens. Nothing here calls the service; the R layer drives the
//! exchanges with the operations every service object has.

pub mod srp;
// Below jwks and jwt, which both read with it; jwt uses jwks's KeySet.
mod encoding;
pub mod jwks;
pub mod jwt;
