package io.serigraph.pipeline.plan;

import static io.serigraph.pipeline.plan.Specs.dnas;
import static io.serigraph.pipeline.plan.Specs.spec;
import static io.serigraph.pipeline.plan.Specs.vectorLayers;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The test vectors of {@code docs/determinism.md}, exactly. If one of these fails, the planning
 * algorithm changed: every published plan would change with it. Either undo the change, or bump
 * {@link Planner#ALGORITHM_VERSION} and update the document and these vectors together.
 */
class DeterminismVectorsTest {
    private static final String ENCODING_SIZE_10 =
            "0000000e7365726967726170682e706c616e00000001000000000000000a0000000000000001000000030000000a4261636b67726f756e64000000000300000004426c7565000000013100000004476f6c6400000003302e3500000005477265656e00000004322e323500000004426f64790000000003000000044d6f74680000000133000000034f776c0000000131000000045a65726f0000000130000000034861740100000003312e35000000020000000343617000000001310000000543726f776e00000004302e3235";

    @Test
    void splitMix64FirstOutputsForSeed42() {
        SplitMix64 rng = new SplitMix64(42);
        assertThat(Long.toUnsignedString(rng.nextLong())).isEqualTo("13679457532755275413");
        assertThat(Long.toUnsignedString(rng.nextLong())).isEqualTo("2949826092126892291");
        assertThat(Long.toUnsignedString(rng.nextLong())).isEqualTo("5139283748462763858");
    }

    @Test
    void canonicalEncodingOfVectorSpec() {
        assertThat(
                        HexFormat.of()
                                .formatHex(
                                        PlanHash.canonicalEncoding(spec(10, "42", vectorLayers()))))
                .isEqualTo(ENCODING_SIZE_10);
    }

    @Test
    void vectorA_size10_seed42() {
        Plan plan = new Planner(1).plan(spec(10, "42", vectorLayers()));
        assertThat(plan.hash())
                .isEqualTo("379931c52936a0cebec33001e0fed1dbc1eff3351f1da7072f38fca812d13da9");
        assertThat(dnas(plan))
                .containsExactly(
                        "0-1-1", "2-1-x", "0-0-0", "0-0-x", "2-0-x", "0-1-x", "2-0-0", "2-0-1",
                        "2-1-1", "1-1-x");
    }

    @Test
    void vectorA_keyAndFirstStream() {
        byte[] hash = PlanHash.of(spec(10, "42", vectorLayers()));
        TokenKey key = TokenKey.derive(hash, "42");
        long seed = key.streamSeed(PlanHash.sha256(), new byte[12], 1, 0);
        assertThat(seed).isEqualTo(0xee2fd8f1dfda3959L);
        SplitMix64 rng = new SplitMix64(seed);
        assertThat(Long.toUnsignedString(rng.nextLong())).isEqualTo("466356294763358625");
        assertThat(Long.toUnsignedString(rng.nextLong())).isEqualTo("13892495775681070959");
        assertThat(Long.toUnsignedString(rng.nextLong())).isEqualTo("6166612071145285202");
        MessageDigest sha = PlanHash.sha256();
        sha.update(TokenKey.TAG);
        sha.update(hash);
        sha.update("42".getBytes(StandardCharsets.UTF_8));
        assertThat(HexFormat.of().formatHex(sha.digest()))
                .isEqualTo("649a55a943b94a4b997af77c95c6ffe9702e1830e3a355eef7714d17894c21ac");
    }

    @Test
    void vectorB_size10_otherSeed() {
        Plan plan = new Planner(1).plan(spec(10, "moth-2026", vectorLayers()));
        assertThat(plan.hash())
                .isEqualTo("379931c52936a0cebec33001e0fed1dbc1eff3351f1da7072f38fca812d13da9");
        assertThat(dnas(plan))
                .containsExactly(
                        "2-0-0", "2-0-x", "1-0-x", "0-0-x", "1-1-0", "0-0-0", "2-1-0", "2-0-1",
                        "2-1-x", "0-1-0");
    }

    @Test
    void vectorC_allCombinations_seed42() {
        Plan plan = new Planner(1).plan(spec(18, "42", vectorLayers()));
        // Tokens 16 and 18 come from the scan; the plain digit walk must agree with the index.
        assertThat(new Planner(1, 0).plan(spec(18, "42", vectorLayers()))).isEqualTo(plan);
        assertThat(plan.hash())
                .isEqualTo("0d4dfc388055e9ebc039f7b03837b7bf6db090c6b991b36d15c5fc88cd04f895");
        assertThat(dnas(plan))
                .isEqualTo(
                        List.of(
                                "2-0-0", "0-1-x", "0-0-0", "0-0-x", "2-0-x", "2-1-x", "1-0-x",
                                "1-1-x", "2-1-0", "1-1-0", "0-1-0", "2-1-1", "0-1-1", "1-0-0",
                                "2-0-1", "0-0-1", "1-0-1", "1-1-1"));
    }
}
