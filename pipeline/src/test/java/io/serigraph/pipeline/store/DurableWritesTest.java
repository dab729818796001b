package io.serigraph.pipeline.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DurableWritesTest {
    @TempDir Path dir;

    @Test
    void linuxSyncsTheFileSystemOnceElsewhereEachFileIsForced() throws Exception {
        String os = System.getProperty("os.name");
        try (DurableWrites w = DurableWrites.open(List.of(dir.resolve("a")))) {
            if (os.startsWith("Linux")) {
                assertThat(w.method()).isEqualTo("syncfs");
            } else {
                assertThat(w.method()).isEqualTo("fsync");
            }
        }
        try (DurableWrites w = DurableWrites.open(List.of(dir.resolve("a")), false)) {
            assertThat(w.method()).isEqualTo("fsync");
        }
    }

    @ParameterizedTest(name = "syncfs={0}")
    @ValueSource(booleans = {true, false})
    void filesFromManyThreadsAreInPlaceWholeAndNoTemporaryIsLeft(boolean syncfs) throws Exception {
        assumeTrue(!syncfs || System.getProperty("os.name").startsWith("Linux"), "syncfs: Linux");
        Path images = dir.resolve("out/images");
        Path metadata = dir.resolve("out/metadata");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try (DurableWrites w = DurableWrites.open(List.of(images, metadata), syncfs)) {
            assertThat(images).isDirectory();
            assertThat(metadata).isDirectory();
            for (int round = 0; round < 3; round++) {
                int r = round;
                Future<?>[] done = new Future<?>[64];
                for (int i = 0; i < done.length; i++) {
                    int id = i;
                    done[i] =
                            pool.submit(
                                    () -> {
                                        w.write(images.resolve(id + ".png"), bytes(id, r, 5000));
                                        w.write(metadata.resolve(id + ".json"), bytes(id, r, 90));
                                        return null;
                                    });
                }
                for (Future<?> f : done) {
                    f.get();
                }
                w.commit();
                for (int i = 0; i < done.length; i++) {
                    assertThat(Files.readAllBytes(images.resolve(i + ".png")))
                            .isEqualTo(bytes(i, r, 5000));
                    assertThat(Files.readAllBytes(metadata.resolve(i + ".json")))
                            .isEqualTo(bytes(i, r, 90));
                }
            }
        } finally {
            pool.shutdownNow();
        }
        for (Path folder : List.of(images, metadata)) {
            try (Stream<Path> files = Files.list(folder)) {
                assertThat(files)
                        .hasSize(64)
                        .noneMatch(p -> p.toString().endsWith(AtomicFiles.TEMP_SUFFIX));
            }
        }
    }

    @Test
    void aCommitAfterCloseIsRefused() throws Exception {
        DurableWrites w = DurableWrites.open(List.of(dir));
        w.close();
        w.close();
        assertThatThrownBy(w::commit)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }

    @Test
    void aFolderThatIsAFileIsNamed() throws Exception {
        Path file = dir.resolve("images");
        Files.write(file, new byte[] {1});
        assertThatThrownBy(() -> DurableWrites.open(List.of(file)))
                .isInstanceOf(FileAlreadyExistsException.class)
                .hasMessageContaining(file.toString());
    }

    private static byte[] bytes(int id, int round, int n) {
        byte[] b = new byte[n + id];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (i * 31 + id * 7 + round);
        }
        return b;
    }
}
