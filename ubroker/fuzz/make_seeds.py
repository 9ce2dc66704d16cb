#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Write the fuzzers' seed corpora: records laid out as
kmod/include/uapi/linux/vigil.h says.  Run again after an ABI change."""
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
FORK, EXEC, EXIT, AUTH_EXEC, AUTH_OPEN, WATCHDOG = 1, 2, 3, 4, 5, 6
EXE, FILENAME, ARGV, PATH = 1, 2, 3, 4
CRED, MODULE_LOAD, MOUNT, NET_CONNECT, NET_BIND, FILE_RENAME = 7, 10, 12, 14, 15, 22
NEW_PATH, NAME, SOURCE, FSTYPE, LOCAL_PATH = 5, 7, 8, 9, 10
ABSTRACT = 1 << 3
BUSY = 1 << 31


def pad8(b):
    return b + b"\0" * (-len(b) % 8)


def record(rtype, fixed, fields, seq=1, flags=0):
    hdr_len = 32 + len(fixed)
    body = b"".join(pad8(struct.pack("<HHI", t, f, 8 + len(d)) + d)
                    for t, f, d in fields)
    total = len(pad8(b"\0" * hdr_len)) + len(body)
    head = struct.pack("<IHHIIQQ", total, 1, hdr_len, rtype, flags, seq, 123456)
    return pad8(head + fixed) + body


PROC = struct.pack("<8IQ", 42, 42, 1, 1000, 100, 1000, 100, 0, 555)
EXEC_FIXED = PROC + struct.pack("<IIIIQ", 42, 2, 2049, 0, 131)
RECORDS = {
    "exec": record(EXEC, EXEC_FIXED, [(EXE, 0, b"/usr/bin/ls\0"),
                                      (FILENAME, 4, b"/bin/ls\0"),
                                      (ARGV, 0, b"ls\0-l\0")]),
    "exec_truncated": record(EXEC, EXEC_FIXED, [(EXE, 3, b"\0"),
                                                (ARGV, 1, b"a" * 40 + b"\0")],
                             flags=1),
    "fork": record(FORK, PROC + struct.pack("<II", 43, 43), []),
    "exit": record(EXIT, PROC + struct.pack("<II", 768, 1), []),
    "unknown": record(99, b"\0" * 16, [(7, 0, b"x\0")]),
    "auth_exec": record(AUTH_EXEC, struct.pack("<QQ", 9, 5000) + PROC +
                        struct.pack("<IIIIQ", 2, 1, 2049, 0, 77),
                        [(EXE, 0, b"/bin/busybox\0"), (FILENAME, 0, b"/tmp/s\0"),
                         (ARGV, 0, b"/bin/sh\0/tmp/s\0")]),
    "auth_open": record(AUTH_OPEN, struct.pack("<QQ", 10, 6000) + PROC +
                        struct.pack("<IIIIQ", 0o1101, 3, 2049, 0, 78),
                        [(PATH, 0, b"/tmp/f\0")]),
    "watchdog": record(WATCHDOG, struct.pack("<IIIIQ", 2, 2, 1, 0, 999), []),
}
# The catalogue's (ABI 1.3): the actor is the process block and a cgroup id.
ACTOR = PROC + struct.pack("<Q", 9001)
MV = (EXE, 0, b"/usr/bin/mv\0")
IDS = struct.pack("<8I", *([1000] * 8))
RECORDS.update({
    "cred": record(CRED, ACTOR + IDS + struct.pack("<8I", *([0] * 8)) +
                   struct.pack("<8Q", 0, 0, 0, 0, 1 << 21, 1 << 21, 0, 0) +
                   struct.pack("<II", 5, 0), [MV]),
    "module_load": record(MODULE_LOAD, ACTOR + struct.pack("<II", 4096, 0),
                          [MV, (NAME, 0, b"evil\0")]),
    "mount": record(MOUNT, ACTOR + struct.pack("<Q", 4096),
                    [MV, (SOURCE, 0, b"/dev/sda1\0"), (PATH, 0, b"/mnt\0"),
                     (FSTYPE, 0, b"ext4\0")]),
    "net_connect": record(NET_CONNECT, ACTOR + struct.pack("<HHHHII", 2, 1, 6, 0, 0, 0) +
                          struct.pack("<HHI16s", 2, 0, 0, b"") +
                          struct.pack("<HHI16s", 2, 443, 0, bytes([192, 0, 2, 7])), [MV]),
    "net_bind_unix": record(NET_BIND, ACTOR + struct.pack("<HHHHII", 1, 2, 0, 0, 0, 0) +
                            struct.pack("<HHI16s", 1, 0, 0, b"") * 2,
                            [MV, (LOCAL_PATH, ABSTRACT, b"@bus\0")]),
    "file_rename": record(FILE_RENAME, ACTOR + struct.pack("<6IQ", 1, 0o100644, 1000,
                                                           100, 2049, 0, 4242),
                          [MV, (PATH, 0, b"/etc/a\0"), (NEW_PATH, 0, b"/etc/b\0")]),
})
# The shim's report of an AUTH decision not the broker's (ABI 1.4).
AUTH_FALLBACK = 26
RECORDS["auth_fallback"] = record(AUTH_FALLBACK, ACTOR + struct.pack("<IIIIQ", AUTH_EXEC, 1,
                                                                  1, 0, 12),
                                  [(EXE, 0, b"/bin/sh\0"), (PATH, 0, b"/tmp/x\0")])
# A source's report (ABI 1.4): uid, produced, dropped per cause.
SOURCE = 27
RECORDS["source"] = record(SOURCE, struct.pack("<IIQ", 1000, 0, 2000) +
                           struct.pack("<16Q", 0, 0, 0, 0, 0, 1830, *([0] * 10)), [])


def write(corpus, name, data):
    os.makedirs(os.path.join(HERE, "corpus", corpus), exist_ok=True)
    with open(os.path.join(HERE, "corpus", corpus, name + ".bin"), "wb") as f:
        f.write(data)


def ring_entry(rec, bits=0):
    return struct.pack("<II", len(rec) | bits, 0) + rec


for name, rec in RECORDS.items():
    write("fuzz_event", name, rec)
    write("fuzz_message", name, rec)
data = b"".join(ring_entry(RECORDS[n]) for n in ("fork", "exec", "exit"))
write("fuzz_ring", "three_records", struct.pack("<QQ", 0, len(data)) + data)
busy = ring_entry(RECORDS["exec"], BUSY)
write("fuzz_ring", "busy", struct.pack("<QQ", 0, len(busy)) + busy)


# Client protocol frames (ubroker/common/proto.h): header, then payload.
def frame(mtype, payload, seq=1):
    return struct.pack("<IHHII", 16 + len(payload), 1, mtype, seq, 0) + payload


HELLO = frame(1, struct.pack("<II", 1, 0) + b"acme-av".ljust(32, b"\0"))
SUBSCRIBE = frame(2, struct.pack("<Q", (1 << AUTH_EXEC) | (1 << EXEC)), 2)
RESPOND = frame(3, struct.pack("<II", 2, 0) + struct.pack("<QII", 9, 1, 1) +
                struct.pack("<QII", 10, 2, 0), 3)
MUTE = frame(4, struct.pack("<IIQII", 3, 0, 0, 0, 5) + b"/tmp\0", 4)
write("fuzz_frame", "session", HELLO + SUBSCRIBE + RESPOND + MUTE + frame(5, b"", 5))
write("fuzz_frame", "welcome", frame(32, struct.pack("<IIQII", 1, 250, 1 << 20, 1, 2)) +
      frame(33, struct.pack("<iI", -22, 0)) +
      frame(35, struct.pack("<II", 1, 1) + b"slow".ljust(32, b"\0")))
# vigilctl's requests and the broker's replies to them.
CLIENT_INFO = (struct.pack("<IIIIQQII", 3, 100, 0, 1, 1 << AUTH_EXEC, 5000, 0, 250) +
               b"guard".ljust(32, b"\0") + struct.pack("<6QII", 1, 0, 1, 1, 0, 0, 0, 0))
write("fuzz_frame", "admin", frame(6, b"", 6) + frame(7, struct.pack("<II", 0, 0), 7) +
      frame(36, b"\0" * 8 + struct.pack("<IIII", 1, 2, 1, 16) + b"\0" * (536 - 24), 6) +
      frame(37, struct.pack("<II", 1, 1) + CLIENT_INFO, 7))


# A client's ring (ubroker/common/client_ring.h), as fuzz_client_ring
# takes it: producer and start positions, then the data area.
def cring_entry(rec):
    return struct.pack("<II", len(rec), 0) + pad8(rec)


RING = cring_entry(RECORDS["exec"]) + cring_entry(RECORDS["fork"])
write("fuzz_client_ring", "two_records", struct.pack("<QQ", len(RING), 0) + RING)
