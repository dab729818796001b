package io.serigraph.grpc.server;

import io.grpc.Status;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Per-method call counters of a node: a latency histogram, calls ended per status code, and the
 * calls in flight. Fed by {@link ObservingInterceptor}; read by {@link MetricsEndpoint}.
 */
public final class RpcMetrics {
    /** Histogram bucket upper bounds, seconds. */
    static final double[] BUCKETS = {
        0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60
    };

    /**
     * One method's latencies: {@code counts[i]} calls at most {@code BUCKETS[i]}, the last +Inf.
     */
    record Latency(long[] counts, double sumSeconds, long count) {}

    private final AtomicInteger inFlight = new AtomicInteger();
    private final Map<String, long[]> latencyCounts = new TreeMap<>();
    private final Map<String, Double> latencySums = new TreeMap<>();
    private final Map<String, Map<Status.Code, Long>> ended = new TreeMap<>();

    void started() {
        inFlight.incrementAndGet();
    }

    synchronized void ended(String method, Status.Code code, long nanos) {
        inFlight.decrementAndGet();
        double seconds = nanos / 1e9;
        long[] counts = latencyCounts.computeIfAbsent(method, m -> new long[BUCKETS.length + 1]);
        int i = 0;
        while (i < BUCKETS.length && seconds > BUCKETS[i]) {
            i++;
        }
        counts[i]++;
        latencySums.merge(method, seconds, Double::sum);
        ended.computeIfAbsent(method, m -> new TreeMap<>()).merge(code, 1L, Long::sum);
        notifyAll();
    }

    /** Calls started and not yet ended. */
    public int inFlight() {
        return inFlight.get();
    }

    /** Method to its latency histogram (non-cumulative counts). */
    synchronized Map<String, Latency> latencies() {
        Map<String, Latency> out = new TreeMap<>();
        latencyCounts.forEach(
                (m, c) -> {
                    long n = 0;
                    for (long x : c) {
                        n += x;
                    }
                    out.put(m, new Latency(c.clone(), latencySums.get(m), n));
                });
        return out;
    }

    /** Method to status code to calls that ended with it. */
    public synchronized Map<String, Map<Status.Code, Long>> ended() {
        Map<String, Map<Status.Code, Long>> out = new TreeMap<>();
        ended.forEach((m, codes) -> out.put(m, new TreeMap<>(codes)));
        return out;
    }

    /** Calls of {@code method} that ended with {@code code}. */
    public synchronized long ended(String method, Status.Code code) {
        return ended.getOrDefault(method, Map.of()).getOrDefault(code, 0L);
    }

    /**
     * Waits until {@code n} calls of {@code method} have ended with {@code code}, or {@code
     * timeoutMillis} passes; whether they had.
     */
    public boolean awaitEnded(String method, Status.Code code, long n, long timeoutMillis)
            throws InterruptedException {
        return awaitEnded(method, Set.of(code), n, timeoutMillis);
    }

    /** As above, counting the calls that ended with any of {@code codes}. */
    public synchronized boolean awaitEnded(
            String method, Set<Status.Code> codes, long n, long timeoutMillis)
            throws InterruptedException {
        long end = System.nanoTime() + timeoutMillis * 1_000_000;
        while (codes.stream().mapToLong(c -> ended(method, c)).sum() < n) {
            long left = end - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }
}
