#!/usr/bin/env python3
"""RISC-V BCJ test vectors (xz filter 0x0B, issue 9): an independent Python reference encoder
that shares no code with the C decoder (bootloader-native/core/src/xz_bcj_riscv.c) or the C#
encoder (tools/ota/Xz/RiscVBcj.cs). Writes into test-vectors/bcj/:

  riscv_mix.bin       synthetic RV32/RV64 code: JAL x0/x1/x5/other rd, AUIPC+inst2 pairs
                      (matching and mismatching registers, compressed inst2), AUIPC x0 (landing
                      pads), raw words in the converted "x2" shape, 16-bit instructions, random
                      words, and a JAL in the last 8 bytes (never converted)
  riscv_mix.filtered  riscv_mix.bin after the BCJ encoder (start offset 0)
  riscv_mix.xz        stream: BCJ (no properties) + LZMA2 (dict 32 KiB), check CRC32
  riscv_mix_s4096.xz  the same with the 4-byte start-offset property 4096
  riscv_mix_sha.xz    BCJ + LZMA2, check SHA-256
  riscv_mix.img       full image of riscv_mix.bin (version 2.0.0, upd_no 1, default layout)
  riscv_mix_ota.img   its xz package with BCJ + LZMA2 (what `ota pack --bcj riscv` makes)

Python's lzma (liblzma 5.4) has no RISC-V filter, so the data is BCJ-encoded here, compressed
by liblzma as raw LZMA2, and the .xz container (header, block header with both filters, check
over the real data, index, footer) is written here. Regenerate: python3 test-vectors/generate_bcj.py
"""
import hashlib
import lzma
import os
import random
import struct
import zlib

import generate as g  # image header helpers (same folder)

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "bcj")


def sext(v, bits):
    return v - (1 << bits) if v & (1 << (bits - 1)) else v


def encode(data, start=0):
    """The RISC-V BCJ encoder, written from the filter description (xz 5.6 riscv.c comment)."""
    b = bytearray(data)
    i = 0
    while i + 8 <= len(b):
        pc = (start + i) & 0xFFFFFFFF
        if b[i] == 0xEF:  # JAL with rd bit 0 set
            rd = ((b[i + 1] & 0x0F) << 1) | 1
            if rd not in (1, 5):
                i += 2
                continue
            inst = struct.unpack_from("<I", b, i)[0]
            # J-type immediate: inst[31]=imm[20], inst[30:21]=imm[10:1], inst[20]=imm[11], inst[19:12]=imm[19:12]
            imm = (((inst >> 31) & 1) << 20) | (((inst >> 21) & 0x3FF) << 1) | (((inst >> 20) & 1) << 11) | (inst & 0xFF000)
            a = (imm + pc) & 0x1FFFFF
            b[i + 1] = (b[i + 1] & 0x0F) | (((a >> 17) & 0xF) << 4)
            b[i + 2] = (a >> 9) & 0xFF
            b[i + 3] = (a >> 1) & 0xFF
            i += 4
        elif b[i] & 0x7F == 0x17:  # AUIPC
            inst = struct.unpack_from("<I", b, i)[0]
            rd = (inst >> 7) & 31
            if rd not in (0, 2):
                inst2 = struct.unpack_from("<I", b, i + 4)[0]
                if inst2 & 3 != 3 or ((inst2 >> 15) & 31) != rd:
                    i += 6
                    continue
                addr = ((inst & 0xFFFFF000) + sext(inst2 >> 20, 12) + pc) & 0xFFFFFFFF
                struct.pack_into("<I", b, i, 0x17 | (2 << 7) | ((inst2 & 0xFFFFF) << 12))
                struct.pack_into(">I", b, i + 4, addr)
            else:
                rs1 = inst >> 27
                if rd != 2 or (inst >> 12) & 3 != 3 or rs1 in (0, 2):
                    i += 4
                    continue
                fake = struct.unpack_from("<I", b, i + 4)[0]
                struct.pack_into("<I", b, i, 0x17 | (rs1 << 7) | (fake & 0xFFFFF000))
                struct.pack_into("<I", b, i + 4, ((inst >> 12) | (fake << 20)) & 0xFFFFFFFF)
            i += 8
        else:
            i += 2
    return bytes(b)


def jal(rd, off):
    off &= 0x1FFFFF
    imm = (((off >> 20) & 1) << 31) | (((off >> 1) & 0x3FF) << 21) | (((off >> 11) & 1) << 20) | (off & 0xFF000)
    return struct.pack("<I", imm | (rd << 7) | 0x6F)


def auipc(rd, imm20):
    return struct.pack("<I", ((imm20 & 0xFFFFF) << 12) | (rd << 7) | 0x17)


def itype(opcode, rd, funct3, rs1, imm12):
    return struct.pack("<I", ((imm12 & 0xFFF) << 20) | (rs1 << 15) | (funct3 << 12) | (rd << 7) | opcode)


def synthetic(size, seed=9):
    r = random.Random(seed)
    out = bytearray()
    funcs = [r.randrange(-0x40000, 0x40000) * 2 for _ in range(40)]
    while len(out) < size - 8:
        k = r.randrange(14)
        reg = r.choice([1, 5, 6, 10, 11, 15, 28])
        if k == 0:
            out += jal(r.choice([1, 1, 5]), funcs[r.randrange(len(funcs))] - len(out))
        elif k == 1:
            out += jal(r.choice([0, 3, 8]), r.randrange(-4096, 4096) * 2)
        elif k in (2, 3):  # AUIPC + JALR / ADDI / LD with rd == rs1
            target = funcs[r.randrange(len(funcs))] * 37 - len(out)
            hi = (target + 0x800) >> 12
            lo = target - (hi << 12)
            out += auipc(reg, hi)
            out += itype(r.choice([0x67, 0x13, 0x03]), r.choice([reg, 10, 0]), r.choice([0, 3]), reg, lo)
        elif k == 4:  # AUIPC + inst2 with another rs1 (not a pair)
            out += auipc(reg, r.randrange(1 << 20)) + itype(0x13, 10, 0, 12 if reg != 12 else 13, 5)
        elif k == 5:  # AUIPC + compressed inst2 (not a pair)
            out += auipc(reg, r.randrange(1 << 20)) + struct.pack("<HH", 0x4501, 0x8082)
        elif k == 6:  # landing pad (AUIPC x0) + ADDI from x0
            out += auipc(0, r.randrange(1 << 20)) + itype(0x13, 15, 0, 0, 234)
        elif k == 7:  # raw data in the stored shape (x2, bits 13:12 = 11, bits 31:27 not x0/x2)
            out += struct.pack("<I", 0x3117 | (r.randrange(1 << 18) << 14) | (r.choice([1, 3, 9, 31]) << 27))
            out += struct.pack("<I", r.randrange(1 << 32))
        elif k == 8:  # AUIPC x2 not in the stored shape
            out += struct.pack("<I", 0x0117 | (r.randrange(1 << 20) << 12) & ~0x3000)
        elif k in (9, 10):  # 16-bit instructions
            out += struct.pack("<H", r.randrange(1 << 16) & ~3 | r.randrange(3))
        elif k == 11:
            out += struct.pack("<I", r.randrange(1 << 32))
        elif k == 12:  # odd-aligned code after a 16-bit instruction
            out += struct.pack("<H", 0x0001) + jal(1, funcs[0] - len(out))
        else:
            out += bytes(r.randrange(4) for _ in range(r.randrange(1, 9)))
    out = out[: size - 8]
    out += jal(1, 2048) + b"\x13\x00\x00\x00"  # a JAL in the last 8 bytes: never converted
    return bytes(out)


def vli(v):
    o = bytearray()
    while v >= 0x80:
        o.append(v & 0x7F | 0x80)
        v >>= 7
    o.append(v)
    return bytes(o)


def bcj_xz(raw, start, check):
    """xz stream BCJ -> LZMA2 of raw, container written here around liblzma's raw LZMA2 data."""
    filt = encode(raw, start)
    lz = lzma.compress(filt, format=lzma.FORMAT_RAW,
                       filters=[{"id": lzma.FILTER_LZMA2, "preset": 9 | lzma.PRESET_EXTREME, "dict_size": 32768}])
    flags = bytes([0, check])
    out = bytearray(b"\xfd7zXZ\x00" + flags + struct.pack("<I", zlib.crc32(flags)))
    props = struct.pack("<I", start) if start else b""
    # block header: size, flags (2 filters), BCJ (0x0B, props), LZMA2 (0x21, 1 byte: dict 32 KiB = 6)
    hdr = bytearray([0, 0x01, 0x0B]) + vli(len(props)) + props + bytes([0x21, 0x01, 6])
    while (len(hdr) + 4) % 4:
        hdr.append(0)
    hdr[0] = (len(hdr) + 4) // 4 - 1
    hdr += struct.pack("<I", zlib.crc32(bytes(hdr)))
    out += hdr + lz + bytes((4 - len(lz) % 4) % 4)
    out += struct.pack("<I", zlib.crc32(raw)) if check == lzma.CHECK_CRC32 else hashlib.sha256(raw).digest()
    unpadded = len(hdr) + len(lz) + (4 if check == lzma.CHECK_CRC32 else 32)
    index = bytearray(b"\x00" + vli(1) + vli(unpadded) + vli(len(raw)))
    index += bytes((4 - len(index) % 4) % 4)
    index += struct.pack("<I", zlib.crc32(bytes(index)))
    out += index
    tail = struct.pack("<I", len(index) // 4 - 1) + flags
    out += struct.pack("<I", zlib.crc32(tail)) + tail + b"YZ"
    return bytes(out)


def main():
    os.makedirs(OUT, exist_ok=True)
    raw = synthetic(20000)
    files = {
        "riscv_mix.bin": raw,
        "riscv_mix.filtered": encode(raw),
        "riscv_mix.xz": bcj_xz(raw, 0, lzma.CHECK_CRC32),
        "riscv_mix_s4096.xz": bcj_xz(raw, 4096, lzma.CHECK_CRC32),
        "riscv_mix_sha.xz": bcj_xz(raw, 0, lzma.CHECK_SHA256),
    }
    # an update package (default layout, version 2.0.0, upd_no 1) whose xz body uses the filter
    full = g.full_image(raw, ver=b"2.0.0", upd_no=1)
    body = g.pad4(bcj_xz(full, 0, lzma.CHECK_CRC32))
    files["riscv_mix.img"] = full
    files["riscv_mix_ota.img"] = g.header(body, ver=b"2.0.0", upd_no=1, attr=1 | (1 << 20)) + body
    assert files["riscv_mix.filtered"] != raw
    for name, data in files.items():
        with open(os.path.join(OUT, name), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main()
