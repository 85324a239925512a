"""GOST R 34.11-94 (and its Kazakh twin ST RK GOST 34.311-95): the hash of GOST R 34.10-2001 / GOST 34.310-2004.

Neither gostcrypto nor pyHanko has it (the ``pygost`` name on the package index is a placeholder, not
the library). Written after GOST R 34.11-94 itself and RFC 5831, with the S-boxes of RFC 4357 § 11.2
(CryptoPro, used by every CMS signer) and of the standard's test parameters; checked against the
RFC 5831 / standard test vectors in ``tests/verification/signatures/test_gost94.py``.
"""

from __future__ import annotations

__all__ = ["CRYPTOPRO", "TEST", "gost94"]

CRYPTOPRO = (  # id-GostR3411-94-CryptoProParamSet, 1.2.643.2.2.30.1 (RFC 4357 § 11.2)
    (10, 4, 5, 6, 8, 1, 3, 7, 13, 12, 14, 0, 9, 2, 11, 15),
    (5, 15, 4, 0, 2, 13, 11, 9, 1, 7, 6, 3, 12, 14, 10, 8),
    (7, 15, 12, 14, 9, 4, 1, 0, 3, 11, 5, 2, 6, 10, 8, 13),
    (4, 10, 7, 12, 0, 15, 2, 8, 14, 1, 6, 5, 13, 11, 9, 3),
    (7, 6, 4, 11, 9, 12, 2, 10, 1, 8, 0, 14, 15, 13, 3, 5),
    (7, 6, 2, 4, 13, 9, 15, 0, 10, 1, 5, 11, 8, 14, 12, 3),
    (13, 14, 4, 1, 7, 0, 5, 10, 3, 12, 8, 15, 6, 2, 9, 11),
    (1, 3, 10, 9, 5, 11, 4, 15, 8, 6, 7, 14, 13, 0, 2, 12),
)
TEST = (  # id-GostR3411-94-TestParamSet, 1.2.643.2.2.30.0
    (4, 10, 9, 2, 13, 8, 0, 14, 6, 11, 1, 12, 7, 15, 5, 3),
    (14, 11, 4, 12, 6, 13, 15, 10, 2, 3, 8, 1, 0, 7, 5, 9),
    (5, 8, 1, 13, 10, 3, 4, 2, 14, 15, 12, 7, 6, 0, 9, 11),
    (7, 13, 10, 1, 0, 8, 9, 15, 14, 4, 6, 12, 11, 2, 5, 3),
    (6, 12, 7, 1, 5, 15, 13, 8, 4, 10, 9, 14, 0, 3, 11, 2),
    (4, 11, 10, 0, 7, 2, 1, 13, 3, 6, 8, 5, 9, 12, 15, 14),
    (13, 11, 4, 1, 3, 15, 5, 9, 0, 10, 14, 7, 6, 8, 2, 12),
    (1, 15, 13, 0, 5, 7, 10, 4, 9, 2, 3, 14, 6, 11, 8, 12),
)

_SEQ = (0, 1, 2, 3, 4, 5, 6, 7) * 3 + (7, 6, 5, 4, 3, 2, 1, 0)
_C3 = bytes.fromhex("ff00ffff000000ffff0000ff00ffff0000ff00ff00ff00ffff00ff00ff00ff00")
_ZERO = bytes(32)
_MASK = 0xFFFFFFFF


def _tables(sbox: tuple[tuple[int, ...], ...]) -> tuple[list[int], ...]:
    """Four 8-bit → rotated-32-bit tables: S-box pairs with the 11-bit rotation folded in."""
    out = []
    for pair in range(4):
        lo, hi = sbox[2 * pair], sbox[2 * pair + 1]
        table = []
        for b in range(256):
            v = (lo[b & 15] | hi[b >> 4] << 4) << (8 * pair)
            table.append(((v << 11) | (v >> 21)) & _MASK)
        out.append(table)
    return tuple(out)


_CACHE: dict[int, tuple[list[int], ...]] = {}


def _encrypt(tables: tuple[list[int], ...], key: bytes, block: bytes) -> bytes:
    """GOST 28147-89 ECB encryption of one 8-byte block (little-endian halves, key words little-endian)."""
    k = [int.from_bytes(key[4 * i:4 * i + 4], "little") for i in range(8)]
    n1, n2 = int.from_bytes(block[:4], "little"), int.from_bytes(block[4:], "little")
    t0, t1, t2, t3 = tables
    for i in _SEQ:
        x = (n1 + k[i]) & _MASK
        n1, n2 = n2 ^ (t0[x & 255] ^ t1[(x >> 8) & 255] ^ t2[(x >> 16) & 255] ^ t3[x >> 24]), n1
    return n2.to_bytes(4, "little") + n1.to_bytes(4, "little")


def _xor(a: bytes, b: bytes) -> bytes:
    return (int.from_bytes(a, "big") ^ int.from_bytes(b, "big")).to_bytes(32, "big")


def _a(x: bytes) -> bytes:  # big-endian strings: x = y4‖y3‖y2‖y1
    return bytes(a ^ b for a, b in zip(x[24:32], x[16:24], strict=True)) + x[:24]


def _p(x: bytes) -> bytes:
    return bytes(x[i + 8 * k] for i in range(8) for k in range(4))


def _chi(y: bytes) -> bytes:
    w = [y[i:i + 2] for i in range(0, 32, 2)]  # w[0] = y16 … w[15] = y1
    first = bytes(a ^ b ^ c ^ d ^ e ^ f for a, b, c, d, e, f in
                  zip(w[15], w[14], w[13], w[12], w[3], w[0], strict=True))
    return first + y[:30]


def _step(tables: tuple[list[int], ...], h: bytes, m: bytes) -> bytes:
    u, v = h, m
    keys = [_p(_xor(u, v))]
    for c in (_ZERO, _C3, _ZERO):
        u = _xor(_a(u), c)
        v = _a(_a(v))
        keys.append(_p(_xor(u, v)))
    parts = [h[24:32], h[16:24], h[8:16], h[0:8]]  # h1 … h4
    s = [_encrypt(tables, keys[i][::-1], parts[i][::-1])[::-1] for i in range(4)]
    x = s[3] + s[2] + s[1] + s[0]
    for _ in range(12):
        x = _chi(x)
    x = _chi(_xor(x, m))
    x = _xor(h, x)
    for _ in range(61):
        x = _chi(x)
    return x


def gost94(data: bytes, sbox: tuple[tuple[int, ...], ...] = CRYPTOPRO) -> bytes:
    """The GOST R 34.11-94 digest of ``data`` (32 bytes, in the byte order of RFC 5831's examples)."""
    tables = _CACHE.get(id(sbox))
    if tables is None:
        tables = _CACHE.setdefault(id(sbox), _tables(sbox))
    h = _ZERO
    checksum = 0
    for i in range(0, len(data), 32):
        part = data[i:i + 32][::-1]
        checksum = (checksum + int.from_bytes(part, "big")) % (1 << 256)
        h = _step(tables, h, bytes(32 - len(part)) + part)
    h = _step(tables, h, (len(data) * 8).to_bytes(32, "big"))
    h = _step(tables, h, checksum.to_bytes(32, "big"))
    return h[::-1]
