package io.serigraph.pipeline.sample;

import io.serigraph.engine.composite.PixelMath;
import io.serigraph.engine.image.RgbaImage;

/**
 * The synthetic HashLips-style layer set that render benchmarks are measured on, in the shapes of
 * {@code shared/bench/make_layers.py}: layer 0 an opaque vertical gradient plus noise; the others a
 * disc, ring or rounded box with a ~2 px anti-aliased edge, 60-100% opacity, vertical shading and
 * per-pixel Gaussian noise ({@code noise} = its standard deviation; 0 gives flat-colour art).
 * Deterministic (SplitMix64, Box-Muller), so the same arguments give the same pixels; not
 * byte-identical to the numpy script, whose generator differs, but the same kind of art.
 */
public final class BenchmarkLayers {
    private long state;
    private double spareGaussian = Double.NaN;

    private BenchmarkLayers(long seed) {
        this.state = seed;
    }

    /** {@code layers x traits} images of {@code size x size}, straight from the generator. */
    public static RgbaImage[][] generate(
            int size, int layers, int traits, long seed, double noise) {
        BenchmarkLayers g = new BenchmarkLayers(seed);
        RgbaImage[][] out = new RgbaImage[layers][traits];
        for (int l = 0; l < layers; l++) {
            for (int t = 0; t < traits; t++) {
                out[l][t] = l == 0 ? g.background(size, noise) : g.shape(size, l, t, noise);
            }
        }
        return out;
    }

    private RgbaImage background(int s, double noise) {
        double[] c1 = colour();
        double[] c2 = colour();
        RgbaImage img = new RgbaImage(s, s);
        byte[] p = img.pixels();
        for (int y = 0; y < s; y++) {
            double t = y / (double) (s - 1);
            for (int x = 0; x < s; x++) {
                double n = gaussian() * noise;
                int i = (y * s + x) * 4;
                for (int c = 0; c < 3; c++) {
                    p[i + c] = (byte) clamp(c1[c] * (1 - t) + c2[c] * t + n);
                }
                p[i + 3] = (byte) 255;
            }
        }
        return img;
    }

    private RgbaImage shape(int s, int layer, int trait, double noise) {
        double[] col = colour();
        double cx = uniform(0.25, 0.75) * s;
        double cy = uniform(0.25, 0.75) * s;
        double r = uniform(0.08, 0.3) * s;
        int kind = (layer + trait) % 3;
        double opacity = uniform(0.6, 1.0);
        RgbaImage img = new RgbaImage(s, s);
        byte[] p = img.pixels();
        for (int y = 0; y < s; y++) {
            for (int x = 0; x < s; x++) {
                double n = gaussian() * noise;
                double dist;
                if (kind == 0) {
                    dist = Math.hypot(x - cx, y - cy) - r;
                } else if (kind == 1) {
                    dist = Math.abs(Math.hypot(x - cx, y - cy) - r) - r * 0.25;
                } else {
                    double qx = Math.abs(x - cx) - r;
                    double qy = Math.abs(y - cy) - r * 0.6;
                    dist =
                            Math.hypot(Math.max(qx, 0), Math.max(qy, 0))
                                    + Math.min(Math.max(qx, qy), 0)
                                    - 6;
                }
                double cov = Math.min(1, Math.max(0, 0.5 - dist / 2.0));
                int a = (int) (cov * 255.0 * opacity);
                if (a == 0) {
                    continue;
                }
                double shade = 1 - 0.35 * Math.min(1, Math.max(-1, (y - cy) / (r + 1)));
                int i = (y * s + x) * 4;
                for (int c = 0; c < 3; c++) {
                    p[i + c] = (byte) PixelMath.premultiply(clamp(col[c] * shade + n), a);
                }
                p[i + 3] = (byte) a;
            }
        }
        return img;
    }

    private double[] colour() {
        return new double[] {30 + nextInt(225), 30 + nextInt(225), 30 + nextInt(225)};
    }

    private static int clamp(double v) {
        return (int) Math.max(0, Math.min(255, v));
    }

    private long next() {
        long z = (state += 0x9E3779B97F4A7C15L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private double uniform(double lo, double hi) {
        return lo + (hi - lo) * ((next() >>> 11) * 0x1.0p-53);
    }

    private int nextInt(int bound) {
        return (int) ((next() >>> 33) % bound);
    }

    private double gaussian() {
        if (!Double.isNaN(spareGaussian)) {
            double g = spareGaussian;
            spareGaussian = Double.NaN;
            return g;
        }
        double u1 = Math.max((next() >>> 11) * 0x1.0p-53, 1e-300);
        double u2 = (next() >>> 11) * 0x1.0p-53;
        double m = Math.sqrt(-2 * Math.log(u1));
        spareGaussian = m * Math.sin(2 * Math.PI * u2);
        return m * Math.cos(2 * Math.PI * u2);
    }
}
