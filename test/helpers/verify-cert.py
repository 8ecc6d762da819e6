#!/usr/bin/python3
"""Verify a Yiqu health declaration certificate without jose (issue 6 acceptance).

An independent implementation: Debian's python3-cryptography checks the ES256 compact JWS
against the published JWKS (RFC 7515/7518: the signature is r||s, 32 bytes each, over
ASCII(base64url(header) '.' base64url(payload)) with SHA-256 on P-256).
stdin: {"jwks": {...}, "token": "...", "now": <seconds since the epoch>}
stdout: {"valid": bool, "reason": str|null, "claims": {...}|null}
"""
import base64, json, sys
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature


def b64(s):
    return base64.urlsafe_b64decode(s + '=' * (-len(s) % 4))


def verify(jwks, token, now):
    parts = token.split('.')
    if len(parts) != 3:
        return False, 'malformed', None
    header = json.loads(b64(parts[0]))
    if header.get('alg') != 'ES256' or header.get('typ') != 'yq-cert':
        return False, 'wrong_type', None
    keys = [k for k in jwks['keys'] if k.get('kid') == header.get('kid')]
    if not keys:
        return False, 'unknown_key', None
    k = keys[0]
    if k.get('kty') != 'EC' or k.get('crv') != 'P-256':
        return False, 'unknown_key', None
    x = int.from_bytes(b64(k['x']), 'big')
    y = int.from_bytes(b64(k['y']), 'big')
    public_key = ec.EllipticCurvePublicNumbers(x, y, ec.SECP256R1()).public_key()
    raw = b64(parts[2])
    if len(raw) != 64:
        return False, 'bad_signature', None
    der = encode_dss_signature(int.from_bytes(raw[:32], 'big'), int.from_bytes(raw[32:], 'big'))
    try:
        public_key.verify(der, (parts[0] + '.' + parts[1]).encode('ascii'), ec.ECDSA(hashes.SHA256()))
    except InvalidSignature:
        return False, 'bad_signature', None
    claims = json.loads(b64(parts[1]))
    if now < claims['iat']:
        return False, 'not_yet_valid', claims
    if now >= claims['exp']:
        return False, 'expired', claims
    return True, None, claims


if __name__ == '__main__':
    req = json.load(sys.stdin)
    valid, reason, claims = verify(req['jwks'], req['token'], req['now'])
    json.dump({'valid': valid, 'reason': reason, 'claims': claims}, sys.stdout, ensure_ascii=False)
