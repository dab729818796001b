package io.serigraph.pipeline.publish;

import static org.assertj.core.api.Assertions.assertThat;

import io.serigraph.pipeline.plan.Planner;
import io.serigraph.pipeline.provenance.ProvenanceFile;
import io.serigraph.pipeline.provenance.Verifier;
import io.serigraph.pipeline.render.LocalRenderBackend;
import io.serigraph.pipeline.render.RenderBackend;
import io.serigraph.pipeline.render.TraitLibrary;
import io.serigraph.pipeline.spec.CollectionSpec;
import io.serigraph.pipeline.store.DropStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Verify re-derives real published tokens and names the first thing tampered with. */
class VerifierTest {
    @TempDir Path dir;

    private TestDrop drop;

    @BeforeEach
    void publish() throws Exception {
        drop = TestDrop.create(dir.resolve("drop"), 9, "publish: {starting_index: 4}\n");
        drop.render();
        drop.publish(false);
    }

    private Verifier.Result verify(Long token) throws Exception {
        CollectionSpec s = drop.load();
        TraitLibrary library = TraitLibrary.load(s, 2);
        try (DropStore store = DropStore.open(s.outDir().resolve("drop.db"));
                RenderBackend backend = new LocalRenderBackend(s, library)) {
            return new Verifier(s, store, library, backend, 2)
                    .verify(
                            new Planner(2).plan(s),
                            ProvenanceFile.read(s.outDir().resolve("provenance.json")),
                            Optional.ofNullable(token));
        }
    }

    @Test
    void aFreshDropMatches() throws Exception {
        Verifier.Result all = verify(null);
        assertThat(all.matches()).as("%s", all.difference()).isTrue();
        assertThat(all.tokensChecked()).isEqualTo(9);
        Verifier.Result one = verify(5L);
        assertThat(one.matches()).isTrue();
        assertThat(one.tokensChecked()).isEqualTo(1);
    }

    @Test
    void aReplacedImageIsNamed() throws Exception {
        // With starting index 4, token 3 (position 2) shows the art of position 6: token 7's.
        Path art7 = drop.out().resolve("images/7.png");
        Files.copy(
                drop.out().resolve("images/8.png"),
                art7,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Verifier.Result r = verify(null);
        assertThat(r.matches()).isFalse();
        assertThat(r.difference().tokenId()).isEqualTo(3);
        assertThat(r.difference().what()).isEqualTo("image file");
        assertThat(r.difference().describe())
                .startsWith("token 3: image file: ")
                .contains("7.png")
                .contains("(the file was changed)");
    }

    @Test
    void anEditedMetadataFileIsNamed() throws Exception {
        Path meta = drop.out().resolve("publish/metadata/6");
        Files.writeString(
                meta,
                Files.readString(meta).replace("\"T #6\"", "\"T #6 (rare!)\""),
                StandardCharsets.UTF_8);
        Verifier.Result r = verify(null);
        assertThat(r.difference().tokenId()).isEqualTo(6);
        assertThat(r.difference().what()).isEqualTo("metadata file");
        assertThat(verify(6L).difference().what()).isEqualTo("metadata file");
        assertThat(verify(5L).matches()).isTrue();
    }

    @Test
    void aChangedLayerFileIsNamedWithTheFirstTokenUsingIt() throws Exception {
        ProvenanceFile p = ProvenanceFile.read(drop.out().resolve("provenance.json"));
        String file = p.token(2).traits().get(1).file();
        TestDrop.writeRandomPng(drop.dir.resolve(file), new java.util.Random(99));
        Verifier.Result r = verify(null);
        assertThat(r.difference().what()).isEqualTo("layer file");
        assertThat(r.difference().detail()).contains(file);
        long first =
                p.tokens().stream()
                        .filter(t -> t.traits().stream().anyMatch(tr -> tr.file().equals(file)))
                        .findFirst()
                        .orElseThrow()
                        .tokenId();
        assertThat(r.difference().tokenId()).isEqualTo(first);
    }

    @Test
    void anEditedProvenanceRecordIsNamed() throws Exception {
        Path provenance = drop.out().resolve("provenance.json");
        ProvenanceFile p = ProvenanceFile.read(provenance);
        String text = Files.readString(provenance);
        // Claim token 4 has another image hash: a fresh render disagrees.
        String sha = p.token(4).image().sha256();
        Files.writeString(provenance, text.replace(sha, "0".repeat(64)));
        Verifier.Result r = verify(null);
        assertThat(r.difference().tokenId()).isEqualTo(4);
        assertThat(r.difference().what()).isEqualTo("image bytes");
    }

    @Test
    void anEditedSpecIsReportedFirst() throws Exception {
        Files.writeString(drop.spec, Files.readString(drop.spec) + "# edited\n");
        Verifier.Result r = verify(null);
        assertThat(r.difference().tokenId()).isEqualTo(-1);
        assertThat(r.difference().what()).isEqualTo("spec");
    }

    @Test
    void aTruncatedCarIsFound() throws Exception {
        Path car = drop.out().resolve("car/images.car");
        byte[] bytes = Files.readAllBytes(car);
        Files.write(car, java.util.Arrays.copyOf(bytes, bytes.length - 100));
        Verifier.Result r = verify(null);
        assertThat(r.difference().what()).isEqualTo("car");
        assertThat(r.difference().detail()).contains("images.car");
    }
}
