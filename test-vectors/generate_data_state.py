#!/usr/bin/env python3
"""State records with data-partition update fields (docs/design.md section 15, issue 8): an
independent Python reference (struct, zlib) that shares no code with the C (ota_state.c) or C#
(OtaStateRecord) readers. Writes into test-vectors/data-state/ NAME.bin (both 4 KiB otadata
sectors) + NAME.expect (key=value; the current record's fields):

  data_writing_s1   seq 5 CONFIRMED in sector 1 with data_state 1 (WRITING): deploy 0x2F0000,
                    backup in staging 0x1E0000, 0x80000 bytes, CRC; seq 4 in sector 0 has none
  data_trial_s0     seq 8 TRIAL in sector 0 with data_state 2 (TRIAL), backup in staging after
                    a package (0x1F2000), two trial boots counted
  data_torn         sector 0 holds seq 9 with data fields but a torn (wrong) CRC: sector 1's
                    seq 5 record stays current
  data_reserved     seq 3 CONFIRMED, no data update, bytes 0x0D4..0x0FB nonzero (a future field):
                    readers ignore them (CRC still covers them)

Regenerate: python3 test-vectors/generate_data_state.py
"""
import os
import struct
import zlib

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data-state")
SECTOR = 0x1000


def crc(b):
    # CRC-32 of section 3: zlib's CRC without the final XOR
    return zlib.crc32(b) ^ 0xFFFFFFFF


def record(seq, state, data=(0, 0, 0, 0, 0), installed=b"\0" * 64, max_upd=0, tail=b"\0" * 40):
    r = struct.pack("<IIII64s64sIIII32s5I40s", 0x5453544F, seq, state, 0, b"\0" * 64, installed,
                    max_upd, 1, 0, 0, b"\0" * 32, *data, tail)
    assert len(r) == 0xFC
    return r + struct.pack("<I", crc(r))


def sector(rec=None, trials=0):
    s = bytearray(b"\xFF" * SECTOR)
    if rec is not None:
        s[0:0x100] = rec
    for i in range(trials):
        s[0x300 + i // 8] &= ~(1 << (i % 8)) & 0xFF
    return bytes(s)


def vec(name, s0, s1, cur_sector, seq, state, data, trials, comment):
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, name + ".bin"), "wb") as f:
        f.write(s0 + s1)
    keys = ["sector=%d" % cur_sector, "seq=%d" % seq, "state=%d" % state,
            "data_state=%d" % data[0], "data_target=0x%08X" % data[1], "data_backup_addr=0x%08X" % data[2],
            "data_backup_len=0x%08X" % data[3], "data_backup_crc=0x%08X" % data[4], "trial_boots=%d" % trials]
    with open(os.path.join(OUT, name + ".expect"), "w") as f:
        f.write("# %s\n%s\n" % (comment, "\n".join(keys)))


def main():
    backup_crc = crc(bytes(range(256)) * 2048)  # CRC of a 512 KiB backup of a 0..255 pattern
    w = (1, 0x2F0000, 0x1E0000, 0x80000, backup_crc)
    r4 = record(4, 1, max_upd=3)
    r5 = record(5, 1, data=w, max_upd=3)
    vec("data_writing_s1", sector(r4), sector(r5), 1, 5, 1, w, 0,
        "seq 5 CONFIRMED in sector 1, data update WRITING (deploy backed up into staging)")
    t = (2, 0x2F0000, 0x1F2000, 0x80000, 0x12345678)
    r8 = record(8, 5, data=t, max_upd=4)
    vec("data_trial_s0", sector(r8, trials=2), sector(r5), 0, 8, 5, t, 2,
        "seq 8 TRIAL in sector 0 with the deployment on trial too; two trial boots")
    torn = bytearray(record(9, 1, data=t))
    torn[0xC8] ^= 0x10
    vec("data_torn", sector(bytes(torn)), sector(r5), 1, 5, 1, w, 0,
        "seq 9 in sector 0 torn (CRC wrong): seq 5 in sector 1 with its WRITING data update stays current")
    r3 = record(3, 1, tail=bytes(range(1, 41)))
    vec("data_reserved", sector(r3), sector(), 0, 3, 1, (0, 0, 0, 0, 0), 0,
        "reserved bytes 0x0D4..0x0FB nonzero under a good CRC: ignored by readers")


if __name__ == "__main__":
    main()
