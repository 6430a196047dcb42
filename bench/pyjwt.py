"""PyJWT verifying the same fixture ID token with the same public key, for
comparison with `cargo run --release --example jwt` (bench/jwt.rs).

bench/run.sh runs it with PyJWT in a virtualenv of its own:
    python3 -m venv VENV && VENV/bin/pip install "pyjwt[crypto]==2.15.1"
    taskset -c 0 VENV/bin/python bench/pyjwt.py

Each call checks what the Rust `verify` checks for this token: RS256
signature, exp, iss, aud and token_use. The key is parsed once, as the
Rust side's cached KeySet is.
"""

import base64
import json
import pathlib
import statistics
import time

import cryptography
import jwt
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding
from jwt.algorithms import RSAAlgorithm

FIXTURES = pathlib.Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "jwt"
ISSUER = "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Fixture1"
CLIENT = "client-one"
CALLS = 20_000


def time_calls(call):
    """Times each call on its own after a warm-up; returns the median and the
    10th and 90th percentiles in ns, and calls per second over the loop."""
    for _ in range(CALLS // 10):
        call()
    samples = []
    started = time.perf_counter()
    for _ in range(CALLS):
        before = time.perf_counter()
        call()
        samples.append(time.perf_counter() - before)
    total = time.perf_counter() - started
    samples.sort()
    at = lambda fraction: samples[int((len(samples) - 1) * fraction)] * 1e9
    return at(0.5), at(0.1), at(0.9), CALLS / total


def report(label, timing):
    median, p10, p90, per_second = timing
    print(f"{label:<46} median {median:>9.0f} ns  (p10 {p10:>7.0f}, p90 {p90:>7.0f})  {per_second:>10.0f} calls/s")


def main():
    token = (FIXTURES / "id_token.txt").read_text().strip()
    kid = jwt.get_unverified_header(token)["kid"]
    jwk = next(key for key in json.loads((FIXTURES / "jwks.json").read_text())["keys"] if key["kid"] == kid)
    public_key = RSAAlgorithm.from_jwk(json.dumps(jwk))

    def verify():
        claims = jwt.decode(
            token,
            public_key,
            algorithms=["RS256"],
            audience=CLIENT,
            issuer=ISSUER,
            options={"require": ["exp", "iss", "aud"]},
        )
        if claims.get("token_use") != "id":
            raise ValueError("wrong token_use")
        return claims

    verify()
    print(f"PyJWT {jwt.__version__}, cryptography {cryptography.__version__}; "
          f"one {len(token)}-byte ID token, {CALLS} timed calls each\n")
    full = time_calls(verify)
    report("jwt.decode (key parsed once)", full)

    signing_input, _, signature = token.rpartition(".")
    signature = base64.urlsafe_b64decode(signature + "=" * (-len(signature) % 4))
    message = signing_input.encode()
    rsa = time_calls(lambda: public_key.verify(signature, message, padding.PKCS1v15(), hashes.SHA256()))
    report("  of which RSA (cryptography / OpenSSL)", rsa)

    print(f"\njwt.decode: {1e9 / full[0]:.0f} tokens/s by the median ({full[0] / 1000:.1f} us), "
          f"{full[3]:.0f} tokens/s measured over the loop")


if __name__ == "__main__":
    main()
