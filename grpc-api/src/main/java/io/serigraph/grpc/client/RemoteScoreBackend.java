package io.serigraph.grpc.client;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.serigraph.grpc.v1.DescribeRequest;
import io.serigraph.grpc.v1.EmbedRequest;
import io.serigraph.grpc.v1.Embedding;
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
    private volatile String weights;

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
        return floats(NodeClients.retrying(attempts, backoff, () -> call().embed(r)).getImages(0));
    }

    /** One {@code Score} call: the embedding the node measured and its aesthetic rating. */
    @Override
    public ImageScores score(byte[] png) throws Exception {
        ScoreResponse answer = score(png, List.of());
        rememberWeights(answer.getWeightsSha256());
        return new ImageScores(floats(answer.getImageEmbedding()), answer.getAesthetic());
    }

    @Override
    public float[] textEmbedding(String text) throws Exception {
        EmbedRequest r = EmbedRequest.newBuilder().setModel(clip).addTexts(text).build();
        return floats(NodeClients.retrying(attempts, backoff, () -> call().embed(r)).getTexts(0));
    }

    /** Always: a remote backend names an aesthetic head. */
    @Override
    public boolean scoresAesthetics() {
        return true;
    }

    /**
     * The node's hash of the named models' weights, asked once ({@code Describe}) and kept; a later
     * answer with another hash (the node's models were replaced) fails the call that saw it.
     */
    @Override
    public String modelSha256() {
        String known = weights;
        if (known != null) {
            return known;
        }
        DescribeRequest r =
                DescribeRequest.newBuilder()
                        .setClipModel(clip)
                        .setAestheticModel(aesthetic)
                        .build();
        try {
            String sha =
                    NodeClients.retrying(attempts, backoff, () -> call().describe(r))
                            .getWeightsSha256();
            rememberWeights(sha);
            return sha;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted asking the node for " + version(), e);
        }
    }

    private synchronized void rememberWeights(String sha) {
        if (weights == null) {
            weights = sha;
        } else if (!weights.equals(sha)) {
            throw new IllegalStateException(
                    "the node's weights for "
                            + version()
                            + " changed during the run ("
                            + weights
                            + " -> "
                            + sha
                            + "); run again to rescore with the new ones");
        }
    }

    private static float[] floats(Embedding e) {
        float[] out = new float[e.getValuesCount()];
        for (int i = 0; i < out.length; i++) {
            out[i] = e.getValues(i);
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
