package io.serigraph.grpc.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.serigraph.grpc.Fixtures;
import io.serigraph.grpc.server.SerigraphServer;
import io.serigraph.pipeline.plan.Plan;
import io.serigraph.pipeline.plan.Planner;
import io.serigraph.pipeline.render.LocalRenderBackend;
import io.serigraph.pipeline.render.TraitLibrary;
import io.serigraph.pipeline.spec.CollectionSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The remote backend against a real in-process node, through a channel that can drop calls. */
class RemoteRenderBackendTest {
    @TempDir Path dir;

    private CollectionSpec spec;
    private SerigraphServer server;
    private ManagedChannel channel;
    private final List<String> calls = new CopyOnWriteArrayList<>();
    private final AtomicInteger unavailable = new AtomicInteger();

    /** Records each call's method and fails the next {@code unavailable} calls as UNAVAILABLE. */
    private final ClientInterceptor flaky =
            new ClientInterceptor() {
                @Override
                public <Q, R> ClientCall<Q, R> interceptCall(
                        MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
                    calls.add(method.getBareMethodName());
                    if (unavailable.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                        return new ClientCall<>() {
                            @Override
                            public void start(Listener<R> listener, Metadata headers) {
                                listener.onClose(
                                        Status.UNAVAILABLE.withDescription("node restarting"),
                                        new Metadata());
                            }

                            @Override
                            public void request(int n) {}

                            @Override
                            public void cancel(String message, Throwable cause) {}

                            @Override
                            public void halfClose() {}

                            @Override
                            public void sendMessage(Q message) {}
                        };
                    }
                    return next.newCall(method, options);
                }
            };

    @BeforeEach
    void start() throws Exception {
        spec = Fixtures.sample(dir.resolve("drop"), 6);
        String name = InProcessServerBuilder.generateName();
        server =
                SerigraphServer.builder(InProcessServerBuilder.forName(name))
                        .setLayerDir(dir.resolve("node"))
                        .optDevice(Fixtures.DEVICE)
                        .optThreads(2)
                        .start();
        channel = InProcessChannelBuilder.forName(name).intercept(flaky).build();
    }

    @AfterEach
    void stop() throws Exception {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        server.close();
    }

    private RemoteRenderBackend backend(int attempts) throws Exception {
        return RemoteRenderBackend.builder(channel, spec)
                .optDeadline(Duration.ofSeconds(30))
                .optRetries(attempts, Duration.ofMillis(1))
                .build();
    }

    @Test
    void layerSetIsUploadedOncePerNode() throws Exception {
        Plan plan = new Planner(1).plan(spec);
        try (RemoteRenderBackend a = backend(1)) {
            a.render(plan.get(0));
            a.render(plan.get(1));
        }
        try (RemoteRenderBackend b = backend(1)) {
            b.render(plan.get(2));
        }
        assertThat(calls.stream().filter("UploadLayers"::equals)).hasSize(1);
        assertThat(calls.stream().filter("HasLayers"::equals)).hasSize(2);
        assertThat(calls.stream().filter("Render"::equals)).hasSize(3);
    }

    @Test
    void aNodeThatLostTheLayerSetGetsItAgain() throws Exception {
        Plan plan = new Planner(1).plan(spec);
        try (RemoteRenderBackend remote = backend(1)) {
            remote.render(plan.get(0));
            Path held = dir.resolve("node").resolve(remote.layerSet());
            try (java.util.stream.Stream<Path> walk = java.nio.file.Files.walk(held)) {
                for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    java.nio.file.Files.delete(p);
                }
            }
            calls.clear();
            assertThat(remote.render(plan.get(1))).isNotEmpty();
            assertThat(calls).containsExactly("Render", "HasLayers", "UploadLayers", "Render");
            assertThat(held).isDirectory();
        }
    }

    @Test
    void unavailableIsRetriedAndTheBytesAreTheLocalOnes() throws Exception {
        Plan plan = new Planner(1).plan(spec);
        try (RemoteRenderBackend remote = backend(4);
                LocalRenderBackend local =
                        new LocalRenderBackend(spec, TraitLibrary.load(spec, 1))) {
            remote.render(plan.get(0));
            calls.clear();
            unavailable.set(3);
            assertThat(remote.render(plan.get(1))).isEqualTo(local.render(plan.get(1)));
            assertThat(calls).containsExactly("Render", "Render", "Render", "Render");
        }
    }

    @Test
    void unavailableBeyondTheRetriesReachesTheCaller() throws Exception {
        Plan plan = new Planner(1).plan(spec);
        try (RemoteRenderBackend remote = backend(2)) {
            remote.render(plan.get(0));
            unavailable.set(2);
            assertThatThrownBy(() -> remote.render(plan.get(1)))
                    .isInstanceOf(StatusRuntimeException.class)
                    .extracting(e -> ((StatusRuntimeException) e).getStatus().getCode())
                    .isEqualTo(Status.Code.UNAVAILABLE);
        }
    }

    @Test
    void versionIsTheLocalBackendsVersion() throws Exception {
        try (RemoteRenderBackend remote = backend(1)) {
            assertThat(remote.version()).isEqualTo(LocalRenderBackend.version(spec));
            assertThat(remote.layerSet()).isEqualTo(io.serigraph.grpc.LayerSet.of(spec).hash());
            assertThat(remote.device()).startsWith("node ");
        }
    }
}
