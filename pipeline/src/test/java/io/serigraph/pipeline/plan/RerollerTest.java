package io.serigraph.pipeline.plan;

import static io.serigraph.pipeline.plan.Specs.dnas;
import static io.serigraph.pipeline.plan.Specs.spec;
import static io.serigraph.pipeline.plan.Specs.vectorLayers;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.serigraph.pipeline.spec.CollectionSpec;
import io.serigraph.pipeline.spec.QuotaSpec;
import io.serigraph.pipeline.spec.RuleSet;
import io.serigraph.pipeline.spec.SpecLoader;
import io.serigraph.pipeline.spec.TestPngs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Re-rolls: the vector of {@code docs/determinism.md}, uniqueness, rules, quotas, refusals. */
class RerollerTest {
    @TempDir Path dir;

    @Test
    void vectorA_rerollOfToken3() {
        CollectionSpec spec = spec(10, "42", vectorLayers());
        Plan plan = new Planner(1).plan(spec);
        TokenKey key = TokenKey.derive(plan.hashBytes(), "42");
        assertThat(Long.toHexString(key.rerollSeed(3, 1, 0))).isEqualTo("be01a34d6a0cf09e");
        assertThat(Long.toHexString(key.rerollSeed(3, 2, 0))).isEqualTo("e12d4fd6f39167e3");
        assertThat(Long.toHexString(key.rerollSeed(10, 1, 0))).isEqualTo("b5d3392997cb154e");
        SplitMix64 rng = new SplitMix64(key.rerollSeed(3, 1, 0));
        assertThat(
                        List.of(
                                Long.toUnsignedString(rng.nextLong()),
                                Long.toUnsignedString(rng.nextLong()),
                                Long.toUnsignedString(rng.nextLong())))
                .containsExactly(
                        "18024215276860956370", "13260146680342138215", "10412960994240784043");
        Reroller reroller = new Reroller(spec, plan);
        assertThat(
                        List.of(
                                PlannedToken.dna(reroller.reroll(plan, 3, 1)),
                                PlannedToken.dna(reroller.reroll(plan, 3, 2)),
                                PlannedToken.dna(reroller.reroll(plan, 10, 1))))
                .containsExactly("1-0-0", "1-0-x", "1-0-1");
    }

    @Test
    void theSameInputsGiveTheSameReroll() {
        CollectionSpec spec = spec(10, "42", vectorLayers());
        Plan plan = new Planner(1).plan(spec);
        int[] a = new Reroller(spec, plan).reroll(plan, 7, 1);
        int[] b = new Reroller(spec, new Planner(2).plan(spec)).reroll(plan, 7, 1);
        assertThat(a).isEqualTo(b);
        // Another seed is another key: the re-roll is as secret as the plan.
        CollectionSpec other = spec(10, "moth-2026", vectorLayers());
        Plan otherPlan = new Planner(1).plan(other);
        assertThat(PlannedToken.dna(new Reroller(other, otherPlan).reroll(otherPlan, 7, 1)))
                .isNotIn(dnas(otherPlan));
    }

    @Test
    void rerollsKeepEveryDnaUniqueAndTheRulesAndQuotas() throws Exception {
        CollectionSpec spec = constrained();
        Plan plan = new Planner(2).plan(spec);
        RuleSet rules = RuleSet.of(spec.layers(), spec.rules());
        Map<String, Integer> quotasBefore = quotaCounts(spec, plan);
        Reroller reroller = new Reroller(spec, plan);
        Plan current = plan;
        int rerolled = 0;
        int refused = 0;
        for (int i = 0; i < plan.size(); i++) {
            if (plan.isOneOfOne(i)) {
                continue;
            }
            long id = plan.get(i).id();
            String before = current.get(i).dna();
            int[] next;
            try {
                next = reroller.reroll(current, id, 1);
            } catch (PlanException e) {
                // Only when nothing else is left: the quota traits it holds fix its layers and
                // the rules leave no other combination that is free.
                assertThat(e).hasMessageContaining("token " + id + ": no re-roll found");
                assertThat(alternatives(spec, current, i)).as("token %d", id).isZero();
                refused++;
                continue;
            }
            current = current.withChoices(Map.of(id, next));
            rerolled++;
            assertThat(current.get(i).dna()).isNotEqualTo(before);
            assertThat(rules.allows(next)).as("token %d breaks no rule", id).isTrue();
            Set<String> seen = new HashSet<>();
            for (int j = 0; j < current.size(); j++) {
                assertThat(seen.add(current.get(j).dna()))
                        .as("DNA of token %d unique", j + 1)
                        .isTrue();
            }
            assertThat(quotaCounts(spec, current)).isEqualTo(quotasBefore);
        }
        assertThat(rerolled + refused).isEqualTo(plan.size() - spec.oneOfOnes().size());
        assertThat(rerolled).isGreaterThan(refused);
        assertThat(current.hash()).isEqualTo(plan.hash());
        assertThat(current.oneOfOnePositions()).isEqualTo(plan.oneOfOnePositions());
    }

    @Test
    void aOneOfOneIsNotRerolled() throws Exception {
        CollectionSpec spec = constrained();
        Plan plan = new Planner(1).plan(spec);
        long id = plan.get(plan.oneOfOnePositions()[0]).id();
        assertThatThrownBy(() -> new Reroller(spec, plan).reroll(plan, id, 1))
                .isInstanceOf(PlanException.class)
                .hasMessageContaining("token " + id + " is a one-of-one");
        assertThatThrownBy(() -> plan.withChoices(Map.of(id, new int[] {0, 0, 0})))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("one-of-one");
    }

    @Test
    void aDropOfEveryCombinationHasNoRerollLeft() {
        CollectionSpec spec = spec(18, "42", vectorLayers());
        Plan plan = new Planner(1).plan(spec);
        assertThatThrownBy(() -> new Reroller(spec, plan).reroll(plan, 5, 1))
                .isInstanceOf(PlanException.class)
                .hasMessageContaining("token 5: no re-roll found in 256 draws")
                .hasMessageContaining("approve or reject");
        assertThatThrownBy(() -> new Reroller(spec, plan).reroll(plan, 19, 1))
                .hasMessageContaining("token 19: no such token");
    }

    @Test
    void dnaReadsBackToItsChoices() {
        assertThat(PlannedToken.choicesOf("0-12-x-3", 4)).containsExactly(0, 12, -1, 3);
        for (String bad :
                List.of("0-1", "0-1-2-3-4", "0--1-2", "0-y-1-2", "0-+1-2-3", "0-99999999999-1-2")) {
            assertThatThrownBy(() -> PlannedToken.choicesOf(bad, 4))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(bad);
        }
    }

    /**
     * By brute force, how many combinations token {@code row} could take instead: free, allowed by
     * the rules, with drawable choices, and the same quota traits.
     */
    private static int alternatives(CollectionSpec spec, Plan plan, int row) {
        RuleSet rules = RuleSet.of(spec.layers(), spec.rules());
        Set<String> taken = new HashSet<>(dnas(plan));
        int layers = spec.layers().size();
        int[] radix = new int[layers];
        for (int l = 0; l < layers; l++) {
            radix[l] = spec.layers().get(l).traits().size() + 1;
        }
        int found = 0;
        int[] c = new int[layers];
        int total = 1;
        for (int r : radix) {
            total *= r;
        }
        for (int k = 0; k < total; k++) {
            int rest = k;
            boolean ok = true;
            for (int l = 0; l < layers; l++) {
                c[l] = rest % radix[l] - 1;
                rest /= radix[l];
                var layer = spec.layers().get(l);
                ok &= c[l] < 0 ? layer.optional() : layer.traits().get(c[l]).weight().signum() > 0;
            }
            for (QuotaSpec q : spec.quotas()) {
                int l = q.trait().layer();
                ok &= (c[l] == q.trait().trait()) == (plan.choice(row, l) == q.trait().trait());
            }
            if (ok && rules.allows(c) && !taken.contains(PlannedToken.dna(c))) {
                found++;
            }
        }
        return found;
    }

    private static Map<String, Integer> quotaCounts(CollectionSpec spec, Plan plan) {
        Map<String, Integer> out = new java.util.TreeMap<>();
        for (QuotaSpec q : spec.quotas()) {
            int n = 0;
            for (int i = 0; i < plan.size(); i++) {
                if (plan.choice(i, q.trait().layer()) == q.trait().trait()) {
                    n++;
                }
            }
            out.put(q.trait().text(), n);
        }
        return out;
    }

    /** The rules, quotas and one-of-ones of {@link ConstrainedPlanTest}. */
    private CollectionSpec constrained() throws Exception {
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
        Files.write(file, ConstrainedPlanTest.YAML.getBytes(StandardCharsets.UTF_8));
        return SpecLoader.load(file);
    }
}
