//! What the generator learns from the API model, as static data: every
//! shape the operations send or receive, with its members in model order,
//! the shapes they target, and which members are required or sensitive.
//!
//! The SDK's own schemas cannot answer everything the codec asks: a member
//! schema does not lead to the shape it targets, so the members of a
//! structure that is absent from an answer (inside a list, say) cannot be
//! found from them. `bash .ci/generate.sh` writes each service's graph into
//! `services/<service>/shapes.rs` from the same two pinned sources as the
//! rest of the generated code, and checks there that it agrees with the
//! SDK's schemas. This module holds what the graphs are made of, and finds
//! a structure from its schema in the graph of the schema's service.
//!
//! This module is the bottom of the codec: `input.rs` and `output.rs` read
//! it, and it reads nothing of theirs (only the generated graphs).

use aws_smithy_schema::Schema;

/// A shape of the model, reduced to what decides how its values are read,
/// written and represented in R.
#[derive(Debug)]
pub enum Shape {
    /// Strings and enums.
    String,
    Boolean,
    /// Whole numbers of 32 bits (and the model's bytes and shorts).
    Integer,
    /// Whole numbers of 64 bits.
    Long,
    /// Doubles and floats.
    Double,
    Timestamp,
    Blob,
    /// Free-form JSON.
    Document,
    List(&'static Shape),
    /// A map from strings to values of this shape.
    Map(&'static Shape),
    Structure(&'static Structure),
}

#[derive(Debug)]
pub struct Structure {
    /// The model's (botocore's) name: `AdminCreateUserRequest`.
    pub name: &'static str,
    /// The SDK's name, which its schemas carry: `AdminCreateUserInput`.
    pub sdk_name: &'static str,
    /// Every member the SDK knows, in model order.
    pub members: &'static [Member],
    /// Members that must be given when the structure is.
    pub required: &'static [&'static str],
    /// Members whose values (and everything inside them) are never shown.
    pub sensitive: &'static [&'static str],
}

#[derive(Debug)]
pub struct Member {
    pub name: &'static str,
    pub shape: &'static Shape,
}

// The scalar shapes, shared by every member that targets one.
pub static STRING: Shape = Shape::String;
pub static BOOLEAN: Shape = Shape::Boolean;
pub static INTEGER: Shape = Shape::Integer;
pub static LONG: Shape = Shape::Long;
pub static DOUBLE: Shape = Shape::Double;
pub static TIMESTAMP: Shape = Shape::Timestamp;
pub static BLOB: Shape = Shape::Blob;
pub static DOCUMENT: Shape = Shape::Document;

impl Structure {
    pub fn member(&self, name: &str) -> Option<&'static Member> {
        self.members.iter().find(|m| m.name == name)
    }
}

/// The structures of one service's model.
#[derive(Debug)]
pub struct Model {
    /// The Smithy namespace of its shapes, `com.amazonaws.cognitoidentity`
    /// (operation inputs and outputs are in `<namespace>.synthetic`).
    pub namespace: &'static str,
    /// Sorted by their SDK names, for binary search.
    pub structures: &'static [&'static Structure],
}

impl Model {
    /// Whether a schema's namespace is this model's.
    fn owns(&self, namespace: &str) -> bool {
        namespace.strip_prefix(self.namespace).is_some_and(|rest| rest.is_empty() || rest.starts_with('.'))
    }
}

static NO_MEMBERS: Structure = Structure { name: "", sdk_name: "", members: &[], required: &[], sensitive: &[] };

/// The answer of an operation the model gives no output shape: no members.
pub static NO_OUTPUT: Shape = Shape::Structure(&NO_MEMBERS);

/// The structure whose SDK schema is `schema` (a structure's own schema),
/// in the model of the schema's service (two services may both have a
/// `TagResourceInput`); a structure without members for shapes no model
/// describes.
pub fn structure_of(schema: &Schema<'_>) -> &'static Structure {
    let id = schema.shape_id();
    let Some(model) = crate::services::MODELS.iter().find(|m| m.owns(id.namespace())) else { return &NO_MEMBERS };
    let name = id.shape_name();
    match model.structures.binary_search_by(|s| s.sdk_name.cmp(name)) {
        Ok(i) => model.structures[i],
        Err(_) => &NO_MEMBERS,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::services::{cognitoidentity, cognitoidentityprovider, MODELS};

    #[test]
    fn structures_are_found_by_their_sdk_names() {
        for model in MODELS {
            assert!(model.structures.windows(2).all(|w| w[0].sdk_name < w[1].sdk_name), "structures must be sorted");
        }
        let Shape::Structure(input) = &cognitoidentityprovider::shapes::SET_USER_POOL_MFA_CONFIG_REQUEST else {
            panic!("not a structure")
        };
        assert_eq!(input.sdk_name, "SetUserPoolMfaConfigInput");
        assert_eq!(input.required, &["UserPoolId"]);
        let schema = aws_sdk_cognitoidentityprovider::operation::set_user_pool_mfa_config::SetUserPoolMfaConfigInput::SCHEMA;
        assert!(std::ptr::eq(structure_of(schema), *input));
    }

    #[test]
    fn a_name_both_services_have_is_found_in_the_schemas_own_service() {
        // Both models have a TagResourceInput, with different members.
        let Shape::Structure(idp) = &cognitoidentityprovider::shapes::TAG_RESOURCE_REQUEST else { panic!() };
        let Shape::Structure(identity) = &cognitoidentity::shapes::TAG_RESOURCE_INPUT else { panic!() };
        let schema = aws_sdk_cognitoidentityprovider::operation::tag_resource::TagResourceInput::SCHEMA;
        assert!(std::ptr::eq(structure_of(schema), *idp));
        let schema = aws_sdk_cognitoidentity::operation::tag_resource::TagResourceInput::SCHEMA;
        assert!(std::ptr::eq(structure_of(schema), *identity));
        let schema = aws_sdk_cognitoidentity::types::Credentials::SCHEMA;
        assert_eq!(structure_of(schema).name, "Credentials");
    }
}
