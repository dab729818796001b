package io.serigraph.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.serigraph.grpc.server.SerigraphServer;
import io.serigraph.grpc.v1.DescribeRequest;
import io.serigraph.grpc.v1.DescribeResponse;
import io.serigraph.grpc.v1.InferenceServiceGrpc;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code serigraph serve} on 127.0.0.1 with the model store of {@code score} and {@code qc}: with
 * no model flag it installs the shipped tiny model and answers InferenceService with it.
 */
class ServeCommandTest {
    private static final String INFERENCE = "serigraph.v1.InferenceService";

    @TempDir Path dir;

    @RegisterExtension final ConsoleCapture console = new ConsoleCapture();

    private static ServeCommand serve(String... args) {
        ServeCommand command = new ServeCommand();
        new CommandLine(command).parseArgs(args);
        return command;
    }

    @Test
    void aPlainServeAnswersInferenceWithTheBestInstalledModel() throws Exception {
        Path models = dir.resolve("models");
        ServeCommand command =
                serve("--port", "0", "--models", models.toString(), "--layers", dir.toString());
        withWarmNode(
                command,
                channel -> {
                    assertThat(health(channel, INFERENCE)).isEqualTo(ServingStatus.SERVING);
                    DescribeResponse d =
                            InferenceServiceGrpc.newBlockingStub(channel)
                                    .withDeadlineAfter(1, TimeUnit.MINUTES)
                                    .describe(DescribeRequest.getDefaultInstance());
                    assertThat(d.getClipModel()).isEqualTo("clip-tiny/1");
                    assertThat(d.getAestheticModel()).isEqualTo("aesthetic-tiny/1");
                    assertThat(d.getWeightsSha256()).hasSize(64);
                });
        assertThat(models.resolve("clip-tiny-image/1/model.yaml")).isRegularFile();
    }

    @Test
    void noInferenceServesNoInferenceService() throws Exception {
        ServeCommand command =
                serve(
                        "--port",
                        "0",
                        "--no-inference",
                        "--models",
                        dir.resolve("models").toString(),
                        "--layers",
                        dir.toString());
        withWarmNode(
                command,
                channel -> {
                    assertThatThrownBy(
                                    () ->
                                            InferenceServiceGrpc.newBlockingStub(channel)
                                                    .withDeadlineAfter(1, TimeUnit.MINUTES)
                                                    .describe(DescribeRequest.getDefaultInstance()))
                            .isInstanceOfSatisfying(
                                    StatusRuntimeException.class,
                                    e ->
                                            assertThat(e.getStatus().getCode())
                                                    .isEqualTo(Status.Code.UNIMPLEMENTED));
                    assertThat(health(channel, "")).isEqualTo(ServingStatus.SERVING);
                });
        assertThat(dir.resolve("models")).doesNotExist();
    }

    @Test
    void aModelThatIsNotInstalledIsBadInputNamingWhatIs() {
        int code =
                Main.run(
                        "serve",
                        "--port",
                        "0",
                        "--models",
                        dir.resolve("models").toString(),
                        "--model",
                        "clip-vit-l-14");
        assertThat(code).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(console.err())
                .contains("no CLIP model clip-vit-l-14 is installed")
                .contains("clip-tiny/1");
    }

    /** Starts the node of {@code command}, waits for its warm-up and calls it on loopback. */
    private static void withWarmNode(ServeCommand command, Consumer<ManagedChannel> calls)
            throws Exception {
        try (SerigraphServer server = command.open()) {
            assertThat(server.awaitWarm(Duration.ofMinutes(2))).isTrue();
            ManagedChannel channel =
                    ManagedChannelBuilder.forAddress("127.0.0.1", server.port())
                            .usePlaintext()
                            .build();
            try {
                calls.accept(channel);
            } finally {
                channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
            }
        }
    }

    private static ServingStatus health(ManagedChannel channel, String service) {
        return HealthGrpc.newBlockingStub(channel)
                .withDeadlineAfter(1, TimeUnit.MINUTES)
                .check(HealthCheckRequest.newBuilder().setService(service).build())
                .getStatus();
    }
}
