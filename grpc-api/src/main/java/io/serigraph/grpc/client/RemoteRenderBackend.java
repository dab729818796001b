package io.serigraph.grpc.client;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.serigraph.grpc.LayerSet;
import io.serigraph.grpc.v1.HasLayersRequest;
import io.serigraph.grpc.v1.RenderRequest;
import io.serigraph.grpc.v1.RenderResponse;
import io.serigraph.grpc.v1.RenderServiceGrpc;
import io.serigraph.grpc.v1.SpecRef;
import io.serigraph.grpc.v1.UploadLayersRequest;
import io.serigraph.grpc.v1.UploadLayersResponse;
import io.serigraph.pipeline.plan.PlannedToken;
import io.serigraph.pipeline.render.LocalRenderBackend;
import io.serigraph.pipeline.render.RenderBackend;
import io.serigraph.pipeline.spec.CollectionSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Renders through a Serigraph node over gRPC. On first use it uploads the spec's layer set unless
 * the node already holds it (by content hash), so trait art crosses the wire once per node, and
 * again only if the node answers that it lost it ({@code NOT_FOUND}). Every call has a deadline;
 * {@code UNAVAILABLE} is retried with exponential backoff. Its {@link #version()} is the local
 * backend's for the same spec, and every image the node returns is checked to carry that version,
 * so lineage matches a local render.
 */
public final class RemoteRenderBackend implements RenderBackend {
    private static final int CHUNK = 1 << 20;

    private final ManagedChannel channel;
    private final boolean ownsChannel;
    private final RenderServiceGrpc.RenderServiceBlockingStub stub;
    private final RenderServiceGrpc.RenderServiceStub asyncStub;
    private final CollectionSpec spec;
    private final LayerSet layers;
    private final SpecRef ref;
    private final String version;
    private final Duration deadline;
    private final int attempts;
    private final Duration backoff;
    private final String address;
    private volatile boolean uploaded;

    private RemoteRenderBackend(Builder b) throws IOException {
        this.channel = b.channel;
        this.ownsChannel = b.ownsChannel;
        RenderServiceGrpc.RenderServiceBlockingStub s = RenderServiceGrpc.newBlockingStub(channel);
        RenderServiceGrpc.RenderServiceStub a = RenderServiceGrpc.newStub(channel);
        if (b.credentials != null) {
            s = s.withCallCredentials(b.credentials);
            a = a.withCallCredentials(b.credentials);
        }
        this.stub = s;
        this.asyncStub = a;
        this.spec = b.spec;
        this.layers = LayerSet.of(spec);
        this.ref =
                SpecRef.newBuilder()
                        .setSpecYaml(ByteString.copyFrom(Files.readAllBytes(spec.file())))
                        .setLayerSet(layers.hash())
                        .build();
        this.version = LocalRenderBackend.version(spec);
        this.deadline = b.deadline;
        this.attempts = b.attempts;
        this.backoff = b.backoff;
        this.address = channel.authority();
    }

    /** A backend rendering {@code spec} through {@code channel}. */
    public static Builder builder(ManagedChannel channel, CollectionSpec spec) {
        return new Builder(channel, spec);
    }

    @Override
    public byte[] render(PlannedToken token) throws Exception {
        RenderRequest.Builder r = RenderRequest.newBuilder().setTokenId(token.id());
        for (int c : token.choices()) {
            r.addChoices(c);
        }
        return renderOnNode(r, "token " + token.id());
    }

    @Override
    public byte[] renderOneOfOne(int j) throws Exception {
        return renderOnNode(RenderRequest.newBuilder().setOneOfOne(j), "one-of-one " + j);
    }

    private byte[] renderOnNode(RenderRequest.Builder r, String what) throws Exception {
        ensureUploaded();
        RenderRequest request = r.setSpec(ref).build();
        RenderResponse response;
        try {
            response = call(request);
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() != Status.Code.NOT_FOUND) {
                throw e;
            }
            // The node lost the layer set (restarted on an empty cache): upload again, once.
            synchronized (this) {
                uploaded = false;
            }
            ensureUploaded();
            response = call(request);
        }
        if (!response.getImage().getVersion().equals(version)) {
            throw new IllegalStateException(
                    "node "
                            + address
                            + " renders version '"
                            + response.getImage().getVersion()
                            + "' but this engine renders '"
                            + version
                            + "'; run the same Serigraph version on both");
        }
        byte[] png = response.getImage().getPng().toByteArray();
        String sha = io.serigraph.pipeline.store.Hashes.sha256Hex(png);
        if (!sha.equals(response.getImage().getSha256())) {
            throw new IOException("node " + address + " sent a damaged image for " + what);
        }
        return png;
    }

    private RenderResponse call(RenderRequest request) throws InterruptedException {
        return retrying(
                () ->
                        stub.withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS)
                                .render(request));
    }

    /** The layer set's hash, as the node knows it. */
    public String layerSet() {
        return layers.hash();
    }

    private void ensureUploaded() throws Exception {
        if (uploaded) {
            return;
        }
        synchronized (this) {
            if (uploaded) {
                return;
            }
            boolean present =
                    retrying(
                                    () ->
                                            stub.withDeadlineAfter(
                                                            deadline.toMillis(),
                                                            TimeUnit.MILLISECONDS)
                                                    .hasLayers(
                                                            HasLayersRequest.newBuilder()
                                                                    .setLayerSet(layers.hash())
                                                                    .build()))
                            .getPresent();
            if (!present) {
                UploadLayersResponse done = retrying(this::upload);
                if (!done.getLayerSet().equals(layers.hash())) {
                    throw new IOException(
                            "node "
                                    + address
                                    + " stored layer set "
                                    + done.getLayerSet()
                                    + ", expected "
                                    + layers.hash());
                }
            }
            uploaded = true;
        }
    }

    private UploadLayersResponse upload() {
        CompletableFuture<UploadLayersResponse> result = new CompletableFuture<>();
        StreamObserver<UploadLayersRequest> out =
                asyncStub
                        .withDeadlineAfter(deadline.toMillis() * 10, TimeUnit.MILLISECONDS)
                        .uploadLayers(
                                new StreamObserver<>() {
                                    @Override
                                    public void onNext(UploadLayersResponse r) {
                                        result.complete(r);
                                    }

                                    @Override
                                    public void onError(Throwable t) {
                                        result.completeExceptionally(t);
                                    }

                                    @Override
                                    public void onCompleted() {
                                        if (!result.isDone()) {
                                            result.completeExceptionally(
                                                    Status.INTERNAL
                                                            .withDescription("upload: no answer")
                                                            .asRuntimeException());
                                        }
                                    }
                                });
        boolean first = true;
        for (Map.Entry<String, byte[]> e : layers.files().entrySet()) {
            byte[] bytes = e.getValue();
            int off = 0;
            do {
                int end = Math.min(bytes.length, off + CHUNK);
                UploadLayersRequest.Builder m =
                        UploadLayersRequest.newBuilder()
                                .setPath(e.getKey())
                                .setData(ByteString.copyFrom(Arrays.copyOfRange(bytes, off, end)));
                if (first) {
                    m.setExpectedLayerSet(layers.hash());
                    first = false;
                }
                out.onNext(m.build());
                off = end;
            } while (off < bytes.length);
        }
        out.onCompleted();
        try {
            return result.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw Status.CANCELLED.withCause(e).asRuntimeException();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof StatusRuntimeException sre) {
                throw sre;
            }
            throw Status.fromThrowable(e.getCause()).asRuntimeException();
        }
    }

    /** Runs {@code call}, retrying UNAVAILABLE with exponential backoff. */
    private <T> T retrying(Supplier<T> call) throws InterruptedException {
        return NodeClients.retrying(attempts, backoff, call);
    }

    @Override
    public String version() {
        return version;
    }

    @Override
    public String device() {
        return "node " + address;
    }

    @Override
    public void close() {
        if (ownsChannel) {
            NodeClients.shutdown(channel);
        }
    }

    /** Settings: required ones in {@link #builder}, optional {@code opt*}. */
    public static final class Builder extends NodeClientBuilder<Builder> {
        private final ManagedChannel channel;
        private final CollectionSpec spec;

        private Builder(ManagedChannel channel, CollectionSpec spec) {
            this.channel = channel;
            this.spec = spec;
        }

        /**
         * Builds the backend; reads the spec file and every layer file now.
         *
         * @throws IllegalArgumentException when a layer folder lies outside the spec's folder
         */
        public RemoteRenderBackend build() throws IOException {
            return new RemoteRenderBackend(this);
        }
    }
}
