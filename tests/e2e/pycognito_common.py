"""What the pycognito oracle scripts share: a boto3 client aimed at the local
endpoint, and the one JSON object each prints."""

import json

import boto3
from botocore.exceptions import ClientError


def endpoint_kwargs(url):
    """boto3 client arguments for the endpoint at `url`; the endpoint checks no
    credentials on these calls, but botocore wants some to sign with."""
    return {"endpoint_url": url, "aws_access_key_id": "x", "aws_secret_access_key": "x"}


def cognito_client(url):
    """A cognito-idp client that sends to the endpoint at `url`."""
    return boto3.client("cognito-idp", region_name="us-east-1", **endpoint_kwargs(url))


def report(attempt):
    """Prints what `attempt()` returns as JSON, or, when the service refuses a
    call (ClientError), {"ok": false, "error": <exception name>, "message"}."""
    try:
        outcome = attempt()
    except ClientError as error:
        details = error.response["Error"]
        outcome = {"ok": False, "error": details["Code"], "message": details.get("Message", "")}
    print(json.dumps(outcome))
    return 0
