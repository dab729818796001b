package io.serigraph.grpc.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.InsecureServerCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.reflection.v1.ListServiceResponse;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.reflection.v1.ServiceResponse;
import io.grpc.stub.StreamObserver;
import io.serigraph.grpc.Fixtures;
import io.serigraph.grpc.client.BearerCredentials;
import io.serigraph.grpc.client.RemoteRenderBackend;
import io.serigraph.grpc.v1.DropServiceGrpc;
import io.serigraph.grpc.v1.PlanRequest;
import io.serigraph.grpc.v1.PlanResponse;
import io.serigraph.grpc.v1.RenderBatchRequest;
import io.serigraph.grpc.v1.RenderBatchResponse;
import io.serigraph.grpc.v1.RenderRequest;
import io.serigraph.grpc.v1.RenderServiceGrpc;
import io.serigraph.grpc.v1.SpecRef;
import io.serigraph.pipeline.plan.Plan;
import io.serigraph.pipeline.plan.PlannedToken;
import io.serigraph.pipeline.plan.Planner;
import io.serigraph.pipeline.render.LocalRenderBackend;
import io.serigraph.pipeline.render.TraitLibrary;
import io.serigraph.pipeline.spec.CollectionSpec;
import io.serigraph.pipeline.store.Hashes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real node on 127.0.0.1 (Netty, port 0), called with the generated Java client. */
class LoopbackNodeTest {
    private static final String RENDER_TOKEN = "render-token-0123456789";
    private static final String DROP_TOKEN = "drop-token-0123456789ab";
    private static final String ADMIN_TOKEN = "admin-token-0123456789a";
    private static final int SIZE = 12;

    @TempDir static Path dir;

    private static CollectionSpec spec;
    private static SerigraphServer server;
    private static ManagedChannel channel;

    @BeforeAll
    static void start() throws Exception {
        spec = Fixtures.sample(dir.resolve("drop"), SIZE);
        Path tokens = dir.resolve("tokens");
        Files.writeString(
                tokens,
                "# name token scopes\n"
                        + "renderer "
                        + RENDER_TOKEN
                        + " render\n"
                        + "planner "
                        + DROP_TOKEN
                        + " drop\n"
                        + "ops "
                        + ADMIN_TOKEN
                        + " admin\n",
                StandardCharsets.UTF_8);
        server =
                SerigraphServer.builder(
                                Grpc.newServerBuilderForPort(0, InsecureServerCredentials.create()))
                        .setLayerDir(dir.resolve("node"))
                        .optDevice(Fixtures.DEVICE)
                        .optThreads(2)
                        .optMaxMessageBytes(256 * 1024)
                        .optTokens(BearerTokens.load(tokens))
                        .optShutdownGrace(Duration.ofSeconds(5))
                        .start();
        channel =
                Grpc.newChannelBuilderForAddress(
                                "127.0.0.1", server.port(), InsecureChannelCredentials.create())
                        .build();
    }

    @AfterAll
    static void stop() throws Exception {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        server.close();
    }

    private static RenderServiceGrpc.RenderServiceBlockingStub render(String token) {
        return RenderServiceGrpc.newBlockingStub(channel)
                .withCallCredentials(new BearerCredentials(token))
                .withDeadlineAfter(60, TimeUnit.SECONDS);
    }

    private static RemoteRenderBackend remote() throws Exception {
        return RemoteRenderBackend.builder(channel, spec)
                .optToken(RENDER_TOKEN)
                .optDeadline(Duration.ofSeconds(60))
                .build();
    }

    @Test
    void remoteRenderIsByteIdenticalToLocal() throws Exception {
        Plan plan = new Planner(1).plan(spec);
        TraitLibrary library = TraitLibrary.load(spec, 1);
        try (LocalRenderBackend local = new LocalRenderBackend(spec, library);
                RemoteRenderBackend remote = remote()) {
            assertThat(remote.version()).isEqualTo(local.version());
            for (PlannedToken token : plan.tokens()) {
                assertThat(remote.render(token)).isEqualTo(local.render(token));
            }
        }
    }

    @Test
    void renderBatchStreamsEveryTokenByteIdenticalToLocal() throws Exception {
        Plan plan = new Planner(1).plan(spec);
        TraitLibrary library = TraitLibrary.load(spec, 1);
        try (RemoteRenderBackend remote = remote();
                LocalRenderBackend local = new LocalRenderBackend(spec, library)) {
            // Uploads the layer set as a side effect of the first render.
            remote.render(plan.get(0));
            Iterator<RenderBatchResponse> it =
                    render(RENDER_TOKEN)
                            .renderBatch(
                                    RenderBatchRequest.newBuilder()
                                            .setSpec(Fixtures.ref(spec))
                                            .setFirstTokenId(plan.startId())
                                            .setCount(SIZE)
                                            .build());
            List<RenderBatchResponse> all = new ArrayList<>();
            it.forEachRemaining(all::add);
            assertThat(all).hasSize(SIZE);
            for (int i = 0; i < SIZE; i++) {
                PlannedToken token = plan.get(i);
                RenderBatchResponse r = all.get(i);
                assertThat(r.getTokenId()).isEqualTo(token.id());
                assertThat(r.getDna()).isEqualTo(token.dna());
                assertThat(r.hasImage()).isTrue();
                byte[] png = r.getImage().getPng().toByteArray();
                assertThat(png).isEqualTo(local.render(token));
                assertThat(r.getImage().getSha256()).isEqualTo(Hashes.sha256Hex(png));
                assertThat(r.getImage().getVersion()).isEqualTo(local.version());
            }
        }
    }

    @Test
    void planOnTheNodeIsTheLocalPlan() throws Exception {
        try (RemoteRenderBackend remote = remote()) {
            remote.render(new Planner(1).plan(spec).get(0));
        }
        Plan local = new Planner(1).plan(spec);
        PlanResponse p =
                DropServiceGrpc.newBlockingStub(channel)
                        .withCallCredentials(new BearerCredentials(DROP_TOKEN))
                        .plan(PlanRequest.newBuilder().setSpec(Fixtures.ref(spec)).build());
        assertThat(p.getPlanHash()).isEqualTo(local.hash());
        assertThat(p.getTokensCount()).isEqualTo(SIZE);
        for (int i = 0; i < SIZE; i++) {
            assertThat(p.getTokens(i).getDna()).isEqualTo(local.get(i).dna());
        }
    }

    @Test
    void missingOrWrongTokenIsUnauthenticated() {
        RenderRequest any = RenderRequest.newBuilder().build();
        assertThatThrownBy(() -> RenderServiceGrpc.newBlockingStub(channel).render(any))
                .isInstanceOf(StatusRuntimeException.class)
                .extracting(e -> ((StatusRuntimeException) e).getStatus().getCode())
                .isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThatThrownBy(() -> render("not-a-token-0123456789").render(any))
                .extracting(e -> ((StatusRuntimeException) e).getStatus().getCode())
                .isEqualTo(Status.Code.UNAUTHENTICATED);
    }

    @Test
    void tokenWithoutTheScopeIsPermissionDenied() {
        assertThatThrownBy(() -> render(DROP_TOKEN).render(RenderRequest.newBuilder().build()))
                .extracting(e -> ((StatusRuntimeException) e).getStatus().getCode())
                .isEqualTo(Status.Code.PERMISSION_DENIED);
        assertThatThrownBy(
                        () ->
                                DropServiceGrpc.newBlockingStub(channel)
                                        .withCallCredentials(new BearerCredentials(RENDER_TOKEN))
                                        .plan(PlanRequest.newBuilder().build()))
                .extracting(e -> ((StatusRuntimeException) e).getStatus().getCode())
                .isEqualTo(Status.Code.PERMISSION_DENIED);
    }

    @Test
    void healthIsServingAfterWarmUpWithoutAToken() throws Exception {
        Iterator<HealthCheckResponse> watch =
                HealthGrpc.newBlockingStub(channel)
                        .withDeadlineAfter(60, TimeUnit.SECONDS)
                        .watch(
                                HealthCheckRequest.newBuilder()
                                        .setService(RenderServiceGrpc.SERVICE_NAME)
                                        .build());
        HealthCheckResponse.ServingStatus status = watch.next().getStatus();
        while (status != HealthCheckResponse.ServingStatus.SERVING) {
            assertThat(status).isEqualTo(HealthCheckResponse.ServingStatus.NOT_SERVING);
            status = watch.next().getStatus();
        }
        assertThat(
                        HealthGrpc.newBlockingStub(channel)
                                .check(HealthCheckRequest.getDefaultInstance())
                                .getStatus())
                .isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
    }

    @Test
    void reflectionListsTheServicesToAdmins() throws Exception {
        CompletableFuture<ServerReflectionResponse> answer = new CompletableFuture<>();
        StreamObserver<ServerReflectionRequest> requests =
                ServerReflectionGrpc.newStub(channel)
                        .withCallCredentials(new BearerCredentials(ADMIN_TOKEN))
                        .serverReflectionInfo(
                                new StreamObserver<>() {
                                    @Override
                                    public void onNext(ServerReflectionResponse r) {
                                        answer.complete(r);
                                    }

                                    @Override
                                    public void onError(Throwable t) {
                                        answer.completeExceptionally(t);
                                    }

                                    @Override
                                    public void onCompleted() {}
                                });
        requests.onNext(ServerReflectionRequest.newBuilder().setListServices("").build());
        ListServiceResponse list = answer.get(30, TimeUnit.SECONDS).getListServicesResponse();
        requests.onCompleted();
        assertThat(list.getServiceList().stream().map(ServiceResponse::getName))
                .contains(
                        "serigraph.v1.RenderService",
                        "serigraph.v1.DropService",
                        "grpc.health.v1.Health",
                        "grpc.reflection.v1.ServerReflection");
    }

    @Test
    void oversizedMessageIsResourceExhausted() {
        SpecRef huge =
                SpecRef.newBuilder()
                        .setSpecYaml(ByteString.copyFrom(new byte[300 * 1024]))
                        .setLayerSet("0".repeat(64))
                        .build();
        assertThatThrownBy(
                        () ->
                                render(RENDER_TOKEN)
                                        .render(RenderRequest.newBuilder().setSpec(huge).build()))
                .extracting(e -> ((StatusRuntimeException) e).getStatus().getCode())
                .isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    }
}
