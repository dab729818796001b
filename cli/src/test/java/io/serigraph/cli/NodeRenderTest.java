package io.serigraph.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.InsecureServerCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.serigraph.engine.composite.DeviceSetting;
import io.serigraph.grpc.server.BearerTokens;
import io.serigraph.grpc.server.SerigraphServer;
import io.serigraph.pipeline.sample.SampleCollection;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code serigraph render DIR --node} against a real node on loopback, and {@code serve} checks.
 */
class NodeRenderTest {
    private static final String TOKEN = "cli-node-token-0123456789";

    @TempDir Path dir;

    @Test
    void dropRenderedThroughANodeIsByteIdenticalToTheLocalRender() throws Exception {
        Path local = dir.resolve("local");
        Path remote = dir.resolve("remote");
        new SampleCollection(64).write(local, 16, "node-test");
        new SampleCollection(64).write(remote, 16, "node-test");
        // One hand-made token too: its art travels in the layer set and renders on the node.
        for (Path drop : List.of(local, remote)) {
            Files.createDirectories(drop.resolve("art"));
            Files.copy(drop.resolve("layers/06 Eyes/Ruby#3.png"), drop.resolve("art/ruby.png"));
            Files.writeString(
                    drop.resolve("serigraph.yaml"),
                    Files.readString(drop.resolve("serigraph.yaml"))
                            + "one_of_ones:\n"
                            + "  - {image: art/ruby.png, attributes: {Eyes: Ruby Alone}}\n");
        }
        Path tokens = dir.resolve("tokens");
        Files.writeString(tokens, "cli " + TOKEN + " render\n", StandardCharsets.UTF_8);
        Path tokenFile = dir.resolve("token");
        Files.writeString(tokenFile, TOKEN + "\n", StandardCharsets.UTF_8);

        PrintStream saved = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (SerigraphServer server =
                SerigraphServer.builder(
                                NettyServerBuilder.forAddress(
                                        new InetSocketAddress("127.0.0.1", 0),
                                        InsecureServerCredentials.create()))
                        .setLayerDir(dir.resolve("node"))
                        .optDevice(DeviceSetting.JAVA)
                        .optThreads(2)
                        .optTokens(BearerTokens.load(tokens))
                        .optShutdownGrace(Duration.ofSeconds(5))
                        .start()) {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            assertThat(Main.run("render", local.toString(), "--device", "java", "--threads", "2"))
                    .isEqualTo(ExitCodes.OK);
            assertThat(
                            Main.run(
                                    "render",
                                    remote.toString(),
                                    "--threads",
                                    "2",
                                    "--node",
                                    "127.0.0.1:" + server.port(),
                                    "--token-file",
                                    tokenFile.toString()))
                    .isEqualTo(ExitCodes.OK);
            assertThat(server.stats().tokensRendered()).isEqualTo(16);
        } finally {
            System.setOut(saved);
        }
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("node 127.0.0.1:");
        for (String sub : List.of("out/images", "out/metadata")) {
            List<Path> files = list(local.resolve(sub));
            assertThat(files).hasSize(16);
            assertThat(list(remote.resolve(sub)).stream().map(Path::getFileName).toList())
                    .isEqualTo(files.stream().map(Path::getFileName).toList());
            for (Path f : files) {
                assertThat(remote.resolve(sub).resolve(f.getFileName())).hasSameBinaryContentAs(f);
            }
        }
    }

    @Test
    void serveRefusesAnOpenNodeOffLoopbackWithoutInsecure() {
        PrintStream saved = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code =
                    Main.commandLine()
                            .setErr(new java.io.PrintWriter(err, true, StandardCharsets.UTF_8))
                            .execute("serve", "--host", "0.0.0.0", "--port", "0");
            assertThat(code).isEqualTo(ExitCodes.BAD_INPUT);
        } finally {
            System.setErr(saved);
        }
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("--insecure")
                .contains("--tokens");
    }

    private static List<Path> list(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }
}
