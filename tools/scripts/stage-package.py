"""Stages a package in a flash file as OtaCore's commit leaves it (the suites' device state before
an install boot): the package programmed at the start of staging and a STAGED record (seq 2, the
package's header) in otadata sector 1, on top of the seq-1 record `ota flash-image` wrote in sector
0. Default layout (partitions.csv).  Usage: stage-package.py FLASH PACKAGE"""
import struct, sys, zlib
crc = lambda d: zlib.crc32(bytes(d)) ^ 0xFFFFFFFF
flash, pkg = bytearray(open(sys.argv[1], "rb").read()), open(sys.argv[2], "rb").read()
STAGING, OTADATA = 0x1E0000, 0x1E000              # the default layout (partitions.csv)
n = (len(pkg) + 4095) & ~4095
flash[STAGING:STAGING + n] = pkg + b"\xFF" * (n - len(pkg))
rec = bytearray(flash[OTADATA:OTADATA + 0xFC])    # flash-image wrote seq 1 in sector 0
struct.pack_into("<III", rec, 4, 2, 3, 0)        # seq 2, STAGED, last_error 0
rec[0x10:0x50] = pkg[:64]
rec += struct.pack("<I", crc(rec))
sec = bytearray(b"\xFF" * 4096); sec[:0x100] = rec
flash[OTADATA + 4096:OTADATA + 8192] = sec
open(sys.argv[1], "wb").write(flash)
