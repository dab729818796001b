package io.serigraph.chain.pin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.serigraph.chain.ipfs.CarPacker;
import io.serigraph.chain.ipfs.Cid;
import io.serigraph.chain.ipfs.UnixFsImporter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Kubo RPC client against a real IPFS node (js-ipfs, offline, on loopback). */
class KuboRpcClientTest {
    private static JsIpfsNode node;

    @TempDir Path dir;

    @BeforeAll
    static void startNode() throws Exception {
        node = JsIpfsNode.start();
    }

    @AfterAll
    static void stopNode() throws Exception {
        if (node != null) {
            node.close();
        }
    }

    private static KuboRpcClient client() {
        return KuboRpcClient.builder()
                .setEndpoint(node.api())
                .optTimeout(Duration.ofSeconds(60))
                .optRetry(new RetryPolicy(3, Duration.ofMillis(50), Duration.ofMillis(200)))
                .build();
    }

    @Test
    void importsACarPinsItsRootAndSkipsItTheSecondTime() throws Exception {
        Path images = dir.resolve("images");
        Files.createDirectories(images);
        Random random = new Random(5);
        for (int i = 1; i <= 20; i++) {
            byte[] b = new byte[1000 + random.nextInt(5000)];
            random.nextBytes(b);
            Files.write(images.resolve(i + ".png"), b);
        }
        Path car = dir.resolve("images.car");
        Cid root = CarPacker.pack(new UnixFsImporter(), images, true, car).root();

        KuboRpcClient c = client();
        assertThat(c.isPinned(root)).isFalse();
        KuboRpcClient.CarPin first = c.pinCar(car);
        assertThat(first.root()).isEqualTo(root);
        assertThat(first.alreadyPinned()).isFalse();
        assertThat(c.isPinned(root)).isTrue();
        assertThat(c.pins()).contains(root);

        KuboRpcClient.CarPin again = c.pinCar(car);
        assertThat(again.alreadyPinned()).isTrue();
    }

    @Test
    void addGivesTheCidIpfsCarGives() throws Exception {
        Path file = dir.resolve("big.bin");
        byte[] b = new byte[3 * 1024 * 1024 + 123];
        new Random(9).nextBytes(b);
        Files.write(file, b);
        Cid expected = new UnixFsImporter().importBytes(b, block -> {}).root();
        Cid added = client().add(file);
        assertThat(added).isEqualTo(expected);
        assertThat(client().isPinned(added)).isTrue();

        Path small = Files.writeString(dir.resolve("hello.txt"), "hello world\n");
        assertThat(client().add(small).toString())
                .isEqualTo("bafkreifjjcie6lypi6ny7amxnfftagclbuxndqonfipmb64f2km2devei4");
    }

    @Test
    void aCarThatIsNotACarIsRefusedByTheNode() throws Exception {
        Path junk = Files.writeString(dir.resolve("junk.car"), "not a car", StandardCharsets.UTF_8);
        assertThatThrownBy(() -> client().dagImport(junk))
                .isInstanceOf(PinningException.class)
                .hasMessageContaining("dag/import of junk.car");
    }
}
