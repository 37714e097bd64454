#!/usr/bin/python3
"""Writes the seed corpus of the multipart reader fuzzer into argv[1] (tests/fuzz/seeds holds its
output, files multipart_*). Each seed starts with the selector byte: the low 7 bits choose the
chunking, the top bit makes the reader learn the boundary from the body instead of being given
"b0undary".
"""
import os
import sys

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
B = b"b0undary"


def put(name, selector, data):
    with open(os.path.join(out, "multipart_" + name), "wb") as f:
        f.write(bytes([selector]) + data)


def part(body, headers=b"Content-Type: application/dicom\r\n"):
    return b"--" + B + b"\r\n" + headers + b"\r\n" + body + b"\r\n"


dicom = b"\0" * 128 + b"DICM" + b"\x02\x00\x10\x00UI\x14\x001.2.840.10008.1.2.1\0"
put("two_parts", 3, b"preamble\r\n" + part(dicom) + part(b"\r\n--b0undar") + b"--" + B + b"--\r\n")
put("content_length", 17, part(dicom, b"Content-Length: %d\r\n" % len(dicom)) + b"--" + B + b"--")
put("no_headers", 5, part(b"x", b"") + b"--" + B + b"--\r\nepilogue")
put("padding", 9, b"--" + B + b" \t\r\n\r\nbody\r\n--" + B + b"--")
put("truncated", 2, part(dicom)[:-7])
put("learnt", 0x80 | 7, part(dicom) + b"--" + B + b"--\r\n")
put("bad_length", 4, part(b"abc", b"Content-Length: 2\r\n") + b"--" + B + b"--")
