"""boto3 against the local endpoint's IAM-signed operations: creates,
describes and updates an app client, signs in with ADMIN_USER_PASSWORD_AUTH,
with USER_SRP_AUTH (pycognito's SRP maths) through AdminInitiateAuth and
AdminRespondToAuthChallenge, with CUSTOM_AUTH over several rounds and with
SOFTWARE_TOKEN_MFA, and tries a wrong secret key. Prints one JSON object of
what it saw.

    python boto3_admin.py <endpoint> <accessKeyId> <secretAccessKey> <totpuser's base32 secret>
"""

import base64
import json
import sys

import boto3
from botocore.exceptions import ClientError
from pycognito.aws_srp import AWSSRP
from pycognito_mfa import totp

POOL = "us-east-1_AdminPool1"
CLIENT = "adminpasswordclient0000000"


def client(endpoint, key, secret):
    return boto3.client(
        "cognito-idp",
        region_name="us-east-1",
        endpoint_url=endpoint,
        aws_access_key_id=key,
        aws_secret_access_key=secret,
    )


def error_code(call):
    try:
        call()
    except ClientError as error:
        return error.response["Error"]["Code"]
    return None


def cognito_username(result):
    payload = result["AuthenticationResult"]["IdToken"].split(".")[1]
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    return claims["cognito:username"]


def srp_sign_in(idp, password):
    """USER_SRP_AUTH through the admin API, the SRP maths by pycognito."""
    srp = AWSSRP("alice", password, POOL, CLIENT, client=idp)
    challenge = idp.admin_initiate_auth(
        UserPoolId=POOL, ClientId=CLIENT, AuthFlow="USER_SRP_AUTH", AuthParameters=srp.get_auth_params()
    )
    answer = srp.process_challenge(challenge["ChallengeParameters"], {"USERNAME": "alice"})
    return idp.admin_respond_to_auth_challenge(
        UserPoolId=POOL,
        ClientId=CLIENT,
        ChallengeName=challenge["ChallengeName"],
        Session=challenge["Session"],
        ChallengeResponses=answer,
    )


def custom_auth(idp, answers):
    """CUSTOM_AUTH for riddler, answering each CUSTOM_CHALLENGE in turn: the
    rounds seen and the user signed in."""
    step = idp.admin_initiate_auth(
        UserPoolId=POOL,
        ClientId=CLIENT,
        AuthFlow="CUSTOM_AUTH",
        AuthParameters={"USERNAME": "riddler"},
        ClientMetadata={"via": "boto3"},
    )
    rounds = []
    for answer in answers:
        rounds.append(step["ChallengeParameters"]["round"])
        step = idp.admin_respond_to_auth_challenge(
            UserPoolId=POOL,
            ClientId=CLIENT,
            ChallengeName="CUSTOM_CHALLENGE",
            Session=step["Session"],
            ChallengeResponses={"USERNAME": "riddler", "ANSWER": answer},
        )
    return {"rounds": rounds, "user": cognito_username(step)}


def totp_sign_in(idp, secret):
    challenge = idp.admin_initiate_auth(
        UserPoolId=POOL,
        ClientId=CLIENT,
        AuthFlow="ADMIN_USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "totpuser", "PASSWORD": "Totpuser-Passw0rd!"},
    )
    done = idp.admin_respond_to_auth_challenge(
        UserPoolId=POOL,
        ClientId=CLIENT,
        ChallengeName=challenge["ChallengeName"],
        Session=challenge["Session"],
        ChallengeResponses={"USERNAME": "totpuser", "SOFTWARE_TOKEN_MFA_CODE": totp(secret)},
    )
    return {"challenge": challenge["ChallengeName"], "user": cognito_username(done)}


def main():
    endpoint, key, secret, totp_secret = sys.argv[1:5]
    idp = client(endpoint, key, secret)
    created = idp.create_user_pool_client(
        UserPoolId=POOL,
        ClientName="boto3 client",
        GenerateSecret=False,
        ExplicitAuthFlows=["ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        PreventUserExistenceErrors="ENABLED",
        CallbackURLs=["https://app.example/cb", "http://localhost:3000/cb"],
        DefaultRedirectURI="https://app.example/cb",
        AllowedOAuthFlows=["code"],
        AllowedOAuthScopes=["openid"],
        AllowedOAuthFlowsUserPoolClient=True,
        ReadAttributes=["email", "name"],
    )["UserPoolClient"]
    client_id = created["ClientId"]
    described = idp.describe_user_pool_client(UserPoolId=POOL, ClientId=client_id)["UserPoolClient"]
    updated = idp.update_user_pool_client(
        UserPoolId=POOL,
        ClientId=client_id,
        ClientName="boto3 client renamed",
        ExplicitAuthFlows=["ALLOW_ADMIN_USER_PASSWORD_AUTH"],
        PreventUserExistenceErrors="LEGACY",
    )["UserPoolClient"]
    signed_in = idp.admin_initiate_auth(
        UserPoolId=POOL,
        ClientId=client_id,
        AuthFlow="ADMIN_USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "alice", "PASSWORD": "Alice-Passw0rd!"},
    )
    unknown_user = error_code(
        lambda: idp.admin_initiate_auth(
            UserPoolId=POOL,
            ClientId=client_id,
            AuthFlow="ADMIN_USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": "nobody", "PASSWORD": "Whatever-1!"},
        )
    )
    wrong_key = error_code(
        lambda: client(endpoint, key, secret + "x").describe_user_pool_client(UserPoolId=POOL, ClientId=client_id)
    )
    unknown_key = error_code(
        lambda: client(endpoint, "AKIDUNKNOWN", secret).describe_user_pool_client(UserPoolId=POOL, ClientId=client_id)
    )
    srp_user = cognito_username(srp_sign_in(idp, "Alice-Passw0rd!"))
    srp_wrong = error_code(lambda: srp_sign_in(idp, "Wrong-Passw0rd!"))
    custom = custom_auth(idp, ["a piano"] * 3)
    custom_wrong = error_code(lambda: custom_auth(idp, ["a piano", "a harp"]))
    print(
        json.dumps(
            {
                "created": {**created, "CreationDate": created["CreationDate"].timestamp(), "LastModifiedDate": None},
                "described": {"ClientName": described["ClientName"], "DefaultRedirectURI": described.get("DefaultRedirectURI")},
                "updated": {
                    "ClientName": updated["ClientName"],
                    "ExplicitAuthFlows": updated["ExplicitAuthFlows"],
                    "PreventUserExistenceErrors": updated["PreventUserExistenceErrors"],
                },
                "tokenType": signed_in["AuthenticationResult"]["TokenType"],
                "hasIdToken": bool(signed_in["AuthenticationResult"].get("IdToken")),
                "unknownUser": unknown_user,
                "wrongKey": wrong_key,
                "unknownKey": unknown_key,
                "srpUser": srp_user,
                "srpWrongPassword": srp_wrong,
                "custom": custom,
                "customWrongAnswer": custom_wrong,
                "totp": totp_sign_in(idp, totp_secret),
            },
            default=str,
        )
    )


if __name__ == "__main__":
    main()
