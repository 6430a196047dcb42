//! Configuration and credentials of a service object: what paws keeps in
//! `svc$.internal$config`, reduced to what changes the SDK client.
//!
//! Equal settings share one SDK client (see `client.rs`), so `Settings` is a
//! hashable key. It holds the secret key when the caller passed one
//! explicitly; its `Debug` output never shows it.

use std::time::Duration;

use crate::value::{List, Value};

#[derive(Clone, Default, PartialEq, Eq, Hash)]
pub struct Settings {
    pub region: Option<String>,
    pub endpoint: Option<String>,
    pub profile: Option<String>,
    pub credentials: Option<StaticCredentials>,
    pub anonymous: bool,
    /// Bounds connecting and each attempt's wait for an answer.
    pub timeout: Option<Duration>,
    /// Bounds connecting only; wins over `timeout` for that part.
    pub connect_timeout: Option<Duration>,
    /// Attempts in all, the first one included (paws's `max_retries` + 1).
    pub max_attempts: Option<u32>,
    pub close_connection: bool,
    /// A credentials provider registered in the client layer
    /// (`cognito_credentials_source()`), by its number.
    pub credentials_source: Option<u64>,
}

#[derive(Clone, PartialEq, Eq, Hash)]
pub struct StaticCredentials {
    pub access_key_id: String,
    pub secret_access_key: String,
    pub session_token: Option<String>,
}

impl std::fmt::Debug for StaticCredentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StaticCredentials")
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &"** redacted **")
            .field("session_token", &self.session_token.as_ref().map(|_| "** redacted **"))
            .finish()
    }
}

impl std::fmt::Debug for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Settings")
            .field("region", &self.region)
            .field("endpoint", &self.endpoint)
            .field("profile", &self.profile)
            .field("credentials", &self.credentials)
            .field("anonymous", &self.anonymous)
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("max_attempts", &self.max_attempts)
            .field("close_connection", &self.close_connection)
            .field("credentials_source", &self.credentials_source)
            .finish()
    }
}

impl Settings {
    /// Reads the flat, already validated list the R layer builds from a paws
    /// config (`region`, `endpoint`, `profile`, `access_key_id`,
    /// `secret_access_key`, `session_token`, `anonymous`, `timeout`,
    /// `connect_timeout`, `max_retries`, `close_connection`). Empty strings
    /// and absent fields mean "not set", as in paws.
    pub fn from_value(value: &Value) -> Result<Settings, String> {
        let Value::List(list) = value else {
            return Err("settings must be a named list".to_string());
        };
        let known = [
            "region",
            "endpoint",
            "profile",
            "access_key_id",
            "secret_access_key",
            "session_token",
            "anonymous",
            "timeout",
            "connect_timeout",
            "max_retries",
            "close_connection",
            "credentials_source",
        ];
        if let Some(names) = &list.names {
            if let Some(unknown) = names.iter().find(|n| !known.contains(&n.as_ref())) {
                return Err(format!("unknown setting `{unknown}`"));
            }
        }
        let access_key_id = text(list, "access_key_id")?;
        let secret_access_key = text(list, "secret_access_key")?;
        let credentials = match (access_key_id, secret_access_key) {
            (Some(access_key_id), Some(secret_access_key)) => Some(StaticCredentials {
                access_key_id,
                secret_access_key,
                session_token: text(list, "session_token")?,
            }),
            (None, None) => None,
            _ => return Err("credentials need both access_key_id and secret_access_key".to_string()),
        };
        let max_attempts = match seconds(list, "max_retries")? {
            None => None,
            Some(r) if r.fract() == 0.0 && (0.0..=100.0).contains(&r) => Some(r as u32 + 1),
            Some(_) => return Err("max_retries must be a whole number from 0 to 100".to_string()),
        };
        Ok(Settings {
            region: text(list, "region")?,
            endpoint: text(list, "endpoint")?,
            profile: text(list, "profile")?,
            credentials,
            anonymous: flag(list, "anonymous")?,
            timeout: duration(list, "timeout")?,
            connect_timeout: duration(list, "connect_timeout")?,
            max_attempts,
            close_connection: flag(list, "close_connection")?,
            credentials_source: match seconds(list, "credentials_source")? {
                None => None,
                Some(n) if n.fract() == 0.0 && n >= 1.0 && n < 9.0e15 => Some(n as u64),
                Some(_) => return Err("credentials_source must be a source's number".to_string()),
            },
        })
    }
}

fn text(list: &List, name: &str) -> Result<Option<String>, String> {
    match list.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Character(v)) if v.len() == 1 => Ok(v[0].clone().filter(|s| !s.is_empty())),
        Some(_) => Err(format!("setting `{name}` must be a single string")),
    }
}

fn flag(list: &List, name: &str) -> Result<bool, String> {
    match list.get(name) {
        None | Some(Value::Null) => Ok(false),
        Some(Value::Logical(v)) if v.len() == 1 && v[0].is_some() => Ok(v[0] == Some(true)),
        Some(_) => Err(format!("setting `{name}` must be TRUE or FALSE")),
    }
}

fn seconds(list: &List, name: &str) -> Result<Option<f64>, String> {
    let x = match list.get(name) {
        None | Some(Value::Null) => return Ok(None),
        Some(Value::Double(v)) if v.len() == 1 => v[0],
        Some(Value::Integer(v)) if v.len() == 1 => v[0].map(f64::from),
        Some(_) => None,
    };
    match x {
        Some(x) if x.is_finite() && x >= 0.0 => Ok(Some(x)),
        _ => Err(format!("setting `{name}` must be a single non-negative number")),
    }
}

fn duration(list: &List, name: &str) -> Result<Option<Duration>, String> {
    match seconds(list, name)? {
        // `from_secs_f64` would panic on a number too large for a Duration.
        Some(s) if s > 0.0 => Duration::try_from_secs_f64(s)
            .map(Some)
            .map_err(|_| format!("setting `{name}` is too many seconds")),
        Some(_) => Err(format!("setting `{name}` must be more than 0 seconds")),
        None => Ok(None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(entries: Vec<(&str, Value)>) -> Result<Settings, String> {
        Settings::from_value(&Value::named_list(entries))
    }

    #[test]
    fn reads_every_field() {
        let s = settings(vec![
            ("region", Value::string("eu-west-1")),
            ("endpoint", Value::string("http://127.0.0.1:5000")),
            ("profile", Value::string("")),
            ("access_key_id", Value::string("AKID")),
            ("secret_access_key", Value::string("SECRET")),
            ("session_token", Value::string("TOKEN")),
            ("anonymous", Value::boolean(false)),
            ("timeout", Value::Double(vec![Some(2.5)])),
            ("max_retries", Value::Integer(vec![Some(0)])),
            ("close_connection", Value::boolean(true)),
        ])
        .unwrap();
        assert_eq!(s.region.as_deref(), Some("eu-west-1"));
        assert_eq!(s.profile, None, "an empty profile means the default chain");
        assert_eq!(s.timeout, Some(Duration::from_millis(2500)));
        assert_eq!(s.max_attempts, Some(1));
        assert!(s.close_connection);
        let creds = s.credentials.as_ref().unwrap();
        assert_eq!(creds.session_token.as_deref(), Some("TOKEN"));
    }

    #[test]
    fn debug_output_never_shows_secrets() {
        let s = settings(vec![
            ("access_key_id", Value::string("AKIDEXAMPLE")),
            ("secret_access_key", Value::string("wJalrXUtnFEMI-very-secret")),
            ("session_token", Value::string("token-very-secret")),
        ])
        .unwrap();
        let shown = format!("{s:?} {s:#?}");
        assert!(shown.contains("AKIDEXAMPLE"));
        assert!(!shown.contains("very-secret"), "{shown}");
    }

    #[test]
    fn refuses_half_credentials_and_bad_values() {
        assert!(settings(vec![("access_key_id", Value::string("A"))]).is_err());
        assert!(settings(vec![("timeout", Value::Double(vec![Some(-1.0)]))]).is_err());
        assert!(settings(vec![("timeout", Value::Double(vec![None]))]).is_err());
        assert!(settings(vec![("max_retries", Value::Double(vec![Some(1.5)]))]).is_err());
        assert!(settings(vec![("anonymous", Value::Logical(vec![None]))]).is_err());
        assert!(settings(vec![("bogus", Value::Null)]).unwrap_err().contains("bogus"));
        assert_eq!(settings(vec![]).unwrap(), Settings::default());
    }
}
