package io.serigraph.chain.pin;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Sends requests for a pinning client: every call waits for the rate limiter, carries a timeout and
 * the credentials, is retried with backoff while it fails for a reason that may pass, and fails
 * with a clear {@link PinningAuthException} when the credentials are refused.
 */
final class HttpCaller {
    /** An answer: its status and body. */
    record Response(int status, byte[] body, String contentType) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private final String service;
    private final HttpClient client;
    private final Duration timeout;
    private final RetryPolicy retry;
    private final RateLimiter limiter;
    private final String authorization;
    private final boolean retry500;

    /**
     * @param retry500 whether HTTP 500 is worth retrying: yes for the Pinning Service API, no for
     *     the Kubo RPC API, which answers 500 for every error, "not pinned" included
     */
    HttpCaller(
            String service,
            HttpClient client,
            Duration timeout,
            RetryPolicy retry,
            RateLimiter limiter,
            String authorization,
            boolean retry500) {
        this.service = service;
        this.client = client;
        this.timeout = timeout;
        this.retry = retry;
        this.limiter = limiter;
        this.authorization = authorization;
        this.retry500 = retry500;
    }

    String service() {
        return service;
    }

    /**
     * Sends the request {@code request} builds (called again for each attempt) and returns the
     * first answer that is not worth retrying; the caller judges its status.
     *
     * @param what the call, for messages (e.g. {@code "dag/import of images.car"})
     */
    Response send(String what, URI uri, Supplier<HttpRequest.Builder> request)
            throws PinningException {
        PinningException last = null;
        for (int attempt = 1; attempt <= retry.maxAttempts(); attempt++) {
            Duration retryAfter = null;
            try {
                limiter.acquire();
                HttpRequest.Builder b = request.get().uri(uri).timeout(timeout);
                if (authorization != null) {
                    b.header("Authorization", authorization);
                }
                HttpResponse<byte[]> r =
                        client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
                int status = r.statusCode();
                String type = r.headers().firstValue("Content-Type").orElse("");
                if (status == 401 || status == 403) {
                    throw new PinningAuthException(
                            service
                                    + ": "
                                    + what
                                    + ": the credentials were refused (HTTP "
                                    + status
                                    + (status == 401 ? " Unauthorized" : " Forbidden")
                                    + "); check the access token"
                                    + detail(r.body()),
                            status);
                }
                boolean retryable = RetryPolicy.retryable(status) && (retry500 || status != 500);
                if (!retryable || retry.maxAttempts() == 1) {
                    return new Response(status, r.body(), type);
                }
                last =
                        new PinningException(
                                service + ": " + what + ": HTTP " + status + detail(r.body()),
                                status);
                retryAfter =
                        r.headers()
                                .firstValue("Retry-After")
                                .map(HttpCaller::retryAfter)
                                .orElse(null);
            } catch (HttpTimeoutException e) {
                last =
                        new PinningException(
                                service + ": " + what + ": no answer within " + timeout, 0, e);
            } catch (PinningException e) {
                throw e;
            } catch (IOException e) {
                last =
                        new PinningException(
                                service
                                        + ": "
                                        + what
                                        + ": cannot reach "
                                        + uri.getScheme()
                                        + "://"
                                        + uri.getAuthority()
                                        + " ("
                                        + e
                                        + ")",
                                0,
                                e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new PinningException(service + ": " + what + ": interrupted", 0, e);
            }
            if (attempt < retry.maxAttempts()) {
                try {
                    TimeUnit.MILLISECONDS.sleep(retry.backoff(attempt, retryAfter).toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new PinningException(service + ": " + what + ": interrupted", 0, e);
                }
            }
        }
        throw new PinningException(
                last.getMessage() + " (gave up after " + retry.maxAttempts() + " attempts)",
                last.status(),
                last.getCause());
    }

    private static Duration retryAfter(String value) {
        try {
            return Duration.ofSeconds(Long.parseLong(value.trim()));
        } catch (NumberFormatException e) {
            return null; // an HTTP date: fall back to our own backoff
        }
    }

    /** A short excerpt of an error body, for messages. */
    static String detail(byte[] body) {
        if (body == null || body.length == 0) {
            return "";
        }
        String text = new String(body, StandardCharsets.UTF_8).strip();
        if (text.length() > 300) {
            text = text.substring(0, 300) + "...";
        }
        return ": " + text;
    }
}
