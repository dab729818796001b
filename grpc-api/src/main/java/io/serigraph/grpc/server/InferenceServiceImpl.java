package io.serigraph.grpc.server;

import com.google.protobuf.ByteString;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.serigraph.engine.image.RgbaImage;
import io.serigraph.engine.png.PngDecoder;
import io.serigraph.engine.png.PngFormatException;
import io.serigraph.grpc.v1.DescribeRequest;
import io.serigraph.grpc.v1.DescribeResponse;
import io.serigraph.grpc.v1.EmbedRequest;
import io.serigraph.grpc.v1.EmbedResponse;
import io.serigraph.grpc.v1.Embedding;
import io.serigraph.grpc.v1.InferenceServiceGrpc;
import io.serigraph.grpc.v1.PromptScore;
import io.serigraph.grpc.v1.ScoreRequest;
import io.serigraph.grpc.v1.ScoreResponse;
import io.serigraph.inference.batch.BatchMetrics;
import io.serigraph.inference.batch.QueueFullException;
import io.serigraph.inference.clip.ClipModel;
import io.serigraph.inference.clip.Embeddings;
import io.serigraph.inference.score.AestheticScorer;
import io.serigraph.inference.score.PromptAlignment;
import io.serigraph.inference.score.ScoringModel;
import io.serigraph.inference.store.LoadedModel;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * {@code serigraph.v1.InferenceService}. A call decodes and preprocesses on its call thread, then
 * queues every sample in its model's batcher and returns the thread; the answer is sent when the
 * last sample's batch has run. The call's deadline goes to the batcher with each sample, and a
 * cancelled call takes its samples out of the queue.
 */
final class InferenceServiceImpl extends InferenceServiceGrpc.InferenceServiceImplBase {
    private final InferenceModels models;
    private final PngDecoder decoder;

    InferenceServiceImpl(InferenceModels models, long maxPixels) {
        this.models = models;
        this.decoder = new PngDecoder(maxPixels);
    }

    @Override
    public void embed(EmbedRequest r, StreamObserver<EmbedResponse> responses) {
        Pending pending = new Pending(responses);
        try {
            if (r.getImagesCount() == 0 && r.getTextsCount() == 0) {
                throw new BadRequestException("images", "give at least one image or text");
            }
            ClipModel clip = models.clip(r.getModel());
            List<RgbaImage> images = decodeAll(r.getImagesList(), "images");
            reserve(clip.imageEncoder(), images.size());
            reserve(clip.textEncoder(), r.getTextsCount());
            Instant deadline = deadline();
            List<CompletableFuture<float[]>> imageFutures = new ArrayList<>();
            for (RgbaImage img : images) {
                imageFutures.add(pending.add(embedImage(clip, img, deadline)));
            }
            List<CompletableFuture<float[]>> textFutures = new ArrayList<>();
            for (String t : r.getTextsList()) {
                textFutures.add(pending.add(embedText(clip, t, deadline)));
            }
            String id = models.clipId(r.getModel());
            pending.whenAllDone(
                    () -> {
                        EmbedResponse.Builder b =
                                EmbedResponse.newBuilder()
                                        .setModel(id)
                                        .setDimension(clip.dimension())
                                        .setDevice(clip.imageEncoder().device());
                        imageFutures.forEach(f -> b.addImages(embedding(f.join())));
                        textFutures.forEach(f -> b.addTexts(embedding(f.join())));
                        return b.build();
                    });
        } catch (Exception e) {
            pending.fail(e);
        }
    }

    @Override
    public void score(ScoreRequest r, StreamObserver<ScoreResponse> responses) {
        Pending pending = new Pending(responses);
        try {
            if (r.getImage().isEmpty()) {
                throw new BadRequestException("image", "required: the PNG to score");
            }
            ClipModel clip = models.clip(r.getClipModel());
            AestheticScorer head = models.aesthetic(r.getAestheticModel());
            String clipId = models.clipId(r.getClipModel());
            String headId = models.aestheticId(r.getAestheticModel());
            requireSameFamily(clip, clipId, head, headId);
            RgbaImage image = decode(r.getImage(), "image");
            reserve(clip.imageEncoder(), 1);
            reserve(clip.textEncoder(), r.getPromptsCount());
            reserve(head.model(), 1);
            Instant deadline = deadline();
            CompletableFuture<float[]> imageEmbedding =
                    pending.add(embedImage(clip, image, deadline));
            CompletableFuture<float[]> rating =
                    pending.add(
                            imageEmbedding.thenCompose(
                                    e -> pending.add(head.model().submit(e, deadline))));
            List<CompletableFuture<float[]>> prompts = new ArrayList<>();
            for (String p : r.getPromptsList()) {
                prompts.add(pending.add(embedText(clip, p, deadline)));
            }
            pending.whenAllDone(
                    () -> {
                        float[] img = imageEmbedding.join();
                        ScoreResponse.Builder b =
                                ScoreResponse.newBuilder()
                                        .setAesthetic(rating.join()[0])
                                        .setClipModel(clipId)
                                        .setAestheticModel(headId)
                                        .setImageEmbedding(embedding(img))
                                        .setWeightsSha256(ScoringModel.weightsSha256(clip, head));
                        for (int i = 0; i < prompts.size(); i++) {
                            PromptAlignment.Alignment a =
                                    PromptAlignment.of(img, prompts.get(i).join());
                            b.addPrompts(
                                    PromptScore.newBuilder()
                                            .setPrompt(r.getPrompts(i))
                                            .setCosine(a.cosine())
                                            .setClipScore(a.clipScore())
                                            .setClipScore100(a.clipScore100()));
                        }
                        return b.build();
                    });
        } catch (Exception e) {
            pending.fail(e);
        }
    }

    @Override
    public void describe(DescribeRequest r, StreamObserver<DescribeResponse> responses) {
        Pending pending = new Pending(responses);
        try {
            ClipModel clip = models.clip(r.getClipModel());
            AestheticScorer head = models.aesthetic(r.getAestheticModel());
            String clipId = models.clipId(r.getClipModel());
            String headId = models.aestheticId(r.getAestheticModel());
            requireSameFamily(clip, clipId, head, headId);
            pending.whenAllDone(
                    () ->
                            DescribeResponse.newBuilder()
                                    .setClipModel(clipId)
                                    .setAestheticModel(headId)
                                    .setDimension(clip.dimension())
                                    .setWeightsSha256(ScoringModel.weightsSha256(clip, head))
                                    .setDevice(clip.imageEncoder().device())
                                    .build());
        } catch (Exception e) {
            pending.fail(e);
        }
    }

    /** The head must score the CLIP model's embeddings (same family and width). */
    private static void requireSameFamily(
            ClipModel clip, String clipId, AestheticScorer head, String headId) {
        if (!head.embeddingFamily().equals(clip.family()) || head.dimension() != clip.dimension()) {
            throw new BadRequestException(
                    "aesthetic_model",
                    headId
                            + " scores "
                            + head.embeddingFamily()
                            + " embeddings, not "
                            + clipId
                            + "'s; name a CLIP model of that family in clip_model");
        }
    }

    private static CompletableFuture<float[]> embedImage(
            ClipModel clip, RgbaImage img, Instant deadline) {
        return clip.imageEncoder()
                .submit(clip.preprocessor().apply(img), deadline)
                .thenApply(Embeddings::normalize);
    }

    private static CompletableFuture<float[]> embedText(
            ClipModel clip, String text, Instant deadline) {
        return clip.textEncoder()
                .submit(clip.tokenizer().tokenize(text), deadline)
                .thenApply(Embeddings::normalize);
    }

    private List<RgbaImage> decodeAll(List<ByteString> pngs, String field) {
        List<RgbaImage> out = new ArrayList<>(pngs.size());
        for (int i = 0; i < pngs.size(); i++) {
            out.add(decode(pngs.get(i), field + "[" + i + "]"));
        }
        return out;
    }

    private RgbaImage decode(ByteString png, String field) {
        try {
            return decoder.decode(png.toByteArray());
        } catch (PngFormatException e) {
            throw new BadRequestException(field, "not a PNG this node can read: " + e.getMessage());
        }
    }

    /**
     * Refuses up front when {@code n} more samples would overflow the model's queue, so a full
     * queue is refused before any sample is queued. A call that races past this check is refused by
     * the batcher with the same {@link QueueFullException} (its queued samples are cancelled), so a
     * full queue is RESOURCE_EXHAUSTED either way.
     */
    private void reserve(LoadedModel model, int n) {
        long waiting = queueDepth(model.metrics());
        if (n > 0 && waiting + n > models.queueCapacity()) {
            throw new QueueFullException(
                    model.manifest().id()
                            + ": "
                            + waiting
                            + " requests are waiting (at most "
                            + models.queueCapacity()
                            + "); retry later or on another node");
        }
    }

    /** Samples queued or running in a batcher. */
    static long queueDepth(BatchMetrics m) {
        return Math.max(
                0, m.submitted() - m.completed() - m.failed() - m.cancelled() - m.expired());
    }

    /** The call's deadline as an instant, null when it has none. */
    private static Instant deadline() {
        Deadline d = Context.current().getDeadline();
        if (d == null) {
            return null;
        }
        return Instant.now().plusNanos(d.timeRemaining(TimeUnit.NANOSECONDS));
    }

    private static Embedding embedding(float[] v) {
        Embedding.Builder b = Embedding.newBuilder();
        for (float x : v) {
            b.addValues(x);
        }
        return b.build();
    }

    /** The futures of one call, cancelled if the call is, answered when all are done. */
    private static final class Pending {
        private final ServerCallStreamObserver<Object> call;
        private final List<CompletableFuture<?>> futures = new ArrayList<>();
        private volatile boolean cancelled;

        @SuppressWarnings("unchecked")
        Pending(StreamObserver<?> responses) {
            this.call = (ServerCallStreamObserver<Object>) responses;
            call.setOnCancelHandler(
                    () -> {
                        cancelled = true;
                        cancelAll();
                    });
        }

        synchronized <T> CompletableFuture<T> add(CompletableFuture<T> f) {
            futures.add(f);
            if (cancelled) {
                f.cancel(false);
            }
            return f;
        }

        private synchronized void cancelAll() {
            futures.forEach(f -> f.cancel(false));
        }

        <T> void whenAllDone(Supplier<T> answer) {
            CompletableFuture<?>[] all;
            synchronized (this) {
                all = futures.toArray(new CompletableFuture<?>[0]);
            }
            // A later stage (the aesthetic head after the image embedding) is added while the
            // first runs; allOf over the final stages covers it.
            CompletableFuture.allOf(all)
                    .whenComplete(
                            (v, e) -> {
                                if (cancelled) {
                                    return;
                                }
                                if (e != null) {
                                    fail(e);
                                    return;
                                }
                                Object response;
                                try {
                                    response = answer.get();
                                } catch (RuntimeException ex) {
                                    fail(ex);
                                    return;
                                }
                                call.onNext(response);
                                call.onCompleted();
                            });
        }

        void fail(Throwable e) {
            cancelAll();
            if (!cancelled) {
                call.onError(Errors.toException(unwrap(e)));
            }
        }

        private static Throwable unwrap(Throwable e) {
            while (e instanceof CompletionException && e.getCause() != null) {
                e = e.getCause();
            }
            return e;
        }
    }
}
