//! Where the endpoint "delivers" the codes the real service would send by
//! email or SMS (sign-up confirmation, password reset, MFA, attribute
//! verification), so that tests and the demo can read them:
//! `GET /inbox?pool=<userPoolId>&username=<username>` answers
//! `{"messages": [...]}`, oldest first.

use serde::Serialize;
use serde_json::{json, Value};

/// One code sent to one user.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Message {
    pub pool_id: String,
    /// The internal username.
    pub username: String,
    /// `EMAIL` or `SMS`, as the service's CodeDeliveryDetails say.
    pub delivery_medium: String,
    /// The address or number, unmasked.
    pub destination: String,
    /// What the code is for, e.g. `SIGN_UP`, `FORGOT_PASSWORD`, `SMS_MFA`.
    pub purpose: String,
    pub code: String,
    /// Unix seconds.
    pub sent_at: u64,
}

#[derive(Default)]
pub struct Inbox {
    messages: Vec<Message>,
}

impl Inbox {
    pub fn deliver(&mut self, message: Message) {
        self.messages.push(message);
    }

    /// The newest code of `purpose` sent to a user, for checking an answer.
    pub fn latest(&self, pool_id: &str, username: &str, purpose: &str) -> Option<&Message> {
        self.messages
            .iter()
            .rev()
            .find(|m| m.pool_id == pool_id && m.username == username && m.purpose == purpose)
    }

    /// The messages matching the optional filters, as the GET answer.
    pub fn query(&self, pool_id: Option<&str>, username: Option<&str>) -> Value {
        let messages: Vec<&Message> = self
            .messages
            .iter()
            .filter(|m| pool_id.map_or(true, |p| m.pool_id == p))
            .filter(|m| username.map_or(true, |u| m.username == u))
            .collect();
        json!({ "messages": messages })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(username: &str, purpose: &str, code: &str) -> Message {
        Message {
            pool_id: "p".into(),
            username: username.into(),
            delivery_medium: "EMAIL".into(),
            destination: format!("{username}@example.com"),
            purpose: purpose.into(),
            code: code.into(),
            sent_at: 1,
        }
    }

    #[test]
    fn latest_code_per_user_and_purpose() {
        let mut inbox = Inbox::default();
        inbox.deliver(message("alice", "SIGN_UP", "111111"));
        inbox.deliver(message("bob", "SIGN_UP", "222222"));
        inbox.deliver(message("alice", "SIGN_UP", "333333"));
        assert_eq!(
            inbox.latest("p", "alice", "SIGN_UP").unwrap().code,
            "333333"
        );
        assert!(inbox.latest("p", "alice", "FORGOT_PASSWORD").is_none());
        assert_eq!(
            inbox.query(None, Some("bob"))["messages"]
                .as_array()
                .unwrap()
                .len(),
            1
        );
        assert_eq!(
            inbox.query(Some("p"), None)["messages"]
                .as_array()
                .unwrap()
                .len(),
            3
        );
        assert_eq!(
            inbox.query(Some("q"), None)["messages"]
                .as_array()
                .unwrap()
                .len(),
            0
        );
    }
}
