//! The storage service's errors, as S3 sends them: an HTTP status and
//! `<Error><Code/><Message/>…<RequestId/></Error>` XML.

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct S3Error {
    pub status: u16,
    pub code: &'static str,
    pub message: String,
    /// More elements of the error document (Key, BucketName, StringToSign…).
    pub details: Vec<(&'static str, String)>,
}

pub type S3Result<T> = Result<T, S3Error>;

impl S3Error {
    pub fn new(status: u16, code: &'static str, message: impl Into<String>) -> Self {
        S3Error {
            status,
            code,
            message: message.into(),
            details: Vec::new(),
        }
    }

    pub fn with(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.details.push((name, value.into()));
        self
    }

    pub fn access_denied() -> Self {
        S3Error::new(403, "AccessDenied", "Access Denied")
    }

    pub fn invalid_request(message: impl Into<String>) -> Self {
        S3Error::new(400, "InvalidRequest", message)
    }

    pub fn malformed_authorization(message: &str) -> Self {
        S3Error::new(
            400,
            "AuthorizationHeaderMalformed",
            format!("The authorization header is malformed; {message}"),
        )
    }

    pub fn not_implemented(what: &str) -> Self {
        S3Error::new(
            501,
            "NotImplemented",
            format!("A header or operation you provided implies functionality that is not implemented: {what}"),
        )
    }

    /// The error document.
    pub fn to_xml(&self, request_id: &str) -> String {
        let mut xml = String::from(r#"<?xml version="1.0" encoding="UTF-8"?>"#);
        xml.push_str("\n<Error>");
        let elements = [
            ("Code", self.code.to_owned()),
            ("Message", self.message.clone()),
        ]
        .into_iter()
        .chain(self.details.iter().cloned())
        .chain([("RequestId", request_id.to_owned())]);
        for (name, value) in elements {
            xml.push_str(&format!("<{name}>{}</{name}>", escape(&value)));
        }
        xml.push_str("</Error>");
        xml
    }
}

/// Text escaped for XML character data (quotes need no escape there).
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_error_document_escapes_its_text() {
        let error = S3Error::new(404, "NoSuchKey", "The specified key does not exist.")
            .with("Key", "a<b>&'c\"");
        assert_eq!(
            error.to_xml("req-1"),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>NoSuchKey</Code>\
             <Message>The specified key does not exist.</Message>\
             <Key>a&lt;b&gt;&amp;'c\"</Key><RequestId>req-1</RequestId></Error>"
        );
    }
}
