"""pycognito side of the known-answer vectors (see gen.mjs, which runs this).

Reads a JSON request on stdin:
    {"srp": [{"name", "poolId", "userIdForSrp", "password", "a", "salt", "B",
              "secretBlock", "unixSeconds"}],
     "secretHash": [{"username", "clientId", "clientSecret"}],
     "timestamps": [{"unixSeconds"}]}
and writes on stdout what pycognito computes for each, every number as
lower-case hex (compared numerically by gen.mjs).

Every value comes out of pycognito's own code: the secret `a` is pinned on an
AWSSRP object (A recomputed with its calculate_a), the whole PASSWORD_VERIFIER
answer is computed by AWSSRP.process_challenge with the module's clock
patched, and the intermediates are recorded on the way by wrapping the
module-level helpers that process_challenge calls (calculate_u, compute_hkdf,
and `pow`, a module global shadowing the builtin): x is the exponent of
pow(g, x, N) and S the result of pow(B - k*g^x, a + u*x, N).

Run with the project's venv: .venv/bin/python scripts/gen-vectors/pycognito_vectors.py
"""

import datetime
import importlib.metadata
import json
import sys
import types
from contextlib import contextmanager
from unittest import mock

from pycognito import aws_srp
from pycognito.aws_srp import AWSSRP


def fixed_clock(unix_seconds):
    """A stand-in for the `datetime` module inside aws_srp whose
    datetime.utcnow() returns the given Unix time (naive UTC, as utcnow does)."""
    instant = datetime.datetime(1970, 1, 1) + datetime.timedelta(seconds=unix_seconds)

    class FrozenDateTime(datetime.datetime):
        @classmethod
        def utcnow(cls):
            return instant

        @classmethod
        def now(cls, tz=None):
            raise AssertionError("pycognito was expected to call utcnow()")

    return types.SimpleNamespace(datetime=FrozenDateTime, timedelta=datetime.timedelta)


@contextmanager
def traced():
    """Records calculate_u, compute_hkdf and pow calls made inside aws_srp."""
    record = {"pow": [], "u": [], "hkdf": []}
    real_u = aws_srp.calculate_u
    real_hkdf = aws_srp.compute_hkdf

    def calculate_u(big_a, big_b):
        u = real_u(big_a, big_b)
        record["u"].append(u)
        return u

    def compute_hkdf(ikm, salt):
        key = real_hkdf(ikm, salt)
        record["hkdf"].append({"ikm": bytes(ikm), "salt": bytes(salt), "key": bytes(key)})
        return key

    def traced_pow(base, exp, mod=None):
        result = pow(base, exp, mod)
        record["pow"].append({"base": base, "exp": exp, "mod": mod, "result": result})
        return result

    with mock.patch.object(aws_srp, "calculate_u", calculate_u), mock.patch.object(
        aws_srp, "compute_hkdf", compute_hkdf
    ), mock.patch.object(aws_srp, "pow", traced_pow, create=True):
        yield record


def new_srp(username, password, pool_id, client_id="vectors", client_secret=None):
    # client= keeps boto3 (and any network or credentials) out of it.
    return AWSSRP(
        username=username,
        password=password,
        pool_id=pool_id,
        client_id=client_id,
        client=object(),
        client_secret=client_secret,
    )


def hx(n):
    return format(n, "x")


def srp_case(case):
    srp = new_srp(case["userIdForSrp"], case["password"], case["poolId"])
    srp.small_a_value = int(case["a"], 16)
    srp.large_a_value = srp.calculate_a()
    auth_params = srp.get_auth_params()

    challenge = {
        "USERNAME": case["userIdForSrp"],
        "USER_ID_FOR_SRP": case["userIdForSrp"],
        "SALT": case["salt"],
        "SRP_B": case["B"],
        "SECRET_BLOCK": case["secretBlock"],
    }
    with mock.patch.object(aws_srp, "datetime", fixed_clock(case["unixSeconds"])):
        with traced() as record:
            response = srp.process_challenge(challenge, auth_params)

    name = case["name"]
    pows = record["pow"]
    if len(pows) != 2 or len(record["u"]) != 1 or len(record["hkdf"]) != 1:
        raise SystemExit(
            f"{name}: pycognito made unexpected calls "
            f"(pow {len(pows)}, calculate_u {len(record['u'])}, hkdf {len(record['hkdf'])})"
        )
    g_x, s_pow = pows
    if g_x["base"] != srp.val_g or g_x["mod"] != srp.big_n:
        raise SystemExit(f"{name}: first pow call is not g^x mod N")
    if s_pow["mod"] != srp.big_n:
        raise SystemExit(f"{name}: second pow call is not mod N")
    x = g_x["exp"]
    u = record["u"][0]
    if s_pow["exp"] != srp.small_a_value + u * x:
        raise SystemExit(f"{name}: second pow exponent is not a + u*x")

    return {
        "name": name,
        "A": hx(srp.large_a_value),
        "SRP_A": auth_params["SRP_A"],
        "k": hx(srp.val_k),
        "u": hx(u),
        "x": hx(x),
        "base": str(s_pow["base"]),  # B - k*g^x, may be negative (decimal, signed)
        "S": hx(s_pow["result"]),
        "key": record["hkdf"][0]["key"].hex(),
        "hkdfIkm": record["hkdf"][0]["ikm"].hex(),
        "hkdfSalt": record["hkdf"][0]["salt"].hex(),
        "timestamp": response["TIMESTAMP"],
        "username": response["USERNAME"],
        "secretBlock": response["PASSWORD_CLAIM_SECRET_BLOCK"],
        "signature": response["PASSWORD_CLAIM_SIGNATURE"],
    }


def secret_hash_case(case):
    direct = AWSSRP.get_secret_hash(case["username"], case["clientId"], case["clientSecret"])
    # The same through get_auth_params, where pycognito sends it on InitiateAuth.
    srp = new_srp(
        case["username"], "unused", "us-east-1_vectors", case["clientId"], case["clientSecret"]
    )
    via_auth_params = srp.get_auth_params()["SECRET_HASH"]
    if via_auth_params != direct:
        raise SystemExit(f"pycognito SECRET_HASH differs between its two paths for {case}")
    return {"secretHash": direct}


def timestamp_case(case):
    with mock.patch.object(aws_srp, "datetime", fixed_clock(case["unixSeconds"])):
        # The expression process_challenge uses.
        formatted = AWSSRP.get_cognito_formatted_timestamp(aws_srp.datetime.datetime.utcnow())
    return {"unixSeconds": case["unixSeconds"], "formatted": formatted}


def main():
    request = json.load(sys.stdin)
    out = {
        "pycognito": importlib.metadata.version("pycognito"),
        "srp": [srp_case(c) for c in request.get("srp", [])],
        "secretHash": [secret_hash_case(c) for c in request.get("secretHash", [])],
        "timestamps": [timestamp_case(c) for c in request.get("timestamps", [])],
    }
    json.dump(out, sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
