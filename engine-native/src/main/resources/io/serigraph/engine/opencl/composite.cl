// Serigraph compositing kernel: pixel-math version 2 (docs/pixel-math.md, "The compositing
// accumulator" and "Compositing a stack"), bit for bit the same as JavaCompositor.
//
// One work-item computes one output pixel of one token: it folds the token's layers, bottom
// first, over the background on a four-integer accumulator at scale U = 255 * 255 held in
// registers, and rounds once to premultiplied RGBA8 at the end. Products are formed in 64 bits
// (long); every division is divRound(x, d) = (x + d / 2) / d of a non-negative x.

#define U 65025
#define MODE_NORMAL 0
#define MODE_MULTIPLY 1
#define MODE_SCREEN 2
#define MODE_OVERLAY 3
#define MODE_ADD 4

// divRound(x, U) for x >= 0.
inline int div_u(long x) {
    return (int) ((x + (U / 2)) / U);
}

// divRound(x, 255) for 0 <= x <= 65662, division-free (div255 in docs/pixel-math.md).
inline int div255(int x) {
    int t = x + 128;
    return (t + (t >> 8)) >> 8;
}

inline int over_alpha(int as, int ab) {
    return as + div_u((long) ab * (U - as));
}

// One colour channel of one blend step; ao is the step's output alpha.
inline int blend_channel(int mode, int cs, int as, int cb, int ab, int ao) {
    int co;
    switch (mode) {
        case MODE_NORMAL:
            co = cs + div_u((long) cb * (U - as));
            break;
        case MODE_MULTIPLY:
            co = div_u((long) cs * (U - ab) + (long) cb * (U - as) + (long) cs * cb);
            break;
        case MODE_SCREEN:
            co = cs + cb - div_u((long) cs * cb);
            break;
        case MODE_OVERLAY: {
            long t = 2 * cb <= ab ? 2L * cs * cb : (long) as * ab - 2L * (as - cs) * (ab - cb);
            co = div_u((long) cs * (U - ab) + (long) cb * (U - as) + t);
            break;
        }
        default: // MODE_ADD
            co = min(cs + cb, U);
            break;
    }
    return min(max(co, 0), ao);
}

// Composites tokens.
//   layers:   resident layer pixels, RGBA8; layer h occupies [h * pixels, (h + 1) * pixels)
//   straight: per layer handle, 1 when the layer is STRAIGHT, 0 when PREMULTIPLIED
//   tokens:   per token (first op, end op, straight background 0xRRGGBBAA, unused)
//   ops:      per op (layer handle, blend mode ordinal, opacity 0..255, unused)
//   out:      token t's premultiplied RGBA8 at [t * pixels, (t + 1) * pixels)
// Global size: (pixels rounded up to the work-group size, number of tokens).
__kernel void composite_tokens(__global const uchar4 *layers,
                               __global const int *straight,
                               __global const int4 *tokens,
                               __global const int4 *ops,
                               const int pixels,
                               __global uchar4 *out) {
    int p = get_global_id(0);
    if (p >= pixels) {
        return;
    }
    int t = get_global_id(1);
    int4 token = tokens[t];
    uint bg = (uint) token.z;
    int bga = (int) (bg & 0xFF);
    int r = (int) (bg >> 24) * bga;
    int g = (int) ((bg >> 16) & 0xFF) * bga;
    int b = (int) ((bg >> 8) & 0xFF) * bga;
    int a = 255 * bga;
    for (int i = token.x; i < token.y; i++) {
        int4 op = ops[i];
        int o = op.z;
        uchar4 s = layers[(size_t) op.x * (size_t) pixels + (size_t) p];
        int as = (int) s.w * o;
        if (as == 0) {
            continue; // exact shortcut: a transparent source leaves the accumulator unchanged
        }
        int rs;
        int gs;
        int bs;
        if (straight[op.x]) {
            // divRound(c * a * o, 255); c * a * o <= 255^3 fits an int
            rs = ((int) s.x * as + 127) / 255;
            gs = ((int) s.y * as + 127) / 255;
            bs = ((int) s.z * as + 127) / 255;
        } else {
            rs = (int) s.x * o;
            gs = (int) s.y * o;
            bs = (int) s.z * o;
        }
        int mode = op.y;
        int ao = mode == MODE_ADD ? min(as + a, U) : over_alpha(as, a);
        r = blend_channel(mode, rs, as, r, a, ao);
        g = blend_channel(mode, gs, as, g, a, ao);
        b = blend_channel(mode, bs, as, b, a, ao);
        a = ao;
    }
    int a8 = div255(a);
    out[(size_t) t * (size_t) pixels + (size_t) p] =
            (uchar4) ((uchar) min(div255(r), a8),
                      (uchar) min(div255(g), a8),
                      (uchar) min(div255(b), a8),
                      (uchar) a8);
}
