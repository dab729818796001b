#!/usr/bin/python3
"""Writes the corpus of corrupt PNG files that PngDecoder must refuse with a clear message.

Each file is built byte by byte with the standard library only (struct, zlib), so every defect is
exactly the one named. Besides the files, the script writes manifest.tsv (file, pixel budget,
phrase the error message must contain; read by PngCorruptCorpusTest) and README.md (the same as a
table, with a description of each defect).

    /usr/bin/python3 engine-native/src/test/python/make_png_corrupt.py \
        engine-native/src/test/resources/png/corrupt
"""

import os
import random
import struct
import sys
import zlib

SIG = b"\x89PNG\r\n\x1a\n"
RNG = random.Random(15948)
CASES = []  # (name, data, budget, phrase, description)


def chunk(ctype, body, crc=None):
    if crc is None:
        crc = zlib.crc32(ctype + body)
    return struct.pack(">I", len(body)) + ctype + body + struct.pack(">I", crc & 0xFFFFFFFF)


def ihdr(w, h, depth=8, ctype=2, interlace=0, compression=0, filt=0):
    return chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, depth, ctype, compression, filt, interlace))


def iend():
    return chunk(b"IEND", b"")


def rows(w, h, bits_per_pixel, filt=0):
    """Random scanlines, each with filter byte filt."""
    rb = (w * bits_per_pixel + 7) // 8
    return b"".join(bytes([filt]) + bytes(RNG.getrandbits(8) for _ in range(rb)) for _ in range(h))


def idat(raw, level=9):
    return chunk(b"IDAT", zlib.compress(raw, level))


def plte(n):
    return chunk(b"PLTE", bytes(RNG.getrandbits(8) for _ in range(3 * n)))


def rgb8(w=8, h=8):
    return SIG + ihdr(w, h) + idat(rows(w, h, 24)) + iend()


def add(name, data, phrase, description, budget="default"):
    CASES.append((name, data, budget, phrase, description))


def with_bad_crc(data, ctype):
    """Flips the low bit of the stored CRC of the first chunk of type ctype."""
    pos = 8
    while True:
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        if data[pos + 4:pos + 8] == ctype:
            at = pos + 8 + length + 3
            return data[:at] + bytes([data[at] ^ 1]) + data[at + 1:]
        pos += 12 + length


def build():
    base = rgb8()
    # Not PNG at all.
    add("empty.png", b"", "not a PNG file", "zero-length file")
    add("text-file.png", b"Hello, I am a text file, not an image.\n", "not a PNG file",
        "a plain text file")
    add("jpeg-header.png", bytes.fromhex("ffd8ffe000104a46494600010100000100010000") + bytes(40),
        "not a PNG file", "a JPEG (JFIF) header")
    add("short-signature.png", SIG[:5], "shorter than the PNG signature",
        "the first 5 bytes of the signature only")
    add("signature-only.png", SIG, "truncated PNG", "the signature and nothing else")
    # Truncation at many offsets of a valid file.
    idat_at = 8 + 25
    for cut, where in [(20, "inside the IHDR chunk"), (33, "right after IHDR"),
                       (idat_at + 4, "inside the IDAT chunk header"),
                       (idat_at + 30, "inside the IDAT data"),
                       (len(base) - 14, "inside the IDAT CRC"),
                       (len(base) - 12, "right before IEND (IEND missing)"),
                       (len(base) - 6, "inside the IEND chunk type"),
                       (len(base) - 2, "inside the IEND CRC")]:
        phrase = "no IEND chunk" if where.startswith("right before IEND") or cut == 33 else (
            "truncated PNG")
        add("truncated-at-%d.png" % cut, base[:cut], phrase,
            "valid 8x8 RGB file cut at byte %d, %s" % (cut, where))
    # Header problems.
    add("no-ihdr.png", SIG + idat(rows(8, 8, 24)) + iend(), "first chunk must be IHDR",
        "IHDR missing: the first chunk is IDAT")
    add("ihdr-length-12.png", SIG + chunk(b"IHDR", struct.pack(">IIBBBB", 8, 8, 8, 2, 0, 0))
        + idat(rows(8, 8, 24)) + iend(), "first chunk must be IHDR of 13 bytes",
        "IHDR of 12 bytes instead of 13")
    add("duplicate-ihdr.png", SIG + ihdr(8, 8) + ihdr(8, 8) + idat(rows(8, 8, 24)) + iend(),
        "duplicate IHDR", "a second IHDR chunk")
    add("width-zero.png", SIG + ihdr(0, 8) + idat(b"\x00" * 8) + iend(),
        "invalid image size 0x8", "IHDR width 0")
    add("height-zero.png", SIG + ihdr(8, 0) + idat(b"") + iend(), "invalid image size 8x0",
        "IHDR height 0")
    add("width-2pow31.png", SIG + ihdr(1 << 31, 1) + idat(b"\x00") + iend(),
        "invalid image size 2147483648x1", "IHDR width 2^31, over the PNG limit of 2^31-1")
    huge = SIG + ihdr(100000, 100000) + idat(b"\x00" * 1000) + iend()
    add("huge-100000x100000.png", huge, "over the pixel budget of 67108864",
        "100000x100000 RGB claimed in IHDR, tiny IDAT; default budget")
    add("huge-100000x100000-small-budget.png", huge, "over the pixel budget of 4096",
        "the same file with a 4096-pixel budget", budget="4096")
    add("huge-100000x100000-no-budget.png", huge, "does not fit in one RGBA image",
        "the same file with an unlimited pixel budget: still refused before allocation",
        budget="max")
    add("over-small-budget-65x64.png", rgb8(65, 64), "over the pixel budget of 4096",
        "a valid 65x64 file with a 4096-pixel budget", budget="4096")
    add("bitdepth-3-grey.png", SIG + ihdr(8, 8, 3, 0) + idat(rows(8, 8, 3)) + iend(),
        "bit depth 3 is not allowed for colour type 0", "grey with bit depth 3")
    add("bitdepth-16-palette.png", SIG + ihdr(8, 8, 16, 3) + plte(4) + idat(rows(8, 8, 16))
        + iend(), "bit depth 16 is not allowed for colour type 3", "palette with bit depth 16")
    add("bitdepth-4-rgb.png", SIG + ihdr(8, 8, 4, 2) + idat(rows(8, 8, 12)) + iend(),
        "bit depth 4 is not allowed for colour type 2", "RGB with bit depth 4")
    add("bitdepth-2-rgba.png", SIG + ihdr(8, 8, 2, 6) + idat(rows(8, 8, 8)) + iend(),
        "bit depth 2 is not allowed for colour type 6", "RGBA with bit depth 2")
    add("colour-type-5.png", SIG + ihdr(8, 8, 8, 5) + idat(rows(8, 8, 8)) + iend(),
        "not allowed for colour type 5", "colour type 5 does not exist")
    add("compression-method-1.png", SIG + ihdr(8, 8, compression=1) + idat(rows(8, 8, 24))
        + iend(), "unknown compression (1)", "IHDR compression method 1")
    add("filter-method-1.png", SIG + ihdr(8, 8, filt=1) + idat(rows(8, 8, 24)) + iend(),
        "filter (1)", "IHDR filter method 1")
    add("interlace-method-2.png", SIG + ihdr(8, 8, interlace=2) + idat(rows(8, 8, 24)) + iend(),
        "interlace (2)", "IHDR interlace method 2")
    # Chunk structure.
    for ctype in (b"IHDR", b"IDAT", b"IEND"):
        add("bad-crc-%s.png" % ctype.decode().lower(), with_bad_crc(base, ctype),
            "bad CRC in chunk %s" % ctype.decode(), "one bit of the %s CRC flipped" % ctype.decode())
    pal = SIG + ihdr(8, 8, 8, 3) + plte(16) + idat(rows(8, 8, 8)) + iend()
    add("bad-crc-plte.png", with_bad_crc(pal, b"PLTE"), "bad CRC in chunk PLTE",
        "one bit of the PLTE CRC flipped")
    text = chunk(b"tEXt", b"Comment\x00hello")
    add("bad-crc-text.png", with_bad_crc(SIG + ihdr(8, 8) + text + idat(rows(8, 8, 24)) + iend(),
                                         b"tEXt"),
        "bad CRC in chunk tEXt", "bad CRC in an ancillary tEXt chunk")
    add("no-idat.png", SIG + ihdr(8, 8) + iend(), "no IDAT chunk", "IDAT missing")
    add("no-iend.png", SIG + ihdr(8, 8) + idat(rows(8, 8, 24)), "no IEND chunk", "IEND missing")
    comp = zlib.compress(rows(8, 8, 24))
    add("idat-not-consecutive.png", SIG + ihdr(8, 8) + chunk(b"IDAT", comp[:20]) + text
        + chunk(b"IDAT", comp[20:]) + iend(), "IDAT chunks are not consecutive",
        "a tEXt chunk between two IDAT chunks")
    add("unknown-critical-chunk.png", SIG + ihdr(8, 8) + chunk(b"BLOB", b"xyz")
        + idat(rows(8, 8, 24)) + iend(), "unknown critical chunk BLOB",
        "a critical chunk (upper-case first letter) this decoder does not know")
    add("chunk-length-over-2pow31.png", SIG + ihdr(8, 8) + struct.pack(">I", 0x80000000)
        + b"IDAT" + bytes(64), "over the limit of 2^31-1", "a chunk length of 2^31")
    add("chunk-length-past-eof.png", SIG + ihdr(8, 8) + struct.pack(">I", 5000) + b"IDAT"
        + bytes(100) + iend(), "declares 5000 data bytes", "an IDAT length past the end of file")
    add("invalid-chunk-type.png", SIG + ihdr(8, 8) + chunk(b"ID#T", b"") + idat(rows(8, 8, 24))
        + iend(), "invalid chunk type", "a chunk type with a non-letter byte")
    add("iend-length-4.png", SIG + ihdr(8, 8) + idat(rows(8, 8, 24)) + chunk(b"IEND", b"abcd"),
        "IEND chunk length must be 0", "IEND with 4 data bytes")
    # Palette and transparency.
    add("palette-missing-plte.png", SIG + ihdr(8, 8, 8, 3) + idat(rows(8, 8, 8)) + iend(),
        "PLTE chunk is missing", "palette image without PLTE")
    add("plte-length-10.png", SIG + ihdr(8, 8, 8, 3) + chunk(b"PLTE", bytes(10))
        + idat(rows(8, 8, 8)) + iend(), "PLTE length 10", "PLTE of 10 bytes, not a multiple of 3")
    add("plte-empty.png", SIG + ihdr(8, 8, 8, 3) + chunk(b"PLTE", b"") + idat(rows(8, 8, 8))
        + iend(), "PLTE length 0", "PLTE with no entries")
    add("plte-in-grey.png", SIG + ihdr(8, 8, 8, 0) + plte(4) + idat(rows(8, 8, 8)) + iend(),
        "PLTE chunk is not allowed in a greyscale image", "PLTE in a greyscale image")
    add("plte-too-long-for-depth.png", SIG + ihdr(8, 8, 1, 3) + plte(3) + idat(rows(8, 8, 1))
        + iend(), "bit depth 1 allows at most 2", "3 PLTE entries in a 1-bit palette image")
    add("plte-duplicate.png", SIG + ihdr(8, 8, 8, 3) + plte(4) + plte(4)
        + idat(bytes(9 * 8)) + iend(), "duplicate PLTE", "two PLTE chunks")
    add("plte-after-idat.png", SIG + ihdr(8, 8) + idat(rows(8, 8, 24)) + plte(4) + iend(),
        "PLTE chunk after IDAT", "a (suggested) PLTE after IDAT in an RGB image")
    index_rows = b"".join(b"\x00" + bytes([0, 1, 2, 3, 0, 1, 2, 3]) for _ in range(7))
    add("palette-index-out-of-range.png", SIG + ihdr(8, 8, 8, 3) + plte(4)
        + idat(index_rows + b"\x00" + bytes([0, 1, 2, 3, 0, 9, 2, 3])) + iend(),
        "palette index 9 out of range at pixel x=5 in row 7: PLTE has 4 entries",
        "8-bit palette of 4 entries; row 7 uses index 9")
    # 2-bit indices, all 3, with only 3 PLTE entries; pass 7 rows hold 8 pixels (2 bytes).
    add("palette-index-out-of-range-adam7.png", SIG + ihdr(8, 8, 2, 3, interlace=1) + plte(3)
        + idat(b"\x00\xff" * 11 + b"\x00\xff\xff" * 4) + iend(), "palette index 3 out of range at pixel x=0 in row 0"
        " of Adam7 pass 1", "2-bit interlaced palette of 3 entries; index 3 used")
    add("trns-longer-than-plte.png", SIG + ihdr(8, 8, 8, 3) + plte(4) + chunk(b"tRNS", bytes(5))
        + idat(bytes(9 * 8)) + iend(), "tRNS at byte offset 57 has 5 entries, more than the 4"
        " PLTE entries", "5 tRNS entries for a 4-entry PLTE")
    add("trns-before-plte.png", SIG + ihdr(8, 8, 8, 3) + chunk(b"tRNS", bytes(2)) + plte(4)
        + idat(bytes(9 * 8)) + iend(), "comes before PLTE", "tRNS before PLTE in a palette image")
    add("trns-in-rgba.png", SIG + ihdr(8, 8, 8, 6) + chunk(b"tRNS", bytes(6))
        + idat(rows(8, 8, 32)) + iend(), "tRNS chunk is not allowed for colour type 6",
        "tRNS in an RGBA image")
    add("trns-grey-length-6.png", SIG + ihdr(8, 8, 8, 0) + chunk(b"tRNS", bytes(6))
        + idat(rows(8, 8, 8)) + iend(), "tRNS length 6", "grey tRNS of 6 bytes (must be 2)")
    add("trns-rgb-length-2.png", SIG + ihdr(8, 8, 8, 2) + chunk(b"tRNS", bytes(2))
        + idat(rows(8, 8, 24)) + iend(), "tRNS length 2", "RGB tRNS of 2 bytes (must be 6)")
    add("trns-after-idat.png", SIG + ihdr(8, 8, 8, 0) + idat(rows(8, 8, 8))
        + chunk(b"tRNS", bytes(2)) + iend(), "tRNS chunk after IDAT", "tRNS after IDAT")
    # Image data.
    bad_filter = rows(8, 3, 24) + b"\x05" + bytes(24) + rows(8, 4, 24)
    add("filter-type-5.png", SIG + ihdr(8, 8) + idat(bad_filter) + iend(),
        "invalid filter type 5 in row 3", "row 3 has filter type byte 5")
    # Adam7 8x8 RGB: pass 1..7 row sizes 1+3, 1+3, 1+6, 1+6, 1+12, 1+12, 1+24 bytes.
    passes = [(1, 1), (1, 1), (2, 1), (2, 2), (4, 2), (4, 4), (8, 4)]
    raw = b""
    for p, (pw, ph) in enumerate(passes):
        for r in range(ph):
            raw += bytes([255 if (p, r) == (4, 1) else 0]) + bytes(3 * pw)
    add("filter-type-255-adam7.png", SIG + ihdr(8, 8, interlace=1) + idat(raw) + iend(),
        "invalid filter type 255 in row 1 of Adam7 pass 5 (image row 6)",
        "interlaced: row 1 of pass 5 has filter type byte 255")
    add("zlib-garbage.png", SIG + ihdr(8, 8) + chunk(b"IDAT", bytes(RNG.getrandbits(8) for _ in
                                                                  range(200))) + iend(),
        "zlib stream corrupt", "IDAT holds random bytes, not a zlib stream")
    good = zlib.compress(rows(8, 8, 24))
    add("zlib-bad-deflate-block.png", SIG + ihdr(8, 8) + chunk(b"IDAT", good[:2] + b"\xff" * 40)
        + iend(), "zlib stream corrupt", "valid zlib header followed by an invalid deflate block")
    add("zlib-bad-checksum.png", SIG + ihdr(8, 8) + chunk(b"IDAT", good[:-1] + bytes([good[-1]
                                                                                      ^ 1]))
        + iend(), "zlib stream corrupt", "the zlib Adler-32 checksum is wrong")
    # FDICT set: CMF 0x78, FLG 0xBB ((0x78 * 256 + 0xBB) % 31 == 0), then a dictionary id.
    add("zlib-preset-dictionary.png", SIG + ihdr(8, 8) + chunk(b"IDAT", b"\x78\xbb" + bytes(4)
                                                               + good[2:]) + iend(),
        "preset dictionary", "the zlib header asks for a preset dictionary")
    add("zlib-bomb.png", SIG + ihdr(8, 8) + idat(b"\x00" * (16 << 20)) + iend(),
        "too much image data", "8x8 RGB whose IDAT inflates to 16 MiB of zeros")
    add("idat-short.png", SIG + ihdr(8, 8) + idat(rows(8, 6, 24)) + iend(), "too little image data",
        "IDAT inflates to 6 of the 8 rows")
    add("idat-short-mid-row.png", SIG + ihdr(8, 8) + idat(rows(8, 8, 24)[:-5]) + iend(),
        "too little image data: the zlib stream ends", "IDAT inflates to 5 bytes fewer than needed")
    add("idat-extra-row.png", SIG + ihdr(8, 8) + idat(rows(8, 9, 24)) + iend(),
        "too much image data", "IDAT inflates to 9 rows for an 8-row image")
    add("idat-trailing-bytes.png", SIG + ihdr(8, 8) + chunk(b"IDAT", good + b"junk") + iend(),
        "follow the end of the zlib stream", "4 bytes after the end of the zlib stream")
    add("idat-trailing-chunk.png", SIG + ihdr(8, 8) + chunk(b"IDAT", good)
        + chunk(b"IDAT", b"more") + iend(), "follow the end of the zlib stream",
        "a further non-empty IDAT after the end of the zlib stream")
    co = zlib.compressobj(9)
    unterminated = co.compress(rows(8, 8, 24)) + co.flush(zlib.Z_SYNC_FLUSH)
    add("zlib-unterminated.png", SIG + ihdr(8, 8) + chunk(b"IDAT", unterminated) + iend(),
        "has no end marker", "all image data present but the zlib stream never ends")
    add("idat-cut-mid-stream.png", SIG + ihdr(8, 8) + chunk(b"IDAT", good[:len(good) // 2])
        + iend(), "too little image data: the IDAT data ends", "IDAT holds half the zlib stream")


def main():
    outdir = sys.argv[1]
    os.makedirs(outdir, exist_ok=True)
    build()
    names = [c[0] for c in CASES]
    assert len(names) == len(set(names)), "duplicate file name"
    with open(os.path.join(outdir, "manifest.tsv"), "w") as f:
        f.write("# file\tpixel budget (default, max or a number)\tphrase the message must contain\n")
        for name, data, budget, phrase, _ in CASES:
            with open(os.path.join(outdir, name), "wb") as png:
                png.write(data)
            f.write("%s\t%s\t%s\n" % (name, budget, phrase))
    with open(os.path.join(outdir, "README.md"), "w") as f:
        f.write("# Corrupt PNG corpus\n\n"
                "Every file here must make `PngDecoder.decode` throw `PngFormatException` whose\n"
                "message contains the phrase given (and no other exception type);\n"
                "`PngCorruptCorpusTest` checks exactly that from `manifest.tsv`. The files are made\n"
                "by `engine-native/src/test/python/make_png_corrupt.py` (standard library only):\n\n"
                "    /usr/bin/python3 engine-native/src/test/python/make_png_corrupt.py \\\n"
                "        engine-native/src/test/resources/png/corrupt\n\n"
                "Budget `default` is `PngDecoder.DEFAULT_MAX_PIXELS`; `max` is `Long.MAX_VALUE`.\n\n"
                "| file | defect | budget | message contains |\n|---|---|---|---|\n")
        for name, _, budget, phrase, description in CASES:
            f.write("| `%s` | %s | %s | `%s` |\n" % (name, description, budget, phrase))


if __name__ == "__main__":
    main()
