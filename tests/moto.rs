//! The Rust core against a real Cognito emulator (moto's server), without R:
//! settings -> client -> schema-checked request -> answer -> error data.
//!
//! Needs `moto_server` (COGNITOIDP_MOTO_SERVER, PATH, or /opt/moto-venv);
//! the tests are skipped without it unless COGNITOIDP_REQUIRE_MOTO=true.

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use cognitoidp::client;
use cognitoidp::errors::{CallError, FailureKind};
use cognitoidp::operations::{self, Operation};
use cognitoidp::settings::{Settings, StaticCredentials};
use cognitoidp::value::Value;

struct Moto {
    child: Child,
    endpoint: String,
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn moto_binary() -> Option<String> {
    if let Ok(path) = std::env::var("COGNITOIDP_MOTO_SERVER") {
        return Some(path);
    }
    let candidates = std::env::var("PATH").unwrap_or_default();
    std::env::split_paths(&candidates)
        .map(|dir| dir.join("moto_server"))
        .chain([std::path::PathBuf::from("/opt/moto-venv/bin/moto_server")])
        .find(|p| p.is_file())
        .map(|p| p.to_string_lossy().into_owned())
}

fn start_moto() -> Option<Moto> {
    let Some(binary) = moto_binary() else {
        assert!(
            std::env::var("COGNITOIDP_REQUIRE_MOTO").as_deref() != Ok("true"),
            "moto_server is required (COGNITOIDP_REQUIRE_MOTO=true) but was not found"
        );
        eprintln!("moto_server not found: skipping");
        return None;
    };
    let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let child = Command::new(binary)
        .args(["-H", "127.0.0.1", "-p", &port.to_string()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("moto_server starts");
    let started = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(started.elapsed() < Duration::from_secs(30), "moto_server did not start");
        std::thread::sleep(Duration::from_millis(100));
    }
    Some(Moto { child, endpoint: format!("http://127.0.0.1:{port}") })
}

fn settings(endpoint: &str) -> Settings {
    Settings {
        region: Some("us-east-1".into()),
        endpoint: Some(endpoint.into()),
        credentials: Some(StaticCredentials {
            access_key_id: "AKIDTEST".into(),
            secret_access_key: "test-secret".into(),
            session_token: None,
        }),
        max_attempts: Some(1),
        ..Settings::default()
    }
}

fn never_interrupted() -> bool {
    false
}

fn call_service(service: &str, settings: &Settings, op: &'static dyn Operation, args: Value) -> Result<Value, CallError> {
    let prepared = op.prepare(&args)?;
    let kind = &operations::find_service(service).unwrap().client;
    let (client, _) = client::client(settings, kind, never_interrupted)?;
    client::block_on(prepared(client, "moto".into()), never_interrupted).unwrap()
}

fn call(settings: &Settings, op: &'static dyn Operation, args: Value) -> Result<Value, CallError> {
    call_service("cognitoidentityprovider", settings, op, args)
}

fn user_pools(name: &str) -> &'static dyn Operation {
    operations::find("cognitoidentityprovider", name).unwrap()
}

/// CreateUserPool is not an operation of the package (yet): moto is asked directly.
fn create_pool(endpoint: &str) -> String {
    let out = Command::new("curl")
        .args(["-s", "-X", "POST", endpoint])
        .args(["-H", "X-Amz-Target: AWSCognitoIdentityProviderService.CreateUserPool"])
        .args(["-H", "Content-Type: application/x-amz-json-1.1"])
        .args(["-d", r#"{"PoolName":"rust-tests"}"#])
        .output()
        .expect("curl runs");
    let body = String::from_utf8(out.stdout).unwrap();
    let start = body.find("\"Id\": \"").expect("a pool id in the answer") + 7;
    body[start..].split('"').next().unwrap().to_string()
}

fn member<'a>(value: &'a Value, path: &[&str]) -> &'a Value {
    path.iter().fold(value, |node, name| match node {
        Value::List(list) => list.get(name).unwrap_or_else(|| panic!("no member {name}")),
        _ => panic!("not a list at {name}"),
    })
}

#[test]
fn set_then_get_round_trips_through_moto() {
    let Some(moto) = start_moto() else { return };
    let pool = create_pool(&moto.endpoint);
    let settings = settings(&moto.endpoint);
    let set = user_pools("set_user_pool_mfa_config");
    let get = user_pools("get_user_pool_mfa_config");

    let args = Value::named_list(vec![
        ("UserPoolId", Value::string(pool.clone())),
        ("SoftwareTokenMfaConfiguration", Value::named_list(vec![("Enabled", Value::boolean(true))])),
        ("MfaConfiguration", Value::string("ON")),
    ]);
    let answer = call(&settings, set, args).unwrap();
    assert_eq!(member(&answer, &["MfaConfiguration"]), &Value::string("ON"));
    assert_eq!(member(&answer, &["SoftwareTokenMfaConfiguration", "Enabled"]), &Value::boolean(true));
    // Members moto did not send are typed empties.
    assert_eq!(member(&answer, &["EmailMfaConfiguration", "Subject"]), &Value::Character(vec![]));

    let read_back = call(&settings, get, Value::named_list(vec![("UserPoolId", Value::string(pool))])).unwrap();
    assert_eq!(read_back, answer);
}

#[test]
fn service_errors_carry_code_status_and_request_id() {
    let Some(moto) = start_moto() else { return };
    let get = user_pools("get_user_pool_mfa_config");
    let err = call(&settings(&moto.endpoint), get, Value::named_list(vec![("UserPoolId", Value::string("us-east-1_none"))]))
        .unwrap_err();
    match err {
        CallError::Service { code, message, status, request_id, attempts } => {
            assert_eq!(code, "ResourceNotFoundException");
            assert_eq!(attempts, 1, "not retried: max_attempts is 1");
            assert!(message.contains("us-east-1_none"), "{message}");
            assert_eq!(status, 400);
            assert!(request_id.is_some_and(|id| !id.is_empty()));
        }
        other => panic!("expected a service error, got {other:?}"),
    }
}

#[test]
fn a_closed_port_is_a_connection_failure() {
    let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let endpoint = format!("http://127.0.0.1:{port}");
    let get = user_pools("get_user_pool_mfa_config");
    let err = call(&settings(&endpoint), get, Value::named_list(vec![("UserPoolId", Value::string("p"))])).unwrap_err();
    match err {
        CallError::Failure { kind: FailureKind::Connection, message, attempts } => {
            assert!(message.contains("moto"), "the target is named: {message}");
            assert_eq!(attempts, 1);
        }
        other => panic!("expected a connection failure, got {other:?}"),
    }
}

fn identity_pools(name: &str) -> &'static dyn Operation {
    operations::find("cognitoidentity", name).unwrap()
}

#[test]
fn identity_pools_through_moto_the_unsigned_operations_without_credentials() {
    let Some(moto) = start_moto() else { return };
    let signed = settings(&moto.endpoint);
    let args = Value::named_list(vec![
        ("IdentityPoolName", Value::string("rust_tests")),
        ("AllowUnauthenticatedIdentities", Value::boolean(true)),
    ]);
    let pool = call_service("cognitoidentity", &signed, identity_pools("create_identity_pool"), args).unwrap();
    let Value::Character(id) = member(&pool, &["IdentityPoolId"]) else { panic!("no pool id: {pool:?}") };
    assert!(id[0].as_deref().is_some_and(|id| id.starts_with("us-east-1:")), "{id:?}");
    let pool_id = id[0].clone().unwrap();
    // The same endpoint, and no credentials anywhere: GetId is sent unsigned.
    let unsigned = Settings { credentials: None, anonymous: false, ..signed.clone() };
    let args = Value::named_list(vec![("IdentityPoolId", Value::string(pool_id.clone()))]);
    let identity = call_service("cognitoidentity", &unsigned, identity_pools("get_id"), args).unwrap();
    let Value::Character(identity_id) = member(&identity, &["IdentityId"]) else { panic!("{identity:?}") };
    assert!(identity_id[0].as_deref().is_some_and(|i| i.starts_with("us-east-1:")), "{identity_id:?}");
    // A user-pools operation with the same settings goes to the other client.
    let err = call(&signed, user_pools("get_user_pool_mfa_config"), Value::named_list(vec![("UserPoolId", Value::string("us-east-1_none"))]))
        .unwrap_err();
    assert!(matches!(err, CallError::Service { ref code, .. } if code == "ResourceNotFoundException"), "{err:?}");
}
