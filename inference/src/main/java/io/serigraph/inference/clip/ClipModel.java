package io.serigraph.inference.clip;

import io.serigraph.engine.image.RgbaImage;
import io.serigraph.inference.batch.BatchMetrics;
import io.serigraph.inference.store.LoadedModel;
import io.serigraph.inference.store.ModelManifest;
import io.serigraph.inference.store.ModelStore;
import io.serigraph.inference.store.ModelStoreException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A CLIP model: the image encoder {@code <family>-image/<version>} and the text encoder {@code
 * <family>-text/<version>} of a model store, CLIP's preprocessing and tokenizer (its vocabulary
 * from the text entry). Embeddings are L2-normalized. Requests go through each encoder's shared
 * batcher, so calls from many threads are batched. Thread-safe; close to release both encoders.
 *
 * <pre>{@code
 * try (ModelStore store = ModelStore.open(models);
 *         ClipModel clip = ClipModel.load(store, "clip-vit-b-32", "openai")) {
 *     double cos = Embeddings.dot(clip.embedImage(image), clip.embedText("a red hat"));
 * }
 * }</pre>
 */
public final class ClipModel implements AutoCloseable {
    public static final String IMAGE_TASK = "clip-image-embedding";
    public static final String TEXT_TASK = "clip-text-embedding";

    private final String family;
    private final LoadedModel image;
    private final LoadedModel text;
    private final ClipPreprocessor preprocessor;
    private final ClipTokenizer tokenizer;
    private final double logitScale;
    private final int dimension;

    private ClipModel(
            String family,
            LoadedModel image,
            LoadedModel text,
            ClipPreprocessor preprocessor,
            ClipTokenizer tokenizer,
            double logitScale) {
        this.family = family;
        this.image = image;
        this.text = text;
        this.preprocessor = preprocessor;
        this.tokenizer = tokenizer;
        this.logitScale = logitScale;
        this.dimension = image.manifest().output().sampleSize();
    }

    /** Loads {@code family} (e.g. {@code clip-vit-b-32}) compositing onto white. */
    public static ClipModel load(ModelStore store, String family, String version)
            throws ModelStoreException {
        return load(store, family, version, ClipPreprocessor.DEFAULT_BACKGROUND);
    }

    /** Loads {@code family}; transparent pixels are composited onto {@code backgroundRgb}. */
    public static ClipModel load(ModelStore store, String family, String version, int backgroundRgb)
            throws ModelStoreException {
        LoadedModel image = store.load(family + "-image", version);
        LoadedModel text = null;
        try {
            text = store.load(family + "-text", version);
            Path imageYaml = image.directory().resolve(ModelManifest.FILE_NAME);
            Path textYaml = text.directory().resolve(ModelManifest.FILE_NAME);
            ModelManifest im = image.manifest();
            ModelManifest tm = text.manifest();
            require(im.task().equals(IMAGE_TASK), imageYaml, "task must be " + IMAGE_TASK);
            require(tm.task().equals(TEXT_TASK), textYaml, "task must be " + TEXT_TASK);
            require(im.preprocessing() != null, imageYaml, "preprocessing is missing");
            ClipPreprocessor pre;
            try {
                pre = ClipPreprocessor.of(im.preprocessing(), backgroundRgb);
            } catch (IllegalArgumentException e) {
                throw new ModelStoreException(imageYaml, "preprocessing: " + e.getMessage());
            }
            int crop = pre.size();
            require(
                    im.input().dtype().equals("float32")
                            && im.input()
                                    .shape()
                                    .equals(List.of(-1L, 3L, (long) crop, (long) crop)),
                    imageYaml,
                    "inputs[0] must be float32 [-1, 3, " + crop + ", " + crop + "]");
            int context = tm.intParameter("context_length", textYaml);
            require(
                    tm.input().dtype().equals("int64")
                            && tm.input().shape().equals(List.of(-1L, (long) context)),
                    textYaml,
                    "inputs[0] must be int64 [-1, " + context + "]");
            require(
                    im.output().shape().equals(tm.output().shape()),
                    textYaml,
                    "the text embedding shape "
                            + tm.output().shape()
                            + " differs from the image embedding shape "
                            + im.output().shape());
            String vocabName = tm.stringParameter("vocabulary", textYaml);
            Path vocab;
            try {
                vocab = text.file(vocabName);
            } catch (IllegalArgumentException e) {
                throw new ModelStoreException(textYaml, e.getMessage());
            }
            ClipTokenizer tokenizer;
            try {
                tokenizer =
                        ClipTokenizer.load(vocab, tm.intParameter("bpe_merges", textYaml), context);
            } catch (IOException e) {
                throw new ModelStoreException(vocab, "cannot read the BPE vocabulary: " + e, e);
            }
            double logitScale = tm.doubleParameter("logit_scale", textYaml);
            return new ClipModel(family, image, text, pre, tokenizer, logitScale);
        } catch (ModelStoreException | RuntimeException e) {
            image.close();
            if (text != null) {
                text.close();
            }
            throw e;
        }
    }

    private static void require(boolean ok, Path file, String message) throws ModelStoreException {
        if (!ok) {
            throw new ModelStoreException(file, message);
        }
    }

    public String family() {
        return family;
    }

    /** The embedding length. */
    public int dimension() {
        return dimension;
    }

    /** CLIP's learned temperature {@code exp(logit_scale)} (100 for OpenAI's models). */
    public double logitScale() {
        return logitScale;
    }

    public ClipPreprocessor preprocessor() {
        return preprocessor;
    }

    public ClipTokenizer tokenizer() {
        return tokenizer;
    }

    /** The image encoder's model-store entry and batcher. */
    public LoadedModel imageEncoder() {
        return image;
    }

    /** The text encoder's model-store entry and batcher. */
    public LoadedModel textEncoder() {
        return text;
    }

    /** The normalized embedding of {@code img}, computed in a batch with other requests. */
    public CompletableFuture<float[]> embedImageAsync(RgbaImage img) {
        return image.submit(preprocessor.apply(img)).thenApply(Embeddings::normalize);
    }

    public float[] embedImage(RgbaImage img) {
        return LoadedModel.await(embedImageAsync(img));
    }

    /** The normalized embeddings of {@code images}, in order (submitted together). */
    public List<float[]> embedImages(List<RgbaImage> images) {
        List<CompletableFuture<float[]>> futures = new ArrayList<>(images.size());
        for (RgbaImage img : images) {
            futures.add(embedImageAsync(img));
        }
        return awaitAll(futures);
    }

    /** The normalized embedding of {@code prompt}, computed in a batch with other requests. */
    public CompletableFuture<float[]> embedTextAsync(String prompt) {
        return text.submit(tokenizer.tokenize(prompt)).thenApply(Embeddings::normalize);
    }

    public float[] embedText(String prompt) {
        return LoadedModel.await(embedTextAsync(prompt));
    }

    public List<float[]> embedTexts(List<String> prompts) {
        List<CompletableFuture<float[]>> futures = new ArrayList<>(prompts.size());
        for (String p : prompts) {
            futures.add(embedTextAsync(p));
        }
        return awaitAll(futures);
    }

    private static List<float[]> awaitAll(List<CompletableFuture<float[]>> futures) {
        List<float[]> out = new ArrayList<>(futures.size());
        for (CompletableFuture<float[]> f : futures) {
            out.add(LoadedModel.await(f));
        }
        return out;
    }

    public BatchMetrics imageMetrics() {
        return image.metrics();
    }

    public BatchMetrics textMetrics() {
        return text.metrics();
    }

    @Override
    public void close() {
        image.close();
        text.close();
    }
}
