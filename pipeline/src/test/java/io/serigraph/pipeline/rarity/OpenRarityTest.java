package io.serigraph.pipeline.rarity;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * OpenRarity scores and ranks against reference values.
 *
 * <ul>
 *   <li>{@link #publishedVectorFiveTokensThreeTraits()}: the published test vector of the
 *       open_rarity library's ranker tests ({@code tests/test_rarity_ranker.py}, "same scores"):
 *       five tokens over three traits, two of them value1/value1/value1 (score 0.8749925360622679,
 *       rank 3 each) and one value3/value3/value3 (1.3926137488801251, rank 1).
 *   <li>The other cases exercise what that vector does not (null values, {@code trait_count},
 *       "none", case and spaces, numpy's pairwise sum over more than 8 trait types). Their expected
 *       values were computed by a reimplementation of the library's formulas in Python with numpy
 *       (np.log2, np.reciprocal, np.sum, np.dot; openrarity itself cannot be installed here), which
 *       also reproduces the published vector above exactly.
 * </ul>
 */
class OpenRarityTest {

    @Test
    void publishedVectorFiveTokensThreeTraits() {
        RarityTable t =
                OpenRarity.rank(
                        List.of(
                                tokens("trait1=value1 trait2=value1 trait3=value1"),
                                tokens("trait1=value1 trait2=value1 trait3=value1"),
                                tokens("trait1=value1 trait2=value2 trait3=value3"),
                                tokens("trait1=value2 trait2=value2 trait3=value3"),
                                tokens("trait1=value3 trait2=value3 trait3=value3")));

        assertThat(t.score(0)).isEqualTo(0.8749925360622679);
        assertThat(t.score(1)).isEqualTo(0.8749925360622679);
        assertThat(t.rank(0)).isEqualTo(3);
        assertThat(t.rank(1)).isEqualTo(3);
        assertThat(t.score(4)).isEqualTo(1.3926137488801251);
        assertThat(t.rank(4)).isEqualTo(1);
        assertThat(t.rank(3)).isEqualTo(2);
        assertThat(t.rank(2)).isEqualTo(5);
        assertThat(t.atPlace(0)).isEqualTo(4);
    }

    @Test
    void nullValuesTraitCountNoneCaseAndSpaces() {
        RarityTable t =
                OpenRarity.rank(
                        List.of(
                                List.of(
                                        Map.entry("Background", "Blue"),
                                        Map.entry("Body", "Moth"),
                                        Map.entry("Hat", "Cap")),
                                List.of(
                                        Map.entry("Background", "blue "),
                                        Map.entry("Body", "Moth"),
                                        Map.entry("Hat", "None")),
                                List.of(Map.entry("Background", "Red"), Map.entry("Body", "Owl")),
                                List.of(
                                        Map.entry(" background", "Red"),
                                        Map.entry("Body", "Moth"),
                                        Map.entry("Hat", "Crown"),
                                        Map.entry("Special", "Gold")),
                                List.of(Map.entry("Background", "Blue"), Map.entry("Body", "Owl")),
                                List.of(
                                        Map.entry("Background", "Green"),
                                        Map.entry("Body", "Moth"),
                                        Map.entry("Hat", "Cap"))));
        double[] scores = {
            0.7834492549757661,
            0.8482491513389983,
            0.9395794756807061,
            1.5495631666431184,
            0.8482491513389983,
            1.0309098000224137
        };
        int[] unique = {0, 1, 0, 3, 0, 1};
        int[] ranks = {6, 3, 4, 1, 5, 2};
        for (int i = 0; i < scores.length; i++) {
            assertThat(t.score(i)).as("score %d", i).isEqualTo(scores[i]);
            assertThat(t.uniqueTraits(i)).as("unique %d", i).isEqualTo(unique[i]);
            assertThat(t.rank(i)).as("rank %d", i).isEqualTo(ranks[i]);
        }
    }

    @Test
    void fortyTokensOverTwelveTraitTypes() {
        List<List<Map.Entry<String, String>>> tokens = new ArrayList<>();
        for (String s : TOKENS_40) {
            tokens.add(tokens(s));
        }
        RarityTable t = OpenRarity.rank(tokens);
        for (int i = 0; i < SCORES_40.length; i++) {
            assertThat(t.score(i)).as("score %d", i).isEqualTo(SCORES_40[i]);
            assertThat(t.rank(i)).as("rank %d", i).isEqualTo(RANKS_40[i]);
        }
    }

    @Test
    void sumsInNumpysOrder() {
        double[] a = {1e16, 1, 1, 1, 1, 1, 1, 1, 1, 1, -1e16};
        // np.sum(a) is 8.0: numpy's pairwise sum, 8 accumulators then the rest
        assertThat(NumpySum.sum(a, a.length)).isEqualTo(8.0);
        double left = 0;
        for (double v : a) {
            left += v;
        }
        assertThat(left).isEqualTo(0.0);
    }

    @Test
    void log2IsCorrectlyRounded() {
        assertThat(Log2.of(8)).isEqualTo(3.0);
        assertThat(Log2.of(0.5)).isEqualTo(-1.0);
        assertThat(Log2.of(1.0 / (5 / 2.0))).isEqualTo(-1.3219280948873622);
        assertThat(Log2.of(3)).isEqualTo(1.584962500721156);
    }

    private static List<Map.Entry<String, String>> tokens(String s) {
        List<Map.Entry<String, String>> out = new ArrayList<>();
        for (String kv : s.split(" ")) {
            String[] p = kv.split("=");
            out.add(Map.entry(p[0], p[1]));
        }
        return out;
    }

    private static final String[] TOKENS_40 = {
        "L00=v1 L01=v0 L02=v0 L03=v0 L05=v0 L06=v0 L07=v3 L08=v0 L10=v0 L11=v3",
        "L00=v1 L01=v1 L02=v1 L03=v2 L04=v1 L05=v1 L06=v0 L07=v1 L08=v3 L09=v3 L10=v3 L11=v1",
        "L00=v1 L01=v2 L02=v2 L03=v2 L04=v0 L05=v3 L06=v2 L07=v3 L08=v0 L09=v2 L10=v2 L11=v3",
        "L00=v0 L02=v0 L03=v2 L04=v3 L05=v3 L06=v2 L07=v3 L08=v0 L09=v1 L10=v1 L11=v3",
        "L00=v3 L01=v3 L02=v2 L03=v3 L04=v2 L05=v2 L06=v3 L08=v1 L09=v1 L10=v1 L11=v0",
        "L00=v2 L01=v2 L03=v0 L04=v3 L05=v3 L06=v3 L07=v0 L09=v0 L10=v0 L11=v1",
        "L00=v2 L01=v0 L02=v3 L03=v2 L05=v3 L06=v3 L08=v3 L09=v1 L10=v2 L11=v3",
        "L00=v1 L01=v1 L03=v1 L04=v0 L05=v2 L07=v2 L08=v1 L09=v1 L10=v2 L11=v1",
        "L00=v3 L01=v1 L02=v3 L03=v0 L05=v3 L06=v2 L07=v2 L09=v1 L10=v3 L11=v1",
        "L00=v0 L01=v2 L02=v0 L03=v0 L05=v1 L06=v1 L07=v2 L08=v3 L09=v0 L10=v1",
        "L00=v3 L01=v1 L02=v3 L03=v2 L04=v1 L05=v0 L06=v1 L07=v1 L08=v1 L09=v1 L10=v1 L11=v2",
        "L00=v3 L01=v0 L03=v3 L04=v3 L05=v1 L06=v0 L07=v1 L08=v1 L09=v3 L10=v0 L11=v2",
        "L00=v3 L01=v0 L02=v0 L03=v2 L04=v0 L05=v0 L06=v0 L07=v1 L08=v3 L09=v3 L10=v1 L11=v2",
        "L01=v1 L02=v1 L03=v3 L04=v0 L05=v3 L06=v2 L07=v1 L09=v2 L10=v1",
        "L00=v0 L01=v3 L02=v1 L03=v3 L05=v3 L06=v2 L07=v2 L08=v3 L09=v0 L10=v2 L11=v0",
        "L00=v1 L02=v2 L03=v1 L04=v1 L05=v2 L06=v3 L07=v0 L08=v1 L09=v0 L10=v0 L11=v2",
        "L00=v1 L01=v0 L02=v2 L04=v2 L05=v0 L06=v1 L09=v1 L10=v2 L11=v1",
        "L00=v1 L01=v0 L03=v0 L04=v1 L05=v1 L07=v3 L08=v3 L10=v1",
        "L00=v1 L01=v2 L03=v0 L04=v2 L05=v0 L06=v3 L07=v2 L08=v2 L09=v1 L10=v3 L11=v2",
        "L02=v1 L03=v2 L04=v1 L05=v3 L06=v2 L07=v1 L08=v0 L09=v0 L10=v0 L11=v2",
        "L00=v1 L01=v1 L02=v3 L03=v3 L04=v1 L05=v3 L06=v1 L08=v0 L09=v1 L10=v0 L11=v2",
        "L01=v3 L02=v0 L03=v1 L04=v0 L05=v0 L06=v0 L07=v0 L08=v3 L09=v0 L10=v1 L11=v1",
        "L00=v3 L01=v3 L02=v2 L03=v1 L04=v1 L05=v2 L06=v1 L07=v0 L08=v0 L09=v3 L10=v2 L11=v3",
        "L00=v1 L01=v0 L03=v3 L04=v3 L06=v1 L07=v0 L08=v2 L10=v2 L11=v2",
        "L00=v3 L01=v1 L02=v3 L03=v3 L04=v1 L05=v3 L06=v2 L07=v2 L08=v0 L10=v0",
        "L00=v2 L01=v3 L03=v2 L05=v0 L06=v0 L07=v2 L08=v1 L09=v2 L10=v2 L11=v2",
        "L00=v3 L01=v3 L04=v0 L05=v3 L06=v1 L07=v2 L08=v1 L09=v3 L10=v2 L11=v2",
        "L00=v1 L01=v3 L02=v1 L03=v3 L04=v3 L07=v1 L08=v1 L09=v2 L10=v2 L11=v2",
        "L00=v1 L01=v3 L02=v1 L03=v2 L04=v3 L05=v2 L06=v1 L07=v1 L08=v3 L09=v2 L10=v0 L11=v3",
        "L00=v3 L02=v0 L03=v3 L05=v0 L06=v1 L07=v0 L09=v3 L10=v0 L11=v1",
        "L00=v0 L01=v2 L03=v3 L04=v0 L05=v2 L06=v1 L07=v1 L08=v0 L09=v2 L11=v2",
        "L00=v1 L01=v1 L02=v0 L04=v2 L05=v1 L06=v3 L07=v1 L08=v2 L09=v0 L10=v3 L11=v3",
        "L00=v2 L01=v0 L02=v1 L03=v1 L04=v1 L05=v2 L06=v3 L07=v1 L08=v0 L10=v3 L11=v0",
        "L01=v0 L02=v1 L03=v2 L04=v0 L06=v1 L07=v3 L08=v3 L09=v2 L10=v0 L11=v2",
        "L00=v3 L02=v1 L03=v2 L04=v3 L05=v3 L06=v3 L07=v2 L08=v3 L09=v3 L10=v3 L11=v0",
        "L00=v0 L01=v0 L02=v2 L03=v2 L05=v2 L06=v2 L08=v0 L09=v1 L10=v3",
        "L00=v2 L02=v1 L04=v2 L05=v1 L06=v2 L07=v3 L08=v0 L09=v3 L10=v1 L11=v0",
        "L00=v2 L01=v3 L02=v0 L03=v0 L04=v3 L05=v3 L06=v1 L07=v1 L08=v0 L09=v2 L10=v2 L11=v2",
        "L00=v1 L01=v1 L02=v1 L03=v3 L04=v1 L05=v1 L06=v0 L07=v0 L08=v3 L09=v1 L10=v2 L11=v2",
        "L00=v0 L01=v1 L03=v1 L04=v2 L05=v0 L06=v2 L07=v2 L08=v0 L09=v2 L10=v1 L11=v2",
    };

    private static final double[] SCORES_40 = {
        1.0046321988752358,
        0.9587659410211993,
        0.9797557778900502,
        0.9774086945971346,
        1.051021807540168,
        1.069259400456803,
        0.9872584171208265,
        0.9995864406765813,
        1.0094242202028771,
        1.0504937182279996,
        0.9159445584964705,
        0.9321050842749721,
        0.9306837736031478,
        1.0449237974825474,
        0.9585117946291838,
        1.0064547434409898,
        1.0950774638258463,
        1.1960974640467394,
        1.0286153985007656,
        0.9088870293339553,
        0.8840233370475316,
        1.0723835714316272,
        1.0042511970649817,
        1.066048506001662,
        0.9659141204294021,
        0.9324041011061822,
        0.9222553617512803,
        0.9782151924764738,
        0.9174709211001257,
        1.066048506001662,
        1.036875601739568,
        1.1011301939232698,
        1.0348160018014694,
        0.9898755165685239,
        0.9805213320955655,
        1.0789861943276269,
        1.0877828792909863,
        0.9196497957799762,
        0.9053803624377178,
        0.9510595833808796
    };

    private static final int[] RANKS_40 = {
        18, 28, 24, 26, 10, 7, 22, 20, 16, 11, 37, 32, 33, 12, 29, 17, 3, 1, 15, 38, 40, 6, 19, 8,
        27, 31, 34, 25, 36, 8, 13, 2, 14, 21, 23, 5, 4, 35, 39, 30
    };
}
