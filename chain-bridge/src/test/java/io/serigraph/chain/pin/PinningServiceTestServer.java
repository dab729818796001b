package io.serigraph.chain.pin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.serigraph.chain.ipfs.Cid;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An IPFS Pinning Service API server for tests (com.sun.net.httpserver on 127.0.0.1), following the
 * published spec (https://ipfs.github.io/pinning-services-api-spec/) and its status codes: bearer
 * auth (401), {@code GET /pins} with {@code cid}, {@code status}, {@code limit} (200), {@code POST
 * /pins} (202, 400 for a bad body), {@code GET/POST/DELETE /pins/{requestid}} (200/202/202, 404 for
 * an unknown id). A request moves queued → pinning → pinned as it is read. Faults can be injected:
 * the next n requests answer a given status, or every request stalls until closed.
 */
public final class PinningServiceTestServer implements AutoCloseable {
    public static final String TOKEN = "test-token";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> STATUSES = Set.of("queued", "pinning", "pinned", "failed");

    private final HttpServer server;
    private final Map<String, ObjectNode> pins = new LinkedHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<String, AtomicInteger> calls = new HashMap<>();
    private final CountDownLatch released = new CountDownLatch(1);
    private int failNext;
    private int failStatus;
    private boolean stall;

    public PinningServiceTestServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/pins", this::handle);
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** The next {@code n} requests answer {@code status} (with {@code Retry-After: 0} for 429). */
    public synchronized void failNext(int n, int status) {
        failNext = n;
        failStatus = status;
    }

    /** Every request from now on waits until the server is closed. */
    public synchronized void stall() {
        stall = true;
    }

    /** Requests seen with this method ("GET", "POST", "DELETE"), faults included. */
    public synchronized int calls(String method) {
        return calls.computeIfAbsent(method, k -> new AtomicInteger()).get();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            boolean wait;
            int fault = 0;
            synchronized (this) {
                calls.computeIfAbsent(ex.getRequestMethod(), k -> new AtomicInteger())
                        .incrementAndGet();
                wait = stall;
                if (failNext > 0) {
                    failNext--;
                    fault = failStatus;
                }
            }
            if (wait) {
                released.await();
                return;
            }
            if (fault != 0) {
                if (fault == 429) {
                    ex.getResponseHeaders().add("Retry-After", "0");
                }
                error(ex, fault, "INJECTED", "injected fault " + fault);
                return;
            }
            if (!("Bearer " + TOKEN).equals(ex.getRequestHeaders().getFirst("Authorization"))) {
                error(ex, 401, "UNAUTHORIZED", "Access token is missing or invalid");
                return;
            }
            String path = ex.getRequestURI().getPath();
            String method = ex.getRequestMethod();
            synchronized (this) {
                if (path.equals("/pins") && method.equals("GET")) {
                    list(ex);
                } else if (path.equals("/pins") && method.equals("POST")) {
                    add(ex, null);
                } else if (path.startsWith("/pins/")) {
                    String id = path.substring("/pins/".length());
                    ObjectNode pin = pins.get(id);
                    if (pin == null) {
                        error(ex, 404, "NOT_FOUND", "The specified resource was not found");
                    } else if (method.equals("GET")) {
                        advance(pin);
                        send(ex, 200, pin);
                    } else if (method.equals("POST")) {
                        add(ex, id);
                    } else if (method.equals("DELETE")) {
                        pins.remove(id);
                        ex.sendResponseHeaders(202, -1);
                    } else {
                        error(ex, 405, "METHOD_NOT_ALLOWED", method);
                    }
                } else {
                    error(ex, 404, "NOT_FOUND", path);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void list(HttpExchange ex) throws IOException {
        Map<String, String> q = query(ex.getRequestURI());
        List<String> cids = q.containsKey("cid") ? Arrays.asList(q.get("cid").split(",")) : null;
        List<String> statuses = Arrays.asList(q.getOrDefault("status", "pinned").split(","));
        for (String s : statuses) {
            if (!STATUSES.contains(s)) {
                error(ex, 400, "BAD_REQUEST", "unknown status " + s);
                return;
            }
        }
        int limit = Integer.parseInt(q.getOrDefault("limit", "10"));
        if (limit < 1 || limit > 1000) {
            error(ex, 400, "BAD_REQUEST", "limit must be 1..1000");
            return;
        }
        List<ObjectNode> matching = new ArrayList<>();
        for (ObjectNode p : pins.values()) {
            if ((cids == null || cids.contains(p.path("pin").path("cid").asText()))
                    && statuses.contains(p.path("status").asText())) {
                matching.add(0, p); // newest first
            }
        }
        ObjectNode body = JSON.createObjectNode();
        body.put("count", matching.size());
        ArrayNode results = body.putArray("results");
        matching.stream().limit(limit).forEach(results::add);
        send(ex, 200, body);
    }

    private void add(HttpExchange ex, String replaces) throws IOException {
        JsonNode pin;
        try {
            pin = JSON.readTree(ex.getRequestBody().readAllBytes());
        } catch (IOException e) {
            error(ex, 400, "BAD_REQUEST", "body is not JSON");
            return;
        }
        if (pin == null || !pin.path("cid").isTextual()) {
            error(ex, 400, "BAD_REQUEST", "cid is required");
            return;
        }
        try {
            Cid.parse(pin.get("cid").asText());
        } catch (RuntimeException e) {
            error(ex, 400, "BAD_REQUEST", "invalid cid");
            return;
        }
        if (pin.path("name").asText("").length() > 255) {
            error(ex, 400, "BAD_REQUEST", "name is longer than 255 characters");
            return;
        }
        if (replaces != null) {
            pins.remove(replaces);
        }
        String id = "req-" + ids.incrementAndGet();
        ObjectNode status = JSON.createObjectNode();
        status.put("requestid", id);
        status.put("status", "queued");
        status.put("created", Instant.ofEpochSecond(1_700_000_000L + ids.get()).toString());
        status.set("pin", pin);
        status.putArray("delegates").add("/ip4/127.0.0.1/tcp/4001/p2p/12D3KooWtest");
        status.putObject("info").put("region", "test");
        pins.put(id, status);
        send(ex, 202, status);
    }

    private static void advance(ObjectNode pin) {
        String s = pin.get("status").asText();
        pin.put("status", s.equals("queued") ? "pinning" : s.equals("pinning") ? "pinned" : s);
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> q = new HashMap<>();
        if (uri.getRawQuery() != null) {
            for (String part : uri.getRawQuery().split("&")) {
                int eq = part.indexOf('=');
                q.put(
                        URLDecoder.decode(part.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(part.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return q;
    }

    private static void error(HttpExchange ex, int status, String reason, String details)
            throws IOException {
        ObjectNode body = JSON.createObjectNode();
        ObjectNode error = body.putObject("error");
        error.put("reason", reason);
        error.put("details", details);
        send(ex, status, body);
    }

    private static void send(HttpExchange ex, int status, JsonNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        released.countDown();
        server.stop(0);
    }
}
