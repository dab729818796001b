package io.serigraph.grpc.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.BadRequest;
import io.grpc.InsecureChannelCredentials;
import io.grpc.InsecureServerCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.serigraph.grpc.client.RemoteRenderBackend;
import io.serigraph.pipeline.plan.Planner;
import io.serigraph.pipeline.sample.SampleCollection;
import io.serigraph.pipeline.spec.CollectionSpec;
import io.serigraph.pipeline.spec.SpecLoader;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** A node on 127.0.0.1 for tests, and what its failed calls must (not) show a client. */
final class NodeCalls {
    private NodeCalls() {}

    /** Netty on 127.0.0.1, a free port, plaintext. */
    static NettyServerBuilder loopback() {
        return NettyServerBuilder.forAddress(
                new InetSocketAddress("127.0.0.1", 0), InsecureServerCredentials.create());
    }

    /** A plaintext channel to {@code server} on 127.0.0.1. */
    static ManagedChannel channel(SerigraphServer server) {
        return NettyChannelBuilder.forAddress(
                        "127.0.0.1", server.port(), InsecureChannelCredentials.create())
                .build();
    }

    /**
     * Writes the sample collection ({@code size} tokens, 64 px, seeded by {@code name}) under
     * {@code dir/name} and uploads its layer set to the node through the remote backend.
     */
    static CollectionSpec uploadedDrop(
            ManagedChannel channel, String renderToken, Path dir, String name, int size)
            throws Exception {
        CollectionSpec spec =
                SpecLoader.load(new SampleCollection(64).write(dir.resolve(name), size, name));
        try (RemoteRenderBackend remote =
                RemoteRenderBackend.builder(channel, spec).optToken(renderToken).build()) {
            remote.render(new Planner(1).plan(spec).get(0));
        }
        return spec;
    }

    /**
     * The status {@code call} fails with; its description never holds a stack trace, nor any of
     * {@code hidden} (node paths, URLs, keys).
     */
    static StatusRuntimeException failure(ThrowingCallable call, String... hidden) {
        Throwable t = catchThrowable(call);
        assertThat(t).isInstanceOf(StatusRuntimeException.class);
        StatusRuntimeException e = (StatusRuntimeException) t;
        String description = String.valueOf(e.getStatus().getDescription());
        assertThat(description).doesNotContain("\tat ");
        for (String h : hidden) {
            assertThat(description).doesNotContain(h);
        }
        return e;
    }

    /**
     * A server-stream observer that cancels its call at the first message {@code when} accepts;
     * {@link #ended} completes with the call's error (null if it completed).
     */
    static final class CancelWhen<Q, R> implements ClientResponseObserver<Q, R> {
        final CompletableFuture<Throwable> ended = new CompletableFuture<>();
        private final Predicate<R> when;
        private ClientCallStreamObserver<Q> call;

        CancelWhen(Predicate<R> when) {
            this.when = when;
        }

        @Override
        public void beforeStart(ClientCallStreamObserver<Q> c) {
            call = c;
        }

        @Override
        public void onNext(R message) {
            if (when.test(message)) {
                call.cancel("the test has seen enough", null);
            }
        }

        @Override
        public void onError(Throwable t) {
            ended.complete(t);
        }

        @Override
        public void onCompleted() {
            ended.complete(null);
        }

        /** Waits for the end and checks the client saw CANCELLED. */
        void awaitCancelled() throws Exception {
            Throwable t = ended.get(5, TimeUnit.MINUTES);
            assertThat(t).isInstanceOf(StatusRuntimeException.class);
            assertThat(((StatusRuntimeException) t).getStatus().getCode())
                    .isEqualTo(Status.Code.CANCELLED);
        }
    }

    /** The first {@code BadRequest} field violation of {@code e}. */
    static BadRequest.FieldViolation violation(StatusRuntimeException e) {
        try {
            return StatusProto.fromThrowable(e)
                    .getDetails(0)
                    .unpack(BadRequest.class)
                    .getFieldViolations(0);
        } catch (InvalidProtocolBufferException x) {
            throw new AssertionError(x);
        }
    }
}
