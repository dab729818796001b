// Serigraph resampling kernels (docs/pixel-math.md, "Resampling"), bit for bit the same as
// io.serigraph.engine.resample.Resampler. Images are premultiplied RGBA8, row-major.

// nearest(d, S, D) = ((2 d + 1) S) / (2 D) in 64-bit integers.
inline int nearest_index(int d, int s, int dsize) {
    return (int) (((2L * d + 1) * s) / (2L * dsize));
}

// Nearest neighbour. Global size: (dw, dh).
__kernel void resample_nearest(__global const uchar4 *src, const int sw, const int sh,
                               __global uchar4 *dst, const int dw, const int dh) {
    int x = get_global_id(0);
    int y = get_global_id(1);
    if (x >= dw || y >= dh) {
        return;
    }
    int sx = nearest_index(x, sw, dw);
    int sy = nearest_index(y, sh, dh);
    dst[(size_t) y * dw + x] = src[(size_t) sy * sw + sx];
}

// A weighted sum back to a channel value: max(0, floor((sum + 8192) / 16384)), no negative shift.
inline int round_sum(int sum) {
    return sum <= 0 ? 0 : (sum + 8192) >> 14;
}

// Rounds four sums and clamps them to a valid premultiplied pixel.
inline uchar4 store(int4 acc) {
    int a = min(round_sum(acc.w), 255);
    return (uchar4) ((uchar) min(round_sum(acc.x), a),
                     (uchar) min(round_sum(acc.y), a),
                     (uchar) min(round_sum(acc.z), a),
                     (uchar) a);
}

// One Lanczos-3 pass along x: each of `rows` rows from sw to dw pixels, with the uploaded
// LanczosWeights table (first, count, weights with row stride taps). Global size: (dw, rows).
__kernel void lanczos_horizontal(__global const uchar4 *src, const int sw, const int rows,
                                 __global uchar4 *dst, const int dw,
                                 __global const int *first, __global const int *count,
                                 __global const int *weights, const int taps) {
    int x = get_global_id(0);
    int y = get_global_id(1);
    if (x >= dw || y >= rows) {
        return;
    }
    __global const uchar4 *p = src + (size_t) y * sw + first[x];
    __global const int *w = weights + (size_t) x * taps;
    int4 acc = (int4) (0);
    int n = count[x];
    for (int k = 0; k < n; k++) {
        acc += w[k] * convert_int4(p[k]);
    }
    dst[(size_t) y * dw + x] = store(acc);
}

// One Lanczos-3 pass along y: each column of a width x sh image to dh pixels.
// Global size: (width, dh).
__kernel void lanczos_vertical(__global const uchar4 *src, const int width, const int sh,
                               __global uchar4 *dst, const int dh,
                               __global const int *first, __global const int *count,
                               __global const int *weights, const int taps) {
    int x = get_global_id(0);
    int y = get_global_id(1);
    if (x >= width || y >= dh) {
        return;
    }
    __global const uchar4 *p = src + (size_t) first[y] * width + x;
    __global const int *w = weights + (size_t) y * taps;
    int4 acc = (int4) (0);
    int n = count[y];
    for (int k = 0; k < n; k++) {
        acc += w[k] * convert_int4(p[(size_t) k * width]);
    }
    dst[(size_t) y * width + x] = store(acc);
}
