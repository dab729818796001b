package io.serigraph.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
        if (DevChain.find().isPresent()) {
            // Minted on a dev chain the demo started (and stopped), with the provenance hash.
            assertThat(console.out())
                    .contains("mint: provenance hash 0x")
                    .contains("tokens     12")
                    .contains("minted    12 tokens on a dev chain");
        } else {
            assertThat(console.out()).contains("no local dev chain (anvil) found");
        }

        console.resetOut();
        assertThat(Main.run("demo", demo.toString())).isEqualTo(ExitCodes.OK);
        assertThat(console.out()).contains("all 12 tokens are up to date").contains("rendered 0");
    }

    @Test
    void demoWithoutAnvilSaysHowToGetOneAndSucceeds() throws Exception {
        DemoCommand.anvil = java.util.Optional::empty;
        try {
            Path demo = dir.resolve("demo");
            assertThat(Main.run("demo", demo.toString(), "--size", "4", "--threads", "1"))
                    .isEqualTo(ExitCodes.OK);
            assertThat(console.out())
                    .contains("no local dev chain (anvil) found")
                    .contains("npm install --prefix chain-bridge/src/test/anvil --no-save")
                    .contains("minted    nothing");
        } finally {
            DemoCommand.anvil = DevChain::find;
        }
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
                .contains(
                        "bench render: 6 tokens 32x32 x 3 layers (noise 12.0, compression default)")
                .containsPattern(
                        "tokens/s  wall [0-9.]+ s  cpu [0-9.]+ s"
                                + (Files.exists(Path.of("/proc/self/stat"))
                                        ? " \\(kernel [0-9.]+ s\\)"
                                        : "")
                                + "  peak RSS [1-9][0-9]* MB")
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

    /** Four tokens over 4 x 2 combinations: the flat bases (Fog, Mist) are sent to REVIEW. */
    private Path rerollDrop() throws Exception {
        Path drop = dir.resolve("reroll");
        java.util.Map<String, java.util.function.IntBinaryOperator> art =
                new java.util.LinkedHashMap<>();
        art.put("Base/Fog", (x, y) -> 0xFF808080);
        art.put("Base/Mist", (x, y) -> 0xFF5A5A5A);
        art.put(
                "Base/Rings",
                (x, y) -> (int) Math.hypot(x - 8, y - 8) % 4 < 2 ? 0xFF283040 : 0xFFC8B060);
        art.put("Base/Bars", (x, y) -> x / 3 % 2 == 0 ? 0xFF3C1E1E : 0xFF60C0D0);
        art.put("Mark/Dot", (x, y) -> x == 3 && y == 3 ? 0xFFFF0000 : 0);
        art.put("Mark/Tick", (x, y) -> x == 12 && y == 4 ? 0xFF00FF00 : 0);
        for (var e : art.entrySet()) {
            java.awt.image.BufferedImage img =
                    new java.awt.image.BufferedImage(
                            16, 16, java.awt.image.BufferedImage.TYPE_INT_ARGB);
            for (int y = 0; y < 16; y++) {
                for (int x = 0; x < 16; x++) {
                    img.setRGB(x, y, e.getValue().applyAsInt(x, y));
                }
            }
            Path file = drop.resolve("layers/" + e.getKey() + ".png");
            Files.createDirectories(file.getParent());
            javax.imageio.ImageIO.write(img, "png", file.toFile());
        }
        Files.writeString(
                drop.resolve("serigraph.yaml"),
                "name: Reroll\nsymbol: RR\nsize: 4\nseed: 3\ncanvas: {width: 16, height: 16}\n"
                        + "layers: [{name: Base, dir: layers/Base}, {name: Mark, dir: layers/Mark}]\n"
                        + "qc:\n  near_duplicate: {tier: off}\n  trait_drift: {tier: off}\n");
        return drop;
    }

    private java.util.List<io.serigraph.pipeline.qc.ReviewQueue.Item> pending(Path drop)
            throws Exception {
        var spec = io.serigraph.pipeline.spec.SpecLoader.load(drop.resolve("serigraph.yaml"));
        try (var store = io.serigraph.pipeline.store.DropStore.open(drop.resolve("out/drop.db"))) {
            return new io.serigraph.pipeline.qc.ReviewQueue(spec, store).pending();
        }
    }

    private static long rerollEvents(Path drop) {
        try (var store = io.serigraph.pipeline.store.DropStore.open(drop.resolve("out/drop.db"))) {
            return store.audit().stream()
                    .filter(e -> e.event().equals(io.serigraph.pipeline.qc.Rerolls.EVENT))
                    .count();
        }
    }

    private static String dnaOf(Path drop, long id) {
        try (var store = io.serigraph.pipeline.store.DropStore.open(drop.resolve("out/drop.db"))) {
            return store.tokens().stream()
                    .filter(t -> t.id() == id)
                    .findFirst()
                    .orElseThrow()
                    .dna();
        }
    }

    @Test
    void aRerolledTokenIsRedrawnRerenderedAndRecheckedAloneAndPublishRedoesIt() throws Exception {
        Path drop = rerollDrop();
        assertThat(Main.run("render", drop.toString(), "--threads", "1")).isEqualTo(ExitCodes.OK);
        assertThat(Main.run("qc", drop.toString(), "--threads", "1")).isEqualTo(ExitCodes.OK);
        var before = pending(drop);
        assertThat(before).isNotEmpty();
        long token = before.get(0).tokenId();
        String oldDna = dnaOf(drop, token);
        byte[] oldImage = Files.readAllBytes(drop.resolve("out/images/" + token + ".png"));
        review(drop, "x\n" + "a\n".repeat(before.size() - 1));
        assertThat(console.out()).contains("1 to re-roll").contains("serigraph render");

        console.resetOut();
        assertThat(Main.run("render", drop.toString(), "--threads", "1")).isEqualTo(ExitCodes.OK);
        assertThat(console.out()).contains("rendered 1, up to date 3, of 4 tokens");
        assertThat(dnaOf(drop, token)).isNotEqualTo(oldDna);
        assertThat(Files.readAllBytes(drop.resolve("out/images/" + token + ".png")))
                .isNotEqualTo(oldImage);
        assertThat(rerollEvents(drop)).isEqualTo(1);
        // Applied once: a rerun re-draws and re-renders nothing.
        console.resetOut();
        assertThat(Main.run("render", drop.toString(), "--threads", "1")).isEqualTo(ExitCodes.OK);
        assertThat(console.out()).contains("rendered 0, up to date 4, of 4 tokens");
        assertThat(rerollEvents(drop)).isEqualTo(1);

        console.resetOut();
        assertThat(Main.run("qc", drop.toString(), "--threads", "1")).isEqualTo(ExitCodes.OK);
        assertThat(console.out()).contains("qc: 4 tokens (1 measured, 3 up to date)");
        var after = pending(drop);
        assertThat(after).allSatisfy(i -> assertThat(i.tokenId()).isEqualTo(token));
        review(drop, "a\n".repeat(after.size()));
        assertThat(Main.run("publish", drop.toString())).as(console.err()).isEqualTo(ExitCodes.OK);
        String attributes = Files.readString(drop.resolve("out/publish/metadata/" + token));
        // Traits in name order: Base Bars, Fog, Mist, Rings; Mark Dot, Tick.
        String[] dna = dnaOf(drop, token).split("-");
        assertThat(attributes)
                .contains(
                        "\"value\" : \""
                                + List.of("Bars", "Fog", "Mist", "Rings")
                                        .get(Integer.parseInt(dna[0]))
                                + "\"")
                .contains(
                        "\"value\" : \""
                                + List.of("Dot", "Tick").get(Integer.parseInt(dna[1]))
                                + "\"");
        assertThat(Main.run("verify", drop.toString())).as(console.out()).isEqualTo(ExitCodes.OK);
        assertThat(rerollEvents(drop)).isEqualTo(1);
    }

    @Test
    void aRerollWithNoCombinationLeftIsRefusedNamingTheToken() throws Exception {
        Path drop = fogDrop("full");
        assertThat(Main.run("render", drop.toString(), "--threads", "1")).isEqualTo(ExitCodes.OK);
        assertThat(Main.run("qc", drop.toString(), "--threads", "1")).isEqualTo(ExitCodes.OK);
        review(drop, "x\na\n");
        console.resetErr();
        assertThat(Main.run("render", drop.toString(), "--threads", "1"))
                .isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(console.err())
                .contains("token 1: no re-roll found")
                .contains("approve or reject")
                .contains("back in review");
        assertThat(rerollEvents(drop)).isZero();
        // Refused once: the drop goes on, and the token is asked about again.
        assertThat(Main.run("render", drop.toString(), "--threads", "1")).isEqualTo(ExitCodes.OK);
        console.resetOut();
        review(drop, "a\n");
        assertThat(console.out()).contains("re-roll refused").contains("1 approved");
        assertThat(pending(drop)).isEmpty();
        assertThat(Main.run("publish", drop.toString())).as(console.err()).isEqualTo(ExitCodes.OK);
    }

    /** What a command prints, line by line, for a test to wait on. */
    private static final class Lines extends java.io.OutputStream {
        final java.util.concurrent.BlockingQueue<String> lines =
                new java.util.concurrent.LinkedBlockingQueue<>();
        private final java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();

        @Override
        public synchronized void write(int b) {
            if (b == '\n') {
                lines.add(line.toString(StandardCharsets.UTF_8));
                line.reset();
            } else {
                line.write(b);
            }
        }

        /** The next line that contains {@code text} (lines before it are skipped). */
        String await(String text) throws InterruptedException {
            for (String l = lines.poll(2, java.util.concurrent.TimeUnit.MINUTES);
                    l != null;
                    l = lines.poll(2, java.util.concurrent.TimeUnit.MINUTES)) {
                if (l.contains(text)) {
                    return l;
                }
            }
            throw new AssertionError("the command never printed '" + text + "'");
        }
    }

    @Test
    void reviewServesThePageUntilTheReviewerFinishes() throws Exception {
        Path drop = fogDrop("web");
        assertThat(Main.run("render", drop.toString(), "--threads", "1")).isEqualTo(ExitCodes.OK);
        assertThat(Main.run("qc", drop.toString(), "--threads", "1")).isEqualTo(ExitCodes.OK);
        Lines printed = new Lines();
        java.io.PrintStream saved = System.out;
        System.setOut(new java.io.PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            var run =
                    java.util.concurrent.CompletableFuture.supplyAsync(
                            () -> Main.run("review", drop.toString(), "--reviewer", "dan"));
            String open = printed.await("open http://127.0.0.1:");
            assertThat(open).contains("2 tokens await a decision");
            java.net.URI uri =
                    java.net.URI.create(
                            open.replaceAll(".*open (http://127\\.0\\.0\\.1:\\d+/).*", "$1"));
            var http = java.net.http.HttpClient.newHttpClient();
            String page =
                    http.send(
                                    java.net.http.HttpRequest.newBuilder(uri).build(),
                                    java.net.http.HttpResponse.BodyHandlers.ofString())
                            .body();
            assertThat(page).contains("id=\"token-1\"").contains("id=\"token-2\"");
            int at = page.indexOf("name=\"csrf\" value=\"") + 19;
            String csrf = page.substring(at, page.indexOf('"', at));
            for (String[] post :
                    new String[][] {
                        {"/decide", "token=2&decision=reject&csrf=" + csrf},
                        {"/finish", "csrf=" + csrf}
                    }) {
                var response =
                        http.send(
                                java.net.http.HttpRequest.newBuilder(uri.resolve(post[0]))
                                        .header("Content-Type", "application/x-www-form-urlencoded")
                                        .POST(
                                                java.net.http.HttpRequest.BodyPublishers.ofString(
                                                        post[1]))
                                        .build(),
                                java.net.http.HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).isIn(200, 303);
            }
            assertThat(run.get(2, java.util.concurrent.TimeUnit.MINUTES)).isEqualTo(ExitCodes.OK);
            assertThat(printed.await("tokens awaited a decision"))
                    .contains(
                            "2 tokens awaited a decision; 0 approved, 1 rejected, 0 to re-roll, 1 left (by dan)");
        } finally {
            System.setOut(saved);
        }
        assertThat(pending(drop)).extracting(i -> i.tokenId()).containsExactly(1L);
    }
}
