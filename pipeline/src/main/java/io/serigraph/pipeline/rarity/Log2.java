package io.serigraph.pipeline.rarity;

import java.math.BigDecimal;
import java.math.MathContext;

/**
 * The base-2 logarithm rounded correctly to the nearest double, as a correctly rounded C {@code
 * log2} gives it ({@code Math.log(x) / Math.log(2)} may be off in the last bit, which would change
 * published rarity scores in their last digit). Computed with 40 significant digits: {@code x = m *
 * 2^e}, {@code ln m = 2 atanh((m - 1) / (m + 1))} by its series.
 */
final class Log2 {
    private static final MathContext MC = new MathContext(40);
    private static final BigDecimal LN2 =
            new BigDecimal("0.6931471805599453094172321214581765680755001343602552");

    private Log2() {}

    /** {@code log2(x)} for a positive finite {@code x}, correctly rounded. */
    static double of(double x) {
        if (!(x > 0) || Double.isInfinite(x)) {
            throw new IllegalArgumentException("log2 of " + x);
        }
        if (x == 1.0) {
            return 0.0;
        }
        int e = Math.getExponent(x);
        if (e < Double.MIN_EXPONENT) { // subnormal
            return of(x * 0x1p60) - 60;
        }
        double m = x / Math.scalb(1.0, e); // exact, in [1, 2)
        BigDecimal bm = new BigDecimal(m);
        BigDecimal z = bm.subtract(BigDecimal.ONE).divide(bm.add(BigDecimal.ONE), MC);
        BigDecimal z2 = z.multiply(z, MC);
        BigDecimal term = z;
        BigDecimal sum = BigDecimal.ZERO;
        BigDecimal eps = new BigDecimal("1e-45");
        for (int k = 0; term.abs().compareTo(eps) > 0; k++) {
            sum = sum.add(term.divide(BigDecimal.valueOf(2L * k + 1), MC), MC);
            term = term.multiply(z2, MC);
        }
        BigDecimal ln = sum.multiply(BigDecimal.valueOf(2), MC);
        return new BigDecimal(e).add(ln.divide(LN2, MC), MC).doubleValue();
    }
}
