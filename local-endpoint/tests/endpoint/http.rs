//! The HTTP surface: CORS, the error format, request ids, JWKS, and a real
//! server on 127.0.0.1 port 0.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use cognito_local::http::Endpoint;
use cognito_local::inbox::Message;
use cognito_local::{seed, Env, State};
use serde_json::Value;

use crate::harness::*;

const TARGET: &str = "AWSCognitoIdentityProviderService.InitiateAuth";

#[test]
fn preflight_allows_the_sdk_headers() {
    let mut h = Harness::new();
    let response = h.request(
        "OPTIONS",
        "/",
        &[
            ("Origin", "http://localhost:8080"),
            ("Access-Control-Request-Method", "POST"),
        ],
        b"",
    );
    assert_eq!(response.status, 200);
    assert_eq!(response.header("Access-Control-Allow-Origin"), Some("*"));
    let allowed = response.header("Access-Control-Allow-Headers").unwrap();
    let allowed: Vec<&str> = allowed.split(',').map(str::trim).collect();
    // What AWS SDK v3 and Amplify v6 send from a browser (amz-sdk-* by the
    // SDK's retry and invocation-id middleware, cache-control by Amplify),
    // and SigV4's headers.
    for header in [
        "content-type",
        "x-amz-target",
        "x-amz-user-agent",
        "amz-sdk-invocation-id",
        "amz-sdk-request",
        "cache-control",
        "authorization",
        "x-amz-date",
        "x-amz-security-token",
        "x-amz-content-sha256",
    ] {
        assert!(allowed.contains(&header), "{header} in {allowed:?}");
    }
    assert!(response
        .header("Access-Control-Allow-Methods")
        .unwrap()
        .contains("POST"));
    // Browsers cache the answer instead of asking before every call.
    let max_age: u32 = response
        .header("Access-Control-Max-Age")
        .unwrap()
        .parse()
        .unwrap();
    assert!(max_age >= 600, "{max_age}");
}

#[test]
fn every_answer_has_a_request_id_and_exposes_the_error_type() {
    let mut h = Harness::new();
    let response = h.request("POST", "/", &[("X-Amz-Target", TARGET)], b"{not json");
    assert_eq!(response.status, 400);
    let body: Value = serde_json::from_slice(&response.body).unwrap();
    assert_eq!(body["__type"], "SerializationException");
    assert_eq!(
        response.header("x-amzn-ErrorType"),
        Some("SerializationException:")
    );
    assert_eq!(response.header("x-amzn-RequestId").map(str::len), Some(36));
    assert_eq!(response.header("Access-Control-Allow-Origin"), Some("*"));
    assert_eq!(
        response.header("Access-Control-Expose-Headers"),
        Some("x-amzn-errortype, x-amzn-requestid")
    );
    let unknown = h.request(
        "POST",
        "/",
        &[("X-Amz-Target", "AWSCognitoIdentityProviderService.Nope")],
        b"{}",
    );
    let body: Value = serde_json::from_slice(&unknown.body).unwrap();
    assert_eq!(
        (unknown.status, body["__type"].as_str()),
        (400, Some("UnknownOperationException"))
    );
    let untargeted = h.request("POST", "/", &[], b"{}");
    assert_eq!(untargeted.status, 400);
}

#[test]
fn jwks_is_served_per_pool() {
    let mut h = Harness::new();
    let response = h.request("GET", &format!("/{POOL}/.well-known/jwks.json"), &[], b"");
    assert_eq!(response.status, 200);
    let jwks: Value = serde_json::from_slice(&response.body).unwrap();
    let key = &jwks["keys"][0];
    assert_eq!(
        (
            key["kty"].as_str(),
            key["alg"].as_str(),
            key["use"].as_str()
        ),
        (Some("RSA"), Some("RS256"), Some("sig"))
    );
    assert!(key["kid"].is_string() && key["n"].is_string() && key["e"] == "AQAB");
    assert_eq!(
        h.request("GET", "/us-east-1_Nope/.well-known/jwks.json", &[], b"")
            .status,
        404
    );
}

#[test]
fn inbox_lists_the_codes_sent_with_query_filters() {
    let mut h = Harness::new();
    for (username, code) in [("alice@x", "111111"), ("bob", "222222")] {
        h.state.inbox.deliver(Message {
            pool_id: POOL.into(),
            username: username.into(),
            delivery_medium: "EMAIL".into(),
            destination: format!("{username}.example.com"),
            purpose: "SIGN_UP".into(),
            code: code.into(),
            sent_at: h.now(),
        });
    }
    let messages = |h: &mut Harness, url: &str| -> Value {
        let response = h.request("GET", url, &[], b"");
        assert_eq!(response.status, 200, "{url}");
        serde_json::from_slice::<Value>(&response.body).unwrap()["messages"].clone()
    };
    assert_eq!(messages(&mut h, "/inbox").as_array().unwrap().len(), 2);
    let alice = messages(&mut h, &format!("/inbox?pool={POOL}&username=alice%40x"));
    assert_eq!(alice.as_array().unwrap().len(), 1);
    assert_eq!(alice[0]["code"], "111111");
    assert_eq!(alice[0]["deliveryMedium"], "EMAIL");
    assert_eq!(
        messages(&mut h, "/inbox?pool=us-east-1_Other")
            .as_array()
            .unwrap()
            .len(),
        0
    );
}

/// One HTTP/1.1 exchange over TCP; (status line, head, body).
fn exchange(port: u16, request: &str) -> (String, String, String) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream.write_all(request.as_bytes()).unwrap();
    let mut text = String::new();
    stream.read_to_string(&mut text).unwrap();
    let (head, body) = text.split_once("\r\n\r\n").unwrap();
    let status = head.lines().next().unwrap().to_owned();
    (status, head.to_ascii_lowercase(), body.to_owned())
}

#[test]
fn the_server_answers_on_loopback_and_stops() {
    let endpoint = Endpoint::bind(0).unwrap();
    let url = endpoint.url();
    let port: u16 = url.rsplit(':').next().unwrap().parse().unwrap();
    assert_ne!(port, 0);
    let state = State::new(
        seed::parse(SEED).unwrap(),
        test_signer(),
        Env::system(),
        url.clone(),
    )
    .unwrap();
    let running = endpoint.serve(state);
    assert_eq!(running.url(), url);
    let (status, head, _) = exchange(
        port,
        "OPTIONS / HTTP/1.1\r\nHost: x\r\nOrigin: http://a\r\nAccess-Control-Request-Method: POST\r\nConnection: close\r\n\r\n",
    );
    assert!(status.contains("200"), "{status}");
    assert!(head.contains("access-control-allow-origin: *"));
    let body = r#"{"AuthFlow":"USER_PASSWORD_AUTH","ClientId":"enabled","AuthParameters":{"USERNAME":"alice","PASSWORD":"Alice-Passw0rd!"}}"#;
    let request = format!(
        "POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-amz-json-1.1\r\nX-Amz-Target: {TARGET}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let (status, head, body) = exchange(port, &request);
    assert!(status.contains("200"), "{status} {body}");
    assert!(head.contains("x-amzn-requestid: "));
    let answer: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(answer["AuthenticationResult"]["TokenType"], "Bearer");
    drop(running);
    let closed = (0..50).any(|_| {
        std::thread::sleep(std::time::Duration::from_millis(40));
        TcpStream::connect(("127.0.0.1", port)).is_err()
    });
    assert!(closed, "the port is closed after the server stops");
}

/// One answer from a kept-alive connection: (status line, lower-cased head, body).
fn read_one(reader: &mut std::io::BufReader<&TcpStream>) -> (String, String, String) {
    use std::io::BufRead;
    let mut head = String::new();
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).unwrap();
        if line == "\r\n" || line.is_empty() {
            break;
        }
        head.push_str(&line);
    }
    let head = head.to_ascii_lowercase();
    let length = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length: "))
        .map_or(0, |n| n.trim().parse().unwrap());
    let mut body = vec![0; length];
    reader.read_exact(&mut body).unwrap();
    let status = head.lines().next().unwrap().to_owned();
    (status, head, String::from_utf8(body).unwrap())
}

/// A server on a free port with the test seed; (running server, port).
fn serving() -> (cognito_local::http::Running, u16) {
    serve(Endpoint::bind(0).unwrap())
}

const SIGN_IN: &str = r#"{"AuthFlow":"USER_PASSWORD_AUTH","ClientId":"enabled","AuthParameters":{"USERNAME":"alice","PASSWORD":"Alice-Passw0rd!"}}"#;

#[test]
fn connections_are_kept_alive_until_the_client_closes_them() {
    let (_running, port) = serving();
    let stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .set_read_timeout(Some(std::time::Duration::from_secs(30)))
        .unwrap();
    let mut reader = std::io::BufReader::new(&stream);
    let post = |extra: &str| {
        format!(
            "POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Target: {TARGET}\r\n{extra}Content-Length: {}\r\n\r\n{SIGN_IN}",
            SIGN_IN.len()
        )
    };
    for _ in 0..2 {
        (&stream).write_all(post("").as_bytes()).unwrap();
        let (status, head, body) = read_one(&mut reader);
        assert!(status.contains(" 200 "), "{status}");
        assert!(head.contains("\r\ndate: ") && !head.contains("connection: close"));
        assert!(body.contains("AuthenticationResult"));
    }
    (&stream)
        .write_all(post("Connection: close\r\n").as_bytes())
        .unwrap();
    let (status, head, _) = read_one(&mut reader);
    assert!(status.contains(" 200 ") && head.contains("connection: close"));
    assert_eq!(reader.read(&mut [0u8; 1]).unwrap(), 0, "closed after");
}

#[test]
fn chunked_bodies_and_expect_continue_are_read() {
    let (_running, port) = serving();
    let (first, second) = SIGN_IN.split_at(20);
    let chunked = format!(
        "POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Target: {TARGET}\r\nTransfer-Encoding: chunked\r\n\
         Connection: close\r\n\r\n{:x};ext=1\r\n{first}\r\n{:x}\r\n{second}\r\n0\r\nTrailer: t\r\n\r\n",
        first.len(),
        second.len()
    );
    let (status, _, body) = exchange(port, &chunked);
    assert!(status.contains("200"), "{status} {body}");
    // The body follows the server's 100 Continue.
    let stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    let head = format!(
        "POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Target: {TARGET}\r\nExpect: 100-continue\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n",
        SIGN_IN.len()
    );
    (&stream).write_all(head.as_bytes()).unwrap();
    let mut reader = std::io::BufReader::new(&stream);
    let (status, _, _) = read_one(&mut reader);
    assert_eq!(status, "http/1.1 100 continue");
    (&stream).write_all(SIGN_IN.as_bytes()).unwrap();
    let (status, _, body) = read_one(&mut reader);
    assert!(status.contains(" 200 ") && body.contains("AuthenticationResult"));
}

#[test]
fn malformed_requests_are_refused_and_closed() {
    let (_running, port) = serving();
    let (status, _, _) = exchange(port, "NONSENSE\r\n\r\n");
    assert_eq!(status, "HTTP/1.1 400 Bad Request");
    let (status, _, _) = exchange(port, "GET / HTTP/2.0\r\n\r\n");
    assert!(status.contains(" 505 "), "{status}");
    let long = format!(
        "GET /inbox HTTP/1.1\r\nX-Long: {}\r\n\r\n",
        "a".repeat(70_000)
    );
    let (status, _, _) = exchange(port, &long);
    assert!(status.contains(" 431 "), "{status}");
    let (status, _, _) = exchange(port, "POST / HTTP/1.1\r\nContent-Length: x\r\n\r\n");
    assert!(status.contains(" 400 "), "{status}");
    // HTTP/1.0 closes after one answer unless asked to keep alive.
    let (status, head, body) = exchange(port, "GET /inbox HTTP/1.0\r\n\r\n");
    assert!(
        status.contains(" 200 ") && head.contains("connection: close"),
        "{head}"
    );
    assert!(body.contains("messages"));
}

/// `endpoint` serving the test seed; (running server, port).
fn serve(endpoint: Endpoint) -> (cognito_local::http::Running, u16) {
    let url = endpoint.url();
    let port = url.rsplit(':').next().unwrap().parse().unwrap();
    let state = State::new(
        seed::parse(SEED).unwrap(),
        test_signer(),
        Env::system(),
        url,
    )
    .unwrap();
    (endpoint.serve(state), port)
}

#[test]
fn a_held_preflight_holds_nothing_else() {
    const HOLD: Duration = Duration::from_millis(800);
    let (running, port) = serve(Endpoint::bind(0).unwrap().with_preflight_delay(HOLD));
    let (done, order) = mpsc::channel();
    let preflight_done = done.clone();
    let started = Instant::now();
    let preflight = std::thread::spawn(move || {
        let (status, head, _) = exchange(
            port,
            "OPTIONS / HTTP/1.1\r\nHost: x\r\nOrigin: http://a\r\nAccess-Control-Request-Method: POST\r\nConnection: close\r\n\r\n",
        );
        preflight_done.send("preflight").unwrap();
        (status, head, started.elapsed())
    });
    // The preflight is being held by the time the call goes out.
    std::thread::sleep(HOLD / 4);
    let (status, _, body) = exchange(
        port,
        &format!(
            "GET /{POOL}/.well-known/jwks.json HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
        ),
    );
    assert!(status.contains("200"), "{status} {body}");
    done.send("call").unwrap();
    let (status, head, elapsed) = preflight.join().unwrap();
    assert!(status.contains("200"), "{status}");
    assert!(head.contains("access-control-allow-methods: "), "{head}");
    assert!(elapsed >= HOLD, "answered after {elapsed:?}");
    assert_eq!(
        (order.recv().unwrap(), order.recv().unwrap()),
        ("call", "preflight")
    );
    drop(running);
}

#[test]
fn without_a_delay_preflights_are_answered_at_once() {
    let (running, port) = serve(Endpoint::bind(0).unwrap());
    let started = Instant::now();
    let (status, _, _) = exchange(
        port,
        "OPTIONS / HTTP/1.1\r\nHost: x\r\nOrigin: http://a\r\nAccess-Control-Request-Method: POST\r\nConnection: close\r\n\r\n",
    );
    assert!(status.contains("200"), "{status}");
    // Far below any hold the benchmark uses, far above a loaded machine's stall.
    assert!(started.elapsed() < Duration::from_millis(500));
    drop(running);
}
