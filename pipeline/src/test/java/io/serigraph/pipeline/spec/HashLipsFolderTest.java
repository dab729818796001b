package io.serigraph.pipeline.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HashLips layer folders as artists make them. */
class HashLipsFolderTest {
    @TempDir Path dir;

    @BeforeEach
    void needsUnicodeFileNames() {
        String enc = System.getProperty("sun.jnu.encoding", "");
        assumeTrue(
                enc.equalsIgnoreCase("UTF-8"),
                "SKIPPED: file names are not UTF-8 in this JVM (sun.jnu.encoding="
                        + enc
                        + "); run with LANG=C.UTF-8 to test unicode trait names");
    }

    private LayerSpec loadLayer(String... files) throws Exception {
        for (String f : files) {
            TestPngs.writePng(dir.resolve("layers/L").resolve(f), 4, 4);
        }
        Path spec =
                Files.writeString(
                        dir.resolve("serigraph.yaml"),
                        "name: M\nsymbol: M\nsize: 1\nseed: 1\ncanvas: {width: 4, height: 4}\n"
                                + "layers:\n  - name: L\n    dir: layers/L\n");
        return SpecLoader.load(spec).layers().get(0);
    }

    @Test
    void namesAndWeights() throws Exception {
        LayerSpec layer =
                loadLayer(
                        "Red#0.5.png",
                        "Green#12.75.png",
                        "Blue#3.png",
                        "Plain.png",
                        "No #5#2.png",
                        "big.hat v2-final#1.png",
                        "Shout.PNG",
                        "Mixed#0.Png",
                        "Zero Pad#007.png",
                        "Trail#1.50.png");
        assertThat(layer.traits())
                .extracting(TraitSpec::name, t -> t.weight().toPlainString())
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("Blue", "3"),
                        org.assertj.core.groups.Tuple.tuple("Green", "12.75"),
                        org.assertj.core.groups.Tuple.tuple("Mixed", "0"),
                        org.assertj.core.groups.Tuple.tuple("No #5", "2"),
                        org.assertj.core.groups.Tuple.tuple("Plain", "1"),
                        org.assertj.core.groups.Tuple.tuple("Red", "0.5"),
                        org.assertj.core.groups.Tuple.tuple("Shout", "1"),
                        org.assertj.core.groups.Tuple.tuple("Trail", "1.50"),
                        org.assertj.core.groups.Tuple.tuple("Zero Pad", "7"),
                        org.assertj.core.groups.Tuple.tuple("big.hat v2-final", "1"));
        assertThat(layer.traits().get(0).file().getFileName().toString()).isEqualTo("Blue#3.png");
        assertThat(layer.traits()).allMatch(t -> t.file().isAbsolute());
    }

    @Test
    void hiddenOtherFilesAndSubfoldersAreIgnored() throws Exception {
        TestPngs.writeText(dir.resolve("layers/L/.DS_Store"), "junk");
        TestPngs.writeText(dir.resolve("layers/L/Thumbs.db"), "junk");
        TestPngs.writeText(dir.resolve("layers/L/notes.txt"), "junk");
        TestPngs.writeText(dir.resolve("layers/L/._Red#1.png"), "macOS resource fork");
        TestPngs.writePng(dir.resolve("layers/L/.hidden#3.png"), 4, 4);
        TestPngs.writePng(dir.resolve("layers/L/old/Stale#1.png"), 99, 99);
        Files.createDirectories(dir.resolve("layers/L/folder.png"));
        LayerSpec layer = loadLayer("Red#1.png");
        assertThat(layer.traits()).extracting(TraitSpec::name).containsExactly("Red");
    }

    @Test
    void unicodeNamesAreNfcAndSortedByCodePoint() throws Exception {
        String nfd = Normalizer.normalize("Éclair au café", Normalizer.Form.NFD);
        LayerSpec layer =
                loadLayer(
                        nfd + "#1.5.png",
                        "\uD83E\uDD8B Wings#1.png", // U+1F98B butterfly
                        "\uFF21 Wide A.png", // U+FF21, above the surrogates in UTF-16
                        "Zebra.png",
                        "zebra.png",
                        "Ärmel.png");
        List<String> names = layer.traits().stream().map(TraitSpec::name).toList();
        assertThat(names)
                .containsExactly(
                        "Zebra",
                        "zebra",
                        "Ärmel",
                        "Éclair au café",
                        "\uFF21 Wide A",
                        "\uD83E\uDD8B Wings");
        assertThat(names.get(3)).isEqualTo(Normalizer.normalize(names.get(3), Normalizer.Form.NFC));
        assertThat(layer.traits().get(3).weight()).isEqualByComparingTo(new BigDecimal("1.5"));
        // the file path stays the real file name, whatever its normalization
        assertThat(layer.traits().get(3).file()).exists();
    }
}
