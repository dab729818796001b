package io.serigraph.pipeline.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.serigraph.chain.pin.JsIpfsNode;
import io.serigraph.chain.pin.KuboRpcClient;
import io.serigraph.chain.pin.PinningServiceClient;
import io.serigraph.chain.pin.PinningServiceTestServer;
import io.serigraph.chain.pin.RateLimiter;
import io.serigraph.chain.pin.RetryPolicy;
import io.serigraph.pipeline.spec.CollectionSpec;
import io.serigraph.pipeline.store.AuditEvent;
import io.serigraph.pipeline.store.DropStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pinning a real published drop on a real js-ipfs node and a Pinning Service API server. */
class PinStageTest {
    @TempDir Path dir;

    private TestDrop published() throws Exception {
        TestDrop drop = TestDrop.create(dir.resolve("drop"), 6, "");
        drop.render();
        drop.publish(false);
        return drop;
    }

    @Test
    void pinsTheCarsAndContractOnANodeAndResumes() throws Exception {
        TestDrop drop = published();
        CollectionSpec spec = drop.load();
        try (JsIpfsNode node = JsIpfsNode.start();
                DropStore store = DropStore.open(drop.out().resolve("drop.db"))) {
            KuboRpcClient client =
                    KuboRpcClient.builder()
                            .setEndpoint(node.api())
                            .optTimeout(Duration.ofSeconds(60))
                            .build();
            PinStage stage = new PinStage(spec, store);
            List<PinStage.Item> first = stage.toNode(client, node.api().toString(), "test");
            assertThat(first)
                    .extracting(PinStage.Item::what)
                    .containsExactly("images", "metadata", "contract");
            assertThat(first).noneMatch(PinStage.Item::already);
            assertThat(client.pins())
                    .contains(first.get(0).cid(), first.get(1).cid(), first.get(2).cid());
            assertThat(first.get(1).cid().toString())
                    .isEqualTo(store.meta(PublishStage.META_METADATA_CID).orElseThrow());

            List<PinStage.Item> again = stage.toNode(client, node.api().toString(), "test");
            assertThat(again).allMatch(PinStage.Item::already);
            assertThat(store.audit()).extracting(AuditEvent::event).contains("pin.node");
        }
    }

    @Test
    void asksAPinningServiceOnceForEachCid() throws Exception {
        TestDrop drop = published();
        try (PinningServiceTestServer server = new PinningServiceTestServer();
                DropStore store = DropStore.open(drop.out().resolve("drop.db"))) {
            PinningServiceClient client =
                    PinningServiceClient.builder()
                            .setEndpoint(server.endpoint())
                            .setAccessToken(PinningServiceTestServer.TOKEN)
                            .optRetry(
                                    new RetryPolicy(3, Duration.ofMillis(1), Duration.ofMillis(5)))
                            .optRateLimit(new RateLimiter(1000, 100))
                            .build();
            PinStage stage = new PinStage(drop.load(), store);
            List<PinStage.Item> first = stage.toService(client, "test-service", "test");
            assertThat(first).extracting(PinStage.Item::status).containsOnly("queued");
            assertThat(server.calls("POST")).isEqualTo(3);
            List<PinStage.Item> again = stage.toService(client, "test-service", "test");
            assertThat(again).allMatch(PinStage.Item::already);
            assertThat(server.calls("POST")).isEqualTo(3);
        }
    }

    @Test
    void refusesADropNotYetPublished() throws Exception {
        TestDrop drop = TestDrop.create(dir.resolve("drop"), 3, "");
        drop.render();
        try (PinningServiceTestServer server = new PinningServiceTestServer();
                DropStore store = DropStore.open(drop.out().resolve("drop.db"))) {
            PinningServiceClient client =
                    PinningServiceClient.builder()
                            .setEndpoint(server.endpoint())
                            .setAccessToken(PinningServiceTestServer.TOKEN)
                            .build();
            assertThatThrownBy(
                            () -> new PinStage(drop.load(), store).toService(client, "x", "test"))
                    .isInstanceOf(PublishException.class)
                    .hasMessageContaining("not published yet");
            assertThat(server.calls("POST")).isZero();
        }
    }
}
