//! The service's error answer: an exception name and a message, sent as
//! HTTP 400 `{"__type": name, "message": message}`.

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    pub name: &'static str,
    pub message: String,
}

impl ApiError {
    pub fn new(name: &'static str, message: impl Into<String>) -> Self {
        ApiError {
            name,
            message: message.into(),
        }
    }

    pub fn not_authorized(message: impl Into<String>) -> Self {
        ApiError::new("NotAuthorizedException", message)
    }

    pub fn invalid_parameter(message: impl Into<String>) -> Self {
        ApiError::new("InvalidParameterException", message)
    }

    /// The wrong-password answer, also given for unknown users when the client
    /// prevents user-existence errors.
    pub fn incorrect_credentials() -> Self {
        ApiError::not_authorized("Incorrect username or password.")
    }

    pub fn user_not_found() -> Self {
        ApiError::new("UserNotFoundException", "User does not exist.")
    }

    /// An expired, unknown or already used Session or SECRET_BLOCK.
    pub fn invalid_session() -> Self {
        ApiError::not_authorized("Invalid session for the user, session is expired.")
    }

    /// A required AuthParameters / ChallengeResponses entry is absent.
    pub fn missing_parameter(name: &str) -> Self {
        ApiError::invalid_parameter(format!("Missing required parameter {name}"))
    }

    /// A required top-level request member is absent (the service's model
    /// validation message).
    pub fn null_member(member: &str) -> Self {
        ApiError::invalid_parameter(format!(
            "1 validation error detected: Value null at '{member}' failed to satisfy constraint: Member must not be null"
        ))
    }

    pub fn serialization(message: impl Into<String>) -> Self {
        ApiError::new("SerializationException", message)
    }

    pub fn unknown_operation(target: &str) -> Self {
        ApiError::new(
            "UnknownOperationException",
            format!("Unknown operation {target}"),
        )
    }
}

pub type ApiResult<T> = Result<T, ApiError>;
