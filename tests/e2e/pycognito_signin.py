"""Signs in with pycognito's AWSSRP over boto3 against a given endpoint.

usage: pycognito_signin.py <url> <pool id> <client id> <username> <password> [client secret]

Prints one JSON object: {"ok": true, "result": <the RespondToAuthChallenge answer>}
or {"ok": false, "error": <exception name>, "message": <text>}.
"""

import json
import sys

import boto3
from botocore.exceptions import ClientError
from pycognito.aws_srp import AWSSRP
from pycognito.exceptions import ForceChangePasswordException


def main(argv):
    if len(argv) not in (6, 7):
        print(__doc__, file=sys.stderr)
        return 2
    url, pool_id, client_id, username, password = argv[1:6]
    secret = argv[6] if len(argv) == 7 else None
    client = boto3.client(
        "cognito-idp",
        region_name="us-east-1",
        endpoint_url=url,
        aws_access_key_id="x",
        aws_secret_access_key="x",
    )
    srp = AWSSRP(
        username=username,
        password=password,
        pool_id=pool_id,
        client_id=client_id,
        client=client,
        client_secret=secret,
    )
    try:
        answer = srp.authenticate_user()
        outcome = {"ok": True, "result": {k: v for k, v in answer.items() if k != "ResponseMetadata"}}
    except ClientError as error:
        details = error.response["Error"]
        outcome = {"ok": False, "error": details["Code"], "message": details.get("Message", "")}
    except ForceChangePasswordException as error:
        outcome = {"ok": False, "error": "ForceChangePasswordException", "message": str(error)}
    print(json.dumps(outcome))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
