package io.serigraph.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commands run in-process on real files. */
class CliTest {
    @TempDir Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream savedOut;
    private PrintStream savedErr;

    @BeforeEach
    void capture() {
        savedOut = System.out;
        savedErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setOut(savedOut);
        System.setErr(savedErr);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void demoRendersTheSampleAndResumes() throws Exception {
        Path demo = dir.resolve("demo");
        assertThat(Main.run("demo", demo.toString(), "--size", "12")).isEqualTo(ExitCodes.OK);
        assertThat(count(demo.resolve("out/images"))).isEqualTo(12);
        assertThat(count(demo.resolve("out/metadata"))).isEqualTo(12);
        assertThat(demo.resolve("out/drop.db")).exists();
        try (Stream<Path> layers = Files.list(demo.resolve("layers"))) {
            assertThat(layers.count()).isGreaterThanOrEqualTo(5);
        }
        assertThat(out()).contains("rendered 12").contains("images");

        out.reset();
        assertThat(Main.run("demo", demo.toString())).isEqualTo(ExitCodes.OK);
        assertThat(out()).contains("all 12 tokens are up to date").contains("rendered 0");
    }

    @Test
    void sampleInitAndRenderByHand() throws Exception {
        Path drop = dir.resolve("mine");
        assertThat(
                        Main.run(
                                "init",
                                drop.toString(),
                                "--size",
                                "5",
                                "--seed",
                                "s",
                                "--canvas",
                                "96"))
                .isEqualTo(ExitCodes.OK);
        assertThat(Main.run("render", drop.toString(), "--threads", "1")).isEqualTo(ExitCodes.OK);
        assertThat(count(drop.resolve("out/images"))).isEqualTo(5);
        // init refuses to overwrite a spec
        assertThat(Main.run("init", drop.toString())).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(err()).contains("already exists");
    }

    @Test
    void initFromAHashLipsFolderThenRender() throws Exception {
        Path sample = dir.resolve("sample");
        assertThat(Main.run("init", sample.toString(), "--size", "3", "--canvas", "64")).isZero();
        Path drop = dir.resolve("from");
        assertThat(
                        Main.run(
                                "init",
                                drop.toString(),
                                "--from",
                                sample.resolve("layers").toString(),
                                "--size",
                                "4",
                                "--seed",
                                "9"))
                .isEqualTo(ExitCodes.OK);
        assertThat(Main.run("render", drop.toString())).isEqualTo(ExitCodes.OK);
        assertThat(count(drop.resolve("out/images"))).isEqualTo(4);
        String meta = Files.readString(drop.resolve("out/metadata/1.json"));
        assertThat(meta).contains("\"trait_type\" : \"Background\"");
    }

    @Test
    void badInputExitsTwoAndWritesNothing() throws Exception {
        assertThat(Main.run("render", dir.resolve("nowhere").toString()))
                .isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(err()).contains("no such folder");

        Path drop = dir.resolve("bad");
        Files.createDirectories(drop);
        Files.writeString(
                drop.resolve("serigraph.yaml"),
                "name: X\nsymbol: X\nsize: 3\nseed: 1\nlayerz: []\n");
        err.reset();
        assertThat(Main.run("render", drop.toString())).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(err()).contains("serigraph.yaml").contains("layerz");
        assertThat(drop.resolve("out")).doesNotExist();

        assertThat(Main.run("render", "--threads", "zero", drop.toString()))
                .isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(Main.run("frobnicate")).isEqualTo(ExitCodes.BAD_INPUT);
    }

    @Test
    void helpAndVersion() {
        assertThat(Main.run("--help")).isZero();
        assertThat(out()).contains("init", "render", "demo", "Exit codes");
        assertThat(Main.run("--version")).isZero();
        assertThat(out()).contains("serigraph");
    }

    private static long count(Path folder) throws Exception {
        try (Stream<Path> s = Files.list(folder)) {
            return s.count();
        }
    }

    @Test
    void qcChecksARenderedDropAndFailsOnABrokenToken() throws Exception {
        Path demo = dir.resolve("demo");
        assertThat(Main.run("demo", demo.toString(), "--size", "12", "--threads", "2"))
                .isEqualTo(ExitCodes.OK);
        out.reset();
        assertThat(Main.run("qc", demo.toString(), "--threads", "2")).isEqualTo(ExitCodes.OK);
        assertThat(out()).contains("qc: 12 tokens").contains("parity").contains("near_duplicate");
        assertThat(count(demo.resolve("out/qc"))).isEqualTo(12);

        Files.writeString(demo.resolve("out/metadata/3.json"), "{\"name\": 3}\n");
        out.reset();
        assertThat(Main.run("qc", demo.toString(), "--threads", "2")).isEqualTo(ExitCodes.FAILURE);
        assertThat(out()).contains("qc: 12 tokens (1 measured, 11 up to date)");
        assertThat(out()).contains("token 3 FAIL: metadata_schema");
    }

    @Test
    void qcOfAnUnrenderedDropIsBadInput() throws Exception {
        Path demo = dir.resolve("demo");
        assertThat(Main.run("init", demo.toString(), "--size", "4", "--canvas", "64"))
                .isEqualTo(ExitCodes.OK);
        assertThat(Main.run("qc", demo.toString())).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(err()).contains("not rendered").contains("serigraph render");
        assertThat(Main.run("qc", dir.resolve("nowhere").toString()))
                .isEqualTo(ExitCodes.BAD_INPUT);
    }
}
