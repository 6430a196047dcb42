//! What a web application that signs users in needs besides the service
//! (the Shiny module of `rpkg/R/login-*.R`): values it hands to the browser
//! in cookies, sealed so the browser can neither read nor alter them
//! (`seal`), and the QR code that enrolls an authenticator app (`qr`).
//! Nothing here calls the service; `webapp_calls.rs` has the functions R
//! calls.

pub mod qr;
pub mod seal;
