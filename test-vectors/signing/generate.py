#!/usr/bin/env python3
"""Signed-image test vectors (docs/design.md section 3, "Signature block and signed mode").

An independent reference: Python's struct, zlib, lzma, hashlib and the `cryptography` package
(ECDSA P-256), sharing no code with the C# or C verifiers. The keys are fixed: test_key.pem /
other_key.pem are created once and reused, so regenerating only changes the (randomized) ECDSA
signatures. Each NAME.img has NAME.expect: `error=CODE`, the result of a complete verification
with test_pub.pem as the only trusted key (xz decoded, inner image and image hash checked).

    python3 test-vectors/signing/generate.py
"""
import hashlib
import lzma
import os
import struct
import zlib

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

HERE = os.path.dirname(os.path.abspath(__file__))
MAGIC = 0xA0FFFF9F
SIG_MAGIC = b"OTASIG1\0"


def crc(data):
    return zlib.crc32(data) ^ 0xFFFFFFFF  # = NOT of zlib.crc32: no final XOR


def load_or_make_key(name):
    path = os.path.join(HERE, name)
    if os.path.exists(path):
        with open(path, "rb") as f:
            return serialization.load_pem_private_key(f.read(), None)
    key = ec.generate_private_key(ec.SECP256R1())
    with open(path, "wb") as f:
        f.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                  serialization.NoEncryption()))
    return key


def point(key):
    return key.public_key().public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)


def key_id(key):
    return hashlib.sha256(point(key)).digest()[:8]


def header(attr, img_len, org, upd_no=7, ver=b"3.1.4", flags=0, img_addr=0x20000):
    h = struct.pack("<8I16s3I", MAGIC, attr, img_addr, img_len, 0x1E000, 0x1E0000, org, upd_no,
                    ver.ljust(16, b"\0"), flags, 0, 0)
    return h + struct.pack("<I", crc(h))


def reseal_header(img):
    return img[:60] + struct.pack("<I", crc(img[:60])) + img[64:]


def full_image(body, attr=1):
    body = body + b"\xff" * (-len(body) % 4)
    return header(attr, len(body), crc(body)) + body


def xz_package(full, attr=1 | (1 << 20)):
    stream = lzma.compress(full, format=lzma.FORMAT_XZ, check=lzma.CHECK_CRC32,
                           filters=[{"id": lzma.FILTER_LZMA2, "preset": 6, "dict_size": 4096}])
    body = stream + b"\xff" * (-len(stream) % 4)
    return header(attr, len(body), crc(body)) + body


def block_bytes(kid, image_size, image_hash, der, algorithm=1, version=1):
    b = bytearray(256)
    b[0:8] = SIG_MAGIC
    struct.pack_into("<HH", b, 8, version, algorithm)
    b[0x10:0x18] = kid
    struct.pack_into("<I", b, 0x18, image_size)
    b[0x20:0x40] = image_hash
    struct.pack_into("<H", b, 0x60, len(der))
    b[0x64:0x64 + len(der)] = der
    struct.pack_into("<I", b, 0xFC, crc(bytes(b[:0xFC])))
    return b


def reseal_block(img):
    img = bytearray(img)
    at = len(img) - 256
    struct.pack_into("<I", img, at + 0xFC, crc(bytes(img[at:at + 0xFC])))
    return bytes(img)


def sign(unsigned, key, slot=0, full=None, image_size=None, image_hash=None):
    """Signs an unsigned image: sets the signature bit and prikey_sel, appends the block."""
    attr = struct.unpack_from("<I", unsigned, 4)[0] | 0x100 | (slot << 5)
    img = reseal_header(unsigned[:4] + struct.pack("<I", attr) + unsigned[8:])
    if full is None:
        full = img  # uncompressed: the image itself is the full image
    size = len(full) if image_size is None else image_size
    digest = hashlib.sha256(full).digest() if image_hash is None else image_hash
    prefix = bytes(block_bytes(key_id(key), size, digest, b""))[:0x60]
    der = key.sign(img + prefix, ec.ECDSA(hashes.SHA256()))
    return img + bytes(block_bytes(key_id(key), size, digest, der))


def flip(img, offset, bit=0):
    b = bytearray(img)
    b[offset] ^= 1 << bit
    return bytes(b)


def main():
    key = load_or_make_key("test_key.pem")
    other = load_or_make_key("other_key.pem")
    for name, k in (("test_pub.pem", key), ("other_pub.pem", other)):
        with open(os.path.join(HERE, name), "wb") as f:
            f.write(k.public_key().public_bytes(serialization.Encoding.PEM,
                                                serialization.PublicFormat.SubjectPublicKeyInfo))

    fw = bytes((i * 131 + (i >> 7)) & 0xFF for i in range(6001))
    full = full_image(fw)
    pkg = xz_package(full)
    good_full = sign(full, key)
    good_xz = sign(pkg, key, full=full)
    sig_at = len(good_full) - 256

    vectors = {}
    vectors["good_full"] = (good_full, 0, "signed full image")
    vectors["good_xz"] = (good_xz, 0, "signed xz package (image hash of the decoded full image)")
    vectors["good_slot3"] = (sign(full, key, slot=3), 0, "prikey_sel 3 (informational)")
    vectors["unsigned_full"] = (full, 801, "no signature where one is required")
    vectors["other_key"] = (sign(full, other), 804, "signed by a key that is not trusted")
    vectors["truncated_sig"] = (good_full[:-10], 101, "signature block cut short")
    vectors["trailing"] = (good_full + b"\0", 117, "a byte after the block")
    vectors["flip_header_raw"] = (flip(good_full, 0x1C), 103, "upd_no bit flipped, header CRC stale")
    vectors["flip_header_sealed"] = (reseal_header(flip(good_full, 0x1C)), 805, "upd_no bit flipped, header CRC fixed")
    vectors["flip_addr_sealed"] = (reseal_header(flip(good_full, 0x0A)), 805, "img_addr bit flipped, header CRC fixed")
    vectors["flip_flags_sealed"] = (reseal_header(flip(good_full, 0x30, 5)), 805, "skip_integrity_check set after signing")
    vectors["flip_body_raw"] = (flip(good_full, 100), 108, "body bit flipped, org_checksum stale")
    b = bytearray(flip(good_full, 100))
    struct.pack_into("<I", b, 0x18, crc(bytes(b[64:sig_at])))
    vectors["flip_body_sealed"] = (reseal_header(bytes(b)), 805, "body bit flipped, org_checksum and header CRC fixed")
    xs = len(good_xz) - 256
    b = bytearray(flip(good_xz, 64 + 40))
    struct.pack_into("<I", b, 0x18, crc(bytes(b[64:xs])))
    vectors["flip_xz_body_sealed"] = (reseal_header(bytes(b)), 805, "xz body bit flipped, CRCs fixed")
    vectors["block_magic"] = (flip(good_full, sig_at + 2), 802, "block magic broken")
    vectors["block_crc"] = (flip(good_full, sig_at + 0x12), 802, "key id bit flipped, block CRC stale")
    vectors["block_keyid_sealed"] = (reseal_block(flip(good_full, sig_at + 0x12)), 804, "key id bit flipped, block CRC fixed")
    vectors["block_size_sealed"] = (reseal_block(flip(good_full, sig_at + 0x18)), 805, "image_size bit flipped, block CRC fixed")
    vectors["block_hash_sealed"] = (reseal_block(flip(good_full, sig_at + 0x25)), 805, "image_sha256 bit flipped, block CRC fixed")
    der_len = struct.unpack_from("<H", good_full, sig_at + 0x60)[0]
    vectors["block_sig_sealed"] = (reseal_block(flip(good_full, sig_at + 0x64 + der_len - 1)), 805, "last byte of s flipped, block CRC fixed")
    vectors["block_version"] = (reseal_block(flip(good_full, sig_at + 0x08, 1)), 802, "block version 3")
    vectors["block_algorithm"] = (reseal_block(flip(good_full, sig_at + 0x0A, 1)), 803, "algorithm 3")
    vectors["block_reserved"] = (reseal_block(flip(good_full, sig_at + 0x40)), 802, "reserved byte 0x40 set")
    vectors["block_tail"] = (reseal_block(flip(good_full, sig_at + 0xF0)), 802, "reserved tail byte set")
    vectors["block_siglen"] = (reseal_block(flip(good_full, sig_at + 0x60, 7) if der_len < 128 else good_full), 802, "sig_len beyond 72")
    vectors["block_sigpad"] = (reseal_block(flip(good_full, sig_at + 0x64 + 71)) if der_len < 72 else reseal_block(flip(good_full, sig_at + 0x64 + 72)), 802, "byte after the DER set")
    # Same r, s re-encoded with a redundant leading 0x00 on s: valid numbers, not strict DER.
    der = good_full[sig_at + 0x64:sig_at + 0x64 + der_len]
    r, s = decode_dss_signature(der)
    rb = r.to_bytes(32, "big").lstrip(b"\0")
    sb = s.to_bytes(32, "big").lstrip(b"\0")
    rb = (b"\0" + rb) if rb[0] & 0x80 else rb
    sb = b"\0\0" + sb if sb[0] & 0x80 else b"\0" + sb
    bad_der = bytes([0x02, len(rb)]) + rb + bytes([0x02, len(sb)]) + sb
    bad_der = bytes([0x30, len(bad_der)]) + bad_der
    blk = bytearray(good_full[sig_at:])
    blk[0x60:0xAC] = b"\0" * 0x4C
    struct.pack_into("<H", blk, 0x60, len(bad_der))
    blk[0x64:0x64 + len(bad_der)] = bad_der
    vectors["block_der_nonminimal"] = (reseal_block(good_full[:sig_at] + bytes(blk)), 802, "s with a redundant leading 0x00")
    # A signer that bound the wrong result: the signature is valid, the image hash/size is not.
    vectors["bad_hash_full"] = (sign(full, key, image_hash=bytes(32)), 806, "signed image_sha256 is wrong")
    vectors["bad_hash_xz"] = (sign(pkg, key, full=full, image_hash=hashlib.sha256(full + b"x").digest()), 806, "signed hash of the decoded image is wrong")
    vectors["bad_size_xz"] = (sign(pkg, key, full=full, image_size=len(full) - 4), 806, "signed image_size smaller than the decoded image")
    vectors["bad_size_xz_big"] = (sign(pkg, key, full=full, image_size=len(full) + 4), 806, "signed image_size larger than the decoded image")

    for old in os.listdir(HERE):
        if old.endswith(".img") or old.endswith(".expect"):
            os.remove(os.path.join(HERE, old))
    for name, (img, err, why) in sorted(vectors.items()):
        with open(os.path.join(HERE, name + ".img"), "wb") as f:
            f.write(img)
        with open(os.path.join(HERE, name + ".expect"), "w") as f:
            f.write(f"# {why}\nerror={err}\n")
            if err == 0:
                at = len(img) - 256
                f.write(f"key_id={img[at + 0x10:at + 0x18].hex()}\n")
                f.write(f"image_size={struct.unpack_from('<I', img, at + 0x18)[0]}\n")
    print(f"{len(vectors)} signing vectors, trusted key id {key_id(key).hex()}")
    boot_vectors(key, other)


def boot_vectors(key, other):
    """boot/: packages staged on a device running boot/old.img (1.0.0, upd_no 5, default
    layout) whose bootloader trusts test_pub.pem. `error` is the staged boot's error (0 = it
    installs); on an error the old firmware must keep booting."""
    out = os.path.join(HERE, "boot")
    os.makedirs(out, exist_ok=True)
    for old in os.listdir(out):
        os.remove(os.path.join(out, old))

    def fw(n, seed):
        return bytes(((i * 7 + seed) ^ (i >> 5)) & 0xFF for i in range(n))

    def full_at(body, ver=b"2.0.0", upd_no=6, flags=0, attr=1, img_addr=0x20000, header_addr=0x1E000, img_len=None):
        body = body + b"\xff" * (-len(body) % 4)
        h = struct.pack("<8I16s3I", MAGIC, attr, img_addr, len(body) if img_len is None else img_len,
                        header_addr, 0x1E0000, crc(body), upd_no, ver.ljust(16, b"\0"), flags, 0, 0)
        return h + struct.pack("<I", crc(h)) + body

    def xz_of(full):
        inner = struct.unpack_from("<8I16s3I", full, 0)
        stream = lzma.compress(full, format=lzma.FORMAT_XZ, check=lzma.CHECK_CRC32,
                               filters=[{"id": lzma.FILTER_LZMA2, "preset": 6, "dict_size": 65536}])
        body = stream + b"\xff" * (-len(stream) % 4)
        h = struct.pack("<8I16s3I", MAGIC, inner[1] | (1 << 20), inner[2], len(body), inner[4], inner[5],
                        crc(body), inner[7], inner[8], inner[9], 0, 0)
        return h + struct.pack("<I", crc(h)) + body

    new_full = full_at(fw(9001, 3))
    new_xz = xz_of(new_full)
    good_full = sign(new_full, key)
    good_xz = sign(new_xz, key, full=new_full)
    at = len(good_full) - 256
    xat = len(good_xz) - 256
    v = {}
    v["ok_full"] = (good_full, 0, "signed full image installs")
    v["ok_xz"] = (good_xz, 0, "signed xz package installs (decoded image hash checked)")
    v["ok_same_updno"] = (sign(full_at(fw(5000, 4), ver=b"2.0.1", upd_no=5), key), 0, "upd_no equal to the counter is allowed")
    v["unsigned"] = (new_full, 801, "unsigned package on a signed device")
    v["unsigned_xz"] = (new_xz, 801, "unsigned xz package on a signed device")
    v["wrong_key"] = (sign(new_full, other), 804, "signed by an untrusted key")
    v["flip_header_raw"] = (flip(good_full, 0x21), 103, "ver bit flipped, header CRC stale")
    v["flip_header"] = (reseal_header(flip(good_full, 0x21)), 805, "ver bit flipped, header CRC fixed")
    b = bytearray(flip(good_full, 5000))
    struct.pack_into("<I", b, 0x18, crc(bytes(b[64:at])))
    v["flip_body"] = (reseal_header(bytes(b)), 805, "body bit flipped, CRCs fixed")
    v["flip_body_raw"] = (flip(good_full, 5000), 108, "body bit flipped, org_checksum stale")
    b = bytearray(flip(good_xz, 64 + 100))
    struct.pack_into("<I", b, 0x18, crc(bytes(b[64:xat])))
    v["flip_xz_body"] = (reseal_header(bytes(b)), 805, "xz body bit flipped, CRCs fixed")
    v["flip_block_raw"] = (flip(good_full, at + 0x30), 802, "image hash bit flipped, block CRC stale")
    v["flip_block_hash"] = (reseal_block(flip(good_full, at + 0x30)), 805, "image hash bit flipped, block CRC fixed")
    dl = struct.unpack_from("<H", good_full, at + 0x60)[0]
    v["flip_block_sig"] = (reseal_block(flip(good_full, at + 0x64 + dl - 2)), 805, "signature bit flipped, block CRC fixed")
    v["truncated_sig"] = (good_full[:-10], 802, "signature block cut short (the rest of staging is erased)")
    v["downgrade"] = (sign(full_at(fw(5000, 5), ver=b"2.1.0", upd_no=4), key), 503, "upd_no below the counter")
    v["downgrade_skip_flag"] = (sign(full_at(fw(5000, 5), ver=b"2.1.0", upd_no=4, flags=0x10), key), 503,
                                "upd_no below the counter with skip_upgrade_check: still refused")
    v["skip_flags"] = (sign(full_at(fw(5000, 6), ver=b"2.2.0", upd_no=7, flags=0x38), key), 0,
                       "all skip flags set and signed: installs, but the app is still checked at every boot")
    v["addr_outside"] = (sign(full_at(fw(5000, 7), img_addr=0x3F0000), key), 113, "img_addr outside every partition")
    v["addr_header"] = (sign(full_at(fw(5000, 7), header_addr=0x1F000), key), 113, "img_header_addr is not otadata")
    v["other_partition"] = (sign(full_at(fw(5000, 8), img_addr=0x2F0000), key), 113, "app image built for the deploy partition")
    v["data_to_otadata"] = (sign(full_at(fw(4096, 9), attr=2, img_addr=0x1E000), key), 113, "data image aimed at the state record")
    v["len_overflow"] = (sign(full_at(fw(5000, 10)), key)[:64], 114, "img_len 0xFFFFFFFC (header only)")
    h = bytearray(v["len_overflow"][0])
    struct.pack_into("<I", h, 12, 0xFFFFFFFC)
    v["len_overflow"] = (reseal_header(bytes(h)), 114, "img_len 0xFFFFFFFC: package larger than staging")
    # LZMA matches 96 KiB back: beyond the installer's RAM window, so the decoded image can only
    # be hashed while it is written (the installed image is checked against the block).
    rnd = b"".join(hashlib.sha256(i.to_bytes(4, "little")).digest() for i in range(96 * 1024 // 32))
    far_full = full_at(rnd * 3, ver=b"2.3.0", upd_no=8)
    stream = lzma.compress(far_full, format=lzma.FORMAT_XZ, check=lzma.CHECK_CRC32,
                           filters=[{"id": lzma.FILTER_LZMA2, "preset": 6, "dict_size": 1 << 20}])
    far_body = stream + b"\xff" * (-len(stream) % 4)
    fh = struct.pack("<8I16s3I", MAGIC, 1 | (1 << 20), 0x20000, len(far_body), 0x1E000, 0x1E0000,
                     crc(far_body), 8, b"2.3.0".ljust(16, b"\0"), 0, 0, 0)
    far_pkg = fh + struct.pack("<I", crc(fh)) + far_body
    v["ok_xz_far"] = (sign(far_pkg, key, full=far_full), 0, "signed xz whose matches reach beyond the RAM window")
    bomb_inner = full_at(bytes(0x1C0000 + 0x10000))
    v["bomb_xz"] = (sign(xz_of(bomb_inner), key, full=bomb_inner), 114,
                    "decompression bomb: 64 KiB of xz that decodes to more than the app partition")

    for name, (img, err, why) in sorted(v.items()):
        with open(os.path.join(out, name + ".img"), "wb") as f:
            f.write(img)
        with open(os.path.join(out, name + ".expect"), "w") as f:
            f.write(f"# {why}\nerror={err}\n")
    with open(os.path.join(out, "old.img"), "wb") as f:
        f.write(full_at(fw(7000, 1), ver=b"1.0.0", upd_no=5))
    print(f"{len(v)} boot vectors")


if __name__ == "__main__":
    main()
