package io.serigraph.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The commands run in-process on real files. */
class CliTest {
    @TempDir Path dir;

    @RegisterExtension final ConsoleCapture console = new ConsoleCapture();

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
        assertThat(console.out()).contains("rendered 12").contains("images");
        assertThat(console.out()).contains("qc: 12 tokens (12 measured").contains("canvas");
        assertThat(count(demo.resolve("out/qc"))).isEqualTo(12);

        console.resetOut();
        assertThat(Main.run("demo", demo.toString())).isEqualTo(ExitCodes.OK);
        assertThat(console.out()).contains("all 12 tokens are up to date").contains("rendered 0");
    }

    @Test
    void benchRenderReportsRateMemoryAndBytes() throws Exception {
        Path work = dir.resolve("bench");
        assertThat(
                        Main.run(
                                "bench",
                                "render",
                                "--tokens",
                                "6",
                                "--size",
                                "32",
                                "--layers",
                                "3",
                                "--traits",
                                "3",
                                "--threads",
                                "2",
                                "--device",
                                "java",
                                "--dir",
                                work.toString()))
                .isEqualTo(ExitCodes.OK);
        assertThat(console.out())
                .contains("bench render: 6 tokens 32x32 x 3 layers (noise 12.0, level 6)")
                .containsPattern("tokens/s  wall [0-9.]+ s  cpu [0-9.]+ s  peak RSS [1-9][0-9]* MB")
                .containsPattern("peak live heap [0-9]+ MB")
                .contains("KB per token");
        assertThat(count(work.resolve("out/images"))).isEqualTo(6);
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
        assertThat(console.err()).contains("already exists");
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
        assertThat(console.err()).contains("no such folder");

        Path drop = dir.resolve("bad");
        Files.createDirectories(drop);
        Files.writeString(
                drop.resolve("serigraph.yaml"),
                "name: X\nsymbol: X\nsize: 3\nseed: 1\nlayerz: []\n");
        console.resetErr();
        assertThat(Main.run("render", drop.toString())).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(console.err()).contains("serigraph.yaml").contains("layerz");
        assertThat(drop.resolve("out")).doesNotExist();

        assertThat(Main.run("render", "--threads", "zero", drop.toString()))
                .isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(Main.run("frobnicate")).isEqualTo(ExitCodes.BAD_INPUT);
    }

    @Test
    void helpAndVersion() {
        assertThat(Main.run("--help")).isZero();
        assertThat(console.out()).contains("init", "render", "demo", "Exit codes");
        assertThat(Main.run("--version")).isZero();
        assertThat(console.out()).contains("serigraph");
    }

    private static long count(Path folder) throws Exception {
        try (Stream<Path> s = Files.list(folder)) {
            return s.count();
        }
    }

    @Test
    void simulateWritesTheReportAndRefusesContradictoryRules() throws Exception {
        Path drop = dir.resolve("sim");
        assertThat(
                        Main.run(
                                "init",
                                drop.toString(),
                                "--size",
                                "40",
                                "--seed",
                                "s",
                                "--canvas",
                                "64"))
                .as(console.err())
                .isEqualTo(ExitCodes.OK);
        io.serigraph.pipeline.spec.CollectionSpec spec =
                io.serigraph.pipeline.spec.SpecLoader.load(drop);
        String a = ref(spec, 0);
        String b = ref(spec, 1);
        String c = ref(spec, 2);
        Path yaml = drop.resolve("serigraph.yaml");
        String base = Files.readString(yaml);
        Files.writeString(
                yaml,
                base
                        + "rules:\n  - forbid: [\""
                        + a
                        + "\", \""
                        + b
                        + "\"]\nquotas:\n  \""
                        + c
                        + "\": 7\n");
        console.resetOut();

        int rc = Main.run("simulate", drop.toString());
        assertThat(rc).as(console.err()).isEqualTo(ExitCodes.OK);

        String json = Files.readString(drop.resolve("out/simulation.json"));
        assertThat(json).contains("\"quota\" : 7").contains("\"chi_square\"");
        assertThat(Files.readString(drop.resolve("out/simulation.html")))
                .startsWith("<!DOCTYPE html>")
                .doesNotContain("http://")
                .doesNotContain("https://");
        assertThat(Files.readAllLines(drop.resolve("out/rarity.csv")))
                .hasSize(41)
                .first()
                .isEqualTo("id,rank,score,unique_traits,one_of_one");
        assertThat(console.out()).contains("40 tokens planned").contains("rarest");

        Files.writeString(
                yaml,
                base
                        + "rules:\n  - pair: [\""
                        + a
                        + "\", \""
                        + b
                        + "\"]\n  - forbid: [\""
                        + a
                        + "\", \""
                        + b
                        + "\"]\n");
        int rulesLine = (int) base.lines().count() + 1;
        console.resetErr();
        assertThat(Main.run("simulate", drop.toString())).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(console.err())
                .contains("leave no token that can have " + a)
                .contains("line " + (rulesLine + 1) + " rules[0]")
                .contains("line " + (rulesLine + 2) + " rules[1]");
    }

    private static String ref(io.serigraph.pipeline.spec.CollectionSpec spec, int layer) {
        var l = spec.layers().get(layer);
        return l.name() + ":" + l.traits().get(0).name();
    }

    @Test
    void qcChecksARenderedDropAndFailsOnABrokenToken() throws Exception {
        Path demo = dir.resolve("demo");
        assertThat(Main.run("demo", demo.toString(), "--size", "12", "--threads", "2"))
                .isEqualTo(ExitCodes.OK);
        console.resetOut();
        assertThat(Main.run("qc", demo.toString(), "--threads", "2")).isEqualTo(ExitCodes.OK);
        assertThat(console.out())
                .contains("qc: 12 tokens")
                .contains("parity")
                .contains("near_duplicate");
        assertThat(count(demo.resolve("out/qc"))).isEqualTo(12);

        Files.writeString(demo.resolve("out/metadata/3.json"), "{\"name\": 3}\n");
        console.resetOut();
        assertThat(Main.run("qc", demo.toString(), "--threads", "2")).isEqualTo(ExitCodes.FAILURE);
        assertThat(console.out()).contains("qc: 12 tokens (1 measured, 11 up to date)");
        assertThat(console.out()).contains("token 3 FAIL: metadata_schema");
    }

    @Test
    void qcOfAnUnrenderedDropIsBadInput() throws Exception {
        Path demo = dir.resolve("demo");
        assertThat(Main.run("init", demo.toString(), "--size", "4", "--canvas", "64"))
                .isEqualTo(ExitCodes.OK);
        assertThat(Main.run("qc", demo.toString())).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(console.err()).contains("not rendered").contains("serigraph render");
        assertThat(Main.run("qc", dir.resolve("nowhere").toString()))
                .isEqualTo(ExitCodes.BAD_INPUT);
    }

    /** Two flat grey tokens: QC sends both to REVIEW (blank). */
    private Path fogDrop(String name) throws Exception {
        Path drop = dir.resolve(name);
        for (String[] t : new String[][] {{"Fog", "128"}, {"Mist", "90"}}) {
            java.awt.image.BufferedImage img =
                    new java.awt.image.BufferedImage(
                            16, 16, java.awt.image.BufferedImage.TYPE_INT_ARGB);
            int g = Integer.parseInt(t[1]);
            for (int y = 0; y < 16; y++) {
                for (int x = 0; x < 16; x++) {
                    img.setRGB(x, y, 0xFF000000 | g << 16 | g << 8 | g);
                }
            }
            Files.createDirectories(drop.resolve("layers/Base"));
            javax.imageio.ImageIO.write(
                    img, "png", drop.resolve("layers/Base/" + t[0] + ".png").toFile());
        }
        Files.writeString(
                drop.resolve("serigraph.yaml"),
                "name: Fog\nsymbol: FOG\nsize: 2\nseed: 1\ncanvas: {width: 16, height: 16}\n"
                        + "layers: [{name: Base, dir: layers/Base}]\n");
        return drop;
    }

    @Test
    void publishTakesOnlyTokensQcPassedOrApproved() throws Exception {
        Path drop = fogDrop("fog");
        assertThat(Main.run("render", drop.toString(), "--threads", "1")).isEqualTo(ExitCodes.OK);
        assertThat(Main.run("qc", drop.toString(), "--threads", "1")).isEqualTo(ExitCodes.OK);
        console.resetErr();
        assertThat(Main.run("publish", drop.toString())).isEqualTo(ExitCodes.FAILURE);
        assertThat(console.err()).contains("token 1").contains("awaits a review decision");
        assertThat(drop.resolve("out/provenance.json")).doesNotExist();

        review(drop, "a\ns\n"); // approve token 1, skip token 2
        console.resetErr();
        assertThat(Main.run("publish", drop.toString())).isEqualTo(ExitCodes.FAILURE);
        assertThat(console.err()).contains("token 2").contains("awaits a review decision");

        review(drop, "a\n"); // token 2
        assertThat(Main.run("publish", drop.toString())).as(console.err()).isEqualTo(ExitCodes.OK);
        assertThat(drop.resolve("out/provenance.json")).exists();

        // A token that FAILs quality control blocks publishing again.
        Files.writeString(drop.resolve("out/metadata/1.json"), "{\"name\": 1}\n");
        assertThat(Main.run("qc", drop.toString(), "--threads", "1")).isEqualTo(ExitCodes.FAILURE);
        console.resetErr();
        assertThat(Main.run("publish", drop.toString())).isEqualTo(ExitCodes.FAILURE);
        assertThat(console.err()).contains("token 1").contains("FAILed quality control");

        // A rejected token is not published either.
        Path other = fogDrop("fog2");
        assertThat(Main.run("render", other.toString(), "--threads", "1")).isEqualTo(ExitCodes.OK);
        assertThat(Main.run("qc", other.toString(), "--threads", "1")).isEqualTo(ExitCodes.OK);
        review(other, "r\na\n");
        console.resetErr();
        assertThat(Main.run("publish", other.toString())).isEqualTo(ExitCodes.FAILURE);
        assertThat(console.err()).contains("token 1").contains("reject").contains("ana");
    }

    private void review(Path drop, String answers) {
        java.io.InputStream savedIn = System.in;
        try {
            System.setIn(
                    new java.io.ByteArrayInputStream(answers.getBytes(StandardCharsets.UTF_8)));
            assertThat(Main.run("review", drop.toString(), "--cli", "--reviewer", "ana"))
                    .isEqualTo(ExitCodes.OK);
        } finally {
            System.setIn(savedIn);
        }
    }

    @Test
    void reviewRecordsDecisionsInTheAuditLog() throws Exception {
        Path drop = fogDrop("fog");
        assertThat(Main.run("review", drop.toString(), "--cli")).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(Main.run("render", drop.toString(), "--threads", "1")).isEqualTo(ExitCodes.OK);
        assertThat(Main.run("qc", drop.toString(), "--threads", "1")).isEqualTo(ExitCodes.OK);
        assertThat(console.out()).contains("blank                   0 PASS        2 REVIEW");
        assertThat(Main.run("review", drop.toString())).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(console.err()).contains("--cli");

        java.io.InputStream savedIn = System.in;
        try {
            console.resetOut();
            System.setIn(
                    new java.io.ByteArrayInputStream("what\na\n".getBytes(StandardCharsets.UTF_8)));
            assertThat(Main.run("review", drop.toString(), "--cli", "--reviewer", "alice"))
                    .isEqualTo(ExitCodes.OK);
            assertThat(console.out())
                    .contains("token 1:")
                    .contains("REVIEW blank")
                    .contains("answer a, r, x, s or q")
                    .contains(
                            "2 tokens awaited a decision; 1 approved, 0 rejected, 0 to re-roll, 1 left");

            console.resetOut();
            System.setIn(new java.io.ByteArrayInputStream("x\n".getBytes(StandardCharsets.UTF_8)));
            assertThat(Main.run("review", drop.toString(), "--cli", "--reviewer", "bob"))
                    .isEqualTo(ExitCodes.OK);
            assertThat(console.out())
                    .doesNotContain("token 1:")
                    .contains("token 2:")
                    .contains("1 to re-roll");
        } finally {
            System.setIn(savedIn);
        }
        try (io.serigraph.pipeline.store.DropStore store =
                io.serigraph.pipeline.store.DropStore.open(drop.resolve("out/drop.db"))) {
            var decisions = io.serigraph.pipeline.qc.ReviewLog.latest(store);
            assertThat(decisions.get(1L).decision())
                    .isEqualTo(io.serigraph.pipeline.qc.ReviewLog.Decision.APPROVE);
            assertThat(decisions.get(1L).reviewer()).isEqualTo("alice");
            assertThat(decisions.get(2L).decision())
                    .isEqualTo(io.serigraph.pipeline.qc.ReviewLog.Decision.REROLL);
            assertThat(decisions.get(2L).reviewer()).isEqualTo("bob");
            assertThat(store.verifyAudit().intact()).isTrue();
        }
    }
}
