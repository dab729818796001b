package io.serigraph.grpc.server;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

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
        return sb.toString();
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
