package io.serigraph.pipeline.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
    @TempDir Path dir;

    @Test
    void writesCreatesFoldersAndReplaces() throws Exception {
        Path target = dir.resolve("a/b/1.png");
        AtomicFiles.write(target, new byte[] {1, 2, 3});
        assertThat(Files.readAllBytes(target)).containsExactly(1, 2, 3);
        AtomicFiles.write(target, new byte[] {4});
        assertThat(Files.readAllBytes(target)).containsExactly(4);
        try (var files = Files.list(target.getParent())) {
            assertThat(files).containsExactly(target);
        }
    }

    @Test
    void strayTemporariesFromAKilledRunAreRemovedAndNothingElse() throws Exception {
        Files.write(dir.resolve(".1.png.1234" + AtomicFiles.TEMP_SUFFIX), new byte[10]);
        Files.write(dir.resolve(".2.json.99" + AtomicFiles.TEMP_SUFFIX), new byte[10]);
        Files.write(dir.resolve("3.png"), new byte[10]);
        assertThat(AtomicFiles.removeStrayTemporaries(dir)).isEqualTo(2);
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(dir.resolve("3.png"));
        }
        assertThat(AtomicFiles.removeStrayTemporaries(dir.resolve("missing"))).isZero();
    }
}
