package io.serigraph.chain.pin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.serigraph.chain.ipfs.CarReader;
import io.serigraph.chain.ipfs.Cid;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A client for a Kubo-compatible RPC API ({@code /api/v0}, as Kubo and js-ipfs serve it): importing
 * CAR files ({@code dag/import}, roots pinned), adding files ({@code add}, CIDv1 with raw leaves
 * and 1 MiB chunks, as ipfs-car makes them) and listing pins ({@code pin/ls}). Every call is
 * rate-limited, has a timeout and is retried with backoff; refused credentials are a {@link
 * PinningAuthException}. {@link #pinCar} is resumable per file: a CAR whose root is already pinned
 * is not sent again. Thread-safe.
 */
public final class KuboRpcClient {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI api;
    private final HttpCaller http;
    private final Duration timeout;

    private KuboRpcClient(URI api, HttpCaller http, Duration timeout) {
        this.api = api;
        this.http = http;
        this.timeout = timeout;
    }

    /** A builder; {@link Builder#setEndpoint} is required. */
    public static Builder builder() {
        return new Builder();
    }

    /** Settings for a client. */
    public static final class Builder {
        private URI endpoint;
        private String authorization;
        private Duration timeout = Duration.ofMinutes(2);
        private RetryPolicy retry = RetryPolicy.defaults();
        private RateLimiter limiter = new RateLimiter(10, 10);

        /** The node's RPC address, e.g. {@code http://127.0.0.1:5001}. */
        public Builder setEndpoint(URI endpoint) {
            this.endpoint = endpoint;
            return this;
        }

        /** The {@code Authorization} header value, e.g. {@code "Bearer <token>"} or Basic. */
        public Builder optAuthorization(String authorization) {
            this.authorization = authorization;
            return this;
        }

        /** The timeout of every call (default 2 minutes: a large CAR takes a while). */
        public Builder optTimeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        public Builder optRetry(RetryPolicy retry) {
            this.retry = retry;
            return this;
        }

        /** Default: 10 calls per second, bursts of 10. */
        public Builder optRateLimit(RateLimiter limiter) {
            this.limiter = limiter;
            return this;
        }

        public KuboRpcClient build() {
            if (endpoint == null) {
                throw new IllegalStateException("setEndpoint is required");
            }
            String base = endpoint.toString().replaceAll("/+$", "");
            URI api = URI.create(base.endsWith("/api/v0") ? base : base + "/api/v0");
            HttpClient client =
                    HttpClient.newBuilder()
                            .connectTimeout(
                                    timeout.compareTo(Duration.ofSeconds(10)) < 0
                                            ? timeout
                                            : Duration.ofSeconds(10))
                            .build();
            return new KuboRpcClient(
                    api,
                    new HttpCaller(
                            "IPFS node " + base,
                            client,
                            timeout,
                            retry,
                            limiter,
                            authorization,
                            false),
                    timeout);
        }
    }

    /** What {@link #pinCar} did. */
    public record CarPin(Path car, Cid root, boolean alreadyPinned) {}

    /**
     * Makes sure the root of {@code car} is pinned on the node: when it already is, nothing is
     * sent; otherwise the CAR is imported with its roots pinned. Resumable: run it again for every
     * CAR after a failure and only the missing ones are sent.
     */
    public CarPin pinCar(Path car) throws IOException {
        List<Cid> roots;
        try (InputStream in = Files.newInputStream(car);
                CarReader reader = new CarReader(in)) {
            roots = reader.roots();
        }
        if (roots.size() != 1) {
            throw new PinningException(car + " has " + roots.size() + " roots; expected one", 0);
        }
        Cid root = roots.get(0);
        if (isPinned(root)) {
            return new CarPin(car, root, true);
        }
        List<Cid> pinned = dagImport(car);
        if (!pinned.contains(root)) {
            throw new PinningException(
                    http.service()
                            + ": dag/import of "
                            + car
                            + " pinned "
                            + pinned
                            + " but not its root "
                            + root,
                    0);
        }
        return new CarPin(car, root, false);
    }

    /**
     * {@code POST /api/v0/dag/import?pin-roots=true}: imports a CAR file and pins its roots.
     * Returns the roots the node pinned.
     */
    public List<Cid> dagImport(Path car) throws IOException {
        requireFile(car);
        String what = "dag/import of " + car.getFileName();
        HttpCaller.Response r =
                http.send(
                        what,
                        uri("dag/import", "pin-roots=true"),
                        () -> multipart(car, "application/vnd.ipld.car"));
        List<Cid> roots = new ArrayList<>();
        for (JsonNode line : lines(r, what)) {
            JsonNode root = line.path("Root");
            if (root.isObject()) {
                String error = root.path("PinErrorMsg").asText("");
                if (!error.isEmpty()) {
                    throw new PinningException(
                            http.service() + ": " + what + ": pinning the root failed: " + error,
                            r.status());
                }
                roots.add(Cid.parse(root.path("Cid").path("/").asText()));
            }
        }
        return roots;
    }

    /**
     * {@code POST /api/v0/add}: adds and pins one file as ipfs-car would address it (CIDv1, raw
     * leaves, 1 MiB chunks); returns its CID.
     */
    public Cid add(Path file) throws IOException {
        requireFile(file);
        String what = "add of " + file.getFileName();
        HttpCaller.Response r =
                http.send(
                        what,
                        uri(
                                "add",
                                "cid-version=1&raw-leaves=true&chunker=size-1048576&pin=true"
                                        + "&cid-base=base32&progress=false"),
                        () -> multipart(file, "application/octet-stream"));
        List<JsonNode> lines = lines(r, what);
        if (lines.isEmpty() || !lines.get(lines.size() - 1).has("Hash")) {
            throw new PinningException(
                    http.service()
                            + ": "
                            + what
                            + ": no Hash in the answer"
                            + HttpCaller.detail(r.body()),
                    r.status());
        }
        return Cid.parse(lines.get(lines.size() - 1).get("Hash").asText());
    }

    /** {@code POST /api/v0/pin/ls?arg=<cid>&type=recursive}: whether {@code cid} is pinned. */
    public boolean isPinned(Cid cid) throws IOException {
        String what = "pin/ls of " + cid;
        HttpCaller.Response r =
                http.send(
                        what,
                        uri(
                                "pin/ls",
                                "arg="
                                        + cid
                                        + "&type=recursive&cid-base=base32&timeout="
                                        + timeout.toMillis()
                                        + "ms"),
                        () -> HttpRequest.newBuilder().POST(HttpRequest.BodyPublishers.noBody()));
        if (r.status() == 200) {
            return json(r, what).path("Keys").has(cid.toString());
        }
        String message = errorMessage(r);
        if (message.contains("not pinned")) {
            return false;
        }
        throw failure(what, r);
    }

    /** {@code POST /api/v0/pin/ls?type=recursive}: every recursively pinned CID. */
    public Set<Cid> pins() throws IOException {
        String what = "pin/ls";
        HttpCaller.Response r =
                http.send(
                        what,
                        uri("pin/ls", "type=recursive"),
                        () -> HttpRequest.newBuilder().POST(HttpRequest.BodyPublishers.noBody()));
        if (r.status() != 200) {
            throw failure(what, r);
        }
        Set<Cid> out = new LinkedHashSet<>();
        json(r, what).path("Keys").fieldNames().forEachRemaining(k -> out.add(Cid.parse(k)));
        return out;
    }

    private static void requireFile(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new java.nio.file.NoSuchFileException(file.toString(), null, "not a file");
        }
    }

    private URI uri(String command, String query) {
        return URI.create(api + "/" + command + "?" + query);
    }

    private static HttpRequest.Builder multipart(Path file, String type) {
        String boundary = "serigraph-" + Long.toHexString(ThreadLocalRandom.current().nextLong());
        String name = URLEncoder.encode(file.getFileName().toString(), StandardCharsets.UTF_8);
        byte[] head =
                ("--"
                                + boundary
                                + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\""
                                + name
                                + "\"\r\nContent-Type: "
                                + type
                                + "\r\n\r\n")
                        .getBytes(StandardCharsets.UTF_8);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
        HttpRequest.BodyPublisher body;
        try {
            body =
                    HttpRequest.BodyPublishers.concat(
                            HttpRequest.BodyPublishers.ofByteArray(head),
                            HttpRequest.BodyPublishers.ofFile(file),
                            HttpRequest.BodyPublishers.ofByteArray(tail));
        } catch (java.io.FileNotFoundException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return HttpRequest.newBuilder()
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(body);
    }

    private JsonNode json(HttpCaller.Response r, String what) throws PinningException {
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

    /** A 200 answer of newline-delimited JSON objects. */
    private List<JsonNode> lines(HttpCaller.Response r, String what) throws PinningException {
        if (r.status() != 200) {
            throw failure(what, r);
        }
        List<JsonNode> out = new ArrayList<>();
        for (String line : r.text().split("\n")) {
            if (!line.isBlank()) {
                try {
                    out.add(JSON.readTree(line));
                } catch (IOException e) {
                    throw new PinningException(
                            http.service() + ": " + what + ": the answer is not JSON: " + line,
                            r.status(),
                            e);
                }
            }
        }
        for (JsonNode n : out) {
            if ("error".equals(n.path("Type").asText()) && n.has("Message")) {
                throw new PinningException(
                        http.service() + ": " + what + ": " + n.get("Message").asText(),
                        r.status());
            }
        }
        return out;
    }

    private static String errorMessage(HttpCaller.Response r) {
        try {
            JsonNode n = JSON.readTree(r.body());
            return n.path("Message").asText(r.text());
        } catch (IOException e) {
            return r.text();
        }
    }

    private PinningException failure(String what, HttpCaller.Response r) {
        return new PinningException(
                http.service() + ": " + what + ": HTTP " + r.status() + ": " + errorMessage(r),
                r.status());
    }
}
