// Serigraph compositing kernel: pixel-math version 2 (docs/pixel-math.md, "The compositing
// accumulator" and "Compositing a stack"), bit for bit the same as JavaCompositor.
//
// One work-item computes one output pixel of one token: it folds the token's layers, bottom
// first, over the background on a four-integer accumulator at scale U = 255 * 255 held in
// registers, and rounds once to premultiplied RGBA8 at the end. Every division is
// divRound(x, d) = (x + d / 2) / d of a non-negative x.
//
// Bounds that let normal, screen and every alpha use 32-bit unsigned arithmetic, for any input
// bytes: a source alpha as = a * o and every accumulator alpha are in 0..U; a source colour cs is
// (c * as + 127) / 255 <= as (straight) or p * o <= U (premultiplied); an accumulator colour is
// clamped to 0..its alpha. So x * (U - y) and x * y with x, y in 0..U are at most U^2, and
// U^2 + U / 2 = 4228283137 < 2^32. Multiply and overlay sum several such products, so they use
// 64 bits (long) as docs/pixel-math.md writes them.

#define U 65025
#define MODE_NORMAL 0
#define MODE_MULTIPLY 1
#define MODE_SCREEN 2
#define MODE_OVERLAY 3
#define MODE_ADD 4

// divRound(x, U) for 0 <= x <= U^2.
inline int div_u32(uint x) {
    return (int) ((x + (U / 2)) / U);
}

// divRound(x, U) for x >= 0.
inline int div_u(long x) {
    return (int) ((x + (U / 2)) / U);
}

// divRound(x, 255) for 0 <= x <= 65662, division-free (div255 in docs/pixel-math.md).
inline int div255(int x) {
    int t = x + 128;
    return (t + (t >> 8)) >> 8;
}

// The last step of every mode: a colour clamped to 0..ao.
inline int clamp_colour(int co, int ao) {
    return min(max(co, 0), ao);
}

inline int multiply(int cs, int as, int cb, int ab) {
    return div_u((long) cs * (U - ab) + (long) cb * (U - as) + (long) cs * cb);
}

inline int overlay(int cs, int as, int cb, int ab) {
    long t = 2 * cb <= ab ? 2L * cs * cb : (long) as * ab - 2L * (as - cs) * (ab - cb);
    return div_u((long) cs * (U - ab) + (long) cb * (U - as) + t);
}

// Composites tokens.
//   layers:   resident layer pixels, RGBA8; layer h occupies [h * pixels, (h + 1) * pixels)
//   straight: per layer handle, 1 when the layer is STRAIGHT, 0 when PREMULTIPLIED
//   tokens:   per token (first op, end op, straight background 0xRRGGBBAA, unused)
//   ops:      per op (layer handle, blend mode ordinal, opacity 0..255, unused)
//   out:      token t's premultiplied RGBA8 at [t * pixels, (t + 1) * pixels)
//   spans:    per layer handle and row, the columns [first, end) outside which the layer's alpha
//             is 0 (RowSpans); layer h's row y at h * (pixels / width) + y
//   width:    the canvas width
// Global size: (pixels rounded up to the work-group size, number of tokens).
__kernel void composite_tokens(__global const uchar4 *layers,
                               __global const int *straight,
                               __global const int4 *tokens,
                               __global const int4 *ops,
                               const int pixels,
                               __global uchar4 *out,
                               __global const int2 *spans,
                               const int width) {
    int p = get_global_id(0);
    if (p >= pixels) {
        return;
    }
    int t = get_global_id(1);
    int rows = pixels / width;
    int y = p / width;
    int x = p - y * width;
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
        int2 span = spans[(size_t) op.x * (size_t) rows + (size_t) y];
        if (x < span.x || x >= span.y) {
            continue; // outside the layer's row span its alpha is 0: the same exact shortcut
        }
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
        switch (op.y) {
            case MODE_NORMAL: {
                uint inverse = (uint) (U - as);
                int ao = as + div_u32((uint) a * inverse);
                r = clamp_colour(rs + div_u32((uint) r * inverse), ao);
                g = clamp_colour(gs + div_u32((uint) g * inverse), ao);
                b = clamp_colour(bs + div_u32((uint) b * inverse), ao);
                a = ao;
                break;
            }
            case MODE_SCREEN: {
                int ao = as + div_u32((uint) a * (uint) (U - as));
                r = clamp_colour(rs + r - div_u32((uint) rs * (uint) r), ao);
                g = clamp_colour(gs + g - div_u32((uint) gs * (uint) g), ao);
                b = clamp_colour(bs + b - div_u32((uint) bs * (uint) b), ao);
                a = ao;
                break;
            }
            case MODE_MULTIPLY: {
                int ao = as + div_u32((uint) a * (uint) (U - as));
                r = clamp_colour(multiply(rs, as, r, a), ao);
                g = clamp_colour(multiply(gs, as, g, a), ao);
                b = clamp_colour(multiply(bs, as, b, a), ao);
                a = ao;
                break;
            }
            case MODE_OVERLAY: {
                int ao = as + div_u32((uint) a * (uint) (U - as));
                r = clamp_colour(overlay(rs, as, r, a), ao);
                g = clamp_colour(overlay(gs, as, g, a), ao);
                b = clamp_colour(overlay(bs, as, b, a), ao);
                a = ao;
                break;
            }
            default: { // MODE_ADD: exact, its own alpha
                int ao = min(as + a, U);
                r = clamp_colour(min(rs + r, U), ao);
                g = clamp_colour(min(gs + g, U), ao);
                b = clamp_colour(min(bs + b, U), ao);
                a = ao;
                break;
            }
        }
    }
    int a8 = div255(a);
    out[(size_t) t * (size_t) pixels + (size_t) p] =
            (uchar4) ((uchar) min(div255(r), a8),
                      (uchar) min(div255(g), a8),
                      (uchar) min(div255(b), a8),
                      (uchar) a8);
}
