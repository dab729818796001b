package io.serigraph.inference.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.util.Utils;
import io.serigraph.inference.Fixtures;
import io.serigraph.inference.runtime.TorchRuntime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelStoreTest {

    private static Path copyEntry(Path storeRoot, String name) throws IOException {
        Path from = Fixtures.MODELS.resolve(name).resolve("1");
        Path to = Files.createDirectories(storeRoot.resolve(name).resolve("1"));
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : files.toList()) {
                Files.copy(f, to.resolve(f.getFileName()));
            }
        }
        return to;
    }

    @Test
    void listsAndReadsManifests() throws Exception {
        try (ModelStore store = ModelStore.open(Fixtures.MODELS)) {
            assertThat(store.list())
                    .containsExactly("aesthetic-tiny/1", "clip-tiny-image/1", "clip-tiny-text/1");
            ModelManifest m = store.manifest("clip-tiny-text", "1");
            assertThat(m.task()).isEqualTo("clip-text-embedding");
            assertThat(m.input().dtype()).isEqualTo("int64");
            assertThat(m.input().shape()).containsExactly(-1L, 77L);
            assertThat(m.output().sampleSize()).isEqualTo(32);
            assertThat(m.files())
                    .extracting(ModelManifest.ExtraFile::path)
                    .containsExactly("bpe_simple_vocab.txt.gz");
            assertThat(m.licence()).isNotBlank();
            assertThat(m.source()).contains("export_clip.py --tiny");
        }
    }

    @Test
    void runsOfflineOnTheChosenDevice() throws Exception {
        TorchRuntime runtime = TorchRuntime.get();
        assertThat(Utils.isOfflineMode()).isTrue();
        assertThat(runtime.engine().getVersion()).startsWith("2.7.1");
        try (ModelStore store = ModelStore.open(Fixtures.MODELS);
                LoadedModel head = store.load("aesthetic-tiny", "1")) {
            assertThat(head.device()).isEqualTo(runtime.device().toString());
            float[] out = head.run(new float[32]);
            assertThat(out).hasSize(1);
        }
    }

    @Test
    void loadsOnceSharesAndFreesOnLastClose() throws Exception {
        try (ModelStore store = ModelStore.open(Fixtures.MODELS)) {
            LoadedModel a = store.load("aesthetic-tiny", "1");
            LoadedModel b = store.load("aesthetic-tiny", "1");
            a.run(new float[32]);
            b.run(new float[32]);
            assertThat(a.metrics().completed()).isEqualTo(2); // one batcher for both handles
            a.close();
            assertThatThrownBy(() -> a.run(new float[32])).hasMessageContaining("handle is closed");
            b.run(new float[32]);
            b.close();
            try (LoadedModel c = store.load("aesthetic-tiny", "1")) {
                assertThat(c.metrics().completed()).isZero(); // a fresh load
                assertThatThrownBy(() -> c.run(new float[31]))
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("32 values per sample");
                assertThatThrownBy(() -> c.run(new long[32]))
                        .hasMessageContaining("takes float32 input");
            }
        }
    }

    @Test
    void aMissingModelNamesTheDirectory(@TempDir Path root) {
        try (ModelStore store = ModelStore.open(root)) {
            assertThatThrownBy(() -> store.load("clip-none", "1"))
                    .isInstanceOf(ModelStoreException.class)
                    .hasMessageContaining(root.resolve("clip-none").resolve("1").toString())
                    .hasMessageContaining("no model clip-none/1");
        }
    }

    @Test
    void aMissingWeightsFileIsNamed(@TempDir Path root) throws Exception {
        Path entry = copyEntry(root, "aesthetic-tiny");
        Files.delete(entry.resolve("model.pt"));
        try (ModelStore store = ModelStore.open(root)) {
            assertThatThrownBy(() -> store.load("aesthetic-tiny", "1"))
                    .isInstanceOf(ModelStoreException.class)
                    .hasMessageContaining(entry.resolve("model.pt").toString())
                    .hasMessageContaining("missing");
        }
    }

    @Test
    void aCorruptWeightsFileFailsTheHashCheck(@TempDir Path root) throws Exception {
        Path entry = copyEntry(root, "aesthetic-tiny");
        byte[] bytes = Files.readAllBytes(entry.resolve("model.pt"));
        bytes[bytes.length / 2] ^= 1;
        Files.write(entry.resolve("model.pt"), bytes);
        try (ModelStore store = ModelStore.open(root)) {
            assertThatThrownBy(() -> store.load("aesthetic-tiny", "1"))
                    .isInstanceOf(ModelStoreException.class)
                    .satisfies(
                            e ->
                                    assertThat(((ModelStoreException) e).file())
                                            .isEqualTo(entry.resolve("model.pt")))
                    .hasMessageContaining("SHA-256");
        }
    }

    @Test
    void aCorruptVocabularyFailsTheHashCheck(@TempDir Path root) throws Exception {
        Path entry = copyEntry(root, "clip-tiny-text");
        Files.write(entry.resolve("bpe_simple_vocab.txt.gz"), new byte[] {1, 2, 3});
        try (ModelStore store = ModelStore.open(root)) {
            assertThatThrownBy(() -> store.load("clip-tiny-text", "1"))
                    .hasMessageContaining("bpe_simple_vocab.txt.gz")
                    .hasMessageContaining("SHA-256");
        }
    }

    @Test
    void aFileThatIsNotTorchScriptIsReportedWithItsName(@TempDir Path root) throws Exception {
        Path entry = copyEntry(root, "aesthetic-tiny");
        Files.writeString(entry.resolve("model.pt"), "not a zip archive");
        Path yaml = entry.resolve("model.yaml");
        String manifest = Files.readString(yaml);
        String oldHash = manifest.replaceAll("(?s).*\\nsha256: \"([0-9a-f]{64})\".*", "$1");
        Files.writeString(
                yaml, manifest.replace(oldHash, ModelStore.sha256(entry.resolve("model.pt"))));
        try (ModelStore store = ModelStore.open(root)) {
            assertThatThrownBy(() -> store.load("aesthetic-tiny", "1"))
                    .isInstanceOf(ModelStoreException.class)
                    .hasMessageContaining(entry.resolve("model.pt").toString())
                    .hasMessageContaining("cannot load this file as TorchScript");
        }
    }

    @Test
    void anInvalidManifestNamesFileAndField(@TempDir Path root) throws Exception {
        Path entry = copyEntry(root, "aesthetic-tiny");
        Path yaml = entry.resolve("model.yaml");
        Files.writeString(yaml, Files.readString(yaml) + "colour: blue\n");
        try (ModelStore store = ModelStore.open(root)) {
            assertThatThrownBy(() -> store.manifest("aesthetic-tiny", "1"))
                    .isInstanceOf(ModelStoreException.class)
                    .hasMessageContaining(yaml.toString())
                    .hasMessageContaining("colour");
        }
        Files.writeString(
                yaml,
                Files.readString(yaml).replace("colour: blue\n", "").replace("[-1, 1]", "[2, 1]"));
        try (ModelStore store = ModelStore.open(root)) {
            assertThatThrownBy(() -> store.manifest("aesthetic-tiny", "1"))
                    .hasMessageContaining("outputs[0].shape must start with -1");
        }
    }

    @Test
    void rejectsPathTraversal() {
        try (ModelStore store = ModelStore.open(Fixtures.MODELS)) {
            assertThatThrownBy(() -> store.load("..", "1"))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
