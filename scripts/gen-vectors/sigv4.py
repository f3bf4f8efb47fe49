"""SigV4 reference vectors from botocore's own signer (SigV4Auth), for fixed
requests and times: `tests/vectors/sigv4.json`, which the Rust tests
(tests/sigv4_vectors.rs) check src/sigv4.rs and src/admin.rs against, and
which tests/e2e/admin.test.mjs regenerates live and compares.

    .venv/bin/python scripts/gen-vectors/sigv4.py > tests/vectors/sigv4.json
"""

import datetime
import json
import sys
from unittest import mock

import botocore
import botocore.auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

CASES = [
    {
        "name": "AdminInitiateAuth, us-east-1, real endpoint",
        "url": "https://cognito-idp.us-east-1.amazonaws.com/",
        "region": "us-east-1",
        "time": "2019-11-14T00:00:00",
        "credentials": ["AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", None],
        "operation": "AdminInitiateAuth",
        "input": {
            "UserPoolId": "us-east-1_AbC123",
            "ClientId": "1example23456789",
            "AuthFlow": "ADMIN_USER_PASSWORD_AUTH",
            "AuthParameters": {"USERNAME": "alice", "PASSWORD": "Passw0rd!"},
        },
    },
    {
        "name": "CreateUserPoolClient with a session token, eu-west-1",
        "url": "https://cognito-idp.eu-west-1.amazonaws.com/",
        "region": "eu-west-1",
        "time": "2024-02-29T23:59:59",
        "credentials": ["ASIATEMPORARY", "secret/with+symbols=", "IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJH"],
        "operation": "CreateUserPoolClient",
        "input": {
            "UserPoolId": "eu-west-1_Pool9",
            "ClientName": "web app",
            "GenerateSecret": True,
            "ExplicitAuthFlows": ["ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
            "CallbackURLs": ["https://app.example/cb"],
        },
    },
    {
        "name": "DescribeUserPoolClient on a local endpoint with a port",
        "url": "http://127.0.0.1:9229/",
        "region": "us-east-1",
        "time": "2030-01-01T12:34:56",
        "credentials": ["LOCALKEY", "local-secret", None],
        "operation": "DescribeUserPoolClient",
        "input": {"UserPoolId": "us-east-1_Local1", "ClientId": "localclient"},
    },
    {
        "name": "UpdateUserPoolClient with unicode in the body, ap-southeast-2",
        "url": "https://cognito-idp.ap-southeast-2.amazonaws.com/",
        "region": "ap-southeast-2",
        "time": "2000-01-01T00:00:00",
        "credentials": ["AKID2", "s3cr3t", None],
        "operation": "UpdateUserPoolClient",
        "input": {
            "UserPoolId": "ap-southeast-2_Zz9",
            "ClientId": "abc",
            "ClientName": "cafe app",
            "AnalyticsConfiguration": {"ExternalId": "caf\u00e9"},
        },
    },
    {
        "name": "InitiateAuth, us-gov-west-1",
        "url": "https://cognito-idp.us-gov-west-1.amazonaws.com/",
        "region": "us-gov-west-1",
        "time": "2025-06-30T06:07:08",
        "credentials": ["AKID3", "another-secret", "short-token"],
        "operation": "InitiateAuth",
        "input": {
            "AuthFlow": "REFRESH_TOKEN_AUTH",
            "ClientId": "client3",
            "AuthParameters": {"REFRESH_TOKEN": "eyJ.refresh.token"},
        },
    },
]


def sign(case):
    body = json.dumps(case["input"], separators=(",", ":"), ensure_ascii=False)
    request = AWSRequest(
        method="POST",
        url=case["url"],
        data=body.encode("utf-8"),
        headers={
            "Content-Type": "application/x-amz-json-1.1",
            "X-Amz-Target": "AWSCognitoIdentityProviderService." + case["operation"],
        },
    )
    access, secret, token = case["credentials"]
    signer = botocore.auth.SigV4Auth(Credentials(access, secret, token), "cognito-idp", case["region"])
    now = datetime.datetime.fromisoformat(case["time"])
    with mock.patch.object(botocore.auth, "get_current_datetime", return_value=now):
        signer.add_auth(request)
    authorization = request.headers["Authorization"]
    del request.headers["Authorization"]  # the steps below see the request as signed
    canonical = signer.canonical_request(request)
    return {
        **case,
        "body": body,
        "amzDate": request.headers["X-Amz-Date"],
        "canonicalRequest": canonical,
        "stringToSign": signer.string_to_sign(request, canonical),
        "authorization": authorization,
    }


def main():
    vectors = {"botocore": botocore.__version__, "vectors": [sign(case) for case in CASES]}
    json.dump(vectors, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
