package io.serigraph.pipeline.sample;

import io.serigraph.engine.composite.PixelMath;
import io.serigraph.engine.image.RgbaImage;

/**
 * A tiny anti-aliased rasterizer for drawing the sample collection's trait art: shapes are filled
 * with a straight RGBA colour, coverage measured with 4x4 supersampling, and composited source-over
 * onto a premultiplied image with {@link PixelMath}. Deterministic: integer sampling grid, no
 * randomness.
 */
final class Sketch {
    /** A region of the plane, with a bounding box to limit the pixels tested. */
    interface Shape {
        boolean contains(double x, double y);

        /** Bounding box {minX, minY, maxX, maxY} in pixels. */
        double[] bounds();
    }

    private static final int SS = 4;

    private final RgbaImage image;

    Sketch(RgbaImage image) {
        this.image = image;
    }

    RgbaImage image() {
        return image;
    }

    /** Fills {@code shape} with straight colour 0xRRGGBBAA. */
    void fill(Shape shape, int rgba) {
        fill(shape, (x, y) -> rgba);
    }

    /** A colour as a function of position (for gradients). */
    interface Paint {
        int rgbaAt(int x, int y);
    }

    void fill(Shape shape, Paint paint) {
        double[] b = shape.bounds();
        int x0 = Math.max(0, (int) Math.floor(b[0]));
        int y0 = Math.max(0, (int) Math.floor(b[1]));
        int x1 = Math.min(image.width() - 1, (int) Math.ceil(b[2]));
        int y1 = Math.min(image.height() - 1, (int) Math.ceil(b[3]));
        byte[] px = image.pixels();
        for (int y = y0; y <= y1; y++) {
            for (int x = x0; x <= x1; x++) {
                int covered = 0;
                for (int sy = 0; sy < SS; sy++) {
                    double py = y + (sy + 0.5) / SS;
                    for (int sx = 0; sx < SS; sx++) {
                        if (shape.contains(x + (sx + 0.5) / SS, py)) {
                            covered++;
                        }
                    }
                }
                if (covered == 0) {
                    continue;
                }
                int c = paint.rgbaAt(x, y);
                int a = PixelMath.div255((c & 0xFF) * (covered * 255 / (SS * SS)));
                int i = (y * image.width() + x) * 4;
                int inv = 255 - a;
                px[i] =
                        (byte)
                                (PixelMath.premultiply(c >>> 24, a)
                                        + PixelMath.div255((px[i] & 0xFF) * inv));
                px[i + 1] =
                        (byte)
                                (PixelMath.premultiply((c >>> 16) & 0xFF, a)
                                        + PixelMath.div255((px[i + 1] & 0xFF) * inv));
                px[i + 2] =
                        (byte)
                                (PixelMath.premultiply((c >>> 8) & 0xFF, a)
                                        + PixelMath.div255((px[i + 2] & 0xFF) * inv));
                px[i + 3] = (byte) (a + PixelMath.div255((px[i + 3] & 0xFF) * inv));
            }
        }
    }

    static Shape rect(double x0, double y0, double x1, double y1) {
        return new Shape() {
            @Override
            public boolean contains(double x, double y) {
                return x >= x0 && x < x1 && y >= y0 && y < y1;
            }

            @Override
            public double[] bounds() {
                return new double[] {x0, y0, x1, y1};
            }
        };
    }

    /** An ellipse centred at (cx, cy) with radii rx, ry, rotated by {@code angle} radians. */
    static Shape ellipse(double cx, double cy, double rx, double ry, double angle) {
        double cos = Math.cos(angle);
        double sin = Math.sin(angle);
        double r = Math.max(rx, ry);
        return new Shape() {
            @Override
            public boolean contains(double x, double y) {
                double dx = x - cx;
                double dy = y - cy;
                double u = (dx * cos + dy * sin) / rx;
                double v = (-dx * sin + dy * cos) / ry;
                return u * u + v * v <= 1;
            }

            @Override
            public double[] bounds() {
                return new double[] {cx - r, cy - r, cx + r, cy + r};
            }
        };
    }

    static Shape circle(double cx, double cy, double r) {
        return ellipse(cx, cy, r, r, 0);
    }

    /** A ring between radii {@code inner} and {@code outer}. */
    static Shape ring(double cx, double cy, double inner, double outer) {
        return new Shape() {
            @Override
            public boolean contains(double x, double y) {
                double d2 = (x - cx) * (x - cx) + (y - cy) * (y - cy);
                return d2 <= outer * outer && d2 >= inner * inner;
            }

            @Override
            public double[] bounds() {
                return new double[] {cx - outer, cy - outer, cx + outer, cy + outer};
            }
        };
    }

    /** A line segment with round caps and the given width. */
    static Shape line(double xa, double ya, double xb, double yb, double width) {
        double h = width / 2;
        double lx = xb - xa;
        double ly = yb - ya;
        double len2 = Math.max(lx * lx + ly * ly, 1e-9);
        return new Shape() {
            @Override
            public boolean contains(double x, double y) {
                double t = ((x - xa) * lx + (y - ya) * ly) / len2;
                t = Math.max(0, Math.min(1, t));
                double dx = x - (xa + t * lx);
                double dy = y - (ya + t * ly);
                return dx * dx + dy * dy <= h * h;
            }

            @Override
            public double[] bounds() {
                return new double[] {
                    Math.min(xa, xb) - h,
                    Math.min(ya, yb) - h,
                    Math.max(xa, xb) + h,
                    Math.max(ya, yb) + h
                };
            }
        };
    }

    /** A polygon (even-odd rule) through the points {x0, y0, x1, y1, ...}. */
    static Shape polygon(double... xy) {
        double minX = Double.MAX_VALUE;
        double minY = Double.MAX_VALUE;
        double maxX = -Double.MAX_VALUE;
        double maxY = -Double.MAX_VALUE;
        for (int i = 0; i < xy.length; i += 2) {
            minX = Math.min(minX, xy[i]);
            maxX = Math.max(maxX, xy[i]);
            minY = Math.min(minY, xy[i + 1]);
            maxY = Math.max(maxY, xy[i + 1]);
        }
        double[] box = {minX, minY, maxX, maxY};
        return new Shape() {
            @Override
            public boolean contains(double x, double y) {
                boolean inside = false;
                int n = xy.length / 2;
                for (int i = 0, j = n - 1; i < n; j = i++) {
                    double xi = xy[2 * i];
                    double yi = xy[2 * i + 1];
                    double xj = xy[2 * j];
                    double yj = xy[2 * j + 1];
                    if ((yi > y) != (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi) {
                        inside = !inside;
                    }
                }
                return inside;
            }

            @Override
            public double[] bounds() {
                return box;
            }
        };
    }

    /** A star with {@code points} tips. */
    static Shape star(double cx, double cy, double outer, double inner, int points, double angle) {
        double[] xy = new double[points * 4];
        for (int i = 0; i < points * 2; i++) {
            double r = i % 2 == 0 ? outer : inner;
            double a = angle + Math.PI * i / points - Math.PI / 2;
            xy[2 * i] = cx + r * Math.cos(a);
            xy[2 * i + 1] = cy + r * Math.sin(a);
        }
        return polygon(xy);
    }

    /** Mirror image of a shape about the vertical line x = {@code axis}. */
    static Shape mirror(Shape s, double axis) {
        double[] b = s.bounds();
        return new Shape() {
            @Override
            public boolean contains(double x, double y) {
                return s.contains(2 * axis - x, y);
            }

            @Override
            public double[] bounds() {
                return new double[] {2 * axis - b[2], b[1], 2 * axis - b[0], b[3]};
            }
        };
    }

    /** Linear vertical gradient from {@code top} to {@code bottom} (straight RGBA). */
    static Paint verticalGradient(int top, int bottom, int height) {
        return (x, y) -> {
            int t = height <= 1 ? 0 : y * 256 / (height - 1);
            int out = 0;
            for (int shift = 24; shift >= 0; shift -= 8) {
                int a = (top >>> shift) & 0xFF;
                int b = (bottom >>> shift) & 0xFF;
                out |= ((a * (256 - t) + b * t + 128) >> 8) << shift;
            }
            return out;
        };
    }
}
