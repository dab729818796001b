package io.serigraph.pipeline.plan;

import static io.serigraph.pipeline.plan.Specs.dnas;
import static io.serigraph.pipeline.plan.Specs.layer;
import static io.serigraph.pipeline.plan.Specs.spec;
import static io.serigraph.pipeline.plan.Specs.uniform;
import static io.serigraph.pipeline.plan.Specs.vectorLayers;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.serigraph.pipeline.spec.CollectionSpec;
import io.serigraph.pipeline.spec.LayerSpec;
import io.serigraph.pipeline.spec.SpecLoader;
import io.serigraph.pipeline.spec.TraitSpec;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PlannerTest {
    private static final String SEED = "correct horse battery staple";

    @Test
    void plansEveryCombinationWhenSizeEqualsCombinations() {
        List<LayerSpec> layers =
                List.of(uniform("A", null, 5), uniform("B", null, 5), uniform("C", null, 5));
        Plan plan = new Planner(1).plan(spec(125, SEED, layers));
        assertThat(new HashSet<>(dnas(plan))).hasSize(125);
    }

    @Test
    void plansEveryCombinationWithOptionalLayersAndZeroWeights() {
        List<LayerSpec> layers =
                List.of(
                        layer("A", "2", "a", "1", "b", "0", "c", "5"),
                        layer("B", null, "a", "0.001", "b", "9", "z", "0"),
                        layer("C", "0.3", "a", "1", "b", "1", "c", "7", "d", "0"));
        int combos = 3 * 2 * 4;
        assertThat(SpecLoader.combinations(layers)).isEqualTo(BigInteger.valueOf(combos));
        Plan plan = new Planner(1).plan(spec(combos, SEED, layers));
        Set<String> all = new HashSet<>(dnas(plan));
        assertThat(all).hasSize(combos);
        assertThat(all).noneMatch(d -> d.startsWith("1-") || d.contains("-2-") || d.endsWith("-3"));
    }

    @Test
    void fullPlanOfManyCombinationsIsCompleteAndSameOnAnyThreadCount() {
        // 4 x 5 x 6 x 7 x 8 = 6720 combinations with skewed weights: many re-draws and scans.
        List<LayerSpec> layers =
                List.of(
                        layer("A", null, "a", "100", "b", "1", "c", "0.01", "d", "3"),
                        layer("B", "50", "a", "1", "b", "2", "c", "3", "d", "0.5"),
                        uniform("C", "0.1", 5),
                        uniform("D", null, 7),
                        layer(
                                "E", "1", "a", "1", "b", "1", "c", "1", "d", "1", "e", "1", "f",
                                "1", "g", "90"));
        int combos = SpecLoader.combinations(layers).intValueExact();
        assertThat(combos).isEqualTo(4 * 5 * 6 * 7 * 8);
        CollectionSpec spec = spec(combos, SEED, layers);
        Plan one = new Planner(1).plan(spec);
        assertThat(new HashSet<>(dnas(one))).hasSize(combos);
        assertThat(new Planner(3).plan(spec)).isEqualTo(one);
        // The indexed scan and the plain digit walk find the same combinations.
        assertThat(new Planner(1, 0).plan(spec)).isEqualTo(one);
    }

    @Test
    void resultDoesNotDependOnThreadCount() {
        List<LayerSpec> layers =
                List.of(uniform("A", "1", 30), uniform("B", null, 40), uniform("C", "3", 50));
        CollectionSpec spec = spec(60_000, SEED, 1000, layers); // several chunks, some collisions
        Plan one = new Planner(1).plan(spec);
        Plan two = new Planner(2).plan(spec);
        Plan eight = new Planner(8).plan(spec);
        assertThat(two).isEqualTo(one);
        assertThat(eight).isEqualTo(one);
        assertThat(dnas(eight)).isEqualTo(dnas(one));
    }

    @Test
    void aDifferentSeedChangesThePlanButNotItsHash() {
        List<LayerSpec> layers = List.of(uniform("A", null, 20), uniform("B", "1", 20));
        Plan a = new Planner(1).plan(spec(100, "42", layers));
        Plan b = new Planner(1).plan(spec(100, "43", layers));
        assertThat(b.hash()).isEqualTo(a.hash());
        assertThat(dnas(b)).isNotEqualTo(dnas(a));
    }

    @Test
    void planAccessors() {
        List<LayerSpec> layers = vectorLayers();
        Plan plan = new Planner(1).plan(spec(10, "42", 500, layers));
        assertThat(plan.startId()).isEqualTo(500);
        assertThat(plan.size()).isEqualTo(10);
        assertThat(plan.layers()).isEqualTo(layers);
        assertThat(plan.hashBytes()).hasSize(32);
        assertThat(plan.contains(499)).isFalse();
        assertThat(plan.contains(509)).isTrue();
        assertThat(plan.contains(510)).isFalse();
        assertThat(plan.tokens()).hasSize(10);
        assertThat(plan.tokens().get(3)).isEqualTo(plan.token(503));
        assertThat(plan.tokens().stream().mapToLong(PlannedToken::id))
                .containsExactly(500L, 501L, 502L, 503L, 504L, 505L, 506L, 507L, 508L, 509L);
        assertThatThrownBy(() -> plan.token(510)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> plan.get(-1)).isInstanceOf(IndexOutOfBoundsException.class);

        for (PlannedToken t : plan.tokens()) {
            for (int l = 0; l < layers.size(); l++) {
                int c = plan.choice((int) (t.id() - 500), l);
                assertThat(t.choice(l)).isEqualTo(c);
                Optional<TraitSpec> trait = t.trait(plan.layers(), l);
                assertThat(trait.isEmpty()).isEqualTo(c == PlannedToken.NONE);
                if (c != PlannedToken.NONE) {
                    assertThat(trait).containsSame(layers.get(l).traits().get(c));
                }
            }
            assertThat(t.traits(plan.layers()))
                    .hasSize((int) Arrays.stream(t.choices()).filter(c -> c >= 0).count());
        }
    }

    @Test
    void plannedTokenValueSemantics() {
        int[] choices = {0, 2, -1};
        PlannedToken t = new PlannedToken(7, choices);
        choices[0] = 5; // copied in
        assertThat(t.choice(0)).isZero();
        t.choices()[1] = 9; // copied out
        assertThat(t.choice(1)).isEqualTo(2);
        assertThat(t.dna()).isEqualTo("0-2-x");
        assertThat(t).isEqualTo(new PlannedToken(7, new int[] {0, 2, -1}));
        assertThat(t).hasSameHashCodeAs(new PlannedToken(7, new int[] {0, 2, -1}));
        assertThat(t).isNotEqualTo(new PlannedToken(8, new int[] {0, 2, -1}));
        assertThat(t).isNotEqualTo(new PlannedToken(7, new int[] {0, 2, 0}));
        assertThat(t.toString()).isEqualTo("PlannedToken[id=7, dna=0-2-x]");
        assertThatThrownBy(() -> new PlannedToken(1, new int[] {-2}))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void wideLayersUseWiderStorage() {
        // 300 traits need short storage, 70000 need int storage.
        List<LayerSpec> layers = List.of(uniform("A", "1", 300), uniform("B", null, 2));
        Plan plan = new Planner(1).plan(spec(602, SEED, layers));
        assertThat(new HashSet<>(dnas(plan))).hasSize(602);
        assertThat(plan.tokens().stream().mapToInt(t -> t.choice(0)).max().orElseThrow())
                .isEqualTo(299);

        String[] many = new String[2 * 70_000];
        for (int i = 0; i < 70_000; i++) {
            many[2 * i] = "t" + i;
            many[2 * i + 1] = i == 69_999 ? "1000000" : "0";
        }
        Plan wide = new Planner(1).plan(spec(1, SEED, List.of(layer("W", null, many))));
        assertThat(wide.get(0).choice(0)).isEqualTo(69_999);
    }

    @Test
    void sizeAboveCombinationsIsRefused() {
        List<LayerSpec> layers =
                List.of(uniform("A", null, 3), layer("B", "1", "x", "1", "y", "0"));
        assertThatThrownBy(() -> new Planner().plan(spec(7, SEED, layers)))
                .isInstanceOf(PlanException.class)
                .hasMessageContaining("size 7")
                .hasMessageContaining("6 unique trait combinations")
                .hasMessageNotContaining(SEED);
        assertThat(new Planner().plan(spec(6, SEED, layers)).size()).isEqualTo(6);
    }

    @Test
    void layerWithNothingToChooseIsRefusedByName() {
        List<LayerSpec> layers = List.of(uniform("A", null, 3), layer("Empty", "0", "x", "0"));
        assertThatThrownBy(() -> new Planner().plan(spec(1, SEED, layers)))
                .isInstanceOf(PlanException.class)
                .hasMessageContaining("'Empty'")
                .hasMessageContaining("nothing to choose")
                .satisfies(e -> assertThat(((PlanException) e).layer()).isEqualTo("Empty"));
    }

    @Test
    void weightsTooFineOrLargeAreRefusedByName() {
        List<LayerSpec> fine = List.of(layer("Eyes", null, "a", "1000000", "b", "0.0000000000001"));
        assertThatThrownBy(() -> new Planner().plan(spec(1, SEED, fine)))
                .isInstanceOf(PlanException.class)
                .hasMessageContaining("'Eyes'")
                .hasMessageContaining("2^62")
                .hasMessageNotContaining(SEED);
        List<LayerSpec> huge =
                List.of(layer("Fur", null, "a", "3000000000000000000", "b", "2000000000000000000"));
        assertThatThrownBy(() -> new Planner().plan(spec(1, SEED, huge)))
                .isInstanceOf(PlanException.class)
                .hasMessageContaining("'Fur'");
        // Exactly 2^62 in total is allowed.
        List<LayerSpec> edge = List.of(layer("Edge", null, "a", "4611686018427387903", "b", "1"));
        assertThat(new Planner().plan(spec(2, SEED, edge)).size()).isEqualTo(2);
        // Tiny but consistent weights are fine: scaled by 10^30 they are 1 and 3.
        List<LayerSpec> tiny = List.of(layer("Tiny", null, "a", "1E-30", "b", "3E-30"));
        assertThat(new Planner().plan(spec(2, SEED, tiny)).size()).isEqualTo(2);
    }

    @Test
    void otherBadInputIsRefusedWithoutTheSeed() {
        List<LayerSpec> layers = vectorLayers();
        assertThatThrownBy(() -> new Planner().plan(spec(1, null, layers)))
                .isInstanceOf(PlanException.class)
                .hasMessageContaining("no seed");
        assertThatThrownBy(() -> new Planner().plan(spec(1, SEED, List.of())))
                .isInstanceOf(PlanException.class)
                .hasMessageContaining("no layers");
        assertThatThrownBy(() -> new Planner().plan(spec(2, SEED, Long.MAX_VALUE, layers)))
                .isInstanceOf(PlanException.class)
                .hasMessageContaining("overflow");
        assertThatThrownBy(() -> new Planner().plan(spec(1, "bad\uD800seed", layers)))
                .isInstanceOf(PlanException.class)
                .hasMessageNotContaining("bad");
        assertThatThrownBy(() -> new Planner(0)).isInstanceOf(IllegalArgumentException.class);
        assertThat(new Planner().plan(spec(1, SEED, Long.MAX_VALUE, layers)).get(0).id())
                .isEqualTo(Long.MAX_VALUE);
        assertThat(new Planner().plan(spec(0, SEED, layers)).tokens()).isEmpty();
    }

    @Test
    void weightedFrequenciesPassChiSquare() {
        // One layer with weights 1/2/7 beside layers wide enough that collisions are negligible
        // (about 30 re-draws). With fewer combinations, uniqueness itself shifts the frequencies:
        // re-draws fall mostly on the popular combinations (see docs/determinism.md).
        List<LayerSpec> layers =
                List.of(
                        layer("W", null, "a", "1", "b", "2", "c", "7"),
                        uniform("U1", null, 100),
                        uniform("U2", null, 100),
                        uniform("U3", null, 100),
                        uniform("U4", null, 100));
        int n = 100_000;
        Plan plan = new Planner().plan(spec(n, "chi", layers));
        long[] counts = new long[3];
        long[] uniformCounts = new long[100];
        for (int i = 0; i < n; i++) {
            counts[plan.choice(i, 0)]++;
            uniformCounts[plan.choice(i, 2)]++;
        }
        double[] p = {0.1, 0.2, 0.7};
        double chi = 0;
        for (int k = 0; k < 3; k++) {
            double e = n * p[k];
            chi += (counts[k] - e) * (counts[k] - e) / e;
        }
        assertThat(chi)
                .as("chi-square, 2 degrees of freedom; p = 0.001 at 13.82")
                .isLessThan(13.82);
        double chiUniform = 0;
        for (long c : uniformCounts) {
            double e = n / 100.0;
            chiUniform += (c - e) * (c - e) / e;
        }
        assertThat(chiUniform)
                .as("chi-square, 99 degrees of freedom; p = 0.001 at 148.23")
                .isLessThan(148.23);
    }
}
