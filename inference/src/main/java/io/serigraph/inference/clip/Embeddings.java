package io.serigraph.inference.clip;

/** Small vector helpers for embeddings. */
public final class Embeddings {
    private Embeddings() {}

    /** {@code v / |v|} as a new array (all zeros stays all zeros). */
    public static float[] normalize(float[] v) {
        double sum = 0;
        for (float x : v) {
            sum += (double) x * x;
        }
        float[] out = new float[v.length];
        if (sum == 0) {
            return out;
        }
        double inv = 1.0 / Math.sqrt(sum);
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) (v[i] * inv);
        }
        return out;
    }

    public static double dot(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException(
                    "embeddings differ in length: " + a.length + " and " + b.length);
        }
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (double) a[i] * b[i];
        }
        return s;
    }

    /** Cosine similarity of two vectors of any length (0 when either is all zeros). */
    public static double cosine(float[] a, float[] b) {
        double ab = dot(a, b);
        double aa = dot(a, a);
        double bb = dot(b, b);
        return aa == 0 || bb == 0 ? 0 : ab / Math.sqrt(aa * bb);
    }
}
