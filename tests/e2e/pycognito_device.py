"""Remembered devices with pycognito (AWSSRP over boto3) against a given endpoint:
a sign-in that returns NewDeviceMetadata, AWSSRP.confirm_device (its own
generate_hash_device verifier; the request it posts to the AWS URL is sent to
the endpoint instead), then sign-ins naming the device, which pycognito answers
with DEVICE_SRP_AUTH and DEVICE_PASSWORD_VERIFIER, with the right device
password and a wrong one.

usage: pycognito_device.py <url> <pool id> <client id> <username> <password>

Prints one JSON object: {"ok": true, "confirmStatus", "challenges", "signedIn", "wrong"}
or {"ok": false, "error": <exception name>, "message": <text>}.
"""

import sys
from unittest import mock

import requests
from botocore.exceptions import ClientError
from pycognito.aws_srp import AWSSRP

from pycognito_common import cognito_client, report


def main(argv):
    if len(argv) != 6:
        print(__doc__, file=sys.stderr)
        return 2
    url, pool_id, client_id, username, password = argv[1:6]
    client = cognito_client(url)
    challenges = []
    respond = client.respond_to_auth_challenge

    def recording(**kwargs):
        challenges.append(kwargs["ChallengeName"])
        return respond(**kwargs)

    client.respond_to_auth_challenge = recording

    def srp(**device):
        return AWSSRP(username=username, password=password, pool_id=pool_id,
                      client_id=client_id, client=client, **device)

    real_post = requests.post

    def remember_and_sign_in_again():
        first = srp()
        tokens = first.authenticate_user()
        with mock.patch.object(requests, "post", lambda _url, **kw: real_post(url, **kw)):
            confirmed, device_password = first.confirm_device(tokens, device_name="pycognito")
        device = {
            "device_key": first.device_key,
            "device_group_key": first.device_group_key,
            "device_password": device_password,
        }
        challenges.clear()
        again = srp(**device).authenticate_user()
        outcome = {
            "ok": True,
            "confirmStatus": confirmed.status_code,
            "challenges": list(challenges),
            "signedIn": "AccessToken" in again.get("AuthenticationResult", {}),
            "newDevice": "NewDeviceMetadata" in again.get("AuthenticationResult", {}),
        }
        try:
            srp(**{**device, "device_password": device_password[::-1]}).authenticate_user()
            outcome["wrong"] = "signed in"
        except ClientError as error:
            outcome["wrong"] = error.response["Error"]["Code"]
        return outcome

    return report(remember_and_sign_in_again)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
