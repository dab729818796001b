package io.serigraph.grpc.server;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.grpc.Status;
import io.serigraph.inference.batch.BatchMetrics;
import io.serigraph.inference.store.LoadedModel;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Prometheus {@code /metrics} of a node, in the text exposition format (0.0.4), on its own HTTP
 * port (the JDK's HTTP server; no other dependency).
 */
public final class MetricsEndpoint implements AutoCloseable {
    private final HttpServer http;

    private MetricsEndpoint(HttpServer http) {
        this.http = http;
    }

    /** Serves {@code stats} at {@code http://address/metrics}. */
    public static MetricsEndpoint start(InetSocketAddress address, ServerStats stats)
            throws IOException {
        HttpServer http = HttpServer.create(address, 0);
        http.createContext("/metrics", exchange -> answer(exchange, stats));
        http.start();
        return new MetricsEndpoint(http);
    }

    /** The port it listens on. */
    public int port() {
        return http.getAddress().getPort();
    }

    /** The exposition text for {@code stats}. */
    static String text(ServerStats stats) {
        StringBuilder sb = new StringBuilder();
        counter(sb, "serigraph_tokens_rendered_total", "Tokens rendered.", stats.tokensRendered());
        counter(
                sb,
                "serigraph_tokens_failed_total",
                "Tokens that failed in a batch.",
                stats.tokensFailed());
        counter(
                sb,
                "serigraph_batches_completed_total",
                "RenderBatch calls that sent every token.",
                stats.batchesCompleted());
        counter(
                sb,
                "serigraph_batches_stopped_total",
                "RenderBatch calls stopped by cancellation or deadline.",
                stats.batchesStopped());
        RpcMetrics rpc = stats.rpc();
        head(sb, "serigraph_rpc_duration_seconds", "Call latency per method.", "histogram");
        rpc.latencies()
                .forEach(
                        (method, l) -> {
                            long cumulative = 0;
                            for (int i = 0; i <= RpcMetrics.BUCKETS.length; i++) {
                                cumulative += l.counts()[i];
                                String le =
                                        i == RpcMetrics.BUCKETS.length
                                                ? "+Inf"
                                                : number(RpcMetrics.BUCKETS[i]);
                                sample(
                                        sb,
                                        "serigraph_rpc_duration_seconds_bucket",
                                        "method=\"" + method + "\",le=\"" + le + "\"",
                                        cumulative);
                            }
                            String m = "method=\"" + method + "\"";
                            sb.append("serigraph_rpc_duration_seconds_sum{")
                                    .append(m)
                                    .append("} ")
                                    .append(number(l.sumSeconds()))
                                    .append('\n');
                            sample(sb, "serigraph_rpc_duration_seconds_count", m, l.count());
                        });
        head(
                sb,
                "serigraph_rpc_handled_total",
                "Calls ended, per method and status code.",
                "counter");
        Map<Status.Code, Long> errors = new TreeMap<>();
        rpc.ended()
                .forEach(
                        (method, codes) ->
                                codes.forEach(
                                        (code, n) -> {
                                            sample(
                                                    sb,
                                                    "serigraph_rpc_handled_total",
                                                    "method=\""
                                                            + method
                                                            + "\",code=\""
                                                            + code
                                                            + "\"",
                                                    n);
                                            if (code != Status.Code.OK) {
                                                errors.merge(code, n, Long::sum);
                                            }
                                        }));
        head(
                sb,
                "serigraph_rpc_errors_total",
                "Calls ended with an error, per status code.",
                "counter");
        errors.forEach(
                (code, n) -> sample(sb, "serigraph_rpc_errors_total", "code=\"" + code + "\"", n));
        gauge(sb, "serigraph_rpc_in_flight", "Calls started and not yet ended.", rpc.inFlight());
        gauge(
                sb,
                "serigraph_call_queue_depth",
                "Calls waiting for a call thread.",
                stats.callQueueDepth());
        head(
                sb,
                "serigraph_render_tokens_per_second",
                "Tokens rendered per second, mean over the last 60 s.",
                "gauge");
        sb.append("serigraph_render_tokens_per_second ")
                .append(number(stats.renderTokensPerSecond()))
                .append('\n');
        head(sb, "serigraph_compute_device_info", "The compositing device in use (1).", "gauge");
        if (!stats.computeBackend().isEmpty()) {
            sample(
                    sb,
                    "serigraph_compute_device_info",
                    "backend=\""
                            + label(stats.computeBackend())
                            + "\",device=\""
                            + label(stats.computeDevice())
                            + "\"",
                    1);
        }
        InferenceModels models = stats.models();
        Map<String, LoadedModel> loaded = models == null ? Map.of() : models.loaded();
        head(
                sb,
                "serigraph_inference_device_info",
                "The device each loaded model runs on (1).",
                "gauge");
        loaded.forEach(
                (id, m) ->
                        sample(
                                sb,
                                "serigraph_inference_device_info",
                                "model=\"" + label(id) + "\",device=\"" + label(m.device()) + "\"",
                                1));
        head(
                sb,
                "serigraph_inference_queue_depth",
                "Samples queued or running per model.",
                "gauge");
        loaded.forEach(
                (id, m) ->
                        sample(
                                sb,
                                "serigraph_inference_queue_depth",
                                "model=\"" + label(id) + "\"",
                                InferenceServiceImpl.queueDepth(m.metrics())));
        head(
                sb,
                "serigraph_inference_batch_size",
                "Samples per batch run, per model.",
                "histogram");
        loaded.forEach((id, m) -> batchSizes(sb, label(id), m.metrics()));
        return sb.toString();
    }

    private static void batchSizes(StringBuilder sb, String model, BatchMetrics m) {
        long[] counts = m.batchSizeCounts();
        long cumulative = 0;
        int next = 1;
        for (int size = 1; size < counts.length; size++) {
            cumulative += counts[size];
            if (size == next || size == counts.length - 1) {
                sample(
                        sb,
                        "serigraph_inference_batch_size_bucket",
                        "model=\"" + model + "\",le=\"" + size + "\"",
                        cumulative);
                next *= 2;
            }
        }
        String l = "model=\"" + model + "\"";
        sample(sb, "serigraph_inference_batch_size_bucket", l + ",le=\"+Inf\"", cumulative);
        sample(sb, "serigraph_inference_batch_size_sum", l, m.batchedRequests());
        sample(sb, "serigraph_inference_batch_size_count", l, m.batches());
    }

    private static void head(StringBuilder sb, String name, String help, String type) {
        sb.append("# HELP ").append(name).append(' ').append(help).append('\n');
        sb.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private static void gauge(StringBuilder sb, String name, String help, long value) {
        head(sb, name, help, "gauge");
        sb.append(name).append(' ').append(value).append('\n');
    }

    private static void sample(StringBuilder sb, String name, String labels, long value) {
        sb.append(name).append('{').append(labels).append("} ").append(value).append('\n');
    }

    private static String number(double v) {
        return String.format(Locale.ROOT, "%s", v);
    }

    /** A label value with Prometheus escapes (backslash, quote, newline). */
    private static String label(String v) {
        return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    private static void counter(StringBuilder sb, String name, String help, long value) {
        sb.append("# HELP ").append(name).append(' ').append(help).append('\n');
        sb.append("# TYPE ").append(name).append(" counter\n");
        sb.append(name).append(' ').append(String.format(Locale.ROOT, "%d", value)).append('\n');
    }

    private static void answer(HttpExchange exchange, ServerStats stats) throws IOException {
        try (exchange) {
            if (!"GET".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            byte[] body = text(stats).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        http.stop(0);
    }
}
