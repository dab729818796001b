package io.serigraph.pipeline.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.serigraph.pipeline.rarity.OpenRarity;
import io.serigraph.pipeline.rarity.RarityTable;
import io.serigraph.pipeline.spec.CollectionSpec;
import io.serigraph.pipeline.spec.OneOfOneSpec;
import io.serigraph.pipeline.spec.RuleSpec;
import io.serigraph.pipeline.spec.SpecLoader;
import io.serigraph.pipeline.spec.TestPngs;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A spec with rules, quotas and one-of-ones, from YAML through the plan to rarity. */
class ConstrainedPlanTest {
    @TempDir Path dir;

    static final String YAML =
            """
            name: Moths
            symbol: MOTH
            size: 20
            seed: 42
            canvas: {width: 8, height: 8}
            layers:
              - {name: Background, dir: layers/Background}
              - {name: Body, dir: layers/Body}
              - {name: Hat, dir: layers/Hat, none: 2}
            rules:
              - forbid: [Background:Red, Hat:Crown]
              - if: Hat:Crown
                then: [Body:Owl, Body:Moth Dark]
              - if: Body:Ghost
                no: Hat
              - if: Background:Gold
                only: [Hat:Cap]
              - pair: [Background:Green, Body:Ghost]
            quotas:
              Hat:Crown: 2
              Body:Owl: 10%
            one_of_ones:
              - image: art/queen.png
                attributes: {Background: Blue, Body: Moth, Hat: Cap}
              - image: art/king.png
                attributes: {Body: King, Special: "1 of 1"}
            """;

    CollectionSpec spec;

    @BeforeEach
    void load() throws Exception {
        for (String f :
                List.of(
                        "Background/Blue#3.png",
                        "Background/Red#2.png",
                        "Background/Gold#1.png",
                        "Background/Green#1.png",
                        "Body/Moth#4.png",
                        "Body/Moth Dark#2.png",
                        "Body/Owl#1.png",
                        "Body/Ghost#1.png",
                        "Hat/Cap#2.png",
                        "Hat/Crown#1.png",
                        "Hat/Beret#1.png")) {
            TestPngs.writePng(dir.resolve("layers").resolve(f), 8, 8);
        }
        TestPngs.writePng(dir.resolve("art/queen.png"), 8, 8);
        TestPngs.writePng(dir.resolve("art/king.png"), 8, 8);
        Path file = dir.resolve("serigraph.yaml");
        Files.write(file, YAML.getBytes(StandardCharsets.UTF_8));
        spec = SpecLoader.load(file);
    }

    @Test
    void loaderReadsRulesQuotasAndOneOfOnes() {
        assertThat(spec.rules())
                .extracting(RuleSpec::kind)
                .containsExactly(
                        RuleSpec.Kind.FORBID,
                        RuleSpec.Kind.REQUIRE,
                        RuleSpec.Kind.NO_LAYER,
                        RuleSpec.Kind.ONLY,
                        RuleSpec.Kind.PAIR);
        assertThat(spec.rules()).extracting(RuleSpec::line).containsExactly(11, 12, 14, 16, 18);
        assertThat(spec.quotas().get(0).count()).isEqualTo(2);
        assertThat(spec.quotas().get(1).count()).as("10% of 20").isEqualTo(2);
        assertThat(spec.quotas().get(1).line()).isEqualTo(21);
        OneOfOneSpec queen = spec.oneOfOnes().get(0);
        assertThat(queen.combination()).isTrue();
        assertThat(queen.choices()).containsExactly(0, 1, 1); // Blue, Moth, Cap
        assertThat(spec.oneOfOnes().get(1).combination()).isFalse();
        assertThat(SpecLoader.combinations(spec.layers(), spec.rules()))
                .isLessThan(SpecLoader.combinations(spec.layers()))
                .isPositive();
    }

    @Test
    void planMeetsEverythingAndPlacesTheOneOfOnes() {
        Plan plan = new Planner(2).plan(spec);

        assertThat(new Planner(1).plan(spec)).isEqualTo(plan);
        int[] positions = plan.oneOfOnePositions();
        assertThat(positions).hasSize(2).doesNotHaveDuplicates();
        assertThat(plan.oneOfOne(positions[1]).orElseThrow().attributes())
                .containsEntry("Special", "1 of 1");
        assertThat(plan.attributes(positions[1]))
                .containsExactly(Map.entry("Body", "King"), Map.entry("Special", "1 of 1"));
        Set<String> generative = new HashSet<>();
        int crowns = 0;
        int owls = 0;
        for (int i = 0; i < plan.size(); i++) {
            PlannedToken t = plan.get(i);
            crowns += t.choice(2) == 2 ? 1 : 0; // Hat traits: Beret, Cap, Crown
            owls += t.choice(1) == 3 ? 1 : 0; // Body traits: Ghost, Moth, Moth Dark, Owl
            if (plan.oneOfOne(i).isEmpty()) {
                assertThat(generative.add(t.dna())).isTrue();
            }
        }
        assertThat(crowns).isEqualTo(2);
        assertThat(owls).isEqualTo(2);
        assertThat(generative).as("no generative token repeats the queen").doesNotContain("0-1-1");
        ConstrainedPlannerProperties.assertValid(spec, plan, positions);
    }

    @Test
    void rarityCountsTheOneOfOnesOwnAttributes() {
        Plan plan = new Planner(1).plan(spec);
        RarityTable rarity = OpenRarity.rank(plan);
        int king = plan.oneOfOnePositions()[1];
        // Its Body:King and Special are unique, and so is its trait count of 2 with no hat.
        assertThat(rarity.rank(king)).isEqualTo(1);
        assertThat(rarity.uniqueTraits(king)).isGreaterThanOrEqualTo(2);
    }

    /**
     * The constrained algorithm's regression vector (docs/planner.md): this spec's plan as the
     * algorithm gave it when it was written down, so that no change of the algorithm passes
     * unnoticed. (Unlike docs/determinism.md's vectors, it has no independent implementation.)
     */
    @Test
    void constrainedVector() {
        Plan plan = new Planner(1).plan(spec);
        SoftAssertions.assertSoftly(
                soft -> {
                    soft.assertThat(plan.hash())
                            .isEqualTo(
                                    "3dc6fc190a2dcb711c9ec698e070ed1cd08249332a728db696d36fbe355a6595");
                    soft.assertThat(plan.oneOfOnePositions()).containsExactly(13, 10);
                    soft.assertThat(String.join(" ", Specs.dnas(plan)))
                            .isEqualTo(
                                    "1-2-1 0-2-1 0-1-x 0-3-0 0-1-0 1-1-x 1-1-1 0-2-x 3-1-x 0-2-0 x-x-x 0-3-2 3-2-x"
                                            + " 0-1-1 3-1-0 3-2-0 3-1-1 0-2-2 1-2-x 3-2-1");
                    soft.assertThat(SpecLoader.combinations(spec.layers(), spec.rules()))
                            .isEqualTo(BigInteger.valueOf(27));
                });
    }

    /** Large enough for the first draws to run on several threads (chunks of 16384 tokens). */
    @Test
    void largePlanIsTheSameOnAnyThreadCount() {
        List<io.serigraph.pipeline.spec.LayerSpec> layers = new java.util.ArrayList<>();
        for (int l = 0; l < 6; l++) {
            layers.add(Specs.uniform("L" + l, l == 5 ? "3" : null, 8));
        }
        List<RuleSpec> rules =
                List.of(
                        new RuleSpec(
                                RuleSpec.Kind.FORBID,
                                List.of(ref(layers, 0, 1), ref(layers, 3, 2)),
                                -1,
                                10),
                        new RuleSpec(
                                RuleSpec.Kind.REQUIRE,
                                List.of(ref(layers, 1, 0), ref(layers, 2, 0), ref(layers, 4, 4)),
                                -1,
                                11));
        int size = 50_000;
        List<io.serigraph.pipeline.spec.QuotaSpec> quotas =
                List.of(
                        new io.serigraph.pipeline.spec.QuotaSpec(
                                ref(layers, 0, 1), 5000, "10%", 20),
                        new io.serigraph.pipeline.spec.QuotaSpec(
                                ref(layers, 3, 2), 777, "777", 21));
        CollectionSpec big = ConstrainedPlannerProperties.spec(size, "big", layers, rules, quotas);

        Plan one = new Planner(1).plan(big);

        assertThat(new Planner(3).plan(big)).isEqualTo(one);
        ConstrainedPlannerProperties.assertValid(big, one);
    }

    private static io.serigraph.pipeline.spec.TraitRef ref(
            List<io.serigraph.pipeline.spec.LayerSpec> layers, int layer, int trait) {
        return new io.serigraph.pipeline.spec.TraitRef(
                layer,
                trait,
                layers.get(layer).name() + ":" + layers.get(layer).traits().get(trait).name());
    }
}
