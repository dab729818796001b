package io.serigraph.pipeline.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code seed: {env|file}}, {@code seed_commitment} and the {@code publish:} block. */
class SeedAndPublishSpecTest {
    /** SHA-256 of "env-seed-42", the value the build sets in SERIGRAPH_TEST_SEED. */
    static final String ENV_COMMITMENT =
            "8a8bf7357d0b06d36b73ec26a4158836d0b0c3fa0ace9b7c7aa3a30c38b54739";

    @TempDir Path dir;

    @BeforeEach
    void layers() throws Exception {
        TestPngs.writePng(dir.resolve("layers/Background/Blue#1.png"), 8, 8);
        TestPngs.writePng(dir.resolve("layers/Background/Red#1.png"), 8, 8);
    }

    private CollectionSpec load(String yaml) throws Exception {
        return SpecLoader.load(
                Files.writeString(
                        dir.resolve("serigraph.yaml"),
                        "name: M\nsymbol: M\nsize: 2\ncanvas: {width: 8, height: 8}\n"
                                + "layers: [{name: Background, dir: layers/Background}]\n"
                                + yaml));
    }

    @Test
    void seedFromTheEnvironmentMatchingItsCommitment() throws Exception {
        CollectionSpec s =
                load(
                        "seed: {env: SERIGRAPH_TEST_SEED}\nseed_commitment: \""
                                + ENV_COMMITMENT.toUpperCase(java.util.Locale.ROOT)
                                + "\"\n");
        assertThat(s.seed()).isEqualTo("env-seed-42");
        assertThat(s.seedCommitment()).isEqualTo(ENV_COMMITMENT);
    }

    @Test
    void seedFromAFileWithoutItsLastLineEnd() throws Exception {
        Files.createDirectories(dir.resolve("secret"));
        Files.writeString(dir.resolve("secret/seed.txt"), "env-seed-42\r\n");
        CollectionSpec s = load("seed: {file: secret/seed.txt}\n");
        assertThat(s.seed()).isEqualTo("env-seed-42");
        assertThat(s.seedCommitment()).isEqualTo(ENV_COMMITMENT);
    }

    @Test
    void aWrongSeedIsRefusedWithoutShowingIt() throws Exception {
        Files.writeString(dir.resolve("seed.txt"), "the-wrong-secret\n");
        SpecException e =
                catchThrowableOfType(
                        SpecException.class,
                        () ->
                                load(
                                        "seed: {file: seed.txt}\nseed_commitment: "
                                                + ENV_COMMITMENT
                                                + "\n"));
        assertThat(e.field()).isEqualTo("seed_commitment");
        assertThat(e.reason()).contains("does not match");
        assertThat(e.getMessage()).doesNotContain("the-wrong-secret");
    }

    @Test
    void inlineSeedGetsItsOwnCommitmentAndPublishDefaults() throws Exception {
        CollectionSpec s = load("seed: 42\n");
        assertThat(s.seedCommitment()).isEqualTo(CollectionSpec.commitmentOf("42"));
        assertThat(s.publish()).isEqualTo(PublishSpec.defaults());
        assertThat(s.publish().imageUri()).isEqualTo(PublishSpec.ImageUri.DIRECTORY);
        assertThat(s.publish().car()).isTrue();
        assertThat(s.publish().startingIndex()).isNull();
    }

    @Test
    void publishBlock() throws Exception {
        CollectionSpec s =
                load(
                        "seed: 42\npublish:\n  image_uri: file\n  car: false\n"
                                + "  starting_index: 7\n  contract:\n    name: Moths Contract\n"
                                + "    image: \"ipfs://logo\"\n    external_link: \"https://m.example\"\n"
                                + "    seller_fee_basis_points: 500\n"
                                + "    fee_recipient: \"0xAbC0000000000000000000000000000000000001\"\n");
        PublishSpec p = s.publish();
        assertThat(p.imageUri()).isEqualTo(PublishSpec.ImageUri.FILE);
        assertThat(p.car()).isFalse();
        assertThat(p.startingIndex()).isEqualTo(7L);
        assertThat(p.contract())
                .isEqualTo(
                        new PublishSpec.ContractSpec(
                                "Moths Contract",
                                null,
                                "ipfs://logo",
                                "https://m.example",
                                500,
                                "0xAbC0000000000000000000000000000000000001"));
    }
}
