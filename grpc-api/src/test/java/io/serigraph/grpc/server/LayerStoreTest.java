package io.serigraph.grpc.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.serigraph.grpc.LayerSet;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LayerStoreTest {
    @TempDir Path dir;

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void uploadLandsUnderItsHashAndTwiceIsHarmless() throws Exception {
        LayerStore store = new LayerStore(dir, 1 << 20);
        String expected =
                LayerSet.of(Map.of("layers/A/x.png", bytes("abc"), "layers/B/y.png", bytes("de")))
                        .hash();
        for (int i = 0; i < 2; i++) {
            try (LayerStore.Upload u = store.upload()) {
                u.write("layers/A/x.png", bytes("a"));
                u.write("layers/A/x.png", bytes("bc"));
                u.write("layers/B/y.png", bytes("de"));
                assertThat(u.commit(expected)).isEqualTo(expected);
            }
        }
        assertThat(store.contains(expected)).isTrue();
        assertThat(store.dir(expected).resolve("layers/A/x.png")).hasContent("abc");
        try (var entries = Files.list(dir)) {
            assertThat(entries.map(p -> p.getFileName().toString())).containsExactly(expected);
        }
    }

    @Test
    void wrongHashTooLargeAndUnsafePathsKeepNothing() throws Exception {
        LayerStore store = new LayerStore(dir, 4);
        try (LayerStore.Upload u = store.upload()) {
            u.write("a.png", bytes("abc"));
            assertThatThrownBy(() -> u.commit("0".repeat(64)))
                    .isInstanceOf(IllegalArgumentException.class);
        }
        try (LayerStore.Upload u = store.upload()) {
            assertThatThrownBy(() -> u.write("a.png", bytes("abcde")))
                    .isInstanceOf(LayerSetTooLargeException.class);
            assertThatThrownBy(() -> u.write("../b.png", bytes("a")))
                    .isInstanceOf(IllegalArgumentException.class);
        }
        try (var entries = Files.list(dir)) {
            assertThat(entries).isEmpty();
        }
        assertThatThrownBy(() -> store.dir("../x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.dir("a".repeat(64)))
                .isInstanceOf(LayerSetNotFoundException.class);
    }

    @Test
    void unfinishedUploadsOfAStoppedNodeAreRemovedAtStart() throws Exception {
        Files.createDirectories(dir.resolve(".incoming-left/layers"));
        Files.write(dir.resolve(".incoming-left/layers/a.png"), bytes("a"));
        new LayerStore(dir, 1 << 20);
        assertThat(dir.resolve(".incoming-left")).doesNotExist();
    }
}
