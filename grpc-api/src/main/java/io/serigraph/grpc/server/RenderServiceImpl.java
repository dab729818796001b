package io.serigraph.grpc.server;

import com.google.protobuf.ByteString;
import io.grpc.Context;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.serigraph.grpc.v1.HasLayersRequest;
import io.serigraph.grpc.v1.HasLayersResponse;
import io.serigraph.grpc.v1.RenderBatchRequest;
import io.serigraph.grpc.v1.RenderBatchResponse;
import io.serigraph.grpc.v1.RenderRequest;
import io.serigraph.grpc.v1.RenderResponse;
import io.serigraph.grpc.v1.RenderServiceGrpc;
import io.serigraph.grpc.v1.RenderedImage;
import io.serigraph.grpc.v1.UploadLayersRequest;
import io.serigraph.grpc.v1.UploadLayersResponse;
import io.serigraph.pipeline.plan.Plan;
import io.serigraph.pipeline.plan.PlannedToken;
import io.serigraph.pipeline.render.RenderStage;
import io.serigraph.pipeline.store.Hashes;
import java.io.IOException;

/** {@code serigraph.v1.RenderService}: renders on this node with the local backend. */
final class RenderServiceImpl extends RenderServiceGrpc.RenderServiceImplBase {
    private final LayerStore layers;
    private final Workspaces workspaces;
    private final ServerStats stats;
    private final int threads;

    RenderServiceImpl(LayerStore layers, Workspaces workspaces, ServerStats stats, int threads) {
        this.layers = layers;
        this.workspaces = workspaces;
        this.stats = stats;
        this.threads = threads;
    }

    @Override
    public StreamObserver<UploadLayersRequest> uploadLayers(
            StreamObserver<UploadLayersResponse> responses) {
        LayerStore.Upload upload;
        try {
            upload = layers.upload();
        } catch (IOException e) {
            responses.onError(Errors.toException(e));
            return new Discard<>();
        }
        return new StreamObserver<>() {
            private String expected = "";
            private boolean failed;

            @Override
            public void onNext(UploadLayersRequest r) {
                if (failed) {
                    return;
                }
                try {
                    if (!r.getExpectedLayerSet().isEmpty()) {
                        expected = r.getExpectedLayerSet();
                    }
                    upload.write(r.getPath(), r.getData().toByteArray());
                } catch (Exception e) {
                    failed = true;
                    closeQuietly(upload);
                    responses.onError(Errors.toException(e));
                }
            }

            @Override
            public void onError(Throwable t) {
                closeQuietly(upload);
            }

            @Override
            public void onCompleted() {
                if (failed) {
                    return;
                }
                try (upload) {
                    int files = upload.files();
                    long bytes = upload.bytes();
                    String hash = upload.commit(expected);
                    responses.onNext(
                            UploadLayersResponse.newBuilder()
                                    .setLayerSet(hash)
                                    .setFiles(files)
                                    .setBytes(bytes)
                                    .build());
                    responses.onCompleted();
                } catch (Exception e) {
                    responses.onError(Errors.toException(e));
                }
            }
        };
    }

    @Override
    public void hasLayers(HasLayersRequest r, StreamObserver<HasLayersResponse> responses) {
        responses.onNext(
                HasLayersResponse.newBuilder()
                        .setPresent(layers.contains(r.getLayerSet()))
                        .build());
        responses.onCompleted();
    }

    @Override
    public void render(RenderRequest r, StreamObserver<RenderResponse> responses) {
        try {
            Workspaces.Workspace w = workspaces.get(r.getSpec());
            if (r.hasOneOfOne()) {
                int j = r.getOneOfOne();
                int ones = w.spec.oneOfOnes().size();
                if (j < 0 || j >= ones || r.getChoicesCount() != 0) {
                    throw new IllegalArgumentException(
                            "one_of_one is "
                                    + j
                                    + "; the spec has "
                                    + ones
                                    + " one-of-ones (and choices must be empty with it)");
                }
                responses.onNext(
                        RenderResponse.newBuilder()
                                .setTokenId(r.getTokenId())
                                .setImage(image(w, w.backend.renderOneOfOne(j)))
                                .build());
                responses.onCompleted();
                return;
            }
            int layerCount = w.spec.layers().size();
            if (r.getChoicesCount() != layerCount) {
                throw new IllegalArgumentException(
                        "choices has "
                                + r.getChoicesCount()
                                + " entries but the spec has "
                                + layerCount
                                + " layers");
            }
            int[] choices = new int[layerCount];
            for (int l = 0; l < layerCount; l++) {
                int c = r.getChoices(l);
                int traits = w.spec.layers().get(l).traits().size();
                if (c < PlannedToken.NONE || c >= traits) {
                    throw new IllegalArgumentException(
                            "choices["
                                    + l
                                    + "] is "
                                    + c
                                    + "; layer "
                                    + l
                                    + " has "
                                    + traits
                                    + " traits (use -1 to leave it out)");
                }
                if (c >= 0 && w.library.image(l, c) == null) {
                    throw new IllegalArgumentException(
                            "choices[" + l + "] names trait " + c + ", which has weight 0");
                }
                choices[l] = c;
            }
            if (Context.current().isCancelled()) {
                responses.onError(Errors.ended(Context.current()));
                return;
            }
            RenderedImage image = render(w, new PlannedToken(r.getTokenId(), choices));
            responses.onNext(
                    RenderResponse.newBuilder().setTokenId(r.getTokenId()).setImage(image).build());
            responses.onCompleted();
        } catch (Exception e) {
            responses.onError(Errors.toException(e));
        }
    }

    @Override
    public void renderBatch(RenderBatchRequest r, StreamObserver<RenderBatchResponse> responses) {
        ServerCallStreamObserver<RenderBatchResponse> out =
                (ServerCallStreamObserver<RenderBatchResponse>) responses;
        Workspaces.Workspace w;
        Plan plan;
        try {
            w = workspaces.get(r.getSpec());
            plan = w.plan(threads);
            if (r.getCount() < 1) {
                throw new IllegalArgumentException("count must be at least 1");
            }
            long first = r.getFirstTokenId();
            long last = first + r.getCount() - 1;
            if (!plan.contains(first) || !plan.contains(last)) {
                throw new IllegalArgumentException(
                        "tokens "
                                + first
                                + ".."
                                + last
                                + " are not all in the plan ("
                                + plan.startId()
                                + ".."
                                + (plan.startId() + plan.size() - 1)
                                + ")");
            }
        } catch (Exception e) {
            responses.onError(Errors.toException(e));
            return;
        }
        Batch batch = new Batch(w, plan, r.getFirstTokenId(), r.getCount(), out);
        out.setOnCancelHandler(batch::cancelled);
        out.setOnReadyHandler(batch::drain);
        batch.drain();
    }

    /**
     * One RenderBatch call: renders a token only when the transport is ready for it (flow control),
     * so a slow or cancelled client stops the work instead of filling buffers.
     */
    private final class Batch {
        private final Workspaces.Workspace w;
        private final Plan plan;
        private final ServerCallStreamObserver<RenderBatchResponse> out;
        private final Context context = Context.current();
        private final long end;
        private long next;
        private boolean done;

        Batch(
                Workspaces.Workspace w,
                Plan plan,
                long first,
                int count,
                ServerCallStreamObserver<RenderBatchResponse> out) {
            this.w = w;
            this.plan = plan;
            this.out = out;
            this.next = first;
            this.end = first + count;
        }

        synchronized void cancelled() {
            if (!done) {
                done = true;
                stats.batchStopped();
            }
        }

        synchronized void drain() {
            while (!done && out.isReady()) {
                if (context.isCancelled() || out.isCancelled()) {
                    done = true;
                    stats.batchStopped();
                    return;
                }
                if (next == end) {
                    done = true;
                    out.onCompleted();
                    stats.batchCompleted();
                    return;
                }
                int index = (int) (next - plan.startId());
                PlannedToken token = plan.token(next++);
                int one = RenderStage.oneOfOneIndex(w.spec, plan, index);
                RenderBatchResponse.Builder b =
                        RenderBatchResponse.newBuilder().setTokenId(token.id()).setDna(token.dna());
                try {
                    b.setImage(
                            one < 0 ? render(w, token) : image(w, w.backend.renderOneOfOne(one)));
                } catch (Exception e) {
                    stats.failed();
                    b.setError(Errors.toStatus(e));
                }
                out.onNext(b.build());
            }
        }
    }

    private RenderedImage render(Workspaces.Workspace w, PlannedToken token) throws Exception {
        return image(w, w.backend.render(token));
    }

    private RenderedImage image(Workspaces.Workspace w, byte[] png) {
        stats.rendered();
        return RenderedImage.newBuilder()
                .setPng(ByteString.copyFrom(png))
                .setSha256(Hashes.sha256Hex(png))
                .setDevice(w.backend.device())
                .setVersion(w.backend.version())
                .build();
    }

    private static void closeQuietly(LayerStore.Upload upload) {
        try {
            upload.close();
        } catch (IOException e) {
            org.slf4j.LoggerFactory.getLogger(RenderServiceImpl.class)
                    .warn("could not remove an unfinished upload: {}", e.toString());
        }
    }

    /** Ignores a stream that already failed. */
    private static final class Discard<T> implements StreamObserver<T> {
        @Override
        public void onNext(T value) {}

        @Override
        public void onError(Throwable t) {}

        @Override
        public void onCompleted() {}
    }
}
