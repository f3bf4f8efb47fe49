//! Identity pools (Cognito federated identities), pure: the two unsigned
//! calls that turn a user-pool sign-in (or none: a guest) into temporary
//! AWS credentials, and the reading of their answers.
//!
//! | step | wire (`X-Amz-Target: AWSCognitoIdentityService.*`) | answer |
//! |---|---|---|
//! | no identity known yet | GetId {IdentityPoolId, Logins?} | {IdentityId} |
//! | credentials | GetCredentialsForIdentity {IdentityId, Logins?} | {IdentityId, Credentials: {AccessKeyId, SecretKey, SessionToken, Expiration}} |
//!
//! `Logins` maps the user pool's provider name,
//! `cognito-idp.<region>.amazonaws.com/<userPoolId>`, to the **id token**;
//! a guest sends none. A guest identity sent with a login becomes the user's
//! (or merges into the identity the login already has: the answer's
//! IdentityId then differs from the one sent), as Amplify v6 passes a
//! guest's identity on when the guest signs in.
//!
//! Which identity and login to send, and when credentials are due, is the
//! JS side's business (`js/identity.js`): it keeps them per identity pool.

use alloc::borrow::ToOwned;
use alloc::string::String;

use zeroize::Zeroizing;

use crate::error::{Error, Result};
use crate::json::Json;
use crate::protocol::{http_url, is_region_name, HttpRequest, HttpResponse, RequestKind};
use crate::text::quoted;

/// One identity pool, where its API is, and the user pool it trusts.
#[derive(Clone, Debug)]
pub struct IdentityPool {
    id: String,
    endpoint: String,
    /// The Logins key of the user pool's id tokens.
    provider: String,
}

impl IdentityPool {
    /// Checks `identity_pool_id` (`<region>:<id>`, the id lower-case hex and
    /// dashes, as the service's pattern `[\w-]+:[0-9a-f-]+`) and works out
    /// the endpoint: `endpoint` when given (a local server), else
    /// `https://cognito-identity.<region>.amazonaws.com/`, the region being
    /// the identity pool's. The provider name is
    /// `cognito-idp.<region>.amazonaws.com/<user_pool_id>`, the region being
    /// the user pool's (the part of its id before `_`; `ClientConfig::new`
    /// has checked the id).
    pub fn new(identity_pool_id: &str, user_pool_id: &str, endpoint: Option<&str>) -> Result<Self> {
        let (region, id) = identity_pool_id.split_once(':').unwrap_or(("", ""));
        let id_ok = !id.is_empty()
            && id
                .bytes()
                .all(|c| matches!(c, b'0'..=b'9' | b'a'..=b'f' | b'-'));
        if !is_region_name(region) || !id_ok {
            return Err(Error::Validation(
                [
                    "identityPoolId ",
                    &quoted(identity_pool_id),
                    " is not of the form <region>:<id>, e.g. us-east-1:0b7a1c62-5d3e-4f7a-9c1e-2a4b6c8d0e1f; copy it from the identity pool's overview in the Cognito console",
                ]
                .concat()
                .into(),
            ));
        }
        let pool_region = user_pool_id.split_once('_').map_or("", |(r, _)| r);
        let endpoint = match endpoint {
            Some(url) => http_url("identityPoolEndpoint", url)?,
            None => ["https://cognito-identity.", region, ".amazonaws.com/"].concat(),
        };
        Ok(IdentityPool {
            id: identity_pool_id.to_owned(),
            endpoint,
            provider: ["cognito-idp.", pool_region, ".amazonaws.com/", user_pool_id].concat(),
        })
    }

    pub fn id(&self) -> &str {
        &self.id
    }

    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    /// The Logins key: `cognito-idp.<region>.amazonaws.com/<userPoolId>`.
    pub fn provider_name(&self) -> &str {
        &self.provider
    }

    /// A POST of `{ <key>: <value>, Logins? }` to the identity-pool API's `operation`.
    fn request(&self, operation: &str, key: &str, value: &str, login: Option<&str>) -> HttpRequest {
        let mut members = alloc::vec![(key.to_owned(), Json::String(value.to_owned()))];
        if let Some(id_token) = login {
            let logins = Json::string_map(&[(self.provider.as_str(), id_token)]);
            members.push(("Logins".to_owned(), logins));
        }
        let mut body = Zeroizing::new(String::new());
        Json::Object(members).write(&mut body);
        HttpRequest {
            url: self.endpoint.clone(),
            kind: RequestKind::Api(["AWSCognitoIdentityService.", operation].concat()),
            body,
        }
    }
}

/// GetId `{IdentityPoolId, Logins?}`: the identity of the login (`id_token`),
/// created on first use, or a new guest identity without one.
pub fn get_id(pool: &IdentityPool, id_token: Option<&str>) -> HttpRequest {
    pool.request("GetId", "IdentityPoolId", &pool.id, id_token)
}

/// GetCredentialsForIdentity `{IdentityId, Logins?}`.
pub fn get_credentials_for_identity(
    pool: &IdentityPool,
    identity_id: &str,
    id_token: Option<&str>,
) -> HttpRequest {
    pool.request(
        "GetCredentialsForIdentity",
        "IdentityId",
        identity_id,
        id_token,
    )
}

/// Whether `id` has the form of an identity id: 1 to 55 characters,
/// `<region>:<lower-case hex and dashes>` (the service's `[\w-]+:[0-9a-f-]+`).
pub fn is_identity_id(id: &str) -> bool {
    let Some((region, rest)) = id.split_once(':') else {
        return false;
    };
    id.len() <= 55
        && !region.is_empty()
        && region
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || c == b'_' || c == b'-')
        && !rest.is_empty()
        && rest
            .bytes()
            .all(|c| matches!(c, b'0'..=b'9' | b'a'..=b'f' | b'-'))
}

/// The IdentityId of a GetId answer.
pub fn read_identity_id(response: &HttpResponse) -> Result<String> {
    let answer = response.json()?;
    match answer.get("IdentityId").and_then(Json::as_str) {
        Some(id) if is_identity_id(id) => Ok(id.to_owned()),
        _ => Err(Error::bad_response(
            "GetId answered without a valid IdentityId",
        )),
    }
}

/// Temporary AWS credentials and the identity they are for.
#[derive(Debug)]
pub struct AwsCredentials {
    /// The answer's IdentityId (another than the one sent when a guest
    /// identity merged into the login's), else the one sent.
    pub identity_id: String,
    pub access_key_id: String,
    pub secret_key: Zeroizing<String>,
    pub session_token: Zeroizing<String>,
    /// When they expire: epoch milliseconds, on the service's clock.
    pub expiration_ms: u64,
}

/// The credentials of a GetCredentialsForIdentity answer for `sent_identity`:
/// every member of `Credentials` must be there (the strings not empty), and
/// an `IdentityId`, when there is one, must be one.
pub fn read_credentials(response: &HttpResponse, sent_identity: &str) -> Result<AwsCredentials> {
    let answer = response.json()?;
    let read = || {
        let identity_id = match answer.get("IdentityId") {
            None | Some(Json::Null) => sent_identity,
            Some(id) => id.as_str().filter(|id| is_identity_id(id))?,
        };
        let credentials = answer.get("Credentials")?;
        let field = |name: &str| {
            let value = credentials.get(name)?.as_str()?;
            (!value.is_empty()).then(|| value.to_owned())
        };
        let expiration_ms = match credentials.get("Expiration")? {
            Json::Number(seconds) => epoch_milliseconds(seconds)?,
            _ => return None,
        };
        Some(AwsCredentials {
            identity_id: identity_id.to_owned(),
            access_key_id: field("AccessKeyId")?,
            secret_key: Zeroizing::new(field("SecretKey")?),
            session_token: Zeroizing::new(field("SessionToken")?),
            expiration_ms,
        })
    };
    read().ok_or_else(|| {
        Error::bad_response(
            "GetCredentialsForIdentity answered without usable Credentials (AccessKeyId, SecretKey, SessionToken, Expiration in epoch seconds) or with a malformed IdentityId",
        )
    })
}

/// The latest time a JS `Date` holds: 8.64e15 ms after the epoch.
const MAX_DATE_MS: u64 = 8_640_000_000_000_000;

/// Epoch seconds as the service writes them, a JSON number and often a
/// double in exponent form (`1.767225721E9`), as whole epoch milliseconds:
/// `digits × 10^(exponent − fraction digits + 3)`, truncated. `number` is
/// the text of a JSON number (`-?int(.frac)?([eE][+-]?exp)?`). None for a
/// negative number or a time past what a JS `Date` holds.
///
/// One pass over the bytes, with no slicing (a slice that could fail links
/// a panic path into the wasm module).
pub fn epoch_milliseconds(number: &str) -> Option<u64> {
    // The significant digits, at most 18 of them (a u64 holds them), and
    // the power of ten they are scaled by to give milliseconds.
    let mut digits: u64 = 0;
    let mut scale: i32 = 3;
    let (mut in_fraction, mut in_exponent, mut negative_exponent) = (false, false, false);
    // The exponent, clamped to 1000: past that every value is 0 or too large alike.
    let mut exponent: i32 = 0;
    for byte in number.bytes() {
        let digit = byte.wrapping_sub(b'0');
        match byte {
            b'-' if !in_exponent => return None,
            b'-' => negative_exponent = true,
            b'.' => in_fraction = true,
            b'e' | b'E' => in_exponent = true,
            b'+' => {}
            _ if in_exponent => exponent = (exponent * 10 + i32::from(digit)).min(1000),
            _ if digits < 100_000_000_000_000_000 => {
                digits = digits * 10 + u64::from(digit);
                scale -= i32::from(in_fraction);
            }
            // Past u64's precision: whole digits still count tens, fraction
            // digits are dropped (truncation).
            _ => scale += i32::from(!in_fraction),
        }
    }
    scale += if negative_exponent {
        -exponent
    } else {
        exponent
    };
    while scale < 0 && digits > 0 {
        digits /= 10;
        scale += 1;
    }
    while scale > 0 && digits > 0 {
        if digits > MAX_DATE_MS / 10 {
            return None;
        }
        digits *= 10;
        scale -= 1;
    }
    (digits <= MAX_DATE_MS).then_some(digits)
}

/// A credentials fetch for one login (an id token) or a guest, as the
/// requests it sends: GetId first when no identity is known, then
/// GetCredentialsForIdentity. A remembered identity the service no longer
/// takes for this login (ResourceNotFoundException, NotAuthorizedException)
/// is dropped, and the fetch starts again once with GetId.
pub struct CredentialsFetch {
    login: Option<Zeroizing<String>>,
    awaiting: Awaiting,
}

/// The answer a [`CredentialsFetch`] waits for.
enum Awaiting {
    /// GetId's.
    IdentityId,
    /// GetCredentialsForIdentity's, for an identity GetId has just given.
    Credentials(String),
    /// GetCredentialsForIdentity's, for an identity remembered from before.
    RememberedCredentials(String),
}

/// What a [`CredentialsFetch`] does next.
pub enum CredentialsStep {
    /// Send this request, and hand its answer to [`CredentialsFetch::receive`].
    Send(CredentialsFetch, HttpRequest),
    Done(AwsCredentials),
}

impl CredentialsFetch {
    /// The first request of a fetch with `login` (the id token; None: a
    /// guest), for `remembered`, the identity kept from before (ignored when
    /// it is not an identity id).
    pub fn start(
        pool: &IdentityPool,
        login: Option<Zeroizing<String>>,
        remembered: Option<String>,
    ) -> (Self, HttpRequest) {
        let (awaiting, request) = match remembered.filter(|id| is_identity_id(id)) {
            Some(id) => {
                let request =
                    get_credentials_for_identity(pool, &id, login.as_deref().map(String::as_str));
                (Awaiting::RememberedCredentials(id), request)
            }
            None => (
                Awaiting::IdentityId,
                get_id(pool, login.as_deref().map(String::as_str)),
            ),
        };
        (CredentialsFetch { login, awaiting }, request)
    }

    /// Reads the answer to the last request: the next request, or the credentials.
    pub fn receive(self, pool: &IdentityPool, response: &HttpResponse) -> Result<CredentialsStep> {
        let login = self.login.as_deref().map(String::as_str);
        let next = match self.awaiting {
            Awaiting::IdentityId => {
                let id = read_identity_id(response)?;
                let request = get_credentials_for_identity(pool, &id, login);
                (Awaiting::Credentials(id), request)
            }
            Awaiting::Credentials(id) => {
                return read_credentials(response, &id).map(CredentialsStep::Done)
            }
            Awaiting::RememberedCredentials(id) => match read_credentials(response, &id) {
                Err(error) if is_stale_identity_error(&error) => {
                    (Awaiting::IdentityId, get_id(pool, login))
                }
                other => return other.map(CredentialsStep::Done),
            },
        };
        let (awaiting, request) = next;
        Ok(CredentialsStep::Send(
            CredentialsFetch {
                login: self.login,
                awaiting,
            },
            request,
        ))
    }
}

/// Whether `error` says a remembered identity is not usable with this login:
/// gone (ResourceNotFoundException), or linked to another login
/// (NotAuthorizedException "Logins don't match", or a guest identity that
/// became a user's). GetId then finds the login's own identity.
fn is_stale_identity_error(error: &Error) -> bool {
    matches!(
        error.name(),
        "ResourceNotFoundException" | "NotAuthorizedException"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{ok, response};

    const POOL_ID: &str = "us-east-1:5e2c5a9b-8d1f-4c3e-9a7b-0d6f1e2a3b4c";
    const IDENTITY: &str = "us-east-1:11111111-2222-4333-8444-555555555555";
    const MERGED: &str = "us-east-1:99999999-2222-4333-8444-555555555555";

    fn pool() -> IdentityPool {
        IdentityPool::new(POOL_ID, "eu-west-1_Pool", None).unwrap()
    }

    fn credentials_answer(identity: &str, expiration: &str) -> String {
        [
            r#"{"IdentityId":""#,
            identity,
            r#"","Credentials":{"AccessKeyId":"ASIAEXAMPLEEXAMPLE00","SecretKey":"secret/key+1","SessionToken":"token==","Expiration":"#,
            expiration,
            "}}",
        ]
        .concat()
    }

    fn error(name: &str) -> HttpResponse {
        response(
            400,
            &[r#"{"__type":""#, name, r#"","message":"m"}"#].concat(),
        )
    }

    #[test]
    fn the_pool_names_its_endpoint_and_the_user_pool_provider() {
        let pool = pool();
        // The identity pool's region, not the user pool's, picks the endpoint.
        assert_eq!(
            pool.endpoint(),
            "https://cognito-identity.us-east-1.amazonaws.com/"
        );
        assert_eq!(
            pool.provider_name(),
            "cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Pool"
        );
        let local =
            IdentityPool::new(POOL_ID, "eu-west-1_Pool", Some("http://127.0.0.1:9229")).unwrap();
        assert_eq!(local.endpoint(), "http://127.0.0.1:9229");
        for (id, user_pool, endpoint) in [
            ("us-east-1_5e2c", "eu-west-1_Pool", None),
            ("us-east-1:", "eu-west-1_Pool", None),
            ("US EAST:5e2c", "eu-west-1_Pool", None),
            ("us-east-1:5E2C", "eu-west-1_Pool", None),
            (POOL_ID, "eu-west-1_Pool", Some("ftp://x")),
        ] {
            let error = IdentityPool::new(id, user_pool, endpoint).unwrap_err();
            assert_eq!(
                error.name(),
                "ValidationError",
                "{id} {user_pool} {endpoint:?}"
            );
        }
    }

    #[test]
    fn requests_carry_the_target_and_the_logins_map() {
        let pool = pool();
        let guest = get_id(&pool, None);
        assert_eq!(guest.target().unwrap(), "AWSCognitoIdentityService.GetId");
        assert_eq!(
            guest.url,
            "https://cognito-identity.us-east-1.amazonaws.com/"
        );
        assert_eq!(
            guest.body.as_str(),
            [r#"{"IdentityPoolId":""#, POOL_ID, r#""}"#].concat()
        );
        let user = get_credentials_for_identity(&pool, IDENTITY, Some("id.token.sig"));
        assert_eq!(
            user.target().unwrap(),
            "AWSCognitoIdentityService.GetCredentialsForIdentity"
        );
        assert_eq!(
            user.body.as_str(),
            [
                r#"{"IdentityId":""#,
                IDENTITY,
                r#"","Logins":{"cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Pool":"id.token.sig"}}"#
            ]
            .concat()
        );
        assert!(user
            .headers()
            .contains(&("Content-Type", "application/x-amz-json-1.1")));
    }

    #[test]
    fn expiration_is_read_as_a_number_in_any_form() {
        for (text, ms) in [
            ("1.767225721E9", Some(1_767_225_721_000)),
            ("1.7000036E9", Some(1_700_003_600_000)),
            ("1767225721", Some(1_767_225_721_000)),
            ("1767225721.5", Some(1_767_225_721_500)),
            ("1.7672257215e+9", Some(1_767_225_721_500)),
            ("17672257215E-1", Some(1_767_225_721_500)),
            ("1767225721.9999", Some(1_767_225_721_999)),
            ("0.0", Some(0)),
            ("0", Some(0)),
            ("1e-400", Some(0)),
            ("8.64e12", Some(MAX_DATE_MS)),
            ("8.640000000000001e12", None),
            ("1e400", None),
            ("-1", None),
            ("-0.0", None),
            // More digits than a u64 holds: the whole ones still count.
            ("1767225721000000000000.0e-12", Some(1_767_225_721_000)),
            ("1.7672257210000000000000001E9", Some(1_767_225_721_000)),
        ] {
            assert_eq!(epoch_milliseconds(text), ms, "{text}");
        }
    }

    #[test]
    fn expiration_agrees_with_f64_on_the_services_doubles() {
        // Every second of a day past 2026, as Java writes doubles (and `{:E}` does).
        let start = 1_767_225_600u64;
        for seconds in (start..start + 86_400).step_by(7) {
            for text in [
                format!("{:E}", seconds as f64),
                format!("{}", seconds),
                format!("{:e}", seconds as f64 + 0.25),
            ] {
                let expected = (text.parse::<f64>().unwrap() * 1000.0) as u64;
                assert_eq!(epoch_milliseconds(&text), Some(expected), "{text}");
            }
        }
    }

    #[test]
    fn credentials_are_read_with_the_answers_identity() {
        let answer = ok(&credentials_answer(MERGED, "1.7000036E9"));
        let credentials = read_credentials(&answer, IDENTITY).unwrap();
        assert_eq!(
            credentials.identity_id, MERGED,
            "a merge answers the identity kept"
        );
        assert_eq!(credentials.access_key_id, "ASIAEXAMPLEEXAMPLE00");
        assert_eq!(credentials.secret_key.as_str(), "secret/key+1");
        assert_eq!(credentials.session_token.as_str(), "token==");
        assert_eq!(credentials.expiration_ms, 1_700_003_600_000);
        // No IdentityId in the answer: the one sent.
        let body = credentials_answer(MERGED, "1700003600")
            .replace(&[r#""IdentityId":""#, MERGED, r#"","#].concat(), "");
        assert_eq!(
            read_credentials(&ok(&body), IDENTITY).unwrap().identity_id,
            IDENTITY
        );
    }

    #[test]
    fn malformed_credentials_are_refused() {
        let good = credentials_answer(IDENTITY, "1700003600");
        for bad in [
            good.replace("\"SessionToken\":\"token==\",", ""),
            good.replace("\"secret/key+1\"", "\"\""),
            good.replace(
                "\"AccessKeyId\":\"ASIAEXAMPLEEXAMPLE00\"",
                "\"AccessKeyId\":5",
            ),
            good.replace("1700003600", "\"1700003600\""),
            good.replace("1700003600", "-5"),
            good.replace(IDENTITY, "not an identity"),
            r#"{"IdentityId":"us-east-1:1"}"#.to_owned(),
            "[]".to_owned(),
        ] {
            let error = read_credentials(&ok(&bad), IDENTITY).unwrap_err();
            assert_eq!(error.name(), "InvalidServerResponse", "{bad}");
        }
        for bad in [r#"{}"#, r#"{"IdentityId":5}"#, r#"{"IdentityId":"x:Y"}"#] {
            assert_eq!(
                read_identity_id(&ok(bad)).unwrap_err().name(),
                "InvalidServerResponse"
            );
        }
        let refused = read_identity_id(&error("NotAuthorizedException")).unwrap_err();
        assert_eq!(refused.name(), "NotAuthorizedException");
    }

    #[test]
    fn identity_ids_have_the_services_form() {
        assert!(is_identity_id(IDENTITY));
        for bad in [
            "",
            "us-east-1",
            "us-east-1:",
            ":abc",
            "us east:abc",
            "us-east-1:ABC",
            &["us-east-1:", &"a".repeat(50)].concat(),
        ] {
            assert!(!is_identity_id(bad), "{bad}");
        }
    }

    /// Runs a fetch against canned answers; returns the targets sent and the result.
    fn run(
        login: Option<&str>,
        remembered: Option<&str>,
        answers: &[HttpResponse],
    ) -> (Vec<String>, Result<AwsCredentials>) {
        let pool = pool();
        let (mut fetch, mut request) = CredentialsFetch::start(
            &pool,
            login.map(|l| Zeroizing::new(l.to_owned())),
            remembered.map(str::to_owned),
        );
        let mut sent = Vec::new();
        for answer in answers {
            sent.push(
                [
                    request.target().unwrap().rsplit('.').next().unwrap(),
                    " ",
                    &request.body,
                ]
                .concat(),
            );
            match fetch.receive(&pool, answer) {
                Ok(CredentialsStep::Send(next, next_request)) => {
                    (fetch, request) = (next, next_request)
                }
                Ok(CredentialsStep::Done(credentials)) => return (sent, Ok(credentials)),
                Err(error) => return (sent, Err(error)),
            }
        }
        panic!(
            "the fetch wants more answers than {}: {sent:?}",
            answers.len()
        );
    }

    #[test]
    fn a_guest_gets_an_identity_then_credentials() {
        let id = ok(&[r#"{"IdentityId":""#, IDENTITY, r#""}"#].concat());
        let (sent, result) = run(
            None,
            None,
            &[id, ok(&credentials_answer(IDENTITY, "1.7E9"))],
        );
        assert_eq!(
            sent,
            [
                ["GetId {\"IdentityPoolId\":\"", POOL_ID, "\"}"].concat(),
                [
                    "GetCredentialsForIdentity {\"IdentityId\":\"",
                    IDENTITY,
                    "\"}"
                ]
                .concat(),
            ]
        );
        let credentials = result.unwrap();
        assert_eq!(
            (credentials.identity_id.as_str(), credentials.expiration_ms),
            (IDENTITY, 1_700_000_000_000)
        );
    }

    #[test]
    fn a_guest_who_signs_in_passes_the_guest_identity_on() {
        let (sent, result) = run(
            Some("jwt"),
            Some(IDENTITY),
            &[ok(&credentials_answer(MERGED, "1.7E9"))],
        );
        assert_eq!(
            sent,
            [[
                "GetCredentialsForIdentity {\"IdentityId\":\"",
                IDENTITY,
                "\",\"Logins\":{\"cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Pool\":\"jwt\"}}"
            ]
            .concat()]
        );
        assert_eq!(result.unwrap().identity_id, MERGED);
    }

    #[test]
    fn a_remembered_identity_that_is_refused_is_looked_up_again_once() {
        for refusal in ["ResourceNotFoundException", "NotAuthorizedException"] {
            let id = ok(&[r#"{"IdentityId":""#, MERGED, r#""}"#].concat());
            let answers = [error(refusal), id, ok(&credentials_answer(MERGED, "1.7E9"))];
            let (sent, result) = run(Some("jwt"), Some(IDENTITY), &answers);
            let targets: Vec<&str> = sent.iter().map(|s| s.split(' ').next().unwrap()).collect();
            assert_eq!(
                targets,
                [
                    "GetCredentialsForIdentity",
                    "GetId",
                    "GetCredentialsForIdentity"
                ]
            );
            assert!(sent[2].contains(MERGED), "{}", sent[2]);
            assert_eq!(result.unwrap().identity_id, MERGED);
        }
        // Once only: an identity GetId has just given is not looked up again.
        let id = ok(&[r#"{"IdentityId":""#, MERGED, r#""}"#].concat());
        let answers = [
            error("NotAuthorizedException"),
            id,
            error("NotAuthorizedException"),
        ];
        let (sent, result) = run(Some("jwt"), Some(IDENTITY), &answers);
        assert_eq!(sent.len(), 3);
        assert_eq!(result.unwrap_err().name(), "NotAuthorizedException");
        // Other errors end the fetch at once, and a malformed remembered id is not sent.
        let (sent, result) = run(None, Some(IDENTITY), &[error("TooManyRequestsException")]);
        assert_eq!(
            (sent.len(), result.unwrap_err().name()),
            (1, "TooManyRequestsException")
        );
        let (sent, result) = run(None, Some("corrupted"), &[error("NotAuthorizedException")]);
        assert!(sent[0].starts_with("GetId "), "{sent:?}");
        assert_eq!(result.unwrap_err().name(), "NotAuthorizedException");
    }
}
