package io.serigraph.grpc.client;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.serigraph.grpc.v1.EmbedRequest;
import io.serigraph.grpc.v1.EmbedResponse;
import io.serigraph.grpc.v1.InferenceServiceGrpc;
import io.serigraph.grpc.v1.ScoreRequest;
import io.serigraph.grpc.v1.ScoreResponse;
import io.serigraph.pipeline.qc.ScoreBackend;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * The pipeline's {@link ScoreBackend} on a node's {@code InferenceService}: every request names its
 * CLIP model and aesthetic head (so the node's defaults cannot change what answers, and {@link
 * #version()} is exact for lineage), carries a deadline, and is retried on {@code UNAVAILABLE} with
 * exponential backoff. On the node, concurrent requests from any clients run in shared batches.
 */
public final class RemoteScoreBackend implements ScoreBackend {
    private final ManagedChannel channel;
    private final boolean ownsChannel;
    private final InferenceServiceGrpc.InferenceServiceBlockingStub stub;
    private final String clip;
    private final String aesthetic;
    private final Duration deadline;
    private final int attempts;
    private final Duration backoff;

    private RemoteScoreBackend(Builder b) {
        this.channel = b.channel;
        this.ownsChannel = b.ownsChannel;
        InferenceServiceGrpc.InferenceServiceBlockingStub s =
                InferenceServiceGrpc.newBlockingStub(channel);
        this.stub = b.credentials == null ? s : s.withCallCredentials(b.credentials);
        this.clip = b.clip;
        this.aesthetic = b.aesthetic;
        this.deadline = b.deadline;
        this.attempts = b.attempts;
        this.backoff = b.backoff;
    }

    /**
     * A backend on {@code channel} scoring with the node's CLIP model {@code clip} and aesthetic
     * head {@code aesthetic}, each {@code <name>/<version>}.
     */
    public static Builder builder(ManagedChannel channel, String clip, String aesthetic) {
        return new Builder(channel, clip, aesthetic);
    }

    private InferenceServiceGrpc.InferenceServiceBlockingStub call() {
        return stub.withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS);
    }

    private ScoreResponse score(byte[] png, List<String> prompts) throws InterruptedException {
        ScoreRequest r =
                ScoreRequest.newBuilder()
                        .setImage(ByteString.copyFrom(png))
                        .addAllPrompts(prompts)
                        .setClipModel(clip)
                        .setAestheticModel(aesthetic)
                        .build();
        return NodeClients.retrying(attempts, backoff, () -> call().score(r));
    }

    @Override
    public double aesthetic(byte[] png) throws Exception {
        return score(png, List.of()).getAesthetic();
    }

    @Override
    public double promptAlignment(byte[] png, String prompt) throws Exception {
        return score(png, List.of(prompt)).getPrompts(0).getCosine();
    }

    @Override
    public float[] embedding(byte[] png) throws Exception {
        EmbedRequest r =
                EmbedRequest.newBuilder()
                        .setModel(clip)
                        .addImages(ByteString.copyFrom(png))
                        .build();
        EmbedResponse answer = NodeClients.retrying(attempts, backoff, () -> call().embed(r));
        List<Float> v = answer.getImages(0).getValuesList();
        float[] out = new float[v.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = v.get(i);
        }
        return out;
    }

    /** {@code clip=<name>/<version>;aesthetic=<name>/<version>}. */
    @Override
    public String version() {
        return "clip=" + clip + ";aesthetic=" + aesthetic;
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
        private final String clip;
        private final String aesthetic;

        private Builder(ManagedChannel channel, String clip, String aesthetic) {
            this.channel = Objects.requireNonNull(channel, "channel");
            this.clip = requireModel(clip, "clip");
            this.aesthetic = requireModel(aesthetic, "aesthetic");
        }

        private static String requireModel(String ref, String what) {
            int slash = ref == null ? -1 : ref.indexOf('/');
            if (slash <= 0 || slash == ref.length() - 1) {
                throw new IllegalArgumentException(
                        what + " model '" + ref + "' must be written <name>/<version>");
            }
            return ref;
        }

        public RemoteScoreBackend build() {
            return new RemoteScoreBackend(this);
        }
    }
}
