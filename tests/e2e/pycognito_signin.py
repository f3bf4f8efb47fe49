"""Signs in with pycognito's AWSSRP over boto3 against a given endpoint.

usage: pycognito_signin.py <url> <pool id> <client id> <username> <password> [client secret]

Prints one JSON object: {"ok": true, "result": <the RespondToAuthChallenge answer>}
or {"ok": false, "error": <exception name>, "message": <text>}.
"""

import sys

from pycognito.aws_srp import AWSSRP
from pycognito.exceptions import ForceChangePasswordException

from pycognito_common import cognito_client, report


def main(argv):
    if len(argv) not in (6, 7):
        print(__doc__, file=sys.stderr)
        return 2
    url, pool_id, client_id, username, password = argv[1:6]
    secret = argv[6] if len(argv) == 7 else None
    client = cognito_client(url)
    srp = AWSSRP(
        username=username,
        password=password,
        pool_id=pool_id,
        client_id=client_id,
        client=client,
        client_secret=secret,
    )

    def sign_in():
        try:
            answer = srp.authenticate_user()
        except ForceChangePasswordException as error:
            return {"ok": False, "error": "ForceChangePasswordException", "message": str(error)}
        return {"ok": True, "result": {k: v for k, v in answer.items() if k != "ResponseMetadata"}}

    return report(sign_in)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
