#!/usr/bin/env python3
"""Generates fake credential values to a documented shape, for the `bad` and
`good` examples of the `[[pattern]]` entries in rules/data/secrets/.

    python3 scripts/secret-example.py 'ghp_{alnum:30}{crc}' [SEED]

A template is literal text with slots:
  {CLASS:N}   N random characters of CLASS: alnum, lalnum (a-z0-9), ualnum
              (A-Z0-9), lower, upper, digits, hex, HEX, b64, b64url, b32
              (A-Z2-7), lb32 (a-z2-7), bech (bech32 alphabet)
  {uuid}      a random UUID (lower-case hex)
  {crc}       GitHub's checksum: base-62 CRC-32 of the characters since the
              last `_`, 6 characters
  {bech32}    bech32 checksum of everything before it (human part up to the
              last `1`), 6 characters
Any other text, braces included, is copied as it is.
Values are random (seeded), never real credentials.
"""
import random
import re
import string
import sys
import zlib

CLASSES = {
    "alnum": string.ascii_letters + string.digits,
    "lalnum": string.ascii_lowercase + string.digits,
    "ualnum": string.ascii_uppercase + string.digits,
    "lower": string.ascii_lowercase,
    "upper": string.ascii_uppercase,
    "digits": string.digits,
    "hex": "0123456789abcdef",
    "HEX": "0123456789ABCDEF",
    "b64": string.ascii_letters + string.digits + "+/",
    "b64url": string.ascii_letters + string.digits + "-_",
    "b32": string.ascii_uppercase + "234567",
    "lb32": string.ascii_lowercase + "234567",
    "bech": "qpzry9x8gf2tvdw0s3jn54khce6mua7l",
}
BASE62 = string.digits + string.ascii_uppercase + string.ascii_lowercase


def base62_6(n):
    out = ""
    for _ in range(6):
        out = BASE62[n % 62] + out
        n //= 62
    return out


def bech32_checksum(text):
    hrp, data = text.lower().rsplit("1", 1)
    gen = [0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3]
    values = [ord(c) >> 5 for c in hrp] + [0] + [ord(c) & 31 for c in hrp]
    values += [CLASSES["bech"].index(c) for c in data] + [0] * 6
    chk = 1
    for v in values:
        top = chk >> 25
        chk = ((chk & 0x1FFFFFF) << 5) ^ v
        for i in range(5):
            if (top >> i) & 1:
                chk ^= gen[i]
    chk ^= 1
    word = "".join(CLASSES["bech"][(chk >> 5 * (5 - i)) & 31] for i in range(6))
    return word.upper() if text.isupper() else word


SLOT = re.compile(r"\{(crc|bech32|uuid|[A-Za-z0-9]+:[0-9]+)\}")


def generate(template, rng):
    out = ""
    last = 0
    for m in SLOT.finditer(template):
        out += template[last : m.start()]
        last = m.end()
        slot = m.group(1)
        if slot == "crc":
            body = out.rsplit("_", 1)[-1]
            out += base62_6(zlib.crc32(body.encode()))
        elif slot == "bech32":
            out += bech32_checksum(out)
        elif slot == "uuid":
            h = "".join(rng.choice(CLASSES["hex"]) for _ in range(32))
            out += f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"
        else:
            cls, n = slot.split(":")
            out += "".join(rng.choice(CLASSES[cls]) for _ in range(int(n)))
    return out + template[last:]


if __name__ == "__main__":
    seed = sys.argv[2] if len(sys.argv) > 2 else sys.argv[1]
    print(generate(sys.argv[1], random.Random(seed)))
