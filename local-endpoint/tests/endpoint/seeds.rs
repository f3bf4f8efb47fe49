//! The seed file: the demo seed works, mistakes are refused at start-up.

use cognito_local::{seed, Env, State};

use crate::harness::*;

const DEMO_POOL: &str = "us-east-1_DemoPool1";
const DEMO_CLIENT: &str = "democlient0123456789abcdef";

#[test]
fn the_demo_seed_signs_in_by_name_and_by_email() {
    let text =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/seeds/demo.json")).unwrap();
    let mut h = Harness::with_seed(&text);
    for login in ["demo", "demo@example.com"] {
        tokens(h.srp_sign_in(DEMO_POOL, DEMO_CLIENT, login, "Demo-Passw0rd!"));
    }
    let answer = h
        .srp_sign_in(DEMO_POOL, DEMO_CLIENT, "newbie", "Temp-Passw0rd!")
        .unwrap();
    assert_eq!(answer["ChallengeName"], "NEW_PASSWORD_REQUIRED");
}

fn seed_error(text: &str) -> String {
    let seed = match seed::parse(text) {
        Ok(seed) => seed,
        Err(message) => return message,
    };
    match State::new(seed, test_signer(), Env::system(), BASE_URL.into()) {
        Ok(_) => panic!("accepted: {text}"),
        Err(message) => message,
    }
}

fn pool_with(fields: &str) -> String {
    format!(r#"{{"userPools": [{{"id": "us-east-1_P", {fields}}}]}}"#)
}

#[test]
fn seed_mistakes_are_refused() {
    let user = r#"{"username": "a", "password": "p", "status": "CONFIRMED"}"#;
    for (text, expected) in [
        (
            r#"{"userPools": [{"id": "nounderscore"}]}"#.to_owned(),
            "pool id",
        ),
        (pool_with(r#""colour": "red""#), "unknown field"),
        (
            pool_with(r#""aliasAttributes": ["email"], "usernameAttributes": ["email"]"#),
            "exclude each other",
        ),
        (
            pool_with(r#""aliasAttributes": ["name"]"#),
            "cannot be a sign-in attribute",
        ),
        (
            pool_with(
                r#""clients": [{"clientId": "c", "explicitAuthFlows": ["ALLOW_USER_SRP_AUTH", "USER_PASSWORD_AUTH"]}]"#,
            ),
            "mixes",
        ),
        (
            pool_with(r#""clients": [{"clientId": "c", "preventUserExistenceErrors": "OFF"}]"#),
            "ENABLED or LEGACY",
        ),
        (
            pool_with(r#""clients": [{"clientId": "c"}, {"clientId": "c"}]"#),
            "used twice",
        ),
        (
            pool_with(&format!(r#""users": [{user}, {user}]"#)),
            "taken twice",
        ),
        (
            pool_with(r#""users": [{"username": "a", "password": "p", "status": "ACTIVE"}]"#),
            "status",
        ),
        (
            pool_with(r#""users": [{"password": "p", "status": "CONFIRMED"}]"#),
            "no username",
        ),
        (
            pool_with(
                r#""usernameAttributes": ["email"], "users": [{"password": "p", "status": "CONFIRMED"}]"#,
            ),
            "needs one of",
        ),
    ] {
        let message = seed_error(&text);
        assert!(message.contains(expected), "{message:?} for {text}");
    }
}
