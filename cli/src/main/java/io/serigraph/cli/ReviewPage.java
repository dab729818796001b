package io.serigraph.cli;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.serigraph.pipeline.qc.QcException;
import io.serigraph.pipeline.qc.ReviewLog;
import io.serigraph.pipeline.qc.ReviewQueue;
import io.serigraph.pipeline.spec.CollectionSpec;
import io.serigraph.pipeline.store.DropStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The review page of {@code serigraph review DIR}: a local web server on 127.0.0.1 listing the
 * tokens that await a decision with their image and what QC measured, where a person approves,
 * rejects or re-rolls them one at a time or in bulk by check. Decisions go through {@link
 * ReviewQueue}, as in the terminal review.
 *
 * <p>Plain HTML forms, no script and nothing loaded from elsewhere. Only loopback: it listens on
 * 127.0.0.1 and answers only requests addressed to it by that name and port (no DNS rebinding).
 * Decisions are POST only and carry a per-session token that only the page knows (no cross-site
 * request forgery); a request from another origin is refused. Requests are served one at a time.
 */
final class ReviewPage implements AutoCloseable {
    private static final int MAX_FORM_BYTES = 16 * 1024;

    private final CollectionSpec spec;
    private final DropStore store;
    private final ReviewQueue queue;
    private final String reviewer;
    private final String csrf;
    private final HttpServer server;
    private final ExecutorService executor;
    private final String origin;
    private final CountDownLatch finished = new CountDownLatch(1);
    private final Map<ReviewLog.Decision, Integer> counts = new EnumMap<>(ReviewLog.Decision.class);
    private String flash = "";
    private boolean flashIsError;

    private ReviewPage(CollectionSpec spec, DropStore store, String reviewer, int port)
            throws IOException {
        this.spec = spec;
        this.store = store;
        this.queue = new ReviewQueue(spec, store);
        this.reviewer = reviewer;
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        this.csrf = HexFormat.of().formatHex(secret);
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        this.server = HttpServer.create(new InetSocketAddress(loopback, port), 16);
        this.executor =
                Executors.newSingleThreadExecutor(
                        r -> {
                            Thread t = new Thread(r, "serigraph-review-page");
                            t.setDaemon(true);
                            return t;
                        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        this.origin = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /**
     * Starts the page.
     *
     * @param port the port, or 0 for a free one
     */
    static ReviewPage start(CollectionSpec spec, DropStore store, String reviewer, int port)
            throws IOException {
        ReviewPage page = new ReviewPage(spec, store, reviewer, port);
        page.server.start();
        return page;
    }

    /** The page's address, {@code http://127.0.0.1:<port>/}. */
    URI uri() {
        return URI.create(origin + "/");
    }

    /** Waits until the reviewer presses "Finish review" on the page. */
    void awaitFinish() throws InterruptedException {
        finished.await();
    }

    /** Decisions made through the page so far. */
    synchronized Map<ReviewLog.Decision, Integer> counts() {
        return new EnumMap<>(counts);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        try {
            executor.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void handle(HttpExchange ex) throws IOException {
        try {
            String host = ex.getRequestHeaders().getFirst("Host");
            if (host == null || !(("http://" + host).equals(origin))) {
                send(ex, 403, "text/plain", bytes("this page answers only " + origin));
                return;
            }
            String path = ex.getRequestURI().getPath();
            String method = ex.getRequestMethod();
            if (method.equals("GET") && path.equals("/")) {
                send(ex, 200, "text/html; charset=utf-8", bytes(page()));
            } else if (method.equals("GET") && path.startsWith("/images/")) {
                image(ex, path.substring("/images/".length()));
            } else if (method.equals("POST")
                    && (path.equals("/decide") || path.equals("/bulk") || path.equals("/finish"))) {
                post(ex, path);
            } else if (path.equals("/decide") || path.equals("/bulk") || path.equals("/finish")) {
                ex.getResponseHeaders().set("Allow", "POST");
                send(ex, 405, "text/plain", bytes("decisions are POST only"));
            } else {
                send(ex, 404, "text/plain", bytes("no such page: " + path));
            }
        } catch (RuntimeException e) {
            send(ex, 500, "text/plain", bytes("review page error: " + e.getMessage()));
        } finally {
            ex.close();
        }
    }

    private void image(HttpExchange ex, String name) throws IOException {
        long id;
        try {
            if (!name.endsWith(".png")) {
                throw new NumberFormatException(name);
            }
            id = Long.parseLong(name.substring(0, name.length() - 4));
        } catch (NumberFormatException e) {
            send(ex, 404, "text/plain", bytes("no such image: " + name));
            return;
        }
        Path file = spec.outDir().resolve("images").resolve(id + ".png");
        if (!store.verdicts().containsKey(id) || !Files.isRegularFile(file)) {
            send(ex, 404, "text/plain", bytes("no image of token " + id));
            return;
        }
        send(ex, 200, "image/png", Files.readAllBytes(file));
    }

    private void post(HttpExchange ex, String path) throws IOException {
        Headers h = ex.getRequestHeaders();
        String from = h.getFirst("Origin");
        String site = h.getFirst("Sec-Fetch-Site");
        if ((from != null && !from.equals(origin))
                || (site != null && !site.equals("same-origin") && !site.equals("none"))) {
            send(ex, 403, "text/plain", bytes("decisions come only from the review page itself"));
            return;
        }
        Map<String, String> form = form(ex);
        if (form == null) {
            send(ex, 413, "text/plain", bytes("form too large"));
            return;
        }
        if (!MessageDigest.isEqual(bytes(form.getOrDefault("csrf", "")), bytes(csrf))) {
            send(ex, 403, "text/plain", bytes("stale or missing page token: reload the page"));
            return;
        }
        if (path.equals("/finish")) {
            send(
                    ex,
                    200,
                    "text/html; charset=utf-8",
                    bytes(
                            html(
                                    "<h1>Review finished</h1><p>The decisions are in the audit"
                                            + " log. You can close this page.</p>")));
            finished.countDown();
            return;
        }
        try {
            ReviewLog.Decision d = decision(form.get("decision"));
            if (path.equals("/decide")) {
                long id = parseId(form.get("token"));
                queue.decide(id, d, reviewer);
                count(d, 1);
                message("token " + id + ": " + past(d), false);
            } else {
                String check = form.getOrDefault("check", "");
                List<ReviewLog.Entry> done = queue.decideAll(check, d, reviewer);
                count(d, done.size());
                message(
                        done.size()
                                + (done.size() == 1 ? " token" : " tokens")
                                + " flagged by "
                                + check
                                + ": "
                                + past(d),
                        false);
            }
        } catch (QcException | IllegalArgumentException e) {
            message(e.getMessage(), true);
        }
        ex.getResponseHeaders().set("Location", "/");
        send(ex, 303, "text/plain", bytes("see /"));
    }

    private synchronized void count(ReviewLog.Decision d, int n) {
        counts.merge(d, n, Integer::sum);
    }

    private synchronized void message(String text, boolean error) {
        flash = text;
        flashIsError = error;
    }

    private static ReviewLog.Decision decision(String value) {
        if (value != null) {
            for (ReviewLog.Decision d : ReviewLog.Decision.values()) {
                if (d.specName().equals(value)) {
                    return d;
                }
            }
        }
        throw new IllegalArgumentException(
                "decision must be approve, reject or reroll, was '" + value + "'");
    }

    private static long parseId(String value) {
        try {
            return Long.parseLong(value == null ? "" : value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("token must be a token id, was '" + value + "'");
        }
    }

    private static String past(ReviewLog.Decision d) {
        return switch (d) {
            case APPROVE -> "approved";
            case REJECT -> "rejected";
            case REROLL -> "to be re-rolled (by the next 'serigraph render')";
        };
    }

    /** The page: flash message, bulk decisions by check, then each token awaiting a decision. */
    private String page() {
        StringBuilder b = new StringBuilder();
        b.append("<h1>Review: ").append(esc(spec.name())).append("</h1>");
        String message;
        boolean error;
        synchronized (this) {
            message = flash;
            error = flashIsError;
            flash = "";
        }
        if (!message.isEmpty()) {
            b.append("<p id=\"message\" class=\"")
                    .append(error ? "error" : "ok")
                    .append("\">")
                    .append(esc(message))
                    .append("</p>");
        }
        List<ReviewQueue.Item> items;
        try {
            items = queue.pending();
        } catch (QcException | IOException e) {
            b.append("<p class=\"error\">").append(esc(e.getMessage())).append("</p>");
            return html(b.toString());
        }
        b.append("<p id=\"summary\">")
                .append(items.size())
                .append(items.size() == 1 ? " token awaits" : " tokens await")
                .append(" a decision; deciding as <b>")
                .append(esc(reviewer))
                .append("</b>.</p>");
        b.append(form("/finish", "", button("finish", "", "Finish review")));
        Map<String, Integer> byCheck = ReviewQueue.countByCheck(items);
        if (!byCheck.isEmpty()) {
            b.append("<h2>By check</h2><table class=\"bulk\">");
            for (Map.Entry<String, Integer> e : byCheck.entrySet()) {
                String c = e.getKey();
                b.append("<tr><td>")
                        .append(esc(c))
                        .append("</td><td>")
                        .append(e.getValue())
                        .append(e.getValue() == 1 ? " token" : " tokens")
                        .append("</td><td>")
                        .append(
                                form(
                                        "/bulk",
                                        hidden("check", c),
                                        button("bulk-approve-" + c, "approve", "Approve all")
                                                + button("bulk-reject-" + c, "reject", "Reject all")
                                                + button(
                                                        "bulk-reroll-" + c,
                                                        "reroll",
                                                        "Re-roll all")))
                        .append("</td></tr>");
            }
            b.append("</table>");
        }
        for (ReviewQueue.Item item : items) {
            long id = item.tokenId();
            b.append("<section class=\"token\" id=\"token-").append(id).append("\">");
            b.append("<img alt=\"token ")
                    .append(id)
                    .append("\" width=\"256\" height=\"256\" src=\"/images/")
                    .append(id)
                    .append(".png\">");
            b.append("<div><h2>Token ")
                    .append(id)
                    .append(item.oneOfOne() ? " (one-of-one)" : "")
                    .append("</h2>");
            if (!item.note().isEmpty()) {
                b.append("<p class=\"error\">").append(esc(item.note())).append("</p>");
            }
            b.append(
                    "<table class=\"flags\"><tr><th>check</th><th>verdict</th><th>measured</th>"
                            + "<th>threshold</th><th>what to do</th></tr>");
            for (ReviewQueue.Flag f : item.flags()) {
                b.append("<tr><td>")
                        .append(esc(f.check()))
                        .append("</td><td>")
                        .append(f.verdict().name())
                        .append("</td><td>")
                        .append(String.format(Locale.ROOT, "%.4g", f.value()))
                        .append("</td><td>")
                        .append(esc(f.failsWhen()))
                        .append(String.format(Locale.ROOT, " %.4g", f.threshold()))
                        .append("</td><td>")
                        .append(esc(f.remedy()))
                        .append("</td></tr>");
            }
            b.append("</table>");
            String buttons =
                    button("approve-" + id, "approve", "Approve")
                            + button("reject-" + id, "reject", "Reject")
                            + (item.oneOfOne() ? "" : button("reroll-" + id, "reroll", "Re-roll"));
            b.append(form("/decide", hidden("token", Long.toString(id)), buttons));
            b.append("</div></section>");
        }
        return html(b.toString());
    }

    private String form(String action, String fields, String buttons) {
        return "<form method=\"post\" action=\""
                + action
                + "\">"
                + hidden("csrf", csrf)
                + fields
                + buttons
                + "</form>";
    }

    private static String hidden(String name, String value) {
        return "<input type=\"hidden\" name=\"" + name + "\" value=\"" + esc(value) + "\">";
    }

    private static String button(String id, String decision, String label) {
        return "<button type=\"submit\" id=\""
                + esc(id)
                + "\""
                + (decision.isEmpty() ? "" : " name=\"decision\" value=\"" + decision + "\"")
                + ">"
                + esc(label)
                + "</button>";
    }

    private static String html(String body) {
        return "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<title>serigraph review</title><style>"
                + "body{font-family:sans-serif;margin:1.5em;max-width:70em}"
                + ".token{display:flex;gap:1em;border-top:1px solid #ccc;padding:1em 0}"
                + "img{image-rendering:pixelated;border:1px solid #999;background:#eee}"
                + "table{border-collapse:collapse}td,th{padding:.2em .6em;text-align:left}"
                + ".error{color:#a00}.ok{color:#060}button{margin-right:.4em}"
                + "</style></head><body>"
                + body
                + "</body></html>";
    }

    /** Escapes text for HTML content and double-quoted attributes. */
    static String esc(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /** The urlencoded form of a POST; {@code null} when it is larger than allowed. */
    private static Map<String, String> form(HttpExchange ex) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        try (InputStream in = ex.getRequestBody()) {
            byte[] buf = new byte[4096];
            for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                body.write(buf, 0, n);
                if (body.size() > MAX_FORM_BYTES) {
                    return null;
                }
            }
        }
        Map<String, String> out = new HashMap<>();
        for (String pair : body.toString(StandardCharsets.US_ASCII).split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k = eq < 0 ? pair : pair.substring(0, eq);
            String v = eq < 0 ? "" : pair.substring(eq + 1);
            try {
                out.putIfAbsent(
                        URLDecoder.decode(k, StandardCharsets.UTF_8),
                        URLDecoder.decode(v, StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                return Map.of();
            }
        }
        return out;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static void send(HttpExchange ex, int status, String type, byte[] body)
            throws IOException {
        Headers h = ex.getResponseHeaders();
        h.set("Content-Type", type);
        h.set(
                "Content-Security-Policy",
                "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; form-action 'self';"
                        + " frame-ancestors 'none'; base-uri 'none'");
        h.set("X-Content-Type-Options", "nosniff");
        h.set("X-Frame-Options", "DENY");
        // same-origin, not no-referrer: with no-referrer the browser sends "Origin: null" on the
        // forms.
        h.set("Referrer-Policy", "same-origin");
        h.set("Cache-Control", "no-store");
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
    }
}
