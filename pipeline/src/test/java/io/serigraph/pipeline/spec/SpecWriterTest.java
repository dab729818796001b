package io.serigraph.pipeline.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpecWriterTest {
    @TempDir Path dir;

    private Path layers() {
        Path root = dir.resolve("project/layers");
        TestPngs.writePng(root.resolve("01 Background/Blue#1.png"), 10, 6);
        TestPngs.writePng(root.resolve("01 Background/Red#0.5.png"), 10, 6);
        TestPngs.writePng(root.resolve("02_Body/Moth.png"), 10, 6);
        TestPngs.writePng(root.resolve("02_Body/Moth \"Dark\"#3.png"), 10, 6);
        TestPngs.writePng(root.resolve("03-Eyes/Big#1.png"), 10, 6);
        TestPngs.writePng(root.resolve("03-Eyes/Small#1.png"), 10, 6);
        TestPngs.writePng(root.resolve("03-Eyes/Closed#1.png"), 10, 6);
        TestPngs.writeText(root.resolve(".DS_Store"), "junk");
        TestPngs.writeText(root.resolve("README.txt"), "not a layer");
        return root;
    }

    private CollectionSpec load(Path specDir, String yaml) throws Exception {
        Path file = Files.writeString(specDir.resolve("serigraph.yaml"), yaml);
        return SpecLoader.load(file);
    }

    @Test
    void writesASpecThatLoadsBack() throws Exception {
        Path root = layers();
        Path project = dir.resolve("project");
        String yaml = SpecWriter.write(project, root, SpecWriter.Options.withSeed("0042"));

        CollectionSpec spec = load(project, yaml);
        assertThat(spec.name()).isEqualTo("project");
        assertThat(spec.symbol()).isEqualTo("PROJECT");
        assertThat(spec.seed()).isEqualTo("0042");
        assertThat(spec.size()).isEqualTo(12); // 2 x 2 x 3, under the default 1000
        assertThat(spec.canvas()).isEqualTo(new Canvas(10, 6, null));
        assertThat(spec.layers())
                .extracting(LayerSpec::name)
                .containsExactly("Background", "Body", "Eyes");
        assertThat(spec.layers())
                .extracting(l -> l.dir().getFileName().toString())
                .containsExactly("01 Background", "02_Body", "03-Eyes");
        assertThat(spec.layers().get(1).traits())
                .extracting(TraitSpec::name)
                .containsExactly("Moth", "Moth \"Dark\"");
        assertThat(yaml).contains("    dir: \"layers/01 Background\"\n");
        assertThat(spec.output().width()).isEqualTo(10);
        assertThat(spec.metadata().nameTemplate()).isEqualTo("project #{id}");
        // deterministic
        assertThat(SpecWriter.write(project, root, SpecWriter.Options.withSeed("0042")))
                .isEqualTo(yaml);
    }

    @Test
    void sizeDefaultIsCappedAt1000() throws Exception {
        Path root = dir.resolve("layers");
        for (int layer = 0; layer < 2; layer++) {
            for (int t = 0; t < 40; t++) {
                TestPngs.writePng(root.resolve("L" + layer + "/T" + t + ".png"), 2, 2);
            }
        }
        String yaml = SpecWriter.write(dir, root, SpecWriter.Options.withSeed("s"));
        assertThat(load(dir, yaml).size()).isEqualTo(1000);
    }

    @Test
    void explicitOrderSizeNameAndSymbol() throws Exception {
        Path root = layers();
        Path project = dir.resolve("elsewhere");
        Files.createDirectories(project);
        String yaml =
                SpecWriter.write(
                        project,
                        root,
                        SpecWriter.Options.withSeed("7")
                                .optOrder(List.of("Eyes", "01 Background", " Body "))
                                .optSize(5)
                                .optName("Moths: \"Night\" #1\n")
                                .optSymbol("MOTH"));
        CollectionSpec spec = load(project, yaml);
        assertThat(spec.layers())
                .extracting(LayerSpec::name)
                .containsExactly("Eyes", "Background", "Body");
        assertThat(yaml).contains("dir: \"../project/layers/03-Eyes\"");
        assertThat(spec.size()).isEqualTo(5);
        assertThat(spec.name()).isEqualTo("Moths: \"Night\" #1\n");
        assertThat(spec.symbol()).isEqualTo("MOTH");
        assertThat(spec.seed()).isEqualTo("7");
    }

    @Test
    void orderMustNameEveryFolderExactlyOnce() {
        Path root = layers();
        SpecException unknown =
                catchThrowableOfType(
                        SpecException.class,
                        () ->
                                SpecWriter.write(
                                        dir,
                                        root,
                                        SpecWriter.Options.withSeed("1")
                                                .optOrder(List.of("Background", "Hat"))));
        assertThat(unknown.field()).isEqualTo("order");
        assertThat(unknown.reason())
                .contains(
                        "'Hat' is not a layer folder here (the layers are: Background, Body, Eyes)");

        SpecException leftOut =
                catchThrowableOfType(
                        SpecException.class,
                        () ->
                                SpecWriter.write(
                                        dir,
                                        root,
                                        SpecWriter.Options.withSeed("1")
                                                .optOrder(List.of("Body", "Background"))));
        assertThat(leftOut.reason()).contains("the order leaves out 03-Eyes");

        SpecException twice =
                catchThrowableOfType(
                        SpecException.class,
                        () ->
                                SpecWriter.write(
                                        dir,
                                        root,
                                        SpecWriter.Options.withSeed("1")
                                                .optOrder(List.of("Body", "02_Body", "Eyes"))));
        assertThat(twice.reason()).contains("layer 'Body' is named twice");
    }

    @Test
    void sizeOverCombinationsIsRefused() {
        Path root = layers();
        SpecException e =
                catchThrowableOfType(
                        SpecException.class,
                        () ->
                                SpecWriter.write(
                                        dir, root, SpecWriter.Options.withSeed("1").optSize(13)));
        assertThat(e.field()).isEqualTo("size");
        assertThat(e.reason()).contains("13 is more than the 12 unique trait combinations");
    }

    @Test
    void filesOfAnotherSizeAreNamed() {
        Path root = layers();
        TestPngs.writePng(root.resolve("03-Eyes/Wide#1.png"), 12, 6);
        SpecException e =
                catchThrowableOfType(
                        SpecException.class,
                        () -> SpecWriter.write(dir, root, SpecWriter.Options.withSeed("1")));
        assertThat(e.file()).isEqualTo(root);
        assertThat(e.field()).isEqualTo("03-Eyes");
        assertThat(e.reason())
                .contains(
                        "file '03-Eyes/Wide#1.png' is 12x6 but '01 Background/Blue#1.png', which"
                                + " sets the canvas, is 10x6");
    }

    @Test
    void noLayerFolders() {
        TestPngs.writePng(dir.resolve("flat/Red.png"), 2, 2);
        SpecException e =
                catchThrowableOfType(
                        SpecException.class,
                        () ->
                                SpecWriter.write(
                                        dir,
                                        dir.resolve("flat"),
                                        SpecWriter.Options.withSeed("1")));
        assertThat(e.reason()).contains("no layer folders found");
    }

    @Test
    void layerNamesLoseTheirNumberPrefix() {
        assertThat(SpecWriter.layerName("01 Background")).isEqualTo("Background");
        assertThat(SpecWriter.layerName("02_Body")).isEqualTo("Body");
        assertThat(SpecWriter.layerName("3-Eyes")).isEqualTo("Eyes");
        assertThat(SpecWriter.layerName("04. Hat")).isEqualTo("Hat");
        assertThat(SpecWriter.layerName("10 - Top Layer")).isEqualTo("Top Layer");
        assertThat(SpecWriter.layerName("Background")).isEqualTo("Background");
        assertThat(SpecWriter.layerName("2024")).isEqualTo("2024");
        assertThat(SpecWriter.layerName("3D Glasses")).isEqualTo("3D Glasses");
        assertThat(SpecWriter.layerName("01 ")).isEqualTo("01 ");
    }

    @Test
    void collidingLayerNamesKeepTheirFolderNames() throws Exception {
        Path root = dir.resolve("layers");
        TestPngs.writePng(root.resolve("01 Hat/A.png"), 2, 2);
        TestPngs.writePng(root.resolve("02 Hat/B.png"), 2, 2);
        String yaml = SpecWriter.write(dir, root, SpecWriter.Options.withSeed("1"));
        assertThat(load(dir, yaml).layers())
                .extracting(LayerSpec::name)
                .containsExactly("01 Hat", "02 Hat");
        assertThat(yaml.getBytes(StandardCharsets.UTF_8)).isNotEmpty();
    }
}
