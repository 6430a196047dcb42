//! The operations the package exposes. Everything about an operation's
//! shapes comes from the SDK's schemas; what is written here per operation is
//! the typed glue the SDK does not make public: moving the deserialized input
//! into the request builder (its `deserialize_members` is crate-private).

use std::future::Future;
use std::pin::Pin;
use std::sync::OnceLock;

use aws_sdk_cognitoidentityprovider::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_cognitoidentityprovider::operation::{get_user_pool_mfa_config, set_user_pool_mfa_config};
use aws_sdk_cognitoidentityprovider::Client;
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_schema::serde::{SerdeError, SerializableStruct, ShapeDeserializer};

use crate::errors::CallError;
use crate::input::{read_input, InputError};
use crate::output::{fill, output_template, to_value};
use crate::value::Value;

pub type BoxFuture<T> = Pin<Box<dyn Future<Output = T> + Send + 'static>>;

/// A checked request, ready to be sent with a client.
pub type PreparedCall = Box<dyn FnOnce(Client, String) -> BoxFuture<Result<Value, CallError>> + Send>;

/// What the R layer needs of an operation, whatever its shapes.
pub trait Operation: Sync {
    /// The paws name, e.g. `set_user_pool_mfa_config`.
    fn name(&self) -> &'static str;
    /// Checks the named list of arguments and builds the typed input; fails
    /// with the path of the first bad value. Sends nothing.
    fn prepare(&'static self, args: &Value) -> Result<PreparedCall, InputError>;
    /// The output with every member present as its typed empty.
    fn template(&self) -> &Value;
}

/// One operation, described by the SDK's generated functions. `B` is the
/// request builder that `into_builder` moves the checked input into.
pub struct Op<I, B, O, E> {
    pub name: &'static str,
    pub read_input: fn(&mut dyn ShapeDeserializer) -> Result<I, SerdeError>,
    pub into_builder: fn(I) -> B,
    pub send: fn(Client, B) -> BoxFuture<Result<O, SdkError<E, HttpResponse>>>,
    pub read_output: fn(&mut dyn ShapeDeserializer) -> Result<O, SerdeError>,
    pub template: OnceLock<Value>,
}

impl<I, B, O, E> Operation for Op<I, B, O, E>
where
    I: SerializableStruct + Send + 'static,
    B: Send + 'static,
    O: SerializableStruct + Send + 'static,
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    fn name(&self) -> &'static str {
        self.name
    }

    fn prepare(&'static self, args: &Value) -> Result<PreparedCall, InputError> {
        let request = (self.into_builder)(read_input(args, self.read_input)?);
        Ok(Box::new(move |client: Client, target: String| -> BoxFuture<Result<Value, CallError>> {
            Box::pin(async move {
                let (result, attempts) = crate::client::counting_attempts((self.send)(client, request)).await;
                let output = result.map_err(|e| CallError::from_sdk(e, &target).with_attempts(attempts))?;
                let answer = to_value(&output).map_err(|e| CallError::Failure {
                    kind: crate::errors::FailureKind::Response,
                    message: format!("the answer could not be converted: {e}"),
                    attempts,
                })?;
                Ok(fill(self.template(), answer))
            })
        }))
    }

    fn template(&self) -> &Value {
        self.template.get_or_init(|| {
            // Cannot fail: the placeholder deserializer offers every member
            // a valid value. Falling back to an empty list keeps R safe anyway.
            output_template(self.read_output).unwrap_or(Value::List(Default::default()))
        })
    }
}

/// Declares an operation: its SDK module and types, and the input members
/// with the request-builder setter that takes each one.
macro_rules! operation {
    ($static:ident = $name:literal, $module:ident :: { $input:ident, $builder:ident, $output:ident, $error:ident },
     { $($field:ident => $setter:ident),* $(,)? }) => {
        pub static $static: Op<
            $module::$input,
            $module::builders::$builder,
            $module::$output,
            $module::$error,
        > = Op {
            name: $name,
            read_input: $module::$input::deserialize,
            into_builder: |input| $module::$input::builder() $(.$setter(input.$field))*,
            send: |client, request| Box::pin(async move { request.send_with(&client).await }),
            read_output: $module::$output::deserialize,
            template: OnceLock::new(),
        };
    };
}

operation!(SET_USER_POOL_MFA_CONFIG = "set_user_pool_mfa_config",
    set_user_pool_mfa_config::{SetUserPoolMfaConfigInput, SetUserPoolMfaConfigInputBuilder, SetUserPoolMfaConfigOutput, SetUserPoolMfaConfigError},
    {
        user_pool_id => set_user_pool_id,
        sms_mfa_configuration => set_sms_mfa_configuration,
        software_token_mfa_configuration => set_software_token_mfa_configuration,
        email_mfa_configuration => set_email_mfa_configuration,
        mfa_configuration => set_mfa_configuration,
        web_authn_configuration => set_web_authn_configuration,
    });

operation!(GET_USER_POOL_MFA_CONFIG = "get_user_pool_mfa_config",
    get_user_pool_mfa_config::{GetUserPoolMfaConfigInput, GetUserPoolMfaConfigInputBuilder, GetUserPoolMfaConfigOutput, GetUserPoolMfaConfigError},
    { user_pool_id => set_user_pool_id });

pub static OPERATIONS: &[&dyn Operation] = &[&SET_USER_POOL_MFA_CONFIG, &GET_USER_POOL_MFA_CONFIG];

pub fn find(name: &str) -> Option<&'static dyn Operation> {
    OPERATIONS.iter().copied().find(|op| op.name() == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_input_member_reaches_the_request_builder() {
        let input = crate::input::read_input(&crate::input::tests::full_args(), SET_USER_POOL_MFA_CONFIG.read_input).unwrap();
        let rebuilt = (SET_USER_POOL_MFA_CONFIG.into_builder)(input.clone()).build().unwrap();
        assert_eq!(rebuilt, input);

        let args = Value::named_list(vec![("UserPoolId", Value::string("p"))]);
        let input = crate::input::read_input(&args, GET_USER_POOL_MFA_CONFIG.read_input).unwrap();
        assert_eq!((GET_USER_POOL_MFA_CONFIG.into_builder)(input.clone()).build().unwrap(), input);
    }

    #[test]
    fn operations_are_found_by_their_paws_names() {
        assert_eq!(find("set_user_pool_mfa_config").unwrap().name(), "set_user_pool_mfa_config");
        assert_eq!(find("get_user_pool_mfa_config").unwrap().name(), "get_user_pool_mfa_config");
        assert!(find("SetUserPoolMfaConfig").is_none());
    }

    #[test]
    fn bad_arguments_are_refused_before_a_client_is_needed() {
        let args = Value::named_list(vec![("UserPoolId", Value::Double(vec![Some(1.0)]))]);
        let err = SET_USER_POOL_MFA_CONFIG.prepare(&args).err().unwrap();
        assert_eq!(err.path, "UserPoolId");
    }
}
