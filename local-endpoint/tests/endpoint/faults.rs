//! The hostile server (`userPools[].faults`), on a real server over TCP:
//! each kind as a client sees it on the wire, the counts, the matching of
//! users and operations, and that every faulted user then signs in.

use std::io::{BufRead, BufReader, ErrorKind, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use cognito_local::http::{Endpoint, Running};
use cognito_local::{seed, Env, State};
use serde_json::{json, Value};

use crate::harness::*;

const FAULT_POOL: &str = "us-east-1_FaultPool";
const CLIENT: &str = "faultclient";
const PASSWORD: &str = "Fault-Passw0rd!";
/// How long a test waits for bytes that must not come.
const SILENCE: Duration = Duration::from_millis(400);

fn user(name: &str) -> String {
    format!(
        r#"{{"username": "{name}", "password": "{PASSWORD}", "status": "CONFIRMED",
            "attributes": {{"email": "{name}@example.com", "email_verified": "true"}}}}"#
    )
}

/// A pool whose users each get one fault, and a second pool where the same
/// names have none.
fn seed_text() -> String {
    let users = [
        "alice",
        "hang",
        "stuck",
        "half",
        "reset",
        "throttle",
        "http502",
        "http429",
        "huge",
        "deep",
        "badutf8",
        "wrongtypes",
        "unknownchallenge",
        "unknownfields",
        "delayed",
        "rita",
    ]
    .map(user)
    .join(",");
    let newbie = format!(
        r#"{{"username": "newbie", "password": "{PASSWORD}", "status": "FORCE_CHANGE_PASSWORD"}}"#
    );
    format!(
        r#"{{"userPools": [
      {{"id": "{FAULT_POOL}", "aliasAttributes": ["email"],
        "clients": [{{"clientId": "{CLIENT}", "explicitAuthFlows": ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]}}],
        "users": [{users}, {newbie}],
        "faults": [
          {{"username": "hang", "kind": "hang", "times": 1}},
          {{"username": "stuck", "kind": "hang"}},
          {{"username": "half", "kind": "half", "times": 1}},
          {{"username": "reset", "kind": "reset", "times": 1}},
          {{"username": "throttle", "kind": "throttle", "times": 2}},
          {{"username": "http502", "kind": "http", "status": 502, "times": 1}},
          {{"username": "http429", "kind": "http", "status": 429, "times": 1}},
          {{"username": "huge", "kind": "huge", "times": 1}},
          {{"username": "deep", "kind": "deep", "times": 1}},
          {{"username": "badutf8", "kind": "badUtf8", "times": 1}},
          {{"username": "wrongtypes", "kind": "wrongTypes", "times": 1}},
          {{"username": "unknownchallenge", "kind": "unknownChallenge", "times": 1}},
          {{"username": "unknownfields", "kind": "unknownFields"}},
          {{"username": "delayed", "kind": "throttle", "delayMs": 300, "times": 1}},
          {{"username": "alice", "kind": "throttle", "operations": ["GetUser"], "times": 1}},
          {{"username": "ALICE@example.com", "kind": "throttle", "operations": ["InitiateAuth"], "times": 1}},
          {{"username": "newbie", "kind": "throttle", "operations": ["RespondToAuthChallenge"], "times": 1}},
          {{"username": "rita", "kind": "throttle", "operations": ["GetTokensFromRefreshToken"], "times": 1}}
        ]}},
      {{"id": "eu-west-1_Calm", "clients": [{{"clientId": "calmclient", "explicitAuthFlows": ["ALLOW_USER_PASSWORD_AUTH"]}}],
        "users": [{}]}}
    ]}}"#,
        user("throttle")
    )
}

fn start() -> (Running, u16) {
    let endpoint = Endpoint::bind(0).unwrap();
    let url = endpoint.url();
    let port = url.rsplit(':').next().unwrap().parse().unwrap();
    let seed = seed::parse(&seed_text()).unwrap();
    let state = State::new(seed, test_signer(), Env::system(), url).unwrap();
    (endpoint.serve(state), port)
}

/// An answer as read off the wire.
struct Answer {
    status: u16,
    /// Names lower-cased.
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Answer {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).expect("a JSON body")
    }
}

/// Sends one API call on a new connection.
fn send(port: u16, operation: &str, body: &Value) -> TcpStream {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    let body = body.to_string();
    let request = format!(
        "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-amz-json-1.1\r\n\
         X-Amz-Target: AWSCognitoIdentityProviderService.{operation}\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).unwrap();
    stream
}

/// The status line and headers: (status, headers).
fn read_head(reader: &mut impl BufRead) -> std::io::Result<(u16, Vec<(String, String)>)> {
    let mut line = String::new();
    reader.read_line(&mut line)?;
    let status = line
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| std::io::Error::other(format!("no status line: {line:?}")))?;
    let mut headers = Vec::new();
    loop {
        line.clear();
        reader.read_line(&mut line)?;
        let Some((name, value)) = line.trim_end().split_once(':') else {
            return Ok((status, headers));
        };
        headers.push((name.to_ascii_lowercase(), value.trim().to_owned()));
    }
}

fn read_answer(stream: &TcpStream) -> std::io::Result<Answer> {
    stream.set_read_timeout(Some(Duration::from_secs(30)))?;
    let mut reader = BufReader::new(stream);
    let (status, headers) = read_head(&mut reader)?;
    let length: usize = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .map(|(_, v)| v.parse().unwrap())
        .expect("a Content-Length");
    let mut body = vec![0; length];
    reader.read_exact(&mut body)?;
    Ok(Answer {
        status,
        headers,
        body,
    })
}

fn call(port: u16, operation: &str, body: &Value) -> Answer {
    read_answer(&send(port, operation, body)).expect("an answer")
}

fn password_auth(name: &str) -> Value {
    json!({ "AuthFlow": "USER_PASSWORD_AUTH", "ClientId": CLIENT,
            "AuthParameters": { "USERNAME": name, "PASSWORD": PASSWORD } })
}

fn sign_in(port: u16, name: &str) -> Answer {
    call(port, "InitiateAuth", &password_auth(name))
}

/// The user signs in: HTTP 200 and tokens.
fn signs_in(port: u16, name: &str) -> Value {
    let answer = sign_in(port, name);
    assert_eq!(
        answer.status,
        200,
        "{}",
        String::from_utf8_lossy(&answer.body)
    );
    let result = answer.json()["AuthenticationResult"].clone();
    assert_eq!(result["TokenType"], "Bearer");
    result
}

/// No byte arrives within [`SILENCE`].
fn is_silent(stream: &TcpStream) -> bool {
    stream.set_read_timeout(Some(SILENCE)).unwrap();
    let mut byte = [0u8; 1];
    match (&*stream).read(&mut byte) {
        Err(e) => matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut),
        Ok(n) => panic!("{n} bytes arrived"),
    }
}

fn refused_with(answer: &Answer, status: u16, name: &str, message: &str) {
    assert_eq!(answer.status, status);
    let body = answer.json();
    assert_eq!(
        (body["__type"].as_str(), body["message"].as_str()),
        (Some(name), Some(message))
    );
    assert_eq!(
        answer.header("x-amzn-errortype"),
        Some(format!("{name}:").as_str())
    );
    assert_eq!(answer.header("x-amzn-requestid").map(str::len), Some(36));
    assert_eq!(answer.header("access-control-allow-origin"), Some("*"));
}

/// A JSON document the endpoint serves (`GET /faults`, `POST /faults/reset`, a JWKS).
fn fetch(port: u16, method: &str, path: &str) -> Value {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n"
    )
    .unwrap();
    let answer = read_answer(&stream).unwrap();
    assert_eq!(answer.status, 200);
    answer.json()
}

fn played(listing: &Value, name: &str) -> u64 {
    let entry = listing["faults"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["username"] == name)
        .unwrap();
    entry["played"].as_u64().unwrap()
}

#[test]
fn a_hang_answers_nothing_while_other_connections_are_served() {
    let (running, port) = start();
    let hung = send(port, "InitiateAuth", &password_auth("hang"));
    // Ten more that never end: the server still answers everyone else.
    let stuck: Vec<_> = (0..10)
        .map(|_| send(port, "InitiateAuth", &password_auth("stuck")))
        .collect();
    // Answered at all (read_answer gives up after 30 s): no wall-clock bound,
    // which a loaded machine would break.
    signs_in(port, "rita");
    assert!(is_silent(&hung));
    assert!(stuck.iter().all(is_silent));
    // Played once: the user signs in on the next call.
    signs_in(port, "hang");
    // A client that gives up frees nothing the others need.
    drop(stuck);
    signs_in(port, "rita");
    // Stopping the server closes the held connections.
    drop(running);
    hung.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    assert_eq!((&hung).read(&mut [0u8; 1]).unwrap(), 0);
}

#[test]
fn half_sends_the_head_and_half_the_body_then_stalls() {
    let (_running, port) = start();
    let stream = send(port, "InitiateAuth", &password_auth("half"));
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let mut reader = BufReader::new(&stream);
    let (status, headers) = read_head(&mut reader).unwrap();
    assert_eq!(status, 200);
    let length: usize = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .map(|(_, v)| v.parse().unwrap())
        .unwrap();
    assert!(headers
        .iter()
        .any(|(n, v)| n == "access-control-allow-origin" && v == "*"));
    let mut half = vec![0; length / 2];
    reader.read_exact(&mut half).unwrap();
    // The half of a real answer (the operation ran).
    assert!(
        half.starts_with(b"{\""),
        "{}",
        String::from_utf8_lossy(&half)
    );
    assert!(reader.buffer().is_empty());
    assert!(is_silent(&stream));
    signs_in(port, "half");
}

#[test]
fn reset_closes_the_connection_with_a_tcp_reset() {
    let (_running, port) = start();
    let stream = send(port, "InitiateAuth", &password_auth("reset"));
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let error = (&stream).read(&mut [0u8; 64]).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::ConnectionReset);
    signs_in(port, "reset");
}

#[test]
fn throttle_refuses_as_the_service_does_then_lets_the_user_in() {
    let (_running, port) = start();
    for _ in 0..2 {
        let answer = sign_in(port, "throttle");
        refused_with(&answer, 400, "TooManyRequestsException", "Rate exceeded");
    }
    signs_in(port, "throttle");
    signs_in(port, "throttle");
}

#[test]
fn http_faults_send_front_end_errors() {
    let (_running, port) = start();
    let gateway = sign_in(port, "http502");
    assert_eq!(gateway.status, 502);
    assert_eq!(gateway.header("content-type"), Some("text/html"));
    assert!(gateway.header("x-amzn-errortype").is_none());
    assert!(serde_json::from_slice::<Value>(&gateway.body).is_err());
    assert!(String::from_utf8(gateway.body)
        .unwrap()
        .contains("502 Bad Gateway"));
    signs_in(port, "http502");
    let throttled = sign_in(port, "http429");
    refused_with(&throttled, 429, "ThrottlingException", "Rate exceeded");
    signs_in(port, "http429");
}

#[test]
fn huge_sends_thirty_megabytes_of_json() {
    let (_running, port) = start();
    let answer = sign_in(port, "huge");
    assert_eq!(answer.status, 200);
    assert_eq!(answer.body.len(), 30_000_000);
    assert_eq!(
        answer.json()["Padding"].as_str().map(str::len),
        Some(30_000_000 - 14)
    );
    signs_in(port, "huge");
}

#[test]
fn deep_sends_json_nested_ten_thousand_levels() {
    let (_running, port) = start();
    let answer = sign_in(port, "deep");
    assert_eq!(answer.status, 200);
    let text = String::from_utf8(answer.body).unwrap();
    let opened = text.matches('{').count();
    assert_eq!((opened, text.matches('}').count()), (10_000, 10_000));
    assert!(text.starts_with(&r#"{"a":"#.repeat(9_999)));
    signs_in(port, "deep");
}

#[test]
fn bad_utf8_spoils_the_first_string_of_the_real_answer() {
    let (_running, port) = start();
    let answer = sign_in(port, "badutf8");
    assert_eq!(answer.status, 200);
    assert!(std::str::from_utf8(&answer.body).is_err());
    let at = answer
        .body
        .windows(3)
        .position(|w| w == [0xFF, 0xFE, 0xFD])
        .expect("the bytes");
    let mut repaired = answer.body.clone();
    repaired.drain(at..at + 3);
    let body: Value = serde_json::from_slice(&repaired).unwrap();
    assert_eq!(body["AuthenticationResult"]["TokenType"], "Bearer");
    signs_in(port, "badutf8");
}

#[test]
fn wrong_types_swap_the_types_of_the_result_members() {
    let (_running, port) = start();
    let answer = sign_in(port, "wrongtypes");
    assert_eq!(answer.status, 200);
    let result = answer.json()["AuthenticationResult"].clone();
    assert!(result["AccessToken"].is_u64() && result["IdToken"].is_u64());
    assert_eq!(result["ExpiresIn"], "3600");
    assert_eq!(result["TokenType"], 6);
    signs_in(port, "wrongtypes");
}

#[test]
fn unknown_challenge_names_a_challenge_no_client_knows() {
    let (_running, port) = start();
    let answer = sign_in(port, "unknownchallenge");
    assert_eq!(answer.status, 200);
    let body = answer.json();
    assert_eq!(body["ChallengeName"], "SOME_NEW_CHALLENGE");
    assert!(body["Session"].as_str().is_some_and(|s| s.len() > 40));
    assert!(body["ChallengeParameters"].is_object());
    signs_in(port, "unknownchallenge");
}

#[test]
fn unknown_fields_come_with_a_normal_answer() {
    let (_running, port) = start();
    // Every time (no `times`): a client that ignores them signs in.
    let result = signs_in(port, "unknownfields");
    assert!(result["FutureMember"]["Nested"].is_array());
    let jwks = fetch(port, "GET", &format!("/{FAULT_POOL}/.well-known/jwks.json"));
    let token = result["AccessToken"].as_str().unwrap();
    let claims = verify_with_jwks(&jwks, token).expect("the token verifies");
    assert_eq!(claims["username"], "unknownfields");
}

#[test]
fn delay_holds_the_fault_back() {
    let (_running, port) = start();
    let started = Instant::now();
    let answer = sign_in(port, "delayed");
    assert!(started.elapsed() >= Duration::from_millis(300));
    refused_with(&answer, 400, "TooManyRequestsException", "Rate exceeded");
    signs_in(port, "delayed");
}

#[test]
fn faults_match_the_user_by_alias_token_and_operation() {
    let (_running, port) = start();
    // Seeded as ALICE@example.com for InitiateAuth: the alias, any case.
    let answer = sign_in(port, "alice");
    refused_with(&answer, 400, "TooManyRequestsException", "Rate exceeded");
    let tokens = signs_in(port, "Alice");
    // GetUser names alice by her access token.
    let get_user = json!({ "AccessToken": tokens["AccessToken"] });
    refused_with(
        &call(port, "GetUser", &get_user),
        400,
        "TooManyRequestsException",
        "Rate exceeded",
    );
    assert_eq!(call(port, "GetUser", &get_user).json()["Username"], "alice");
    // The same name in another pool is another user.
    let calm = json!({ "AuthFlow": "USER_PASSWORD_AUTH", "ClientId": "calmclient",
                       "AuthParameters": { "USERNAME": "throttle", "PASSWORD": PASSWORD } });
    assert_eq!(call(port, "InitiateAuth", &calm).status, 200);
    // RespondToAuthChallenge names the user in ChallengeResponses.
    let challenge = sign_in(port, "newbie").json();
    assert_eq!(challenge["ChallengeName"], "NEW_PASSWORD_REQUIRED");
    let respond = json!({ "ChallengeName": "NEW_PASSWORD_REQUIRED", "ClientId": CLIENT,
        "Session": challenge["Session"],
        "ChallengeResponses": { "USERNAME": "newbie", "NEW_PASSWORD": "Newbie-Passw0rd!" } });
    refused_with(
        &call(port, "RespondToAuthChallenge", &respond),
        400,
        "TooManyRequestsException",
        "Rate exceeded",
    );
    let answer = call(port, "RespondToAuthChallenge", &respond);
    assert_eq!(
        answer.status,
        200,
        "{}",
        String::from_utf8_lossy(&answer.body)
    );
    // GetTokensFromRefreshToken names rita by her refresh token.
    let refresh =
        json!({ "ClientId": CLIENT, "RefreshToken": signs_in(port, "rita")["RefreshToken"] });
    refused_with(
        &call(port, "GetTokensFromRefreshToken", &refresh),
        400,
        "TooManyRequestsException",
        "Rate exceeded",
    );
    assert_eq!(
        call(port, "GetTokensFromRefreshToken", &refresh).status,
        200
    );
}

#[test]
fn the_counts_are_listed_and_reset() {
    let (_running, port) = start();
    let before = fetch(port, "GET", "/faults");
    let entry = &before["faults"][4];
    assert_eq!(
        entry,
        &json!({ "userPoolId": FAULT_POOL, "username": "throttle", "operations": null,
                 "kind": "throttle", "times": 2, "played": 0 })
    );
    for _ in 0..3 {
        sign_in(port, "throttle");
    }
    assert_eq!(played(&fetch(port, "GET", "/faults"), "throttle"), 2);
    let reset = fetch(port, "POST", "/faults/reset");
    assert_eq!(played(&reset, "throttle"), 0);
    assert_eq!(sign_in(port, "throttle").status, 400);
    assert_eq!(played(&fetch(port, "GET", "/faults"), "throttle"), 1);
}

#[test]
fn fault_seeds_are_checked() {
    let pool =
        |fault: &str| format!(r#"{{"userPools": [{{"id": "us-east-1_P", "faults": [{fault}]}}]}}"#);
    let refusal = |fault: &str| {
        let seed = seed::parse(&pool(fault))?;
        State::new(seed, test_signer(), Env::system(), BASE_URL.into()).map(|_| ())
    };
    assert!(refusal(r#"{"username": "a", "kind": "http", "status": 503}"#).is_ok());
    for (fault, message) in [
        (
            r#"{"username": "a", "kind": "http"}"#,
            "http needs a status",
        ),
        (
            r#"{"username": "a", "kind": "http", "status": 404}"#,
            "http needs a status",
        ),
        (
            r#"{"username": "a", "kind": "hang", "status": 500}"#,
            "status is for kind http",
        ),
        (
            r#"{"username": "a", "kind": "deep", "bytes": 100}"#,
            "bytes is for kind huge",
        ),
        (
            r#"{"username": "a", "kind": "huge", "bytes": 3}"#,
            "bytes must be from 14",
        ),
        (
            r#"{"username": "a", "kind": "hang", "times": 0}"#,
            "times must be at least 1",
        ),
        (
            r#"{"username": "a", "kind": "hang", "operations": []}"#,
            "operations must be",
        ),
        (
            r#"{"username": "a", "kind": "hang", "delayMs": 600001}"#,
            "delayMs is at most",
        ),
        (
            r#"{"username": "a", "kind": "slow"}"#,
            "unknown variant `slow`",
        ),
        (
            r#"{"username": "a", "kind": "hang", "count": 1}"#,
            "unknown field `count`",
        ),
    ] {
        let error = refusal(fault).unwrap_err();
        assert!(error.contains(message), "{fault}: {error}");
    }
}
