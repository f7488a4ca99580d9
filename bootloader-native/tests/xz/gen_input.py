#!/usr/bin/env python3
"""Deterministic test inputs for the XZ decoder tests: gen_input.py KIND SIZE OUT.
sample: firmware-like bytes (instruction words from a small vocabulary, string tables, erased
0xFF runs, a little noise); random: incompressible bytes (LZMA2 stores them as uncompressed
chunks); text: repetitive ASCII."""
import random
import sys

kind, size, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
rng = random.Random(20261121)
buf = bytearray()
if kind == "random":
    buf = bytearray(rng.getrandbits(8) for _ in range(size))
elif kind == "text":
    words = ["ota", "flash", "sector", "image", "header", "crc", "staging", "boot", "trial"]
    while len(buf) < size:
        buf += (" ".join(rng.choice(words) for _ in range(rng.randint(3, 12))) + "\n").encode()
else:
    vocab = [rng.getrandbits(32) for _ in range(300)]
    while len(buf) < size:
        r = rng.random()
        if r < 0.70:
            for _ in range(rng.randint(4, 64)):
                w = rng.choice(vocab) ^ (rng.getrandbits(12) if rng.random() < 0.3 else 0)
                buf += w.to_bytes(4, "little")
        elif r < 0.85:
            buf += ("E%03d: %s failed at 0x%08x\0" % (rng.randint(0, 999),
                    rng.choice(["erase", "program", "verify", "decode"]), rng.getrandbits(32))).encode()
        elif r < 0.93:
            buf += b"\xff" * rng.randint(16, 2048)
        else:
            buf += bytes(rng.getrandbits(8) for _ in range(rng.randint(1, 256)))
del buf[size:]
with open(out, "wb") as f:
    f.write(buf)
