package io.serigraph.inference.store;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A model-store entry's {@code model.yaml}: what the model does, its tensors, its preprocessing,
 * the SHA-256 of {@code model.pt} and of every extra file, where it came from and its licence.
 *
 * <pre>{@code
 * name: clip-vit-b-32-image          # the entry directory: models/<name>/<version>/
 * version: openai
 * format: torchscript
 * sha256: 3f2a...                    # of model.pt
 * task: clip-image-embedding
 * licence: MIT
 * source: https://github.com/openai/CLIP ViT-B/32
 * inputs:  [{name: image, dtype: float32, shape: [-1, 3, 224, 224]}]   # -1: the batch dimension
 * outputs: [{name: embedding, dtype: float32, shape: [-1, 512]}]
 * preprocessing: {resize: 224, crop: 224, interpolation: bicubic-pil, mean: [...], std: [...]}
 * files: [{path: bpe_simple_vocab.txt.gz, sha256: ...}]
 * parameters: {...}                  # task-specific numbers and names
 * }</pre>
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelManifest(
        String name,
        String version,
        String format,
        String sha256,
        String task,
        String licence,
        String source,
        List<TensorSpec> inputs,
        List<TensorSpec> outputs,
        Preprocessing preprocessing,
        List<ExtraFile> files,
        Map<String, Object> parameters) {

    public static final String FILE_NAME = "model.yaml";
    public static final String WEIGHTS = "model.pt";

    public ModelManifest {
        inputs = inputs == null ? List.of() : List.copyOf(inputs);
        outputs = outputs == null ? List.of() : List.copyOf(outputs);
        files = files == null ? List.of() : List.copyOf(files);
        parameters = parameters == null ? Map.of() : Map.copyOf(parameters);
    }

    /** A tensor: dtype {@code float32} or {@code int64}, shape with {@code -1} for the batch. */
    public record TensorSpec(String name, String dtype, List<Long> shape) {
        public TensorSpec {
            shape = shape == null ? List.of() : List.copyOf(shape);
        }

        /** Elements in one sample: the product of the dimensions after the batch dimension. */
        public int sampleSize() {
            long n = 1;
            for (int i = 1; i < shape.size(); i++) {
                n *= shape.get(i);
            }
            return Math.toIntExact(n);
        }

        /** The shape of one sample (without the batch dimension). */
        public long[] sampleShape() {
            long[] s = new long[shape.size() - 1];
            for (int i = 1; i < shape.size(); i++) {
                s[i - 1] = shape.get(i);
            }
            return s;
        }
    }

    /**
     * Image preprocessing: resize the shortest side to {@code resize} ({@code interpolation}),
     * center-crop {@code crop} x {@code crop}, scale to 0..1, subtract {@code mean}, divide by
     * {@code std} (per RGB channel).
     */
    public record Preprocessing(
            int resize, int crop, String interpolation, List<Double> mean, List<Double> std) {
        public Preprocessing {
            mean = mean == null ? List.of() : List.copyOf(mean);
            std = std == null ? List.of() : List.copyOf(std);
        }
    }

    /** A file besides {@code model.pt} that the model needs (a vocabulary), with its SHA-256. */
    public record ExtraFile(String path, String sha256) {}

    /** {@code <name>/<version>}. */
    public String id() {
        return name + "/" + version;
    }

    public TensorSpec input() {
        return inputs.get(0);
    }

    public TensorSpec output() {
        return outputs.get(0);
    }

    /** A required parameter as a string; {@code manifestFile} is named in the error. */
    public String stringParameter(String key, Path manifestFile) throws ModelStoreException {
        return String.valueOf(parameter(key, manifestFile));
    }

    public int intParameter(String key, Path manifestFile) throws ModelStoreException {
        Object v = parameter(key, manifestFile);
        if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
            return Math.toIntExact(n.longValue());
        }
        throw new ModelStoreException(
                manifestFile, "parameters." + key + " must be an integer, was " + v);
    }

    public double doubleParameter(String key, Path manifestFile) throws ModelStoreException {
        Object v = parameter(key, manifestFile);
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        throw new ModelStoreException(
                manifestFile, "parameters." + key + " must be a number, was " + v);
    }

    private Object parameter(String key, Path manifestFile) throws ModelStoreException {
        Object v = parameters.get(Objects.requireNonNull(key));
        if (v == null) {
            throw new ModelStoreException(
                    manifestFile, "parameters." + key + " is missing (task " + task + ")");
        }
        return v;
    }
}
