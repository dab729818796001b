package io.serigraph.chain.pin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.serigraph.chain.ipfs.Cid;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Pinning Service API client against a spec-following server on loopback. */
class PinningServiceClientTest {
    private static final Cid CID = Cid.sha256(Cid.RAW, "hello\n".getBytes(StandardCharsets.UTF_8));
    private static final RetryPolicy FAST =
            new RetryPolicy(4, Duration.ofMillis(1), Duration.ofMillis(5));

    private PinningServiceTestServer server;

    @BeforeEach
    void start() throws Exception {
        server = new PinningServiceTestServer();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private PinningServiceClient client(String token, RetryPolicy retry, Duration timeout) {
        return PinningServiceClient.builder()
                .setEndpoint(server.endpoint())
                .setAccessToken(token)
                .optRetry(retry)
                .optTimeout(timeout)
                .optRateLimit(new RateLimiter(1000, 100))
                .build();
    }

    private PinningServiceClient client() {
        return client(PinningServiceTestServer.TOKEN, FAST, Duration.ofSeconds(10));
    }

    @Test
    void addFindAwaitAndRemove() throws Exception {
        PinningServiceClient c = client();
        PinStatus added =
                c.add(CID, "images", List.of("/ip4/10.0.0.1/tcp/4001"), Map.of("drop", "moths"));
        assertThat(added.status()).isEqualTo("queued");
        assertThat(added.cid()).isEqualTo(CID.toString());
        assertThat(added.name()).isEqualTo("images");
        assertThat(added.delegates()).hasSize(1);
        assertThat(added.info()).containsEntry("region", "test");

        assertThat(c.find(CID)).get().extracting(PinStatus::requestId).isEqualTo(added.requestId());
        PinStatus done = c.await(added.requestId(), Duration.ofMillis(1), Duration.ofSeconds(10));
        assertThat(done.pinned()).isTrue();

        c.remove(added.requestId());
        assertThat(c.find(CID)).isEmpty();
        assertThatThrownBy(() -> c.get(added.requestId()))
                .isInstanceOf(PinningException.class)
                .hasMessageContaining("HTTP 404 NOT_FOUND")
                .hasMessageContaining("no such pin request")
                .extracting(e -> ((PinningException) e).status())
                .isEqualTo(404);
    }

    @Test
    void ensurePinnedIsResumable() throws Exception {
        PinningServiceClient c = client();
        PinStatus first = c.ensurePinned(CID, "images", List.of());
        PinStatus again = c.ensurePinned(CID, "images", List.of());
        assertThat(again.requestId()).isEqualTo(first.requestId());
        assertThat(server.calls("POST")).isEqualTo(1);
    }

    @Test
    void refusedCredentialsAreAClearErrorAndNotRetried() {
        PinningServiceClient c = client("wrong-token", FAST, Duration.ofSeconds(10));
        assertThatThrownBy(() -> c.find(CID))
                .isInstanceOf(PinningAuthException.class)
                .hasMessageContaining("credentials were refused (HTTP 401 Unauthorized)")
                .hasMessageContaining("check the access token")
                .hasMessageContaining(server.endpoint().toString());
        assertThat(server.calls("GET")).isEqualTo(1);
    }

    @Test
    void busyAndFailingServersAreRetriedWithBackoff() throws Exception {
        PinningServiceClient c = client();
        server.failNext(2, 503);
        assertThat(c.add(CID, null, List.of(), Map.of()).status()).isEqualTo("queued");
        assertThat(server.calls("POST")).isEqualTo(3);

        server.failNext(1, 429);
        assertThat(c.find(CID)).isPresent();
        assertThat(server.calls("GET")).isEqualTo(2);
    }

    @Test
    void givesUpAfterTheLastAttempt() {
        server.failNext(100, 500);
        PinningServiceClient c =
                client(
                        PinningServiceTestServer.TOKEN,
                        new RetryPolicy(3, Duration.ofMillis(1), Duration.ofMillis(2)),
                        Duration.ofSeconds(10));
        assertThatThrownBy(() -> c.find(CID))
                .isInstanceOf(PinningException.class)
                .hasMessageContaining("HTTP 500")
                .hasMessageContaining("gave up after 3 attempts");
        assertThat(server.calls("GET")).isEqualTo(3);
    }

    @Test
    void everyCallHasATimeout() {
        server.stall();
        PinningServiceClient c =
                client(PinningServiceTestServer.TOKEN, RetryPolicy.none(), Duration.ofMillis(300));
        assertThatThrownBy(() -> c.find(CID))
                .isInstanceOf(PinningException.class)
                .hasMessageContaining("no answer within PT0.3S")
                .extracting(e -> ((PinningException) e).status())
                .isEqualTo(0);
    }

    @Test
    void badRequestsCarryTheServicesReason() {
        PinningServiceClient c = client();
        assertThatThrownBy(() -> c.add(CID, "n".repeat(300), List.of(), Map.of()))
                .isInstanceOf(PinningException.class)
                .hasMessageContaining("HTTP 400 BAD_REQUEST: name is longer than 255 characters");
    }
}
