#!/usr/bin/env python3
"""Shared test vectors: an independent Python reference (struct + zlib + lzma + hashlib) for the
image format, the ESP-IDF partition table and the OTA state record of docs/design.md.
Shares no code with the C# (OtaCore) or C (bootloader-native) implementations.
Run: python3 test-vectors/generate.py   (rewrites crc/ images/ partitions/ state/ in place)."""
import hashlib
import lzma
import os
import shutil
import struct
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
MAGIC = 0xA0FFFF9F
HDR = struct.Struct("<IIIIIIII16sIIII")  # 64 bytes, last word = hd_checksum
APP_ADDR, OTADATA_ADDR, STAGING_ADDR = 0x20000, 0x1E000, 0x1E0000


def crc(data, start=0xFFFFFFFF):
    """Our CRC-32: reflected 0xEDB88320, init 0xFFFFFFFF, no final XOR (= NOT of zlib.crc32)."""
    return zlib.crc32(data, start ^ 0xFFFFFFFF) ^ 0xFFFFFFFF


assert crc(b"123456789") == 0x340BC6D9


def out(rel, data, mode="wb"):
    path = os.path.join(HERE, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, mode) as f:
        f.write(data)


def det_bytes(n, seed):
    """Deterministic pseudo-firmware: code-like repeats mixed with noise (compresses like code)."""
    out_b = bytearray()
    x = seed * 2654435761 & 0xFFFFFFFF
    while len(out_b) < n:
        x = (x * 1103515245 + 12345) & 0xFFFFFFFF
        if x >> 30 == 0:
            out_b += bytes((x >> s) & 0xFF for s in (0, 8, 16, 24))
        else:
            out_b += struct.pack("<I", 0x40080000 + ((x >> 8) & 0xFFC))
    return bytes(out_b[:n])


def pad4(body):
    return body + b"\xFF" * (-len(body) % 4)


def header(body, ver=b"1.2.3", attr=1, upd_no=3, flags=0, reserved=0, nxt=0, magic=MAGIC,
           img_len=None, org=None, addr=APP_ADDR, hdr_addr=OTADATA_ADDR, up_addr=STAGING_ADDR,
           ver_raw=None):
    v = ver_raw if ver_raw is not None else ver.ljust(16, b"\0")
    fields = [magic, attr, addr, len(body) if img_len is None else img_len, hdr_addr, up_addr,
              crc(body) if org is None else org, upd_no, v, flags, reserved, nxt, 0]
    raw = HDR.pack(*fields)
    return raw[:60] + struct.pack("<I", crc(raw[:60]))


def expect_fields(h):
    (magic, attr, addr, ln, ha, ua, org, upd, ver, flags, _res, nxt, hd) = HDR.unpack(h)
    return [
        "magic_no=0x%08X" % magic, "img_attr=0x%08X" % attr, "img_type=%d" % (attr & 15),
        "compress_type=%d" % ((attr >> 20) & 3), "img_addr=0x%08X" % addr, "img_len=%d" % ln,
        "img_header_addr=0x%08X" % ha, "upgrade_img_addr=0x%08X" % ua, "org_checksum=0x%08X" % org,
        "upd_no=%d" % upd, "ver=%s" % ver.split(b"\0")[0].decode(), "flags=0x%08X" % flags,
        "next=%d" % nxt, "hd_checksum=0x%08X" % hd,
    ]


def image(name, data, error=0, outer_error=None, comment=None, extra=()):
    out("images/%s.img" % name, data)
    lines = []
    if comment:
        lines.append("# " + comment)
    lines.append("error=%d" % error)
    # outer_error: what header + body checks alone give (no decompression of an xz body).
    lines.append("outer_error=%d" % (error if outer_error is None else outer_error))
    if error == 0 or (outer_error == 0):
        lines += expect_fields(data[:64])
    lines += list(extra)
    out("images/%s.expect" % name, ("\n".join(lines) + "\n").encode())


def xz(data, dict_size=1 << 16):
    return lzma.compress(data, format=lzma.FORMAT_XZ, check=lzma.CHECK_CRC32,
                         filters=[{"id": lzma.FILTER_LZMA2, "preset": 6, "dict_size": dict_size}])


def full_image(body, **kw):
    body = pad4(body)
    return header(body, **kw) + body


def xz_image(full, ver=b"1.2.3", upd_no=3, flags=0, attr_extra=0):
    body = pad4(xz(full))
    return header(body, ver=ver, upd_no=upd_no, flags=flags, attr=1 | (1 << 20) | attr_extra) + body


def gen_crc():
    cases = {
        "check": b"123456789",
        "empty": b"",
        "zero64": b"\0" * 64,
        "ff64": b"\xFF" * 64,
        "pseudo1000": det_bytes(1000, 7),
    }
    for name, data in cases.items():
        out("crc/%s.bin" % name, data)
        out("crc/%s.crc" % name, ("%08X\n" % crc(data)).encode())


def gen_images():
    body = det_bytes(1024, 1)
    good = full_image(body)
    image("good_full", good, comment="1024-byte body, app, defaults")
    image("good_full_padded", full_image(det_bytes(1021, 2), ver=b"2.0.10", upd_no=7),
          comment="1021-byte body padded with 3 x 0xFF to 1024")
    image("good_flags", full_image(body, flags=0x35, attr=1 | (1 << 18) | (1 << 19), ver=b"1.0-rc.1"),
          comment="log_level 5, skip_upgrade_check, skip_integrity_check, erase_block_en, erase_always")
    image("good_data", full_image(det_bytes(512, 3), attr=2, addr=0x2F0000, ver=b"data-1"),
          comment="img_type 2 (data partition)")
    image("good_ver15", full_image(body, ver=b"123456789012345"), comment="15-character version")
    fullx = full_image(det_bytes(8192, 4), ver=b"3.1.4", upd_no=9)
    image("good_xz", xz_image(fullx, ver=b"3.1.4", upd_no=9), comment="xz body = whole full image",
          extra=["full_len=%d" % len(fullx), "full_crc=0x%08X" % crc(fullx)])
    out("images/good_xz.full", fullx)

    def bad(name, err, comment, **kw):
        image(name, full_image(body, **kw), error=err, comment=comment)

    bad("bad_magic", 102, "magic_no 0xA0FFFF9E", magic=0xA0FFFF9E)
    hc = bytearray(good)
    hc[60] ^= 1
    image("bad_header_crc", bytes(hc), error=103, comment="hd_checksum off by one bit")
    bad("bad_type_0", 104, "img_type 0", attr=0)
    bad("bad_type_3", 104, "img_type 3", attr=3)
    bad("bad_attr_encrypt", 105, "code_encrypt set", attr=1 | 0x10)
    bad("bad_attr_prikey", 105, "prikey_sel 2 without signature", attr=1 | (2 << 5))
    bad("bad_attr_gzip", 105, "gzip set", attr=1 | (1 << 16))
    bad("bad_attr_psram", 105, "psram_io set", attr=1 | (1 << 17))
    bad("bad_attr_unknown", 105, "undefined bit 9 set", attr=1 | (1 << 9))
    bad("bad_attr_high", 105, "undefined bit 31 set", attr=1 | (1 << 31))
    bad("bad_compress_2", 106, "compress_type 2", attr=1 | (2 << 20))
    bad("bad_compress_3", 106, "compress_type 3", attr=1 | (3 << 20))
    image("bad_len_zero", header(b"", img_len=0), error=107, comment="img_len 0, no body")
    image("bad_len_not4", header(body[:1022], img_len=1022) + body[:1022], error=107,
          comment="img_len 1022 (not a multiple of 4)")
    bad("bad_body_crc", 108, "org_checksum of other bytes", org=crc(body) ^ 0x00010000)
    bad("bad_ver_empty", 109, "ver empty", ver_raw=b"\0" * 16)
    bad("bad_ver_unterminated", 109, "ver has 16 characters and no NUL", ver_raw=b"1234567890123456")
    bad("bad_ver_nonprintable", 109, "ver contains 0x07", ver_raw=b"1.2\x073".ljust(16, b"\0"))
    bad("bad_ver_high", 109, "ver contains 0xC3", ver_raw=b"1.2\xc3".ljust(16, b"\0"))
    bad("bad_flags", 110, "flag bit 6 set", flags=0x40)
    bad("bad_reserved", 111, "reserved word 1", reserved=1)
    bad("bad_next", 112, "next = 0x400", nxt=0x400)
    image("trunc_header", good[:40], error=101, comment="40 bytes only")
    image("trunc_body", good[:64 + 1000], error=101, comment="body 1000 of 1024 bytes")
    image("trailing", good + b"\xFF\xFF\xFF\xFF", error=117, comment="4 bytes after the image")
    # xz packages whose inner image is wrong: outer header and body CRC are fine.
    inner = full_image(det_bytes(4096, 5), ver=b"1.2.4", upd_no=3)
    image("xz_inner_ver", xz_image(inner, ver=b"1.2.5", upd_no=3), error=116, outer_error=0,
          comment="inner ver 1.2.4, outer 1.2.5")
    image("xz_inner_updno", xz_image(inner, ver=b"1.2.4", upd_no=4), error=116, outer_error=0,
          comment="inner upd_no 3, outer 4")
    inner_addr = full_image(det_bytes(4096, 5), ver=b"1.2.4", upd_no=3, addr=0x30000)
    image("xz_inner_addr", xz_image(inner_addr, ver=b"1.2.4", upd_no=3), error=116, outer_error=0,
          comment="inner img_addr 0x30000, outer 0x20000")
    inner_x = full_image(det_bytes(4096, 5), ver=b"1.2.4", upd_no=3, attr=1 | (1 << 20))
    image("xz_inner_compressed", xz_image(inner_x, ver=b"1.2.4", upd_no=3), error=116, outer_error=0,
          comment="inner header says compress_type 1")
    ib = pad4(det_bytes(4096, 5))
    inner_bad = header(ib, ver=b"1.2.4", upd_no=3, org=crc(ib) ^ 1) + ib
    image("xz_inner_bad", xz_image(inner_bad, ver=b"1.2.4", upd_no=3), error=115, outer_error=0,
          comment="inner body CRC wrong", extra=["inner_error=108"])
    inner_tr = inner + b"\0\0\0\0"
    image("xz_inner_trailing", xz_image(inner_tr, ver=b"1.2.4", upd_no=3), error=115, outer_error=0,
          comment="inner image has 4 bytes after its body", extra=["inner_error=117"])
    # xz stream errors: body CRC recomputed over the damaged stream.
    s = bytearray(xz(inner))
    index_size = (struct.unpack("<I", s[-8:-4])[0] + 1) * 4
    s[len(s) - 12 - index_size - 1] ^= 0x55  # last byte of the block's CRC32 check field
    image("xz_bad_check", header(pad4(bytes(s)), attr=1 | (1 << 20), ver=b"1.2.4") + pad4(bytes(s)),
          error=204, outer_error=0, comment="XZ block check (CRC32) damaged")
    notxz = pad4(b"PK\x03\x04" + det_bytes(256, 6))
    image("xz_not_xz", header(notxz, attr=1 | (1 << 20)) + notxz, error=201, outer_error=0,
          comment="compressed body is not an XZ stream")


# --- partition tables ---------------------------------------------------------------------------
TYPES = {"app": 0, "data": 1}
SUBTYPES = {0: {"factory": 0, "test": 0x20, **{"ota_%d" % i: 0x10 + i for i in range(16)}},
            1: {"ota": 0, "phy": 1, "nvs": 2, "coredump": 3, "nvs_keys": 4, "efuse": 5,
                "undefined": 6, "esphttpd": 0x80, "fat": 0x81, "spiffs": 0x82, "littlefs": 0x83}}


def num(s):
    s = s.strip()
    mul = 1
    if s[-1:] in "kK":
        mul, s = 1024, s[:-1]
    elif s[-1:] in "mM":
        mul, s = 1024 * 1024, s[:-1]
    return int(s, 0) * mul


def parse_esp_csv(text):
    rows, nxt = [], 0x9000
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        f = [x.strip() for x in line.split(",")]
        t = TYPES[f[1]] if f[1] in TYPES else int(f[1], 0)
        st = SUBTYPES.get(t, {}).get(f[2], None)
        st = int(f[2], 0) if st is None else st
        align = 0x10000 if t == 0 else 0x1000
        off = num(f[3]) if f[3] else (nxt + align - 1) // align * align
        size = num(f[4])
        flags = 0
        for fl in (f[5].split(":") if len(f) > 5 and f[5] else []):
            flags |= {"encrypted": 1, "readonly": 2}[fl.strip()]
        rows.append((f[0], t, st, off, size, flags))
        nxt = off + size
    return rows


def to_binary(rows):
    b = b"".join(struct.pack("<2sBBII16sI", b"\xAA\x50", t, st, off, size, n.encode(), fl)
                 for n, t, st, off, size, fl in rows)
    b += b"\xEB\xEB" + b"\xFF" * 14 + hashlib.md5(b).digest()
    return b + b"\xFF" * (0xC00 - len(b))


def ptable(name, text, error=0, line=0, warnings=0, binary=True, fmt="esp", flash="4M"):
    out("partitions/%s.csv" % name, text.encode())
    lines = ["format=%s" % fmt, "flash_size=%s" % flash, "error=%d" % error]
    if error:
        lines.append("line=%d" % line)
    else:
        lines.append("warnings=%d" % warnings)
        rows = parse_esp_csv(text) if fmt == "esp" else parse_wm_csv(text)
        for r in rows:
            lines.append("entry=%s,0x%02X,0x%02X,0x%X,0x%X,%d" % r)
        if binary:
            out("partitions/%s.bin" % name, to_binary(rows))
            lines.append("binary=%s.bin" % name)
    out("partitions/%s.expect" % name, ("\n".join(lines) + "\n").encode())


WM_TYPES = {"app": (0, 0), "app_ota": (0, 0x10), "otadata": (1, 0), "ota_data": (1, 0), "nvs": (1, 2)}


def parse_wm_csv(text):
    rows = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        f = [x.strip() for x in line.split(",")]
        t, st = WM_TYPES.get(f[0], (1, 6))
        rows.append((f[0], t, st, num(f[1]), num(f[2]), 0))
    return rows


def gen_partitions():
    with open(os.path.join(HERE, "..", "partitions.csv")) as f:
        ptable("default", f.read())
    ptable("auto_offsets", "# empty offsets are placed after the previous entry\n"
           "nvs,data,nvs,,20K\notadata,data,ota,,8K\nphy_init,data,phy,,4K\n"
           "app,app,factory,,1792K\napp_ota,app,ota_0,,1088K\nstorage,data,spiffs,,256K,readonly\n")
    ptable("numeric", "nvs,0x01,0x02,0x9000,0x6000\notadata,1,0,0xF000,0x2000\n"
           "app,0,0,0x20000,1M\napp_ota,0x00,0x10,0x120000,0xA0000,encrypted\n")
    ptable("staging_warn", "nvs,data,nvs,0x9000,0x6000\notadata,data,ota,0xF000,0x2000\n"
           "app,app,factory,0x20000,0x100000\napp_ota,app,ota_0,0x120000,0x80000\n", warnings=1)
    base = "nvs,data,nvs,0x9000,0x6000\notadata,data,ota,0xF000,0x2000\n"
    ptable("err_syntax", base + "app,app,factory,0x20000,12Q\n", error=701, line=3)
    ptable("err_columns", "# too few columns\nnvs,data,nvs\n", error=701, line=2)
    ptable("err_type", base + "app,code,factory,0x20000,0x100000\n", error=701, line=3)
    ptable("err_subtype", base + "app,app,ota_99,0x20000,0x100000\n", error=701, line=3)
    ptable("err_flags", base + "app,app,factory,0x20000,0x100000,secret\n", error=701, line=3)
    ptable("err_name", base + "a_name_too_long_x,app,factory,0x20000,0x100000\n", error=701, line=3)
    ptable("err_align_app", base + "app,app,factory,0x21000,0x100000\napp_ota,app,ota_0,0x130000,0xA0000\n",
           error=702, line=3)
    ptable("err_align_data", "nvs,data,nvs,0x9800,0x5000\notadata,data,ota,0xF000,0x2000\n"
           "app,app,factory,0x20000,0x100000\napp_ota,app,ota_0,0x120000,0xA0000\n", error=702, line=1)
    ptable("err_overlap", base + "app,app,factory,0x20000,0x100000\napp_ota,app,ota_0,0x110000,0xA0000\n",
           error=703, line=4)
    ptable("err_missing_ota", "nvs,data,nvs,0x9000,0x6000\napp,app,factory,0x20000,0x100000\n"
           "app_ota,app,ota_0,0x120000,0xA0000\n", error=704, line=0)
    ptable("err_missing_staging", base + "app,app,factory,0x20000,0x100000\n", error=704, line=0)
    ptable("err_staging_small", base + "app,app,factory,0x20000,0x100000\napp_ota,app,ota_0,0x120000,0x60000\n",
           error=705, line=4)
    ptable("err_range", base + "app,app,factory,0x20000,0x100000\napp_ota,app,ota_0,0x3C0000,0xA0000\n",
           error=707, line=4)
    ptable("err_low", "nvs,data,nvs,0x8000,0x6000\notadata,data,ota,0xF000,0x2000\n"
           "app,app,factory,0x20000,0x100000\napp_ota,app,ota_0,0x120000,0xA0000\n", error=707, line=1)
    ptable("err_duplicate", base + "nvs,data,nvs,0x11000,0x1000\napp,app,factory,0x20000,0x100000\n"
           "app_ota,app,ota_0,0x120000,0xA0000\n", error=708, line=3)
    ptable("wm_default", "# name, offset, size, flag (WinnerMicro)\n"
           "ft,0x0,0x2000,0x0\nbootloader,0x2000,0xC000,0x0\npartition_table,0xE000,0x1000,0x0\n"
           "otadata,0xF000,0x2000,0x0\napp,0x20000,0x1C0000,0x0\napp_ota,0x1E0000,0x110000,0x0\n"
           "nvs,0x2F0000,0x10000,0x0\nuser,0x300000,0x100000,0x0\n", fmt="wm", binary=False)
    # binary-table errors (input is the .bin): bad magic in an entry, wrong MD5, no end marker
    good = bytearray(to_binary(parse_esp_csv(open(os.path.join(HERE, "..", "partitions.csv")).read())))
    bm = bytearray(good)
    bm[32] = 0xAB
    out("partitions/binerr_magic.bin", bytes(bm))
    out("partitions/binerr_magic.expect", b"format=bin\nerror=706\nentry_index=1\n")
    bd = bytearray(good)
    bd[7 * 32 + 16 + 3] ^= 1
    out("partitions/binerr_md5.bin", bytes(bd))
    out("partitions/binerr_md5.expect", b"format=bin\nerror=706\nentry_index=7\n")
    out("partitions/binerr_size.bin", bytes(good[:100]))
    out("partitions/binerr_size.expect", b"format=bin\nerror=706\nentry_index=3\n")


# --- OTA state record -----------------------------------------------------------------------------
SECTOR = 0x1000


def record(seq, state, last_error=0, staged=b"\0" * 64, installed=b"\0" * 64, max_upd=0,
           installs=0, attempts=0, flags=0, tag=b"\0" * 32):
    r = struct.pack("<IIII64s64sIIII32s60s", 0x5453544F, seq, state, last_error, staged, installed,
                    max_upd, installs, attempts, flags, tag, b"\0" * 60)
    return r + struct.pack("<I", crc(r))


SLOT = 0x400  # 4 record slots per sector (docs/design.md section 4)


def slot(rec=None, durable=(), trials=0):
    s = bytearray(b"\xFF" * SLOT)
    if rec is not None:
        s[0:0x100] = rec
    for blk in durable:
        s[0x100 + blk // 8] &= ~(1 << (blk % 8)) & 0xFF
    for i in range(trials):
        s[0x300 + i // 8] &= ~(1 << (i % 8)) & 0xFF
    return bytes(s)


def sector(rec=None, durable=(), trials=0, more=()):
    """Slot 0 = rec (the old one-record-per-sector layout); `more` fills slots 1.. (slot() bytes)."""
    s = slot(rec, durable, trials) + b"".join(more)
    return s + b"\xFF" * (SECTOR - len(s))


def state_vec(name, s0, s1, expect, comment):
    out("state/%s.bin" % name, s0 + s1)
    out("state/%s.expect" % name, ("# %s\n" % comment + "\n".join(expect) + "\n").encode())


def gen_state():
    inst = full_image(det_bytes(1024, 1))[:64]
    staged = xz_image(full_image(det_bytes(8192, 4), ver=b"3.1.4", upd_no=9), ver=b"3.1.4", upd_no=9)[:64]
    tag = hashlib.sha256(b"http://127.0.0.1:8080/fw_ota.img\n\"etag-1\"").digest()

    def fields(seq, state, last_error=0, st=b"\0" * 64, ins=b"\0" * 64, mx=0, ic=0, ia=0, fl=0,
               tg=b"\0" * 32, sector_i=0, durable=0, trials=0, slot_i=0):
        return ["valid=1", "sector=%d" % sector_i, "slot=%d" % slot_i, "seq=%d" % seq, "state=%d" % state,
                "last_error=%d" % last_error, "staged_header=" + st.hex(), "installed_header=" + ins.hex(),
                "max_upd_no=%d" % mx, "install_count=%d" % ic, "install_attempts=%d" % ia,
                "flags=%d" % fl, "source_tag=" + tg.hex(), "durable_blocks=%d" % durable,
                "trial_boots=%d" % trials]

    erased = sector()
    state_vec("erased", erased, erased, ["valid=0", "state=0"], "both sectors erased: NONE")
    r1 = record(1, 1, installed=inst, max_upd=3, installs=1)
    state_vec("confirmed_s0", sector(r1), erased,
              fields(1, 1, ins=inst, mx=3, ic=1), "one CONFIRMED record in sector 0 (as flash-image writes)")
    r2 = record(2, 2, staged=staged, installed=inst, max_upd=3, installs=1, tag=tag)
    blocks = (0, 1, 2, 5, 8, 31, 32, 4095)
    state_vec("downloading_s1", sector(r1), sector(r2, durable=blocks),
              fields(2, 2, st=staged, ins=inst, mx=3, ic=1, tg=tag, sector_i=1, durable=len(blocks))
              + ["durable_list=" + ",".join(str(b) for b in blocks), "leading_durable=3"],
              "seq 2 DOWNLOADING in sector 1 beats seq 1; bitmap has 8 durable blocks")
    r7 = record(7, 5, staged=staged, installed=staged, max_upd=9, installs=2, attempts=1)
    r6 = record(6, 4, staged=staged, installed=inst, max_upd=3, installs=1, attempts=1)
    state_vec("trial_s0", sector(r7, trials=2), sector(r6),
              fields(7, 5, st=staged, ins=staged, mx=9, ic=2, ia=1, trials=2),
              "seq 7 TRIAL in sector 0 beats seq 6 in sector 1; two trial boots counted")
    torn = bytearray(record(3, 3, staged=staged, installed=inst, max_upd=3, installs=1))
    torn[0x40] ^= 0x04
    state_vec("torn_newer", sector(bytes(torn)), sector(r2, durable=blocks),
              fields(2, 2, st=staged, ins=inst, mx=3, ic=1, tg=tag, sector_i=1, durable=len(blocks)),
              "seq 3 in sector 0 has a bad CRC (torn write): seq 2 in sector 1 stays current")
    half = bytearray(record(3, 3))
    half[0xFC:0x100] = b"\xFF\xFF\xFF\xFF"
    state_vec("crc_unwritten", sector(bytes(half)), sector(r1),
              fields(1, 1, ins=inst, mx=3, ic=1, sector_i=1),
              "sector 0 record programmed but its CRC not yet (power cut): sector 1 current")
    rf = record(4, 6, last_error=108, staged=staged, installed=inst, max_upd=3, installs=1, flags=1)
    state_vec("failed_s1", erased, sector(rf),
              fields(4, 6, last_error=108, st=staged, ins=inst, mx=3, ic=1, fl=1, sector_i=1),
              "FAILED with last_error 108 in sector 1, sector 0 erased")
    bad_state = record(9, 0)
    state_vec("bad_state", sector(bad_state), erased, ["valid=0", "state=0"],
              "CRC good but state 0 is never written: treated as invalid")
    gen_state_log(inst, staged, tag, fields)


def gen_state_log(inst, staged, tag, fields):
    """Multi-slot otadata images (the record log). `next` = sector:slot:erase of the next
    ordinary write (erase 1: the sector is erased first), `next_staged` = the same for a STAGED
    write (it must leave 2 erased slots after itself)."""
    blocks = (0, 1, 2, 6)
    c1 = record(1, 1, installed=inst, max_upd=3, installs=1)
    d2 = record(2, 2, staged=staged, installed=inst, max_upd=3, installs=1, tag=tag)
    s3 = record(3, 3, staged=staged, installed=inst, max_upd=3, installs=1, tag=tag)
    state_vec("log_s0_slot2", sector(c1, more=(slot(d2, durable=(0, 1)), slot(s3, durable=blocks))), sector(),
              fields(3, 3, st=staged, ins=inst, mx=3, ic=1, tg=tag, durable=len(blocks), slot_i=2)
              + ["durable_list=0,1,2,6", "leading_durable=3", "next=0:3:0", "next_staged=1:0:1"],
              "seq 1..3 in slots 0..2 of sector 0: slot 2 current, its own bitmap; one erased slot left")
    old = [record(n, 1, installed=inst, max_upd=3, installs=1) for n in (1, 2, 3, 4)]
    i5 = record(5, 4, staged=staged, installed=inst, max_upd=3, installs=1, attempts=1)
    torn6 = bytearray(record(6, 5, staged=b"\0" * 64, installed=staged, max_upd=9, installs=2, attempts=1))
    torn6[0x20] ^= 0x10
    t7 = record(7, 5, installed=staged, max_upd=9, installs=2, attempts=2)
    state_vec("log_torn_slot", sector(old[0], more=[slot(r) for r in old[1:]]),
              sector(i5, more=(slot(bytes(torn6)), slot(t7, trials=1))),
              fields(7, 5, ins=staged, mx=9, ic=2, ia=2, sector_i=1, slot_i=2, trials=1)
              + ["next=1:3:0", "next_staged=0:0:1"],
              "sector 1: seq 5, a torn seq 6 (passed over), seq 7 TRIAL current in slot 2; sector 0 holds seq 1..4")
    s9 = record(9, 3, staged=staged, installed=inst, max_upd=3, installs=1)
    gap = b"\xFF" * 0x200 + b"\x00" + b"\xFF" * 0x1FF  # one programmed byte (torn bitmap copy)
    state_vec("log_staged_reserve", sector(s9, more=(gap,)), sector(old[0]),
              fields(9, 3, st=staged, ins=inst, mx=3, ic=1, slot_i=0)
              + ["next=0:2:0", "next_staged=1:0:1"],
              "STAGED seq 9 in sector 0 slot 0; slot 1 has one programmed byte (passed over); a STAGED write in slot 2 would leave 1 erased slot")
    a4 = record(4, 1, installed=inst, max_upd=3, installs=1)
    b4 = record(4, 7, installed=staged, max_upd=9, installs=2)
    state_vec("log_tie", sector(c1, more=(slot(a4),)), sector(b4),
              fields(4, 1, ins=inst, mx=3, ic=1, slot_i=1) + ["next=0:2:0", "next_staged=1:0:1"],
              "equal seq 4 in sector 0 slot 1 and sector 1 slot 0 (never written so): the lowest slot, sector 0, wins")
    state_vec("log_full_s1", sector(old[0], more=[slot(r) for r in old[1:]]),
              sector(record(5, 1, installed=inst, max_upd=3, installs=1),
                     more=[slot(record(n, 1, installed=inst, max_upd=3, installs=1)) for n in (6, 7, 8)]),
              fields(8, 1, ins=inst, mx=3, ic=1, sector_i=1, slot_i=3)
              + ["next=0:0:1", "next_staged=0:0:1"],
              "all 8 slots hold records: seq 8 in sector 1 slot 3 is current; the next write erases sector 0")


def main():
    for d in ("crc", "images", "partitions", "state"):
        shutil.rmtree(os.path.join(HERE, d), ignore_errors=True)
    gen_crc()
    gen_images()
    gen_partitions()
    gen_state()


if __name__ == "__main__":
    main()
