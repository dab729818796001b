package io.serigraph.pipeline.simulate;

/** The chi-square distribution's upper tail, through the regularized incomplete gamma function. */
final class ChiSquare {
    private ChiSquare() {}

    /** {@code P(X >= x)} for {@code X ~ chi-square(dof)}; 1 when {@code dof < 1}. */
    static double pValue(double x, int dof) {
        if (dof < 1) {
            return 1.0;
        }
        if (x <= 0) {
            return 1.0;
        }
        return upperGamma(dof / 2.0, x / 2.0);
    }

    /** The regularized upper incomplete gamma function Q(a, x) (series or continued fraction). */
    static double upperGamma(double a, double x) {
        if (x < a + 1) {
            double sum = 1.0 / a;
            double term = sum;
            for (int n = 1; n < 1000; n++) {
                term *= x / (a + n);
                sum += term;
                if (Math.abs(term) < Math.abs(sum) * 1e-15) {
                    break;
                }
            }
            return Math.max(0, 1.0 - sum * Math.exp(-x + a * Math.log(x) - logGamma(a)));
        }
        double b = x + 1 - a;
        double c = 1 / 1e-300;
        double d = 1 / b;
        double h = d;
        for (int i = 1; i < 1000; i++) {
            double an = -i * (i - a);
            b += 2;
            d = an * d + b;
            d = Math.abs(d) < 1e-300 ? 1e-300 : d;
            c = b + an / c;
            c = Math.abs(c) < 1e-300 ? 1e-300 : c;
            d = 1 / d;
            double del = d * c;
            h *= del;
            if (Math.abs(del - 1) < 1e-15) {
                break;
            }
        }
        return Math.exp(-x + a * Math.log(x) - logGamma(a)) * h;
    }

    /** Lanczos approximation of ln Gamma(x), x > 0. */
    static double logGamma(double x) {
        double[] g = {
            676.5203681218851,
            -1259.1392167224028,
            771.32342877765313,
            -176.61502916214059,
            12.507343278686905,
            -0.13857109526572012,
            9.9843695780195716e-6,
            1.5056327351493116e-7
        };
        if (x < 0.5) {
            return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
        }
        x -= 1;
        double a = 0.99999999999980993;
        double t = x + 7.5;
        for (int i = 0; i < g.length; i++) {
            a += g[i] / (x + i + 1);
        }
        return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
    }
}
