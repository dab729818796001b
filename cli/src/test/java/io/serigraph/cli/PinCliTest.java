package io.serigraph.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.serigraph.chain.pin.PinningServiceTestServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code serigraph pin} against a Pinning Service API server on loopback. */
class PinCliTest {
    @TempDir Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream savedOut;
    private PrintStream savedErr;

    @BeforeEach
    void capture() {
        savedOut = System.out;
        savedErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setOut(savedOut);
        System.setErr(savedErr);
    }

    @Test
    void pinsAPublishedDropWithAServiceOnceAndSaysSoAgain() throws Exception {
        Path drop = dir.resolve("drop");
        assertThat(Main.run("init", drop.toString(), "--size", "3", "--canvas", "64")).isZero();
        assertThat(Main.run("render", drop.toString())).isZero();
        try (PinningServiceTestServer server = new PinningServiceTestServer()) {
            String url = server.endpoint().toString();
            assertThat(Main.run("pin", drop.toString(), "--service", url))
                    .as("no token in SERIGRAPH_PIN_TOKEN")
                    .isEqualTo(ExitCodes.BAD_INPUT);
            assertThat(
                            Main.run(
                                    "pin",
                                    drop.toString(),
                                    "--service",
                                    url,
                                    "--token-env",
                                    "SERIGRAPH_TEST_PIN_TOKEN"))
                    .isEqualTo(ExitCodes.FAILURE);
            assertThat(err.toString(StandardCharsets.UTF_8)).contains("not published yet");

            assertThat(Main.run("publish", drop.toString())).isZero();
            out.reset();
            String[] pin = {
                "pin", drop.toString(), "--service", url, "--token-env", "SERIGRAPH_TEST_PIN_TOKEN"
            };
            assertThat(Main.run(pin)).isZero();
            assertThat(out.toString(StandardCharsets.UTF_8))
                    .contains("images    bafybei")
                    .contains("contract  bafkrei")
                    .contains("queued")
                    .doesNotContain("test-token");
            assertThat(server.calls("POST")).isEqualTo(3);
            out.reset();
            assertThat(Main.run(pin)).isZero();
            assertThat(out.toString(StandardCharsets.UTF_8)).contains("(already there)");
            assertThat(server.calls("POST")).isEqualTo(3);
        }
        assertThat(
                        Main.run(
                                "pin",
                                drop.toString(),
                                "--node",
                                "http://127.0.0.1:1",
                                "--service",
                                "http://x"))
                .isEqualTo(ExitCodes.BAD_INPUT);
    }
}
