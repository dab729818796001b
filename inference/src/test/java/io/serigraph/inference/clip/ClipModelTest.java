package io.serigraph.inference.clip;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.serigraph.engine.image.RgbaImage;
import io.serigraph.inference.Fixtures;
import io.serigraph.inference.batch.BatchMetrics;
import io.serigraph.inference.batch.BatchPolicy;
import io.serigraph.inference.score.AestheticScorer;
import io.serigraph.inference.store.LoadedModel;
import io.serigraph.inference.store.ModelStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The tiny CLIP fixture through DJL against the reference values computed in Python. */
class ClipModelTest {
    private static ModelStore store;
    private static ClipModel clip;
    private static JsonNode reference;

    @BeforeAll
    static void load() throws Exception {
        store =
                ModelStore.builder(Fixtures.MODELS)
                        .optBatchPolicy(new BatchPolicy(16, Duration.ofMillis(20), 1024))
                        .build();
        clip = ClipModel.load(store, Fixtures.CLIP_FAMILY, Fixtures.VERSION);
        reference = Fixtures.json("embeddings.json");
    }

    @AfterAll
    static void close() {
        clip.close();
        store.close();
    }

    @Test
    void describesTheModel() {
        assertThat(clip.dimension()).isEqualTo(32);
        assertThat(clip.logitScale()).isCloseTo(100.0, org.assertj.core.data.Offset.offset(1e-3));
        assertThat(clip.preprocessor().size()).isEqualTo(64);
        assertThat(clip.tokenizer().contextLength()).isEqualTo(77);
    }

    @Test
    void imageFeaturesMatchPython() throws Exception {
        for (JsonNode img : reference.get("images")) {
            float[] pixels = Fixtures.tensor(img.get("tensor").asText());
            float[] features = clip.imageEncoder().run(pixels);
            assertThat(Fixtures.maxAbsDiff(features, Fixtures.floats(img.get("features"))))
                    .isLessThanOrEqualTo(1e-4);
        }
    }

    @Test
    void imageEmbeddingsFromPngsMatchPython() throws Exception {
        // fixture-a on white and fixture-b on (40, 120, 200), as make_references.py composites.
        float[] a = clip.embedImage(Fixtures.image("fixture-a.png"));
        ClipPreprocessor onBlue = clip.preprocessor().withBackground(0x2878C8);
        float[] b =
                Embeddings.normalize(
                        clip.imageEncoder().run(onBlue.apply(Fixtures.image("fixture-b.png"))));
        JsonNode images = reference.get("images");
        assertThat(
                        Fixtures.maxAbsDiff(
                                a,
                                Embeddings.normalize(
                                        Fixtures.floats(images.get(0).get("features")))))
                .isLessThanOrEqualTo(1e-4);
        assertThat(
                        Fixtures.maxAbsDiff(
                                b,
                                Embeddings.normalize(
                                        Fixtures.floats(images.get(1).get("features")))))
                .isLessThanOrEqualTo(1e-4);
        assertThat(Embeddings.dot(a, a)).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
    }

    @Test
    void textFeaturesMatchPython() {
        for (JsonNode t : reference.get("texts")) {
            float[] features =
                    clip.textEncoder().run(clip.tokenizer().tokenize(t.get("text").asText()));
            assertThat(Fixtures.maxAbsDiff(features, Fixtures.floats(t.get("features"))))
                    .as(t.get("text").asText())
                    .isLessThanOrEqualTo(1e-4);
            float[] embedding = clip.embedText(t.get("text").asText());
            assertThat(Fixtures.maxAbsDiff(embedding, Embeddings.normalize(features)))
                    .isLessThanOrEqualTo(1e-6);
        }
    }

    @Test
    void aestheticScoresMatchPython() throws Exception {
        try (AestheticScorer scorer = AestheticScorer.load(store, "aesthetic-tiny", "1")) {
            assertThat(scorer.embeddingFamily()).isEqualTo("clip-tiny");
            for (JsonNode img : reference.get("images")) {
                float[] embedding = Embeddings.normalize(Fixtures.floats(img.get("features")));
                assertThat(scorer.score(embedding))
                        .isCloseTo(
                                img.get("aesthetic").asDouble(),
                                org.assertj.core.data.Offset.offset(1e-4));
            }
        }
    }

    /**
     * 64 threads embed different prompts and images at once: each gets its own embedding (equal to
     * the one computed alone) and the batcher forms batches of more than one request.
     */
    @Test
    void sixtyFourThreadsGetTheirOwnResultsInBatches() throws Exception {
        int threads = 64;
        List<String> prompts = new ArrayList<>();
        List<RgbaImage> images = new ArrayList<>();
        RgbaImage base = Fixtures.image("fixture-b.png");
        for (int i = 0; i < threads; i++) {
            prompts.add("an image of a cat number " + i + (i % 3 == 0 ? " with a red hat" : ""));
            RgbaImage img = base.copy();
            byte[] px = img.pixels();
            for (int p = 0; p < px.length; p += 4) {
                int a = px[p + 3] & 0xFF;
                px[p] = (byte) Math.min(a, ((px[p] & 0xFF) + i * 3) % 256); // stays premultiplied
            }
            images.add(img);
        }
        // Expected values, one request at a time.
        List<float[]> soloText = new ArrayList<>();
        List<float[]> soloImage = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            soloText.add(clip.embedText(prompts.get(i)));
            soloImage.add(clip.embedImage(images.get(i)));
        }
        BatchMetrics textBefore = clip.textMetrics();
        BatchMetrics imageBefore = clip.imageMetrics();

        CyclicBarrier start = new CyclicBarrier(threads);
        List<CompletableFuture<float[][]>> results = new ArrayList<>();
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            CompletableFuture<float[][]> mine = new CompletableFuture<>();
            results.add(mine);
            int k = i;
            Thread t =
                    new Thread(
                            () -> {
                                try {
                                    start.await();
                                    CompletableFuture<float[]> text =
                                            clip.embedTextAsync(prompts.get(k));
                                    CompletableFuture<float[]> image =
                                            clip.embedImageAsync(images.get(k));
                                    mine.complete(
                                            new float[][] {
                                                LoadedModel.await(text), LoadedModel.await(image)
                                            });
                                } catch (Exception e) {
                                    mine.completeExceptionally(e);
                                }
                            });
            workers.add(t);
            t.start();
        }
        for (int i = 0; i < threads; i++) {
            float[][] r = results.get(i).get(60, TimeUnit.SECONDS);
            assertThat(Fixtures.maxAbsDiff(r[0], soloText.get(i)))
                    .as("text %d", i)
                    .isLessThan(1e-5);
            assertThat(Fixtures.maxAbsDiff(r[1], soloImage.get(i)))
                    .as("image %d", i)
                    .isLessThan(1e-5);
        }
        for (Thread t : workers) {
            t.join();
        }
        BatchMetrics text = clip.textMetrics();
        BatchMetrics image = clip.imageMetrics();
        assertThat(text.batchedRequests() - textBefore.batchedRequests()).isEqualTo(threads);
        assertThat(image.batchedRequests() - imageBefore.batchedRequests()).isEqualTo(threads);
        assertThat(text.batches() - textBefore.batches()).isLessThan(threads);
        assertThat(image.batches() - imageBefore.batches()).isLessThan(threads);
        assertThat(Math.max(text.largestBatch(), image.largestBatch())).isGreaterThan(1);
        System.out.println(text);
        System.out.println(image);
    }
}
