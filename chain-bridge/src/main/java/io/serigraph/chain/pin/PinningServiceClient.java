package io.serigraph.chain.pin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.serigraph.chain.ipfs.Cid;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A client for the IPFS Pinning Service API (https://ipfs.github.io/pinning-services-api-spec/,
 * {@code /pins}), as Pinata, web3.storage-compatible services and Kubo's remote pinning speak it.
 * Bearer-token auth; every call rate-limited, with a timeout, retried with backoff on 408, 429
 * (honouring {@code Retry-After}) and 5xx; 401/403 are a {@link PinningAuthException}; other errors
 * carry the service's {@code error.reason} and {@code error.details}. {@link #ensurePinned} is
 * resumable: a CID the service already has a request for is not requested again. Thread-safe.
 */
public final class PinningServiceClient {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Every status, for looking up existing requests. */
    private static final String ALL_STATUSES = "queued,pinning,pinned,failed";

    private final URI endpoint;
    private final HttpCaller http;

    private PinningServiceClient(URI endpoint, HttpCaller http) {
        this.endpoint = endpoint;
        this.http = http;
    }

    /** A builder; {@link Builder#setEndpoint} and {@link Builder#setAccessToken} are required. */
    public static Builder builder() {
        return new Builder();
    }

    /** Settings for a client. */
    public static final class Builder {
        private URI endpoint;
        private String token;
        private Duration timeout = Duration.ofSeconds(30);
        private RetryPolicy retry = RetryPolicy.defaults();
        private RateLimiter limiter = new RateLimiter(3, 3);

        /** The API's base URL, without {@code /pins}, e.g. {@code https://api.pinata.cloud/psa}. */
        public Builder setEndpoint(URI endpoint) {
            this.endpoint = endpoint;
            return this;
        }

        /** The access token, sent as {@code Authorization: Bearer <token>}. */
        public Builder setAccessToken(String token) {
            this.token = token;
            return this;
        }

        /** The timeout of every call (default 30 s). */
        public Builder optTimeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        public Builder optRetry(RetryPolicy retry) {
            this.retry = retry;
            return this;
        }

        /** Default: 3 calls per second, bursts of 3 (services limit requests per minute). */
        public Builder optRateLimit(RateLimiter limiter) {
            this.limiter = limiter;
            return this;
        }

        public PinningServiceClient build() {
            if (endpoint == null || token == null || token.isBlank()) {
                throw new IllegalStateException("setEndpoint and setAccessToken are required");
            }
            URI base = URI.create(endpoint.toString().replaceAll("/+$", ""));
            HttpClient client =
                    HttpClient.newBuilder()
                            .connectTimeout(
                                    timeout.compareTo(Duration.ofSeconds(10)) < 0
                                            ? timeout
                                            : Duration.ofSeconds(10))
                            .build();
            return new PinningServiceClient(
                    base,
                    new HttpCaller(
                            "pinning service " + base,
                            client,
                            timeout,
                            retry,
                            limiter,
                            "Bearer " + token,
                            true));
        }
    }

    /**
     * {@code POST /pins}: asks the service to pin {@code cid}.
     *
     * @param name a name to show in the service, or {@code null}
     * @param origins multiaddrs of nodes that have the content (e.g. ours), may be empty
     * @param meta free key/value pairs, may be empty
     */
    public PinStatus add(Cid cid, String name, List<String> origins, Map<String, String> meta)
            throws IOException {
        ObjectNode pin = JSON.createObjectNode();
        pin.put("cid", cid.toString());
        if (name != null) {
            pin.put("name", name);
        }
        if (!origins.isEmpty()) {
            origins.forEach(pin.putArray("origins")::add);
        }
        if (!meta.isEmpty()) {
            ObjectNode m = pin.putObject("meta");
            meta.forEach(m::put);
        }
        byte[] body = JSON.writeValueAsBytes(pin);
        String what = "add pin " + cid;
        HttpCaller.Response r =
                http.send(
                        what,
                        URI.create(endpoint + "/pins"),
                        () ->
                                HttpRequest.newBuilder()
                                        .header("Content-Type", "application/json")
                                        .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
        expect(r, what, 202, 200);
        return status(read(r, what), what);
    }

    /**
     * {@code GET /pins?cid=<cid>&status=queued,pinning,pinned,failed}: the service's newest request
     * for {@code cid}, if any.
     */
    public Optional<PinStatus> find(Cid cid) throws IOException {
        String what = "find pins of " + cid;
        HttpCaller.Response r =
                http.send(
                        what,
                        URI.create(
                                endpoint
                                        + "/pins?cid="
                                        + URLEncoder.encode(cid.toString(), StandardCharsets.UTF_8)
                                        + "&status="
                                        + URLEncoder.encode(ALL_STATUSES, StandardCharsets.UTF_8)
                                        + "&limit=1"),
                        () -> HttpRequest.newBuilder().GET());
        expect(r, what, 200);
        JsonNode results = read(r, what).path("results");
        if (!results.isArray()) {
            throw new PinningException(
                    http.service() + ": " + what + ": the answer has no results list", r.status());
        }
        return results.isEmpty() ? Optional.empty() : Optional.of(status(results.get(0), what));
    }

    /** {@code GET /pins/{requestid}}. */
    public PinStatus get(String requestId) throws IOException {
        String what = "get pin request " + requestId;
        HttpCaller.Response r =
                http.send(
                        what,
                        URI.create(
                                endpoint
                                        + "/pins/"
                                        + URLEncoder.encode(requestId, StandardCharsets.UTF_8)),
                        () -> HttpRequest.newBuilder().GET());
        expect(r, what, 200);
        return status(read(r, what), what);
    }

    /** {@code DELETE /pins/{requestid}}: removes the pin request. */
    public void remove(String requestId) throws IOException {
        String what = "remove pin request " + requestId;
        HttpCaller.Response r =
                http.send(
                        what,
                        URI.create(
                                endpoint
                                        + "/pins/"
                                        + URLEncoder.encode(requestId, StandardCharsets.UTF_8)),
                        () -> HttpRequest.newBuilder().DELETE());
        expect(r, what, 202, 200);
    }

    /**
     * Resumable: the service's existing request for {@code cid} unless there is none or it failed,
     * in which case a new one is made.
     */
    public PinStatus ensurePinned(Cid cid, String name, List<String> origins) throws IOException {
        Optional<PinStatus> existing = find(cid);
        if (existing.isPresent() && !existing.get().failed()) {
            return existing.get();
        }
        return add(cid, name, origins, Map.of());
    }

    /**
     * Polls {@code GET /pins/{requestid}} every {@code interval} until the request is pinned or
     * failed, or {@code timeout} has passed; returns the last status seen.
     */
    public PinStatus await(String requestId, Duration interval, Duration timeout)
            throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        PinStatus s = get(requestId);
        while (!s.pinned() && !s.failed() && System.nanoTime() < deadline) {
            try {
                TimeUnit.NANOSECONDS.sleep(
                        Math.min(interval.toNanos(), Math.max(0, deadline - System.nanoTime())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new PinningException(
                        http.service() + ": waiting for " + requestId + ": interrupted", 0, e);
            }
            s = get(requestId);
        }
        return s;
    }

    private void expect(HttpCaller.Response r, String what, int... ok) throws PinningException {
        for (int s : ok) {
            if (r.status() == s) {
                return;
            }
        }
        String reason = "";
        try {
            JsonNode error = JSON.readTree(r.body()).path("error");
            if (error.isObject()) {
                reason = error.path("reason").asText("");
                String details = error.path("details").asText("");
                if (!details.isEmpty()) {
                    reason += ": " + details;
                }
            }
        } catch (IOException e) {
            reason = "";
        }
        throw new PinningException(
                http.service()
                        + ": "
                        + what
                        + ": HTTP "
                        + r.status()
                        + (reason.isEmpty() ? HttpCaller.detail(r.body()) : " " + reason)
                        + (r.status() == 404 ? " (no such pin request)" : "")
                        + (r.status() == 409
                                ? " (the account cannot pin more: check its plan)"
                                : ""),
                r.status());
    }

    private JsonNode read(HttpCaller.Response r, String what) throws PinningException {
        try {
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new PinningException(
                    http.service()
                            + ": "
                            + what
                            + ": the answer is not JSON"
                            + HttpCaller.detail(r.body()),
                    r.status(),
                    e);
        }
    }

    private PinStatus status(JsonNode n, String what) throws PinningException {
        JsonNode pin = n.path("pin");
        if (!n.path("requestid").isTextual()
                || !n.path("status").isTextual()
                || !pin.path("cid").isTextual()) {
            throw new PinningException(http.service() + ": " + what + ": not a PinStatus: " + n, 0);
        }
        List<String> delegates = new ArrayList<>();
        n.path("delegates").forEach(d -> delegates.add(d.asText()));
        Map<String, String> info = new LinkedHashMap<>();
        n.path("info").fields().forEachRemaining(e -> info.put(e.getKey(), e.getValue().asText()));
        return new PinStatus(
                n.get("requestid").asText(),
                n.get("status").asText(),
                n.path("created").asText(""),
                pin.get("cid").asText(),
                pin.path("name").isTextual() ? pin.get("name").asText() : null,
                delegates,
                info);
    }
}
