package io.serigraph.pipeline.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.serigraph.chain.ipfs.CarPacker;
import io.serigraph.chain.ipfs.CarReader;
import io.serigraph.chain.ipfs.Cid;
import io.serigraph.chain.ipfs.UnixFsImporter;
import io.serigraph.pipeline.provenance.ProvenanceFile;
import io.serigraph.pipeline.provenance.TokenLineage;
import io.serigraph.pipeline.spec.CollectionSpec;
import io.serigraph.pipeline.store.AuditEvent;
import io.serigraph.pipeline.store.DropStore;
import io.serigraph.pipeline.store.Hashes;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PublishStageTest {
    @TempDir Path dir;

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void publishesCidsCarsMetadataContractAndProvenance() throws Exception {
        TestDrop drop =
                TestDrop.create(
                        dir.resolve("drop"),
                        12,
                        "publish:\n  contract: {external_link: \"https://t.example\","
                                + " seller_fee_basis_points: 250,"
                                + " fee_recipient: \"0x00000000000000000000000000000000000000aa\"}\n");
        drop.render();
        PublishStage.Report r = drop.publish(false);
        Path out = drop.out();

        assertThat(r.tokens()).isEqualTo(12);
        assertThat(r.written()).isEqualTo(12);
        assertThat(r.carsWritten()).isEqualTo(2);

        // The images CID is what ipfs-car gives for the folder, and the CAR is the same bytes.
        UnixFsImporter importer = new UnixFsImporter();
        Path reference = dir.resolve("reference-images.car");
        Cid folder = CarPacker.pack(importer, out.resolve("images"), true, reference).root();
        assertThat(r.imagesCid()).isEqualTo(folder);
        assertThat(Files.readAllBytes(out.resolve("car/images.car")))
                .isEqualTo(Files.readAllBytes(reference));
        Path referenceMeta = dir.resolve("reference-metadata.car");
        Cid metaFolder =
                CarPacker.pack(importer, out.resolve("publish/metadata"), true, referenceMeta)
                        .root();
        assertThat(r.metadataCid()).isEqualTo(metaFolder);
        assertThat(Files.readAllBytes(out.resolve("car/metadata.car")))
                .isEqualTo(Files.readAllBytes(referenceMeta));
        try (InputStream in = Files.newInputStream(out.resolve("car/metadata.car"));
                CarReader car = new CarReader(in)) {
            assertThat(car.roots()).containsExactly(r.metadataCid());
            int blocks = 0;
            while (car.next() != null) {
                blocks++;
            }
            assertThat(blocks).isEqualTo(13); // 12 files + the directory
        }

        // Final metadata: no extension, image inside the images directory.
        JsonNode m7 = JSON.readTree(out.resolve("publish/metadata/7").toFile());
        assertThat(m7.get("name").asText()).isEqualTo("T #7");
        assertThat(m7.get("image").asText()).isEqualTo("ipfs://" + r.imagesCid() + "/7.png");
        assertThat(m7.get("attributes")).hasSize(3);

        // Provenance hash: sha256 over the concatenated hex image hashes, in id order.
        StringBuilder concat = new StringBuilder();
        for (int id = 1; id <= 12; id++) {
            concat.append(
                    Hashes.sha256Hex(Files.readAllBytes(out.resolve("images/" + id + ".png"))));
        }
        assertThat(r.provenanceHash()).isEqualTo(Hashes.sha256Hex(concat.toString()));

        ProvenanceFile p = ProvenanceFile.read(out.resolve("provenance.json"));
        assertThat(p.provenanceHash()).isEqualTo(r.provenanceHash());
        assertThat(p.imagesCid()).isEqualTo(r.imagesCid().toString());
        assertThat(p.tokens()).hasSize(12);
        CollectionSpec spec = drop.load();
        TokenLineage t3 = p.token(3);
        assertThat(t3.seedCommitment())
                .isEqualTo(Hashes.sha256Hex("publish-test"))
                .isEqualTo(spec.seedCommitment());
        assertThat(t3.specSha256()).isEqualTo(Hashes.sha256Hex(Files.readAllBytes(drop.spec)));
        assertThat(t3.traits()).hasSize(3);
        assertThat(t3.traits().get(0).file()).startsWith("layers/Base/Base ");
        assertThat(t3.traits().get(0).sha256())
                .isEqualTo(
                        Hashes.sha256Hex(
                                Files.readAllBytes(drop.dir.resolve(t3.traits().get(0).file()))));
        assertThat(t3.image().cid())
                .isEqualTo(
                        importer.importBytes(
                                        Files.readAllBytes(out.resolve("images/3.png")), b -> {})
                                .root()
                                .toString());
        assertThat(t3.renderer())
                .contains("pixel-math/" + io.serigraph.engine.composite.PixelMath.VERSION)
                .contains("png/" + io.serigraph.engine.png.PngEncoder.VERSION);
        assertThat(
                        new String(
                                Files.readAllBytes(out.resolve("provenance.json")),
                                StandardCharsets.UTF_8))
                .doesNotContain("publish-test"); // the seed itself is never written

        JsonNode contract = JSON.readTree(out.resolve("publish/contract.json").toFile());
        assertThat(contract.get("name").asText()).isEqualTo("Test");
        assertThat(contract.get("description").asText()).isEqualTo("Tests.");
        assertThat(contract.get("image").asText()).isEqualTo("ipfs://" + r.imagesCid() + "/1.png");
        assertThat(contract.get("external_link").asText()).isEqualTo("https://t.example");
        assertThat(contract.get("seller_fee_basis_points").asInt()).isEqualTo(250);
        assertThat(contract.get("fee_recipient").asText()).endsWith("aa");
        assertThat(r.contractCid().toString())
                .isEqualTo(
                        importer.importBytes(
                                        Files.readAllBytes(out.resolve("publish/contract.json")),
                                        b -> {})
                                .root()
                                .toString());

        try (DropStore store = DropStore.open(out.resolve("drop.db"))) {
            assertThat(store.meta(PublishStage.META_IMAGES_CID)).hasValue(r.imagesCid().toString());
            assertThat(store.meta(PublishStage.META_METADATA_CID))
                    .hasValue(r.metadataCid().toString());
            assertThat(store.meta(PublishStage.META_BASE_URI))
                    .hasValue("ipfs://" + r.metadataCid() + "/");
            assertThat(store.meta(PublishStage.META_PROVENANCE_HASH)).hasValue(r.provenanceHash());
            assertThat(store.stageRecords(PublishStage.STAGE)).hasSize(12);
            assertThat(store.stageRecord(3, PublishStage.STAGE).orElseThrow().lineageHash())
                    .isEqualTo(t3.hash());
            List<String> events = store.audit().stream().map(AuditEvent::event).toList();
            assertThat(events).contains("publish.start", "provenance.sealed", "publish.done");
            assertThat(store.verifyAudit().intact()).isTrue();
        }
    }

    @Test
    void rerunSkipsWhatIsDoneAndRedoesWhatIsMissingWithTheSameBytes() throws Exception {
        TestDrop drop = TestDrop.create(dir.resolve("drop"), 10, "");
        drop.render();
        PublishStage.Report first = drop.publish(false);
        Map<String, String> before = hashes(drop.out());

        PublishStage.Report again = drop.publish(false);
        assertThat(again.written()).isZero();
        assertThat(again.skipped()).isEqualTo(10);
        assertThat(again.carsWritten()).isZero();
        assertThat(again.metadataCid()).isEqualTo(first.metadataCid());
        assertThat(hashes(drop.out())).isEqualTo(before);

        // A killed run: a metadata file and a CAR gone, a stray temporary left behind.
        Files.delete(drop.out().resolve("publish/metadata/4"));
        Files.delete(drop.out().resolve("car/images.car"));
        Files.writeString(drop.out().resolve("car/.images.car.1234.serigraph-tmp"), "torn");
        PublishStage.Report resumed = drop.publish(false);
        assertThat(resumed.written()).isEqualTo(1);
        assertThat(resumed.carsWritten()).isEqualTo(1);
        assertThat(hashes(drop.out())).isEqualTo(before);

        PublishStage.Report forced = drop.publish(true);
        assertThat(forced.written()).isEqualTo(10);
        assertThat(hashes(drop.out())).isEqualTo(before);
    }

    @Test
    void fileUrisAndAStartingIndexShiftWhichArtATokenShows() throws Exception {
        TestDrop drop =
                TestDrop.create(
                        dir.resolve("drop"),
                        8,
                        "start_id: 100\npublish: {image_uri: file, car: false, starting_index: 13}\n");
        drop.render();
        PublishStage.Report r = drop.publish(false);
        assertThat(r.startingIndex()).isEqualTo(13L);
        assertThat(drop.out().resolve("car")).doesNotExist();
        UnixFsImporter importer = new UnixFsImporter();
        ProvenanceFile p = ProvenanceFile.read(drop.out().resolve("provenance.json"));
        for (int i = 0; i < 8; i++) {
            long id = 100 + i;
            long art = 100 + (i + 13) % 8;
            TokenLineage t = p.token(id);
            assertThat(t.artId()).isEqualTo(art);
            JsonNode m = JSON.readTree(drop.out().resolve("publish/metadata/" + id).toFile());
            assertThat(m.get("name").asText()).isEqualTo("T #" + id);
            Cid imageCid =
                    importer.importBytes(
                                    Files.readAllBytes(
                                            drop.out().resolve("images/" + art + ".png")),
                                    b -> {})
                            .root();
            assertThat(m.get("image").asText()).isEqualTo("ipfs://" + imageCid);
        }
        // The provenance hash stays over the planned order, whatever the starting index.
        StringBuilder concat = new StringBuilder();
        for (int id = 100; id < 108; id++) {
            concat.append(
                    Hashes.sha256Hex(
                            Files.readAllBytes(drop.out().resolve("images/" + id + ".png"))));
        }
        assertThat(r.provenanceHash()).isEqualTo(Hashes.sha256Hex(concat.toString()));
    }

    @Test
    void refusesToSealWhenTwoTokensHaveTheSameImage() throws Exception {
        // Top has two fully transparent traits: tokens that differ only there look the same.
        Path d = dir.resolve("dupes");
        TestDrop.writeRandomPng(d.resolve("layers/Base/Only.png"), new java.util.Random(1));
        for (String name : List.of("Clear A", "Clear B")) {
            java.awt.image.BufferedImage clear =
                    new java.awt.image.BufferedImage(
                            TestDrop.W, TestDrop.H, java.awt.image.BufferedImage.TYPE_INT_ARGB);
            Files.createDirectories(d.resolve("layers/Top"));
            javax.imageio.ImageIO.write(
                    clear, "png", d.resolve("layers/Top/" + name + ".png").toFile());
        }
        Files.writeString(
                d.resolve("serigraph.yaml"),
                "name: D\nsymbol: D\nsize: 2\nseed: 1\ncanvas: {width: "
                        + TestDrop.W
                        + ", height: "
                        + TestDrop.H
                        + "}\nlayers:\n  - {name: Base, dir: layers/Base}\n"
                        + "  - {name: Top, dir: layers/Top}\n");
        TestDrop drop = TestDrop.existing(d);
        drop.render();
        assertThatThrownBy(() -> drop.publish(false))
                .isInstanceOf(PublishException.class)
                .hasMessageContaining("tokens 1 and 2 have the same image")
                .hasMessageContaining("refusing to seal");
        assertThat(d.resolve("out/provenance.json")).doesNotExist();
    }

    @Test
    void refusesUnrenderedTokensAndChangedImages() throws Exception {
        TestDrop drop = TestDrop.create(dir.resolve("drop"), 5, "");
        Files.createDirectories(drop.out());
        assertThatThrownBy(() -> drop.publish(false))
                .isInstanceOf(PublishException.class)
                .hasMessageStartingWith("token 1: is not rendered");

        drop.render();
        Path image = drop.out().resolve("images/4.png");
        byte[] png = Files.readAllBytes(image);
        png[png.length - 20] ^= 1;
        Files.write(image, png);
        assertThatThrownBy(() -> drop.publish(false))
                .isInstanceOf(PublishException.class)
                .hasMessageStartingWith("token 4: ")
                .hasMessageContaining("4.png changed since it was rendered");
    }

    /** SHA-256 of every file under {@code dir} except the state store, by relative path. */
    static Map<String, String> hashes(Path dir) throws Exception {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.filter(Files::isRegularFile).toList()) {
                String rel = dir.relativize(p).toString();
                if (!rel.startsWith("drop.db")) {
                    out.put(rel, Hashes.sha256Hex(Files.readAllBytes(p)));
                }
            }
        }
        return out;
    }
}
