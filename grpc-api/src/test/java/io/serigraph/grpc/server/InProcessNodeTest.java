package io.serigraph.grpc.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.rpc.BadRequest;
import com.google.rpc.ResourceInfo;
import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.protobuf.StatusProto;
import io.serigraph.grpc.Fixtures;
import io.serigraph.grpc.client.RemoteRenderBackend;
import io.serigraph.grpc.v1.DropServiceGrpc;
import io.serigraph.grpc.v1.RenderBatchRequest;
import io.serigraph.grpc.v1.RenderBatchResponse;
import io.serigraph.grpc.v1.RenderRequest;
import io.serigraph.grpc.v1.RenderServiceGrpc;
import io.serigraph.grpc.v1.SimulateRequest;
import io.serigraph.grpc.v1.SimulateResponse;
import io.serigraph.grpc.v1.SpecRef;
import io.serigraph.pipeline.plan.Plan;
import io.serigraph.pipeline.plan.Planner;
import io.serigraph.pipeline.rarity.OpenRarity;
import io.serigraph.pipeline.simulate.Simulation;
import io.serigraph.pipeline.spec.CollectionSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A node on the in-process transport, without auth (dev mode): errors, deadlines, cancellation. */
class InProcessNodeTest {
    private static final int SIZE = 40;

    @TempDir Path dir;

    private CollectionSpec spec;
    private SerigraphServer server;
    private ManagedChannel channel;
    private RenderServiceGrpc.RenderServiceBlockingStub stub;

    @BeforeEach
    void start() throws Exception {
        spec = Fixtures.sample(dir.resolve("drop"), SIZE);
        String name = InProcessServerBuilder.generateName();
        server =
                SerigraphServer.builder(InProcessServerBuilder.forName(name))
                        .setLayerDir(dir.resolve("node"))
                        .optDevice(Fixtures.DEVICE)
                        .optThreads(2)
                        .optShutdownGrace(Duration.ofSeconds(5))
                        .start();
        channel = InProcessChannelBuilder.forName(name).build();
        stub = RenderServiceGrpc.newBlockingStub(channel);
        // Upload the layer set through the remote backend.
        try (RemoteRenderBackend remote = RemoteRenderBackend.builder(channel, spec).build()) {
            remote.render(new Planner(1).plan(spec).get(0));
        }
    }

    @AfterEach
    void stop() throws Exception {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        server.close();
    }

    private static Status.Code code(Throwable e) {
        return ((StatusRuntimeException) e).getStatus().getCode();
    }

    private RenderBatchRequest batch() throws Exception {
        return RenderBatchRequest.newBuilder()
                .setSpec(Fixtures.ref(spec))
                .setFirstTokenId(spec.startId())
                .setCount(SIZE)
                .build();
    }

    @Test
    void badSpecIsInvalidArgumentWithFieldDetails() throws Exception {
        SpecRef bad =
                Fixtures.ref(spec).toBuilder()
                        .setSpecYaml(
                                ByteString.copyFrom(
                                        "name: X\nsymbol: X\nsize: 0\nseed: 1\n",
                                        StandardCharsets.UTF_8))
                        .build();
        StatusRuntimeException e =
                (StatusRuntimeException)
                        org.assertj.core.api.Assertions.catchThrowable(
                                () -> stub.render(RenderRequest.newBuilder().setSpec(bad).build()));
        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        com.google.rpc.Status detail = StatusProto.fromThrowable(e);
        BadRequest br = detail.getDetails(0).unpack(BadRequest.class);
        assertThat(br.getFieldViolationsList())
                .anySatisfy(v -> assertThat(v.getField()).isEqualTo("size"))
                .allSatisfy(v -> assertThat(v.getDescription()).startsWith("serigraph.yaml"));
        assertThat(e.getStatus().getDescription())
                .doesNotContain(dir.toString())
                .doesNotContain("\tat ");
    }

    @Test
    void layerFoldersOutsideTheLayerSetAreRefusedBeforeTheyAreRead() throws Exception {
        String yaml =
                new String(java.nio.file.Files.readAllBytes(spec.file()), StandardCharsets.UTF_8);
        String outside = dir.resolve("drop").resolve("layers").toString();
        assertThat(yaml).contains("dir: \"layers/");
        SpecRef ref =
                Fixtures.ref(spec).toBuilder()
                        .setSpecYaml(
                                ByteString.copyFrom(
                                        yaml.replace("dir: \"layers/", "dir: \"" + outside + "/"),
                                        StandardCharsets.UTF_8))
                        .build();
        StatusRuntimeException e =
                (StatusRuntimeException)
                        org.assertj.core.api.Assertions.catchThrowable(
                                () -> stub.render(RenderRequest.newBuilder().setSpec(ref).build()));
        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        BadRequest br = StatusProto.fromThrowable(e).getDetails(0).unpack(BadRequest.class);
        assertThat(br.getFieldViolationsList())
                .isNotEmpty()
                .allSatisfy(
                        v -> {
                            assertThat(v.getField()).matches("layers\\[\\d+\\]\\.dir");
                            assertThat(v.getDescription()).contains("outside the spec's folder");
                        });
    }

    @Test
    void unknownLayerSetIsNotFound() throws Exception {
        SpecRef ref = Fixtures.ref(spec).toBuilder().setLayerSet("ab".repeat(32)).build();
        StatusRuntimeException e =
                (StatusRuntimeException)
                        org.assertj.core.api.Assertions.catchThrowable(
                                () -> stub.render(RenderRequest.newBuilder().setSpec(ref).build()));
        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
        assertThat(
                        StatusProto.fromThrowable(e)
                                .getDetails(0)
                                .unpack(ResourceInfo.class)
                                .getResourceName())
                .isEqualTo("ab".repeat(32));
    }

    @Test
    void malformedRequestsAreInvalidArgument() throws Exception {
        SpecRef ref = Fixtures.ref(spec);
        assertThatThrownBy(
                        () ->
                                stub.render(
                                        RenderRequest.newBuilder()
                                                .setSpec(ref.toBuilder().setLayerSet("../etc"))
                                                .build()))
                .extracting(InProcessNodeTest::code)
                .isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThatThrownBy(
                        () ->
                                stub.render(
                                        RenderRequest.newBuilder()
                                                .setSpec(ref)
                                                .addChoices(0)
                                                .build()))
                .extracting(InProcessNodeTest::code)
                .isEqualTo(Status.Code.INVALID_ARGUMENT);
        RenderRequest.Builder outOfRange = RenderRequest.newBuilder().setSpec(ref);
        for (int l = 0; l < spec.layers().size(); l++) {
            outOfRange.addChoices(999);
        }
        assertThatThrownBy(() -> stub.render(outOfRange.build()))
                .extracting(InProcessNodeTest::code)
                .isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThatThrownBy(
                        () ->
                                stub.renderBatch(
                                                batch().toBuilder()
                                                        .setFirstTokenId(spec.startId() + SIZE)
                                                        .build())
                                        .hasNext())
                .extracting(InProcessNodeTest::code)
                .isEqualTo(Status.Code.INVALID_ARGUMENT);
    }

    @Test
    void metricsEndpointServesTheCounters() throws Exception {
        try (MetricsEndpoint metrics =
                MetricsEndpoint.start(
                        new java.net.InetSocketAddress("127.0.0.1", 0), server.stats())) {
            java.net.http.HttpResponse<String> r =
                    java.net.http.HttpClient.newHttpClient()
                            .send(
                                    java.net.http.HttpRequest.newBuilder(
                                                    java.net.URI.create(
                                                            "http://127.0.0.1:"
                                                                    + metrics.port()
                                                                    + "/metrics"))
                                            .build(),
                                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            // start() rendered one token through the remote backend.
            assertThat(r.body())
                    .contains("# TYPE serigraph_tokens_rendered_total counter\n")
                    .contains("\nserigraph_tokens_rendered_total 1\n")
                    .contains("\nserigraph_batches_stopped_total 0\n");
        }
    }

    @Test
    void callsOverTheLimitAreResourceExhausted() throws Exception {
        String name = InProcessServerBuilder.generateName();
        try (SerigraphServer busy =
                SerigraphServer.builder(InProcessServerBuilder.forName(name))
                        .setLayerDir(dir.resolve("node"))
                        .optDevice(Fixtures.DEVICE)
                        .optThreads(2)
                        .optMaxCalls(1)
                        .start()) {
            ManagedChannel ch = InProcessChannelBuilder.forName(name).build();
            try {
                RenderServiceGrpc.RenderServiceBlockingStub s =
                        RenderServiceGrpc.newBlockingStub(ch);
                Context.CancellableContext first = Context.current().withCancellation();
                // The first call stays in flight: the node sends a token and waits for the reader.
                Iterator<RenderBatchResponse> it = first.call(() -> s.renderBatch(batch()));
                assertThat(it.next().hasImage()).isTrue();
                assertThatThrownBy(() -> s.render(RenderRequest.newBuilder().build()))
                        .extracting(InProcessNodeTest::code)
                        .isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
                first.cancel(null);
                assertThat(busy.stats().awaitBatchesStopped(1, Duration.ofSeconds(30))).isTrue();
            } finally {
                ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void cancellationMidStreamStopsWork() throws Exception {
        Context.CancellableContext call = Context.current().withCancellation();
        Iterator<RenderBatchResponse> it = call.call(() -> stub.renderBatch(batch()));
        RenderBatchResponse first = it.next();
        assertThat(first.hasImage()).isTrue();
        call.cancel(null);
        assertThat(server.stats().awaitBatchesStopped(1, Duration.ofSeconds(30))).isTrue();
        long rendered = server.stats().tokensRendered();
        assertThat(rendered).isLessThan(SIZE);
        assertThat(server.stats().batchesCompleted()).isZero();
    }

    @Test
    void deadlineExpiryStopsTheBatchAndIsDeadlineExceeded() throws Exception {
        Iterator<RenderBatchResponse> it =
                stub.withDeadlineAfter(300, TimeUnit.MILLISECONDS).renderBatch(batch());
        // Read nothing: the node renders only what flow control lets it send, then the deadline
        // passes and the node stops.
        assertThat(server.stats().awaitBatchesStopped(1, Duration.ofSeconds(30))).isTrue();
        assertThat(server.stats().batchesCompleted()).isZero();
        assertThatThrownBy(() -> it.forEachRemaining(r -> {}))
                .extracting(InProcessNodeTest::code)
                .isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    }

    @Test
    void simulateGivesTheFilesOfSerigraphSimulate() throws Exception {
        DropServiceGrpc.DropServiceBlockingStub drop = DropServiceGrpc.newBlockingStub(channel);
        SimulateResponse r =
                drop.simulate(
                        SimulateRequest.newBuilder().setSpec(Fixtures.ref(spec)).setTop(5).build());
        Plan plan = new Planner(1).plan(spec);
        Simulation local = Simulation.of(spec, plan, OpenRarity.rank(plan), 5);
        assertThat(r.getPlanHash()).isEqualTo(plan.hash());
        assertThat(r.getSimulationJson().toByteArray()).isEqualTo(local.json());
        assertThat(r.getRarityCsv().toByteArray()).isEqualTo(local.rarityCsv());
        assertThat(r.getSummary()).isEqualTo(local.summary());

        StatusRuntimeException e =
                (StatusRuntimeException)
                        org.assertj.core.api.Assertions.catchThrowable(
                                () ->
                                        drop.simulate(
                                                SimulateRequest.newBuilder()
                                                        .setSpec(Fixtures.ref(spec))
                                                        .setTop(1_000_000)
                                                        .build()));
        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(
                        StatusProto.fromThrowable(e)
                                .getDetails(0)
                                .unpack(BadRequest.class)
                                .getFieldViolations(0)
                                .getField())
                .isEqualTo("top");

        // More tokens than trait combinations: refused with details, no node paths.
        String yaml =
                new String(java.nio.file.Files.readAllBytes(spec.file()), StandardCharsets.UTF_8);
        SpecRef tooMany =
                Fixtures.ref(spec).toBuilder()
                        .setSpecYaml(
                                ByteString.copyFrom(
                                        yaml.replace("size: " + SIZE + "\n", "size: 100000000\n"),
                                        StandardCharsets.UTF_8))
                        .build();
        e =
                (StatusRuntimeException)
                        org.assertj.core.api.Assertions.catchThrowable(
                                () ->
                                        drop.simulate(
                                                SimulateRequest.newBuilder()
                                                        .setSpec(tooMany)
                                                        .build()));
        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(StatusProto.fromThrowable(e).getDetails(0).is(BadRequest.class)).isTrue();
        assertThat(e.getStatus().getDescription())
                .doesNotContain(dir.toString())
                .doesNotContain("\tat ");
    }
}
