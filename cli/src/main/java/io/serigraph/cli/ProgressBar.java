package io.serigraph.cli;

import io.serigraph.pipeline.qc.QcStage;
import io.serigraph.pipeline.qc.ScoreStage;
import io.serigraph.pipeline.render.RenderStage;
import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Progress on long work: on a terminal, one line redrawn in place (bar, count, rate, ETA) at most
 * ten times a second; otherwise (a log, a pipe, CI) a plain line at every tenth of the work.
 */
final class ProgressBar implements RenderStage.Listener, QcStage.Listener, ScoreStage.Listener {
    private static final int WIDTH = 28;

    private final PrintStream out;
    private final boolean terminal;
    private final String label;
    private final AtomicInteger done = new AtomicInteger();
    private volatile int total;
    private volatile long startNanos;
    private long lastDrawNanos;
    private int lastDecile = -1;

    ProgressBar(PrintStream out, boolean terminal, String label) {
        this.out = out;
        this.terminal = terminal;
        this.label = label;
    }

    @Override
    public void begin(int all, int toDo) {
        this.total = toDo;
        this.startNanos = System.nanoTime();
        if (toDo == 0) {
            out.println(label + ": all " + all + " tokens are up to date");
        } else if (toDo < all) {
            out.println(
                    label
                            + ": "
                            + toDo
                            + " of "
                            + all
                            + " tokens to do ("
                            + (all - toDo)
                            + " up to date)");
        }
    }

    @Override
    public void rendered(long tokenId, long bytes) {
        int n = done.incrementAndGet();
        draw(n, false);
    }

    @Override
    public void checked(long tokenId) {
        draw(done.incrementAndGet(), false);
    }

    @Override
    public void scored(long tokenId) {
        draw(done.incrementAndGet(), false);
    }

    /** Ends the progress display. */
    void finish() {
        if (total > 0) {
            draw(done.get(), true);
        }
    }

    private synchronized void draw(int n, boolean last) {
        long now = System.nanoTime();
        double seconds = Math.max((now - startNanos) / 1e9, 1e-9);
        double rate = n / seconds;
        if (terminal) {
            if (!last && now - lastDrawNanos < 100_000_000L && n < total) {
                return;
            }
            lastDrawNanos = now;
            int filled = total == 0 ? WIDTH : (int) ((long) n * WIDTH / total);
            String bar =
                    "=".repeat(filled)
                            + (filled < WIDTH ? ">" + " ".repeat(WIDTH - filled - 1) : "");
            out.print(
                    String.format(
                            Locale.ROOT,
                            "\r%s [%s] %d/%d %3d%% %.1f tok/s ETA %s ",
                            label,
                            bar,
                            n,
                            total,
                            total == 0 ? 100 : n * 100 / total,
                            rate,
                            eta(n, rate)));
            if (last) {
                out.println();
            }
            out.flush();
        } else {
            int decile = total == 0 ? 10 : (int) ((long) n * 10 / total);
            if (decile != lastDecile && (decile > lastDecile) && (n == total || decile < 10)) {
                lastDecile = decile;
                out.println(
                        String.format(
                                Locale.ROOT,
                                "%s: %d/%d (%d%%) %.1f tok/s ETA %s",
                                label,
                                n,
                                total,
                                total == 0 ? 100 : n * 100 / total,
                                rate,
                                eta(n, rate)));
            }
        }
    }

    private String eta(int n, double rate) {
        if (n >= total || rate <= 0) {
            return "0:00";
        }
        long s = (long) Math.ceil((total - n) / rate);
        return s >= 3600
                ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
