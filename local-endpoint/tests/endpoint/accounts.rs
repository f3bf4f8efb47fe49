//! GetTokensFromRefreshToken (rotation), sign-up, password reset and change,
//! the user's attributes and DeleteUser, with codes read from the inbox.

use serde_json::{json, Value};

use crate::harness::*;

fn rotate(h: &mut Harness, client_id: &str, token: &Value) -> Result<Value, Refusal> {
    let mut body = json!({ "ClientId": client_id, "RefreshToken": token });
    if client_id == "secret" {
        body["ClientSecret"] = CLIENT_SECRET.into();
    }
    h.call("GetTokensFromRefreshToken", body)
}

#[test]
fn refresh_token_rotation_invalidates_the_old_token() {
    let mut h = Harness::new();
    let first = tokens(h.srp_sign_in(POOL, "enabled", "alice", ALICE_PASSWORD));
    h.advance(60);
    let second = tokens(rotate(&mut h, "enabled", &first["RefreshToken"]));
    assert_ne!(second["RefreshToken"], first["RefreshToken"]);
    let claims = h.verified_claims(POOL, second["AccessToken"].as_str().unwrap());
    assert_eq!(claims["iat"].as_u64(), Some(START + 60));
    refused(
        rotate(&mut h, "enabled", &first["RefreshToken"]),
        "NotAuthorizedException",
        "Invalid Refresh Token",
    );
    tokens(rotate(&mut h, "enabled", &second["RefreshToken"]));
    // A client with a secret sends it as ClientSecret.
    let secret = tokens(h.srp_sign_in(POOL, "secret", "alice", ALICE_PASSWORD));
    refused(
        h.call(
            "GetTokensFromRefreshToken",
            json!({ "ClientId": "secret", "RefreshToken": secret["RefreshToken"] }),
        ),
        "NotAuthorizedException",
        "Unable to verify secret",
    );
    tokens(rotate(&mut h, "secret", &secret["RefreshToken"]));
}

#[test]
fn revoked_refresh_tokens_do_not_rotate() {
    let mut h = Harness::new();
    let first = tokens(h.srp_sign_in(POOL, "enabled", "alice", ALICE_PASSWORD));
    h.call(
        "GlobalSignOut",
        json!({ "AccessToken": first["AccessToken"] }),
    )
    .unwrap();
    refused(
        rotate(&mut h, "enabled", &first["RefreshToken"]),
        "NotAuthorizedException",
        "revoked",
    );
}

#[test]
fn sign_up_confirm_and_sign_in() {
    let mut h = Harness::new();
    let answer = h
        .call(
            "SignUp",
            json!({ "ClientId": "enabled", "Username": "zoe", "Password": "Zoe-Passw0rd!",
                "UserAttributes": [{"Name": "email", "Value": "zoe@example.com"}, {"Name": "name", "Value": "Zoe"}] }),
        )
        .unwrap();
    assert_eq!(answer["UserConfirmed"], false);
    assert_eq!(answer["CodeDeliveryDetails"]["Destination"], "z***@e***");
    assert_eq!(answer["CodeDeliveryDetails"]["DeliveryMedium"], "EMAIL");
    refused(
        h.srp_sign_in(POOL, "enabled", "zoe", "Zoe-Passw0rd!"),
        "UserNotConfirmedException",
        "",
    );
    refused(
        h.call("SignUp", json!({ "ClientId": "enabled", "Username": "zoe", "Password": "Zoe-Passw0rd!",
            "UserAttributes": [{"Name": "email", "Value": "z@example.com"}, {"Name": "name", "Value": "Z"}] })),
        "UsernameExistsException",
        "",
    );
    let resent = h
        .call(
            "ResendConfirmationCode",
            json!({ "ClientId": "enabled", "Username": "zoe" }),
        )
        .unwrap();
    assert_eq!(resent["CodeDeliveryDetails"]["DeliveryMedium"], "EMAIL");
    let code = h.inbox_code(POOL, "zoe", "SIGN_UP");
    refused(
        h.call(
            "ConfirmSignUp",
            json!({ "ClientId": "enabled", "Username": "zoe", "ConfirmationCode": "000000x" }),
        ),
        "CodeMismatchException",
        "",
    );
    h.call(
        "ConfirmSignUp",
        json!({ "ClientId": "enabled", "Username": "zoe", "ConfirmationCode": code }),
    )
    .unwrap();
    let signed_in = tokens(h.srp_sign_in(POOL, "enabled", "zoe", "Zoe-Passw0rd!"));
    let claims = h.verified_claims(POOL, signed_in["IdToken"].as_str().unwrap());
    assert_eq!(claims["email_verified"], true);
    assert_eq!(claims["sub"], answer["UserSub"]);
}

#[test]
fn sign_up_checks_policy_attributes_and_secret() {
    let mut h = Harness::new();
    let attributes =
        json!([{"Name": "email", "Value": "y@example.com"}, {"Name": "name", "Value": "Y"}]);
    refused(
        h.call("SignUp", json!({ "ClientId": "enabled", "Username": "yan", "Password": "short", "UserAttributes": attributes })),
        "InvalidPasswordException",
        "Password not long enough",
    );
    refused(
        h.call(
            "SignUp",
            json!({ "ClientId": "enabled", "Username": "yan", "Password": "Yan-Passw0rd!",
            "UserAttributes": [{"Name": "email", "Value": "y@example.com"}] }),
        ),
        "InvalidParameterException",
        "name: The attribute is required",
    );
    refused(
        h.call("SignUp", json!({ "ClientId": "secret", "Username": "yan", "Password": "Yan-Passw0rd!", "UserAttributes": attributes })),
        "NotAuthorizedException",
        "secret was not received",
    );
}

#[test]
fn prevent_user_existence_errors_hides_unknown_users() {
    let mut h = Harness::new();
    for (operation, extra) in [
        ("ForgotPassword", json!({})),
        ("ResendConfirmationCode", json!({})),
    ] {
        let mut body = json!({ "ClientId": "enabled", "Username": "nobody" });
        body.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        let answer = h.call(operation, body).unwrap();
        assert_eq!(answer["CodeDeliveryDetails"]["DeliveryMedium"], "EMAIL");
    }
    // A confirmed user gets the same answer from ResendConfirmationCode.
    let confirmed = h
        .call(
            "ResendConfirmationCode",
            json!({ "ClientId": "enabled", "Username": "alice" }),
        )
        .unwrap();
    assert!(confirmed["CodeDeliveryDetails"].is_object());
    refused(
        h.call(
            "ConfirmSignUp",
            json!({ "ClientId": "enabled", "Username": "nobody", "ConfirmationCode": "123456" }),
        ),
        "CodeMismatchException",
        "",
    );
    refused(
        h.call(
            "ConfirmSignUp",
            json!({ "ClientId": "enabled", "Username": "alice", "ConfirmationCode": "123456" }),
        ),
        "CodeMismatchException",
        "",
    );
    refused(
        h.call(
            "ConfirmForgotPassword",
            json!({ "ClientId": "enabled", "Username": "nobody",
            "ConfirmationCode": "123456", "Password": "Any-Passw0rd!" }),
        ),
        "CodeMismatchException",
        "",
    );
    // LEGACY reveals it.
    refused(
        h.call(
            "ForgotPassword",
            json!({ "ClientId": "legacy", "Username": "nobody" }),
        ),
        "UserNotFoundException",
        "",
    );
}

#[test]
fn forgot_password_then_confirm_with_the_code() {
    let mut h = Harness::new();
    let answer = h
        .call(
            "ForgotPassword",
            json!({ "ClientId": "enabled", "Username": "alice" }),
        )
        .unwrap();
    assert_eq!(answer["CodeDeliveryDetails"]["Destination"], "a***@e***");
    let code = h.inbox_code(POOL, "alice", "FORGOT_PASSWORD");
    let confirm = |code: &str, password: &str| json!({ "ClientId": "enabled", "Username": "alice", "ConfirmationCode": code, "Password": password });
    refused(
        h.call("ConfirmForgotPassword", confirm(&code, "weak")),
        "InvalidPasswordException",
        "",
    );
    refused(
        h.call("ConfirmForgotPassword", confirm("999999x", "New-Passw0rd!")),
        "CodeMismatchException",
        "",
    );
    h.call("ConfirmForgotPassword", confirm(&code, "New-Passw0rd!"))
        .unwrap();
    refused(
        h.call("ConfirmForgotPassword", confirm(&code, "Other-Passw0rd!")),
        "ExpiredCodeException",
        "",
    );
    refused(
        h.srp_sign_in(POOL, "enabled", "alice", ALICE_PASSWORD),
        "NotAuthorizedException",
        "",
    );
    tokens(h.srp_sign_in(POOL, "enabled", "alice", "New-Passw0rd!"));
    // Codes expire after an hour.
    h.call(
        "ForgotPassword",
        json!({ "ClientId": "enabled", "Username": "alice" }),
    )
    .unwrap();
    let late = h.inbox_code(POOL, "alice", "FORGOT_PASSWORD");
    h.advance(3600);
    refused(
        h.call("ConfirmForgotPassword", confirm(&late, "Late-Passw0rd!")),
        "ExpiredCodeException",
        "",
    );
}

#[test]
fn change_password_needs_the_previous_one() {
    let mut h = Harness::new();
    let t = tokens(h.srp_sign_in(POOL, "enabled", "alice", ALICE_PASSWORD));
    let change = |previous: &str, proposed: &str| json!({ "AccessToken": t["AccessToken"], "PreviousPassword": previous, "ProposedPassword": proposed });
    refused(
        h.call("ChangePassword", change("wrong", "Changed-Passw0rd!")),
        "NotAuthorizedException",
        "Incorrect username or password",
    );
    refused(
        h.call("ChangePassword", change(ALICE_PASSWORD, "weak")),
        "InvalidPasswordException",
        "",
    );
    h.call(
        "ChangePassword",
        change(ALICE_PASSWORD, "Changed-Passw0rd!"),
    )
    .unwrap();
    tokens(h.password_sign_in("enabled", "alice", "Changed-Passw0rd!"));
}

#[test]
fn attributes_update_verify_and_delete() {
    let mut h = Harness::new();
    let t = tokens(h.srp_sign_in(POOL, "enabled", "alice", ALICE_PASSWORD));
    let token = t["AccessToken"].clone();
    let answer = h
        .call(
            "UpdateUserAttributes",
            json!({ "AccessToken": token, "UserAttributes": [
                {"Name": "email", "Value": "alice2@example.com"}, {"Name": "locale", "Value": "fr"}] }),
        )
        .unwrap();
    assert_eq!(
        answer["CodeDeliveryDetailsList"][0]["AttributeName"],
        "email"
    );
    let user = h.call("GetUser", json!({ "AccessToken": token })).unwrap();
    let attribute = |user: &Value, name: &str| {
        user["UserAttributes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["Name"] == name)
            .map(|a| a["Value"].clone())
    };
    assert_eq!(attribute(&user, "email"), Some(json!("alice2@example.com")));
    assert_eq!(attribute(&user, "email_verified"), Some(json!("false")));
    assert_eq!(attribute(&user, "locale"), Some(json!("fr")));
    let verify =
        |code: &str| json!({ "AccessToken": token, "AttributeName": "email", "Code": code });
    refused(
        h.call("VerifyUserAttribute", verify("000000x")),
        "CodeMismatchException",
        "",
    );
    h.call(
        "GetUserAttributeVerificationCode",
        json!({ "AccessToken": token, "AttributeName": "email" }),
    )
    .unwrap();
    let code = h.inbox_code(POOL, "alice", "VERIFY_EMAIL");
    h.call("VerifyUserAttribute", verify(&code)).unwrap();
    let user = h.call("GetUser", json!({ "AccessToken": token })).unwrap();
    assert_eq!(attribute(&user, "email_verified"), Some(json!("true")));
    refused(
        h.call(
            "UpdateUserAttributes",
            json!({ "AccessToken": token, "UserAttributes": [{"Name": "sub", "Value": "x"}] }),
        ),
        "InvalidParameterException",
        "non-mutable",
    );
    refused(
        h.call(
            "DeleteUserAttributes",
            json!({ "AccessToken": token, "UserAttributeNames": ["name"] }),
        ),
        "InvalidParameterException",
        "required",
    );
    h.call(
        "DeleteUserAttributes",
        json!({ "AccessToken": token, "UserAttributeNames": ["locale"] }),
    )
    .unwrap();
    let user = h.call("GetUser", json!({ "AccessToken": token })).unwrap();
    assert_eq!(attribute(&user, "locale"), None);
}

#[test]
fn delete_user_revokes_everything() {
    let mut h = Harness::new();
    let t = tokens(h.srp_sign_in(POOL, "enabled", "alice", ALICE_PASSWORD));
    h.call("DeleteUser", json!({ "AccessToken": t["AccessToken"] }))
        .unwrap();
    refused(
        h.call("GetUser", json!({ "AccessToken": t["AccessToken"] })),
        "NotAuthorizedException",
        "",
    );
    refused(
        rotate(&mut h, "enabled", &t["RefreshToken"]),
        "NotAuthorizedException",
        "",
    );
    refused(
        h.srp_sign_in(POOL, "enabled", "alice", ALICE_PASSWORD),
        "NotAuthorizedException",
        "",
    );
}
