//! The operations the package exposes, and the services they belong to.
//! Everything about an operation's shapes comes from the SDK's schemas and
//! the model's shape graph (`model/`); the per-operation part is the typed
//! glue the SDK does not make public (moving the deserialized input into the
//! request builder: its `deserialize_members` is crate-private), and it is
//! generated into `services/<service>/operations.rs` by `bash
//! .ci/generate.sh`, with the model's paginators and the shape of each
//! answer, as an `operation!` per operation and a `service!` per service.
//! Nothing here depends on which service an operation belongs to: each
//! operation takes the client its service's `service!` makes.

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::OnceLock;

use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use aws_smithy_schema::serde::{SerdeError, SerializableStruct, ShapeDeserializer};

use crate::client::{AnyClient, ClientKind};
use crate::errors::{CallError, FailureKind};
use crate::input::{read_input, InputError};
use crate::model::Shape;
use crate::typed::to_value;
use crate::value::Value;

pub type BoxFuture<T> = Pin<Box<dyn Future<Output = T> + Send + 'static>>;

/// A checked request, ready to be sent with its service's client.
pub type PreparedCall = Box<dyn FnOnce(AnyClient, String) -> BoxFuture<Result<Value, CallError>> + Send>;

/// What the R layer needs of an operation, whatever its shapes.
pub trait Operation: Sync {
    /// The paws name, e.g. `set_user_pool_mfa_config`.
    fn name(&self) -> &'static str;
    /// Checks the named list of arguments and builds the typed input; fails
    /// with the path of the first bad value. Sends nothing.
    fn prepare(&'static self, args: &Value) -> Result<PreparedCall, InputError>;
    /// The output with every member present as its typed empty.
    fn template(&self) -> &Value;
    /// The model's shape of the arguments, and of the answer.
    fn input_shape(&self) -> &'static Shape;
    fn output_shape(&self) -> &'static Shape;
    /// The request body the arguments `args` make, as `prepare` checks and
    /// writes it: for tests of the wire.
    fn request_body(&self, args: &Value) -> Result<String, InputError>;
    /// How the operation pages through long results, if it does.
    fn paginator(&self) -> Option<&Paginator>;
    /// The smallest arguments that pass the local checks: the required
    /// members only, at every depth, with placeholder values.
    fn minimal_args(&self) -> Value;
    /// The input shape (`output = false`) or output shape built from any
    /// deserializer, as the value tree: for schema-driven property tests.
    fn shape_from(&self, output: bool, source: &mut dyn ShapeDeserializer) -> Result<Value, SerdeError>;
    /// Reads `value` as arguments would be read, into the input or output
    /// shape, and returns that shape as the value tree.
    fn shape_from_value(&self, output: bool, value: &Value) -> Result<Value, InputError>;
    /// Whether an input with every member present comes out of the request
    /// builder unchanged (a test of the generated setter lists).
    #[cfg(test)]
    fn builder_keeps_every_member(&self) -> bool;
}

/// The members that carry a paginated operation's position and page size,
/// as the model's paginator names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Paginator {
    pub input_token: &'static str,
    pub output_token: &'static str,
    pub limit_key: Option<&'static str>,
    pub result_key: &'static str,
}

/// One operation, described by the SDK's generated functions. `C` is its
/// service's client, `B` the request builder that `into_builder` moves the
/// checked input into.
pub struct Op<C, I, B, O, E> {
    pub name: &'static str,
    pub read_input: fn(&mut dyn ShapeDeserializer) -> Result<I, SerdeError>,
    pub into_builder: fn(I) -> B,
    pub send: fn(C, B) -> BoxFuture<Result<O, SdkError<E, HttpResponse>>>,
    pub read_output: fn(&mut dyn ShapeDeserializer) -> Result<O, SerdeError>,
    /// The model's shapes of the arguments and of the answer (which
    /// `output.rs` reads the answer's body by).
    pub input_shape: &'static Shape,
    pub output_shape: &'static Shape,
    pub template: OnceLock<Value>,
    pub paginator: Option<Paginator>,
    /// The builder's `build`, for tests that every member reaches it.
    #[allow(dead_code)]
    pub build: fn(B) -> Option<I>,
}

impl<C, I, B, O, E> Operation for Op<C, I, B, O, E>
where
    C: Clone + Send + Sync + 'static,
    I: SerializableStruct + Send + 'static,
    B: Send + 'static,
    O: SerializableStruct + Send + 'static,
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    fn name(&self) -> &'static str {
        self.name
    }

    fn prepare(&'static self, args: &Value) -> Result<PreparedCall, InputError> {
        let checked = read_input(args, self.read_input)?;
        let request = (self.into_builder)(checked.typed);
        let body = checked.body;
        Ok(Box::new(move |client: AnyClient, target: String| -> BoxFuture<Result<Value, CallError>> {
            Box::pin(async move {
                // The handle R passed names the service, so this is the
                // operation's own client unless the R layer mixed them up.
                let Some(client) = client.downcast_ref::<C>().cloned() else {
                    return Err(CallError::request(format!("`{}` was called with another service's client", self.name)));
                };
                let sent = crate::observe::observe(self.name, (self.send)(client, request));
                let ((result, observed), answer) = crate::wire::exchange(body, sent).await;
                let attempts = observed.attempts;
                let unreadable = |message: String| CallError::Failure { kind: FailureKind::Response, message, attempts };
                // The value comes from the answer's body. A successful answer
                // the SDK could not build its typed output from (it lacks a
                // member the model requires) is read too, as paws reads it.
                let read = |body: &[u8]| crate::output::read_answer(body, self.output_shape);
                let outcome = match (result, answer) {
                    (Ok(_), Some(body)) => read(&body).map_err(|e| {
                        unreadable(format!("The answer from {target} could not be read as the operation's JSON: {e}"))
                    }),
                    (Ok(_), None) => Err(unreadable(format!("The answer from {target} was not kept to be read"))),
                    (Err(e @ SdkError::ResponseError(_)), Some(body)) => {
                        read(&body).map_err(|_| CallError::from_sdk(e, &target).with_attempts(attempts))
                    }
                    (Err(e), _) => Err(CallError::from_sdk(e, &target).with_attempts(attempts)),
                };
                let failure = outcome.as_ref().err().map(CallError::log_summary);
                crate::observe::log_call(self.name, &observed, failure);
                outcome
            })
        }))
    }

    fn template(&self) -> &Value {
        self.template.get_or_init(|| crate::output::empty(self.output_shape))
    }

    fn input_shape(&self) -> &'static Shape {
        self.input_shape
    }

    fn output_shape(&self) -> &'static Shape {
        self.output_shape
    }

    fn request_body(&self, args: &Value) -> Result<String, InputError> {
        read_input(args, self.read_input).map(|checked| checked.body)
    }

    fn paginator(&self) -> Option<&Paginator> {
        self.paginator.as_ref()
    }

    fn shape_from(&self, output: bool, source: &mut dyn ShapeDeserializer) -> Result<Value, SerdeError> {
        if output {
            to_value(&(self.read_output)(source)?)
        } else {
            to_value(&(self.read_input)(source)?)
        }
    }

    fn shape_from_value(&self, output: bool, value: &Value) -> Result<Value, InputError> {
        let serialized = if output {
            to_value(&read_input(value, self.read_output)?.typed)
        } else {
            to_value(&read_input(value, self.read_input)?.typed)
        };
        serialized.map_err(|e| InputError { path: String::new(), problem: e.to_string() })
    }

    fn minimal_args(&self) -> Value {
        crate::typed::required_members_only(self.read_input)
            .and_then(|input| to_value(&input))
            .unwrap_or(Value::List(Default::default()))
    }

    #[cfg(test)]
    fn builder_keeps_every_member(&self) -> bool {
        let Ok(input) = crate::typed::every_member(self.read_input) else { return false };
        let full = to_value(&input).ok();
        let rebuilt = (self.build)((self.into_builder)(input));
        rebuilt.and_then(|r| to_value(&r).ok()) == full && full.is_some()
    }
}

/// Declares an operation: its SDK module and types, the input members with
/// the request-builder setter that takes each one, and its paginator. The
/// service's `Client` is the one in scope where it is used.
macro_rules! operation {
    ($static:ident = $name:literal, $module:ident :: { $input:ident, $builder:ident, $output:ident, $error:ident },
     { $($field:ident => $setter:ident),* $(,)? }, $paginator:expr, $input_shape:expr, $output_shape:expr) => {
        pub static $static: $crate::operations::Op<
            Client,
            $module::$input,
            $module::builders::$builder,
            $module::$output,
            $module::$error,
        > = $crate::operations::Op {
            name: $name,
            read_input: $module::$input::deserialize,
            into_builder: |input| $module::$input::builder() $(.$setter(input.$field))*,
            send: |client, request| Box::pin(async move { request.send_with(&client).await }),
            read_output: $module::$output::deserialize,
            input_shape: $input_shape,
            output_shape: $output_shape,
            template: ::std::sync::OnceLock::new(),
            paginator: $paginator,
            build: |builder| builder.build().ok(),
        };
    };
}

pub(crate) use operation;

/// A service: its operations, its model, and how its client is made.
pub struct Service {
    /// paws's name, `cognitoidentity`: the R constructor and the prefix of its functions.
    pub name: &'static str,
    pub client: ClientKind,
    /// Sorted by their paws names.
    pub operations: &'static [&'static dyn Operation],
    pub model: &'static crate::model::Model,
    pub by_name: OnceLock<HashMap<&'static str, &'static dyn Operation>>,
}

impl Service {
    /// The operation called `name` (its paws name), found in constant time.
    pub fn operation(&self, name: &str) -> Option<&'static dyn Operation> {
        self.by_name.get_or_init(|| self.operations.iter().map(|op| (op.name(), *op)).collect()).get(name).copied()
    }
}

/// Declares a service (`SERVICE`) from its SDK crate, its paws name, its
/// serviceId and the variable of its endpoint, with the `operations` and
/// `shapes` modules beside it; its client is made as every client is
/// (`client::client_kind!`).
macro_rules! service {
    ($sdk:ident, $name:literal, $service_id:literal, $endpoint_variable:literal) => {
        pub static SERVICE: $crate::operations::Service = $crate::operations::Service {
            name: $name,
            client: $crate::client::client_kind!($sdk, $name, $service_id, $endpoint_variable),
            operations: operations::OPERATIONS,
            model: &shapes::MODEL,
            by_name: ::std::sync::OnceLock::new(),
        };
    };
}
pub(crate) use service;

/// The service called `name` (its paws name).
pub fn find_service(name: &str) -> Option<&'static Service> {
    crate::services::SERVICES.iter().find(|s| s.name == name).copied()
}

/// The operation `name` of the service `service`.
pub fn find(service_name: &str, name: &str) -> Option<&'static dyn Operation> {
    find_service(service_name)?.operation(name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::services::cognitoidentityprovider::operations::SET_USER_POOL_MFA_CONFIG;
    use crate::services::SERVICES;

    #[test]
    fn every_input_member_reaches_the_request_builder() {
        let input = crate::input::read_input(&crate::input::tests::full_args(), SET_USER_POOL_MFA_CONFIG.read_input).unwrap().typed;
        let rebuilt = (SET_USER_POOL_MFA_CONFIG.build)((SET_USER_POOL_MFA_CONFIG.into_builder)(input.clone())).unwrap();
        assert_eq!(rebuilt, input);
        // Every operation of every service: an input with every member
        // present survives the move into the request builder unchanged.
        for service in SERVICES {
            for op in service.operations {
                assert!(op.builder_keeps_every_member(), "{}: a member does not reach the request builder", op.name());
            }
        }
    }

    #[test]
    fn operations_are_found_by_their_service_and_paws_names() {
        let idp = "cognitoidentityprovider";
        assert_eq!(find(idp, "set_user_pool_mfa_config").unwrap().name(), "set_user_pool_mfa_config");
        assert_eq!(find(idp, "get_user_pool_mfa_config").unwrap().name(), "get_user_pool_mfa_config");
        assert!(find(idp, "SetUserPoolMfaConfig").is_none());
        assert!(find(idp, "get_id").is_none());
        assert_eq!(find("cognitoidentity", "get_id").unwrap().name(), "get_id");
        assert!(find("cognitoidentity", "set_user_pool_mfa_config").is_none());
        assert!(find("s3", "get_id").is_none());
        // Both have tag_resource; each its own.
        let (a, b) = (find(idp, "tag_resource").unwrap(), find("cognitoidentity", "tag_resource").unwrap());
        assert!(!std::ptr::eq(a.input_shape(), b.input_shape()));
        assert_eq!(SERVICES.iter().map(|s| s.operations.len()).collect::<Vec<_>>(), [132, 23]);
    }

    #[test]
    fn bad_arguments_are_refused_before_a_client_is_needed() {
        let args = Value::named_list(vec![("UserPoolId", Value::Raw(vec![1]))]);
        let err = SET_USER_POOL_MFA_CONFIG.prepare(&args).err().unwrap();
        assert_eq!(err.path, "UserPoolId");
    }
}
