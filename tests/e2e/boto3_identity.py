"""boto3 against the local endpoint's identity pool and storage service:
signs in with USER_PASSWORD_AUTH, gets an identity and credentials
(cognito-identity, unsigned), puts and reads an object under the identity's
private prefix with botocore's SigV4 for S3 (path style, endpoint
<endpoint>/s3), then tries a wrong secret key, a guest write and another
identity's prefix. Prints one JSON object of what it saw.

    python boto3_identity.py <endpoint> <identityPoolId> <providerName> <clientId> <bucket>
"""

import json
import sys

import boto3
from botocore import UNSIGNED
from botocore.config import Config
from botocore.exceptions import ClientError

REGION = "us-east-1"


def unsigned(service, endpoint):
    return boto3.client(
        service,
        region_name=REGION,
        endpoint_url=endpoint,
        config=Config(signature_version=UNSIGNED),
    )


def s3(endpoint, credentials, secret=None):
    return boto3.client(
        "s3",
        region_name=REGION,
        endpoint_url=f"{endpoint}/s3",
        aws_access_key_id=credentials["AccessKeyId"],
        aws_secret_access_key=secret or credentials["SecretKey"],
        aws_session_token=credentials["SessionToken"],
        config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 1}),
    )


def error_code(call):
    try:
        call()
    except ClientError as error:
        return error.response["Error"]["Code"]
    return None


def main(endpoint, pool_id, provider, client_id, bucket):
    idp = unsigned("cognito-idp", endpoint)
    signed_in = idp.initiate_auth(
        AuthFlow="USER_PASSWORD_AUTH",
        ClientId=client_id,
        AuthParameters={"USERNAME": "alice", "PASSWORD": "Alice-Passw0rd!"},
    )
    logins = {provider: signed_in["AuthenticationResult"]["IdToken"]}
    identity = unsigned("cognito-identity", endpoint)
    identity_id = identity.get_id(IdentityPoolId=pool_id, Logins=logins)["IdentityId"]
    answer = identity.get_credentials_for_identity(IdentityId=identity_id, Logins=logins)
    credentials = answer["Credentials"]
    client = s3(endpoint, credentials)
    key = f"private/{identity_id}/boto3.txt"
    put = client.put_object(Bucket=bucket, Key=key, Body=b"hello from boto3")
    read = client.get_object(Bucket=bucket, Key=key)["Body"].read().decode()

    guest_id = identity.get_id(IdentityPoolId=pool_id)["IdentityId"]
    guest = identity.get_credentials_for_identity(IdentityId=guest_id)["Credentials"]
    other = "private/us-east-1:00000000-0000-4000-8000-000000000000/x.txt"
    refusals = {
        "wrongSecret": error_code(
            lambda: s3(endpoint, credentials, "wrong-secret").get_object(Bucket=bucket, Key=key)
        ),
        "guestWrite": error_code(
            lambda: s3(endpoint, guest).put_object(Bucket=bucket, Key="public/g.txt", Body=b"x")
        ),
        "otherIdentity": error_code(lambda: client.put_object(Bucket=bucket, Key=other, Body=b"x")),
    }
    print(
        json.dumps(
            {
                "identityId": answer["IdentityId"],
                "expiration": credentials["Expiration"].timestamp(),
                "etag": put["ETag"],
                "read": read,
                "refusals": refusals,
            }
        )
    )


if __name__ == "__main__":
    main(*sys.argv[1:])
