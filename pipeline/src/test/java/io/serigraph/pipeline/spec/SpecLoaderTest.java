package io.serigraph.pipeline.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.serigraph.engine.png.PngCompression;
import io.serigraph.engine.resample.ResampleFilter;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpecLoaderTest {
    @TempDir Path dir;

    private static final String GOOD =
            """
            name: Moths
            symbol: MOTH
            description: Night flyers.
            size: 8
            seed: 42
            start_id: 0
            canvas: {width: 16, height: 12, background: "#1d2b53"}
            layers:
              - name: Background
                dir: layers/Background
              - name: Body
                dir: layers/Body
              - name: Hat
                dir: %s
                none: 0.5
            output: {format: png, width: 32, height: 24, resample: nearest, compression: 9}
            metadata:
              name: "Moth #{id}"
              description: A moth.
              external_url: "https://example.com/{id}"
              image_base_uri: "ipfs://CID/"
            """;

    private Path goodFixture() throws IOException {
        TestPngs.writePng(dir.resolve("layers/Background/Blue#2.png"), 16, 12);
        TestPngs.writePng(dir.resolve("layers/Background/Red#0.5.png"), 16, 12);
        TestPngs.writePng(dir.resolve("layers/Body/Moth.png"), 16, 12);
        TestPngs.writePng(dir.resolve("layers/Body/Moth Dark#3.png"), 16, 12);
        TestPngs.writePng(dir.resolve("elsewhere/Hats/Cap#1.png"), 16, 12);
        TestPngs.writePng(dir.resolve("elsewhere/Hats/Crown#0.png"), 16, 12);
        Path hats = dir.resolve("elsewhere/Hats").toAbsolutePath();
        return Files.writeString(dir.resolve("serigraph.yaml"), GOOD.formatted("\"" + hats + "\""));
    }

    @Test
    void goodSpecLoadsWithEveryField() throws Exception {
        Path file = goodFixture();
        CollectionSpec spec = SpecLoader.load(file);

        assertThat(spec.file()).isEqualTo(file.toAbsolutePath().normalize());
        assertThat(spec.baseDir()).isEqualTo(dir.toAbsolutePath().normalize());
        assertThat(spec.name()).isEqualTo("Moths");
        assertThat(spec.symbol()).isEqualTo("MOTH");
        assertThat(spec.description()).isEqualTo("Night flyers.");
        assertThat(spec.size()).isEqualTo(8);
        assertThat(spec.seed()).isEqualTo("42");
        assertThat(spec.startId()).isZero();
        assertThat(spec.canvas()).isEqualTo(new Canvas(16, 12, 0x1d2b53ff));

        assertThat(spec.layers())
                .extracting(LayerSpec::name)
                .containsExactly("Background", "Body", "Hat");
        LayerSpec bg = spec.layers().get(0);
        assertThat(bg.dir()).isEqualTo(dir.resolve("layers/Background").toAbsolutePath());
        assertThat(bg.line()).isEqualTo(9);
        assertThat(bg.noneWeight()).isNull();
        assertThat(bg.optional()).isFalse();
        assertThat(bg.traits())
                .containsExactly(
                        new TraitSpec(
                                "Blue",
                                new BigDecimal("2"),
                                dir.resolve("layers/Background/Blue#2.png").toAbsolutePath()),
                        new TraitSpec(
                                "Red",
                                new BigDecimal("0.5"),
                                dir.resolve("layers/Background/Red#0.5.png").toAbsolutePath()));
        LayerSpec body = spec.layers().get(1);
        assertThat(body.traits()).extracting(TraitSpec::name).containsExactly("Moth", "Moth Dark");
        assertThat(body.traits())
                .extracting(TraitSpec::weight)
                .containsExactly(BigDecimal.ONE, new BigDecimal("3"));
        LayerSpec hat = spec.layers().get(2);
        assertThat(hat.dir()).isEqualTo(dir.resolve("elsewhere/Hats").toAbsolutePath());
        assertThat(hat.noneWeight()).isEqualByComparingTo("0.5");
        assertThat(hat.optional()).isTrue();
        assertThat(hat.line()).isEqualTo(13);
        assertThat(hat.traits()).extracting(TraitSpec::name).containsExactly("Cap", "Crown");

        // 2 backgrounds x 2 bodies x (1 hat with weight > 0, + none)
        assertThat(SpecLoader.combinations(spec.layers())).isEqualTo(BigInteger.valueOf(8));

        assertThat(spec.output())
                .isEqualTo(
                        new OutputSpec(
                                "png", 32, 24, ResampleFilter.NEAREST, PngCompression.level(9)));
        assertThat(spec.metadata())
                .isEqualTo(
                        new MetadataSpec(
                                "Moth #{id}",
                                "A moth.",
                                "https://example.com/{id}",
                                "ipfs://CID/"));
        assertThat(spec.metadata().nameFor(7)).isEqualTo("Moth #7");
    }

    @Test
    void defaultsForOptionalKeys() throws Exception {
        TestPngs.writePng(dir.resolve("layers/Body/Moth.png"), 8, 8);
        TestPngs.writePng(dir.resolve("layers/Body/Other.png"), 8, 8);
        Path file =
                Files.writeString(
                        dir.resolve("serigraph.yaml"),
                        """
                        name: Moths
                        symbol: MOTH
                        size: 2
                        seed: "  my seed 007 "
                        canvas: {width: 8, height: 8}
                        layers: [{name: Body, dir: layers/Body}]
                        """);
        CollectionSpec spec = SpecLoader.load(file);
        assertThat(spec.description()).isEmpty();
        assertThat(spec.seed()).isEqualTo("  my seed 007 ");
        assertThat(spec.startId()).isEqualTo(1);
        assertThat(spec.canvas().background()).isNull();
        assertThat(spec.output())
                .isEqualTo(
                        new OutputSpec(
                                "png", 8, 8, ResampleFilter.LANCZOS3, PngCompression.DEFAULT));
        assertThat(spec.metadata()).isEqualTo(new MetadataSpec("Moths #{id}", "", null, ""));
        assertThat(spec.qc()).isEqualTo(QcSpec.defaults());
    }

    @Test
    void qcBlockSetsThresholdsAndTiersOfNamedChecksOnly() throws Exception {
        TestPngs.writePng(dir.resolve("layers/Body/Moth.png"), 8, 8);
        Path file =
                Files.writeString(
                        dir.resolve("serigraph.yaml"),
                        """
                        name: Moths
                        symbol: MOTH
                        size: 1
                        seed: 1
                        canvas: {width: 8, height: 8}
                        layers: [{name: Body, dir: layers/Body}]
                        qc:
                          blank: {threshold: 2.5, tier: fail}
                          fringe: {tier: off}
                          near_duplicate: {threshold: 8}
                        """);
        QcSpec qc = SpecLoader.load(file).qc();
        assertThat(qc.settings())
                .containsOnly(
                        Map.entry("blank", new QcSetting(2.5, QcTier.FAIL)),
                        Map.entry("fringe", new QcSetting(null, QcTier.OFF)),
                        Map.entry("near_duplicate", new QcSetting(8.0, null)));
        assertThat(qc.setting("parity")).isEmpty();
    }

    @Test
    void seedKeepsIntegersAsDecimalText() throws Exception {
        TestPngs.writePng(dir.resolve("layers/Body/Moth.png"), 8, 8);
        for (String seed : List.of("0", "-17", "123456789012345678901234567890")) {
            CollectionSpec spec =
                    SpecLoader.parse(
                            dir.resolve("serigraph.yaml"),
                            ("name: M\nsymbol: M\nsize: 1\nseed: "
                                            + seed
                                            + "\ncanvas: {width: 8, height: 8}\n"
                                            + "layers: [{name: Body, dir: layers/Body}]\n")
                                    .getBytes(StandardCharsets.UTF_8));
            assertThat(spec.seed()).isEqualTo(seed);
        }
    }

    @Test
    void backgroundWithAlphaIsStraightRgba() throws Exception {
        TestPngs.writePng(dir.resolve("layers/Body/Moth.png"), 8, 8);
        CollectionSpec spec =
                SpecLoader.parse(
                        dir.resolve("serigraph.yaml"),
                        ("name: M\nsymbol: M\nsize: 1\nseed: x\n"
                                        + "canvas: {width: 8, height: 8, background: '#FF8000c0'}\n"
                                        + "layers: [{name: Body, dir: layers/Body}]\n")
                                .getBytes(StandardCharsets.UTF_8));
        assertThat(spec.canvas().background()).isEqualTo(0xff8000c0);
    }

    @Test
    void loadAcceptsTheSpecFolder() throws Exception {
        goodFixture();
        assertThat(SpecLoader.load(dir).file().getFileName().toString())
                .isEqualTo("serigraph.yaml");
    }

    @Test
    void missingSpecFileIsASpecException() {
        SpecException e =
                catchThrowableOfType(
                        SpecException.class, () -> SpecLoader.load(dir.resolve("nope.yaml")));
        assertThat(e.line()).isZero();
        assertThat(e.getMessage()).contains("nope.yaml: the spec file does not exist");
    }

    @Test
    void loadingWritesNothing() throws Exception {
        Path file = goodFixture();
        Map<String, Long> before = snapshot();
        SpecLoader.load(file);
        assertThat(snapshot()).isEqualTo(before);
        Files.writeString(file, Files.readString(file).replace("size: 8", "size: 0"));
        before = snapshot();
        assertThatThrownBy(() -> SpecLoader.load(file)).isInstanceOf(SpecException.class);
        assertThat(snapshot()).isEqualTo(before);
    }

    private Map<String, Long> snapshot() throws IOException {
        Map<String, Long> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                files.put(
                        dir.relativize(p).toString(),
                        Files.getLastModifiedTime(p).toMillis() * 31 + Files.size(p));
            }
        }
        return files;
    }

    @Test
    void reportsEveryProblemSortedByLineWithTheFirstInFront() throws Exception {
        TestPngs.writePng(dir.resolve("layers/Body/Moth.png"), 8, 8);
        Path file =
                Files.writeString(
                        dir.resolve("serigraph.yaml"),
                        """
                        name: Moths
                        size: 0
                        seed: 42
                        canvas: {width: 8, height: -1}
                        layers:
                          - name: Body
                            dir: layers/Nope
                        output: {compression: 10}
                        """);
        SpecException e = catchThrowableOfType(SpecException.class, () -> SpecLoader.load(file));
        assertThat(e.problems())
                .extracting(SpecProblem::line, SpecProblem::field)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(1, "symbol"),
                        org.assertj.core.groups.Tuple.tuple(2, "size"),
                        org.assertj.core.groups.Tuple.tuple(4, "canvas.height"),
                        org.assertj.core.groups.Tuple.tuple(7, "layers[0].dir"),
                        org.assertj.core.groups.Tuple.tuple(8, "output.compression"));
        assertThat(e.line()).isEqualTo(1);
        assertThat(e.field()).isEqualTo("symbol");
        assertThat(e.reason()).startsWith("missing required key 'symbol'");
        assertThat(e.getMessage().lines()).hasSize(5);
        assertThat(e.getMessage().lines().toList().get(3))
                .isEqualTo(
                        file
                                + ":7: layers[0].dir: folder 'layers/Nope' does not exist (create"
                                + " it or fix the path)");
    }

    @Test
    void seedNeverAppearsInErrors() throws Exception {
        TestPngs.writePng(dir.resolve("layers/Body/Moth.png"), 8, 8);
        Path file =
                Files.writeString(
                        dir.resolve("serigraph.yaml"),
                        "name: M\nsymbol: M\nsize: 1\nseed: 31337.5\n"
                                + "canvas: {width: 8, height: 8}\n"
                                + "layers: [{name: Body, dir: layers/Body}]\n");
        SpecException e = catchThrowableOfType(SpecException.class, () -> SpecLoader.load(file));
        assertThat(e.field()).isEqualTo("seed");
        assertThat(e.getMessage()).doesNotContain("31337");
    }
}
