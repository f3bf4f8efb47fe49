"""Signs in with pycognito's Cognito class (SRP, then the SOFTWARE_TOKEN_MFA
challenge answered with an RFC 6238 code) against a given endpoint; pycognito
verifies the tokens against the endpoint's JWKS.

usage: pycognito_mfa.py <url> <pool id> <client id> <username> <password> <base32 TOTP secret>

Prints one JSON object: {"ok": true, "challenge": <the MFA challenge name>, "username": <cognito:username>}
or {"ok": false, "error": <exception name>, "message": <text>}.
"""

import base64
import hashlib
import hmac
import struct
import sys
import time

from pycognito import Cognito
from pycognito.exceptions import SoftwareTokenMFAChallengeException

from pycognito_common import endpoint_kwargs, report


def totp(secret, now=None):
    key = base64.b32decode(secret + "=" * (-len(secret) % 8), casefold=True)
    counter = struct.pack(">Q", int((now or time.time()) // 30))
    mac = hmac.new(key, counter, hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    binary = struct.unpack(">I", mac[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{binary % 1_000_000:06d}"


def main(argv):
    if len(argv) != 7:
        print(__doc__, file=sys.stderr)
        return 2
    url, pool_id, client_id, username, password, secret = argv[1:7]
    user = Cognito(
        pool_id,
        client_id,
        username=username,
        boto3_client_kwargs=endpoint_kwargs(url),
    )

    def sign_in_with_totp():
        try:
            user.authenticate(password=password)
            return {"ok": False, "error": "NoChallenge", "message": "signed in without MFA"}
        except SoftwareTokenMFAChallengeException as challenge:
            name = challenge.get_tokens()["ChallengeName"]
            user.respond_to_software_token_mfa_challenge(totp(secret))
            return {"ok": True, "challenge": name, "username": user.id_claims["cognito:username"]}

    return report(sign_in_with_totp)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
