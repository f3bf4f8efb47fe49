//! The HTML of managed login and of the simulated providers: plain forms
//! with stable ids (`signInFormUsername`, `signInFormPassword`, ...) so
//! browser tests can drive them.

/// What a sign-in page shows.
pub struct LoginPage<'a> {
    pub client_name: &'a str,
    /// The form's action, `/login?<the authorize parameters>`.
    pub action: &'a str,
    pub csrf: &'a str,
    pub username: &'a str,
    pub error: Option<&'a str>,
    /// Whether the pool's own users may sign in (COGNITO is supported).
    pub form: bool,
    /// The external providers offered: (name, link).
    pub providers: &'a [(String, String)],
}

pub fn login(page: &LoginPage) -> String {
    let mut body = format!("<h1>Sign in</h1>\n<p>to {}</p>\n", escape(page.client_name));
    body += &error(page.error);
    for (name, link) in page.providers {
        body += &format!(
            "<p><a class=\"idp\" id=\"idp-{0}\" href=\"{1}\">Sign in with {0}</a></p>\n",
            escape(name),
            escape(link)
        );
    }
    if page.form {
        body += &format!(
            r#"<form method="post" action="{}">
<input type="hidden" name="_csrf" value="{}">
<label>Username <input id="signInFormUsername" name="username" type="text" autocomplete="username" value="{}"></label>
<label>Password <input id="signInFormPassword" name="password" type="password" autocomplete="current-password"></label>
<button id="signInSubmitButton" name="signInSubmitButton" type="submit">Sign in</button>
</form>
"#,
            escape(page.action),
            escape(page.csrf),
            escape(page.username)
        );
    } else if page.providers.is_empty() {
        body += "<p>This app client offers no way to sign in.</p>\n";
    }
    document("Sign in", &body)
}

/// The second-factor code form; `destination` is the masked address or
/// number the code went to (None for an authenticator app).
pub fn code(
    csrf: &str,
    session: &str,
    kind: &str,
    destination: Option<&str>,
    error_text: Option<&str>,
) -> String {
    let prompt = match destination {
        Some(to) => format!("We sent a code ({kind}) to {}.", escape(to)),
        None => "Enter the code from your authenticator app.".to_owned(),
    };
    let body = format!(
        r#"<h1>Verify it's you</h1>
<p id="mfaPrompt">{prompt}</p>
{}<form method="post" action="/mfa">
<input type="hidden" name="_csrf" value="{}">
<input type="hidden" name="session" value="{}">
<label>Code <input id="mfaCode" name="code" type="text" inputmode="numeric" autocomplete="one-time-code"></label>
<button id="mfaSubmitButton" type="submit">Sign in</button>
</form>
"#,
        error(error_text),
        escape(csrf),
        escape(session)
    );
    document("Verify it's you", &body)
}

/// The new password of a FORCE_CHANGE_PASSWORD user, and the required
/// attributes it lacks (fields `<prefix><name>`).
pub fn new_password(
    csrf: &str,
    session: &str,
    prefix: &str,
    missing: &[String],
    error_text: Option<&str>,
) -> String {
    let attributes: String = missing
        .iter()
        .map(|name| {
            format!(
                "<label>{0} <input id=\"attr-{0}\" name=\"{1}{0}\" type=\"text\"></label>\n",
                escape(name),
                escape(prefix)
            )
        })
        .collect();
    let body = format!(
        r#"<h1>Change password</h1>
<p>Please enter a new password.</p>
{}<form method="post" action="/new-password">
<input type="hidden" name="_csrf" value="{}">
<input type="hidden" name="session" value="{}">
<label>New password <input id="newPassword" name="new_password" type="password" autocomplete="new-password"></label>
{attributes}<button id="newPasswordSubmitButton" type="submit">Send</button>
</form>
"#,
        error(error_text),
        escape(csrf),
        escape(session)
    );
    document("Change password", &body)
}

/// The choice of second factor (SELECT_MFA_TYPE).
pub fn choose_factor(csrf: &str, session: &str, kinds: &[&str]) -> String {
    let buttons: String = kinds
        .iter()
        .map(|kind| {
            format!("<button id=\"mfa-{0}\" name=\"mfa_type\" value=\"{0}\" type=\"submit\">{0}</button>\n", escape(kind))
        })
        .collect();
    let body = format!(
        r#"<h1>Choose how to verify</h1>
<form method="post" action="/mfa">
<input type="hidden" name="_csrf" value="{}">
<input type="hidden" name="session" value="{}">
{buttons}</form>
"#,
        escape(csrf),
        escape(session)
    );
    document("Choose how to verify", &body)
}

/// A page that ends the sign-in with a message (errors, refusals).
pub fn message(title: &str, text: &str) -> String {
    document(
        title,
        &format!(
            "<h1>{}</h1>\n<p id=\"message\">{}</p>\n",
            escape(title),
            escape(text)
        ),
    )
}

/// The simulated provider's own sign-in page, with a Cancel button.
pub fn idp_login(provider: &str, action: &str, error_text: Option<&str>) -> String {
    let body = format!(
        r#"<h1>{0}</h1>
<p>Sign in to {0} to continue to the user pool.</p>
{1}<form method="post" action="{2}">
<label>Username <input id="idpUsername" name="username" type="text"></label>
<label>Password <input id="idpPassword" name="password" type="password"></label>
<button id="idpSignIn" name="action" value="login" type="submit">Sign in</button>
<button id="idpCancel" name="action" value="cancel" type="submit">Cancel</button>
</form>
"#,
        escape(provider),
        error(error_text),
        escape(action)
    );
    document(provider, &body)
}

fn error(text: Option<&str>) -> String {
    text.map(|t| format!("<p id=\"error\" role=\"alert\">{}</p>\n", escape(t)))
        .unwrap_or_default()
}

fn document(title: &str, body: &str) -> String {
    format!(
        "<!doctype html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><title>{}</title></head>\n<body>\n{body}</body>\n</html>\n",
        escape(title)
    )
}

/// Text for HTML content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            super::escape(r#"<a href="x">'&'</a>"#),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
    }
}
