package io.serigraph.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.serigraph.chain.pin.PinningServiceTestServer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code serigraph pin} against a Pinning Service API server on loopback. */
class PinCliTest {
    @TempDir Path dir;

    @RegisterExtension final ConsoleCapture console = new ConsoleCapture();

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
            assertThat(console.err()).contains("not published yet");

            assertThat(Main.run("publish", drop.toString())).isZero();
            console.resetOut();
            String[] pin = {
                "pin", drop.toString(), "--service", url, "--token-env", "SERIGRAPH_TEST_PIN_TOKEN"
            };
            assertThat(Main.run(pin)).isZero();
            assertThat(console.out())
                    .contains("images    bafybei")
                    .contains("contract  bafkrei")
                    .contains("queued")
                    .doesNotContain("test-token");
            assertThat(server.calls("POST")).isEqualTo(3);
            console.resetOut();
            assertThat(Main.run(pin)).isZero();
            assertThat(console.out()).contains("(already there)");
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
