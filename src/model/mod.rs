//! What the generator learns from the API model, as static data: every
//! shape the operations send or receive, with its members in model order,
//! the shapes they target, and which members are required or sensitive.
//!
//! The SDK's own schemas cannot answer everything the codec asks: a member
//! schema does not lead to the shape it targets, so the members of a
//! structure that is absent from an answer (inside a list, say) cannot be
//! found from them. `bash .ci/generate.sh` writes the graph into `shapes.rs`
//! from the same two pinned sources as the rest of the generated code, and
//! checks there that it agrees with the SDK's schemas.
//!
//! This module is the bottom of the codec: `input.rs` and `output.rs` read
//! it, and it reads nothing of theirs.

use aws_smithy_schema::Schema;

mod shapes;
pub use shapes::*;

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

static NO_MEMBERS: Structure = Structure { name: "", sdk_name: "", members: &[], required: &[], sensitive: &[] };

/// The answer of an operation the model gives no output shape: no members.
pub static NO_OUTPUT: Shape = Shape::Structure(&NO_MEMBERS);

/// The structure whose SDK schema is `schema` (a structure's own schema);
/// a structure without members for shapes the model does not describe.
pub fn structure_of(schema: &Schema<'_>) -> &'static Structure {
    let name = schema.shape_id().shape_name();
    match BY_SDK_NAME.binary_search_by(|s| s.sdk_name.cmp(name)) {
        Ok(i) => BY_SDK_NAME[i],
        Err(_) => &NO_MEMBERS,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn structures_are_found_by_their_sdk_names() {
        assert!(BY_SDK_NAME.windows(2).all(|w| w[0].sdk_name < w[1].sdk_name), "BY_SDK_NAME must be sorted");
        let Shape::Structure(input) = &SET_USER_POOL_MFA_CONFIG_REQUEST else { panic!("not a structure") };
        assert_eq!(input.sdk_name, "SetUserPoolMfaConfigInput");
        assert_eq!(input.required, &["UserPoolId"]);
        let schema = aws_sdk_cognitoidentityprovider::operation::set_user_pool_mfa_config::SetUserPoolMfaConfigInput::SCHEMA;
        assert!(std::ptr::eq(structure_of(schema), *input));
    }
}
