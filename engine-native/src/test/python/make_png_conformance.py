#!/usr/bin/python3
"""Writes the PNG decoder conformance set with an independent encoder (pypng).

Every colour type x every allowed bit depth x {non-interlaced, Adam7} x several sizes, plus
tRNS variants (palette alpha, grey key, RGB key with 16-bit near misses) and a set whose scanlines
are re-filtered with every filter type (pypng itself writes filter type 0 only) and split over many
small IDAT chunks.

For each NAME.png the script writes NAME.txt: the first line is "WIDTH HEIGHT DEPTH", then one line
per image row holding R G B A for each pixel, straight (not premultiplied), at full sample precision
(0 .. 2^DEPTH - 1). The values come from the samples fed to the encoder, never from decoding: a
grey sample v is "v v v max", a pixel matching the tRNS colour key has alpha 0, a palette index is
its PLTE entry (DEPTH 8) with its tRNS alpha. manifest.txt lists the PNG names.

Run with Debian's pypng (apt-get install python3-png):
    /usr/bin/python3 engine-native/src/test/python/make_png_conformance.py \
        engine-native/src/test/resources/png/conformance
"""

import os
import random
import struct
import sys
import zlib

import png

COMBOS = [
    ("g", 1), ("g", 2), ("g", 4), ("g", 8), ("g", 16),
    ("rgb", 8), ("rgb", 16),
    ("p", 1), ("p", 2), ("p", 4), ("p", 8),
    ("ga", 8), ("ga", 16),
    ("rgba", 8), ("rgba", 16),
]
CHANNELS = {"g": 1, "rgb": 3, "p": 1, "ga": 2, "rgba": 4}
SIZES = [(13, 11), (7, 5), (1, 1), (9, 2), (2, 9)]
ADAM7 = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2),
         (0, 1, 1, 2)]


class Image:
    """Samples to encode plus the expected straight RGBA."""

    def __init__(self, kind, depth, width, height):
        self.kind, self.depth, self.width, self.height = kind, depth, width, height
        self.rows = []  # flat sample rows as fed to pypng
        self.expected = []  # rows of (r, g, b, a) tuples
        self.exp_depth = 8 if kind == "p" else depth
        self.palette = None
        self.transparent = None


def make_image(kind, depth, width, height, seed, transparency=False):
    rng = random.Random(seed)
    img = Image(kind, depth, width, height)
    top = (1 << depth) - 1
    if kind == "p":
        size = min(1 << depth, 200)
        entries = [(rng.getrandbits(8), rng.getrandbits(8), rng.getrandbits(8)) for _ in range(size)]
        alphas = [255] * size
        if transparency:
            # pypng writes a tRNS entry for each leading RGBA entry: a tRNS shorter than PLTE.
            count = max(1, size // 2)
            for i in range(count):
                alphas[i] = rng.choice([0, 255, rng.getrandbits(8)])
            img.palette = [entries[i] + (alphas[i],) for i in range(count)] + entries[count:]
        else:
            img.palette = entries
        for _ in range(height):
            row = [rng.randrange(size) for _ in range(width)]
            img.rows.append(row)
            img.expected.append([entries[i] + (alphas[i],) for i in row])
        return img
    key = None
    if transparency:
        if kind == "g":
            key = {1: 1, 2: 2, 4: 9, 8: 77, 16: 0x1234}[depth]
            img.transparent = key
        else:
            key = (0x1000, 0x2000, 0x3000) if depth == 16 else (10, 20, 30)
            img.transparent = key
    for y in range(height):
        row, exp = [], []
        for x in range(width):
            s = [rng.getrandbits(depth) for _ in range(CHANNELS[kind])]
            if key is not None:
                pick = rng.randrange(4)
                if kind == "g":
                    near = [key, key, key ^ 1, key ^ 0x100 if depth == 16 else key ^ 1][pick]
                    s = [near]
                else:
                    if pick < 2:
                        s = list(key)
                    elif pick == 2:
                        s = [key[0], key[1], key[2] ^ 1]
                    else:
                        s = [key[0] ^ (0x100 if depth == 16 else 2), key[1], key[2]]
            row.extend(s)
            if kind == "g":
                a = 0 if s[0] == key else top
                exp.append((s[0], s[0], s[0], a))
            elif kind == "rgb":
                a = 0 if key is not None and tuple(s) == key else top
                exp.append((s[0], s[1], s[2], a))
            elif kind == "ga":
                exp.append((s[0], s[0], s[0], s[1]))
            else:
                exp.append(tuple(s))
        img.rows.append(row)
        img.expected.append(exp)
    return img


def encode(img, interlace, gamma=None):
    kw = dict(bitdepth=img.depth, interlace=interlace, compression=9)
    if img.kind == "p":
        kw["palette"] = img.palette
    else:
        kw["greyscale"] = img.kind in ("g", "ga")
        kw["alpha"] = img.kind in ("ga", "rgba")
    if img.transparent is not None:
        kw["transparent"] = img.transparent
    if gamma is not None:
        kw["gamma"] = gamma
    writer = png.Writer(img.width, img.height, **kw)
    out = []

    class Sink:
        def write(self, b):
            out.append(bytes(b))

    writer.write(Sink(), img.rows)
    return b"".join(out)


def parse_chunks(data):
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, chunks = 8, []
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        chunks.append((data[pos + 4:pos + 8], data[pos + 8:pos + 8 + length]))
        pos += 12 + length
    return chunks


def chunk(ctype, body):
    return struct.pack(">I", len(body)) + ctype + body + struct.pack(">I", zlib.crc32(ctype + body))


def filter_line(ftype, line, prev, bpp):
    out = bytearray(len(line))
    for i, x in enumerate(line):
        a = line[i - bpp] if i >= bpp else 0
        b = prev[i]
        c = prev[i - bpp] if i >= bpp else 0
        if ftype == 0:
            pred = 0
        elif ftype == 1:
            pred = a
        elif ftype == 2:
            pred = b
        elif ftype == 3:
            pred = (a + b) // 2
        else:
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
        out[i] = (x - pred) & 0xFF
    return bytes(out)


def refilter(data, img, interlace, idat_size):
    """Re-filters pypng's scanlines with filter types 0,1,2,3,4,0,... and splits IDAT."""
    chunks = parse_chunks(data)
    raw = zlib.decompress(b"".join(body for t, body in chunks if t == b"IDAT"))
    bits = CHANNELS[img.kind] * img.depth
    bpp = max(1, bits // 8)
    passes = ADAM7 if interlace else [(0, 0, 1, 1)]
    out, pos, count = bytearray(), 0, 0
    for x0, y0, dx, dy in passes:
        pw = max(0, (img.width - x0 + dx - 1) // dx)
        ph = max(0, (img.height - y0 + dy - 1) // dy)
        if pw == 0 or ph == 0:
            continue
        rb = (pw * bits + 7) // 8
        prev = bytes(rb)
        for _ in range(ph):
            assert raw[pos] == 0, "pypng wrote a filter other than 0"
            line = raw[pos + 1:pos + 1 + rb]
            pos += 1 + rb
            ftype = count % 5
            count += 1
            out.append(ftype)
            out += filter_line(ftype, line, prev, bpp)
            prev = line
    assert pos == len(raw)
    comp = zlib.compress(bytes(out), 9)
    result = bytearray(data[:8])
    done = False
    for t, body in chunks:
        if t == b"IDAT":
            if not done:
                for i in range(0, len(comp), idat_size):
                    result += chunk(b"IDAT", comp[i:i + idat_size])
                done = True
        else:
            result += chunk(t, body)
    return bytes(result)


def write(outdir, name, data, img, names):
    with open(os.path.join(outdir, name + ".png"), "wb") as f:
        f.write(data)
    with open(os.path.join(outdir, name + ".txt"), "w") as f:
        f.write("%d %d %d\n" % (img.width, img.height, img.exp_depth))
        for row in img.expected:
            f.write(" ".join("%d %d %d %d" % p for p in row) + "\n")
    names.append(name + ".png")


def main():
    outdir = sys.argv[1]
    os.makedirs(outdir, exist_ok=True)
    names = []
    seed = 1
    for kind, depth in COMBOS:
        for interlace in (False, True):
            tag = "%s%d-%s" % (kind, depth, "adam7" if interlace else "flat")
            for w, h in SIZES:
                seed += 1
                img = make_image(kind, depth, w, h, seed)
                gamma = 0.45455 if (w, h) == (13, 11) else None
                write(outdir, "%s-%dx%d" % (tag, w, h), encode(img, interlace, gamma), img, names)
            seed += 1
            img = make_image(kind, depth, 13, 11, seed)
            data = refilter(encode(img, interlace), img, interlace, 16)
            write(outdir, "%s-13x11-filters" % tag, data, img, names)
            if kind in ("g", "rgb", "p"):
                seed += 1
                img = make_image(kind, depth, 13, 11, seed, transparency=True)
                write(outdir, "%s-13x11-trns" % tag, encode(img, interlace), img, names)
    with open(os.path.join(outdir, "manifest.txt"), "w") as f:
        f.write("\n".join(names) + "\n")


if __name__ == "__main__":
    main()
