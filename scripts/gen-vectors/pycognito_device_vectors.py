"""pycognito side of the device known-answer vectors (see device.mjs, which runs this).

Reads a JSON request on stdin:
    {"verifiers": [{"name", "deviceGroupKey", "deviceKey", "passwordBytes", "saltBytes"}],
     "claims": [{"name", "poolId", "deviceGroupKey", "deviceKey", "devicePassword", "a",
                 "salt", "B", "secretBlock", "unixSeconds"}]}
(bytes as hex) and writes on stdout what pycognito computes.

Verifiers come from aws_srp.generate_hash_device with os.urandom pinned (40
bytes for the password, then 16 for the salt, in the order it draws them);
x is the exponent of its pow(g, x, N). Claims come from
AWSSRP.process_device_challenge with `a` pinned and the module clock frozen.

Run with the project's venv: .venv/bin/python scripts/gen-vectors/pycognito_device_vectors.py
"""

import importlib.metadata
import json
import sys
from unittest import mock

from pycognito import aws_srp
from pycognito.aws_srp import AWSSRP

sys.path.insert(0, __file__.rsplit("/", 1)[0])
from pycognito_vectors import fixed_clock, traced  # noqa: E402


def verifier_case(case):
    draws = [bytes.fromhex(case["passwordBytes"]), bytes.fromhex(case["saltBytes"])]

    def urandom(n):
        value = draws.pop(0)
        if len(value) != n:
            raise SystemExit(f"{case['name']}: pycognito drew {n} bytes, expected {len(value)}")
        return value

    with mock.patch.object(aws_srp.os, "urandom", urandom), traced() as record:
        password, config = aws_srp.generate_hash_device(case["deviceGroupKey"], case["deviceKey"])
    if draws or len(record["pow"]) != 1:
        raise SystemExit(f"{case['name']}: pycognito drew or computed unexpectedly")
    return {
        "name": case["name"],
        "devicePassword": password,
        "x": format(record["pow"][0]["exp"], "x"),
        "passwordVerifier": config["PasswordVerifier"],
        "salt": config["Salt"],
    }


def claim_case(case):
    srp = AWSSRP(
        username="device-user",
        password="unused",
        pool_id=case["poolId"],
        client_id="vectors",
        client=object(),
        device_key=case["deviceKey"],
        device_group_key=case["deviceGroupKey"],
        device_password=case["devicePassword"],
    )
    srp.small_a_value = int(case["a"], 16)
    srp.large_a_value = srp.calculate_a()
    challenge = {
        "USERNAME": "device-user",
        "SALT": case["salt"],
        "SRP_B": case["B"],
        "SECRET_BLOCK": case["secretBlock"],
    }
    with mock.patch.object(aws_srp, "datetime", fixed_clock(case["unixSeconds"])):
        with traced() as record:
            response = srp.process_device_challenge(challenge)
    g_x, s_pow = record["pow"]
    return {
        "name": case["name"],
        "A": format(srp.large_a_value, "x"),
        "u": format(record["u"][0], "x"),
        "x": format(g_x["exp"], "x"),
        "S": format(s_pow["result"], "x"),
        "key": record["hkdf"][0]["key"].hex(),
        "timestamp": response["TIMESTAMP"],
        "signature": response["PASSWORD_CLAIM_SIGNATURE"],
        "deviceKeyAnswered": response["DEVICE_KEY"],
    }


def main():
    request = json.load(sys.stdin)
    json.dump(
        {
            "pycognito": importlib.metadata.version("pycognito"),
            "verifiers": [verifier_case(c) for c in request["verifiers"]],
            "claims": [claim_case(c) for c in request["claims"]],
        },
        sys.stdout,
    )


if __name__ == "__main__":
    main()
