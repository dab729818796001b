package io.serigraph.grpc;

import com.google.protobuf.ByteString;
import io.serigraph.engine.composite.DeviceSetting;
import io.serigraph.grpc.v1.SpecRef;
import io.serigraph.pipeline.sample.SampleCollection;
import io.serigraph.pipeline.spec.CollectionSpec;
import io.serigraph.pipeline.spec.SpecLoader;
import java.nio.file.Files;
import java.nio.file.Path;

/** A real drop folder (the sample collection) for tests. */
public final class Fixtures {
    private Fixtures() {}

    /**
     * Writes the sample collection, {@code size} tokens on a 64-pixel canvas, under {@code dir}.
     */
    public static CollectionSpec sample(Path dir, int size) throws Exception {
        Path spec = new SampleCollection(64).write(dir, size, "grpc-test");
        return SpecLoader.load(spec);
    }

    /** The spec reference a client sends for {@code spec}. */
    public static SpecRef ref(CollectionSpec spec) throws Exception {
        return SpecRef.newBuilder()
                .setSpecYaml(ByteString.copyFrom(Files.readAllBytes(spec.file())))
                .setLayerSet(LayerSet.of(spec).hash())
                .build();
    }

    /**
     * The inference module's tiny model store (random-weight CLIP and aesthetic head of the real
     * architectures) and its reference PNGs.
     */
    public static final Path MODELS = Path.of("../inference/src/test/resources/models");

    public static final Path REFERENCE = Path.of("../inference/src/test/resources/reference");

    /** Tests composite on the Java path: bit-identical to OpenCL, and always present. */
    public static final DeviceSetting DEVICE = DeviceSetting.JAVA;
}
