"""boto3 against the local endpoint's IAM-signed operations: creates,
describes and updates an app client, signs in with ADMIN_USER_PASSWORD_AUTH,
and tries a wrong secret key. Prints one JSON object of what it saw.

    python boto3_admin.py <endpoint> <accessKeyId> <secretAccessKey>
"""

import json
import sys

import boto3
from botocore.exceptions import ClientError

POOL = "us-east-1_AdminPool1"


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


def main():
    endpoint, key, secret = sys.argv[1:4]
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
            },
            default=str,
        )
    )


if __name__ == "__main__":
    main()
