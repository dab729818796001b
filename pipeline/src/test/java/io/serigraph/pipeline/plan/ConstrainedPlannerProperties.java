package io.serigraph.pipeline.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.serigraph.pipeline.spec.CollectionSpec;
import io.serigraph.pipeline.spec.Feasibility;
import io.serigraph.pipeline.spec.LayerSpec;
import io.serigraph.pipeline.spec.QuotaSpec;
import io.serigraph.pipeline.spec.RuleSet;
import io.serigraph.pipeline.spec.RuleSpec;
import io.serigraph.pipeline.spec.SpecLoader;
import io.serigraph.pipeline.spec.SpecProblem;
import io.serigraph.pipeline.spec.TraitRef;
import io.serigraph.pipeline.spec.TraitSpec;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;

/**
 * Properties of the constrained planner over random specs: 2..4 layers of 2..5 traits (some weight
 * 0, some layers optional), 0..4 random rules of every kind, 0..3 exact quotas.
 */
class ConstrainedPlannerProperties {

    /** A random spec: layers, rules and quotas built from raw random numbers. */
    record Case(List<LayerSpec> layers, List<RuleSpec> rules, List<int[]> quotaPicks) {}

    @Property(tries = 400)
    void everyPlanObeysAllRulesHitsEveryQuotaAndIsUniqueAndDeterministic(
            @ForAll("cases") Case c,
            @ForAll @IntRange(min = 0, max = 100) int fillPercent,
            @ForAll @IntRange(min = 0, max = 1_000_000) int seed) {
        RuleSet rules = RuleSet.of(c.layers(), c.rules());
        BigInteger allowed = rules.count();
        Assume.that(allowed.signum() > 0);
        int size =
                Math.max(
                        1,
                        allowed.min(BigInteger.valueOf(400)).intValueExact() * fillPercent / 100);
        List<QuotaSpec> quotas = quotas(c, size);
        CollectionSpec spec = spec(size, "s" + seed, c.layers(), c.rules(), quotas);
        List<SpecProblem> problems = Feasibility.problems(spec, 0);
        if (!problems.isEmpty()) {
            assertThatThrownBy(() -> new Planner(1).plan(spec))
                    .as("an infeasible spec is refused before any token is drawn")
                    .isInstanceOf(PlanException.class)
                    .hasMessageContaining(problems.get(0).message());
            Statistics.label("outcome").collect("infeasible");
            return;
        }

        Plan plan;
        try {
            plan = new Planner(1).plan(spec);
        } catch (PlanException e) {
            // Only the quota re-deal may refuse a spec that passes the feasibility checks, and it
            // names the quota lines when it does; the coverage check below keeps it rare.
            assertThat(e.getMessage()).contains("quotas (lines");
            Statistics.label("outcome").collect("refused");
            return;
        }
        Statistics.label("outcome").collect(quotas.isEmpty() ? "planned" : "planned with quotas");
        Statistics.label("outcome")
                .coverage(
                        k -> {
                            k.check("refused").percentage(p -> p < 2.0);
                            k.check("infeasible").percentage(p -> p > 1.0);
                            k.check("planned with quotas").percentage(p -> p > 20.0);
                        });
        assertThat(new Planner(3).plan(spec)).isEqualTo(plan);
        assertThat(new Planner(1).plan(spec)).isEqualTo(plan);
        assertValid(spec, plan);
    }

    @Property(tries = 150)
    void aSpecOfEveryAllowedCombinationPlansCompletely(
            @ForAll("cases") Case c, @ForAll @IntRange(min = 0, max = 1_000_000) int seed) {
        BigInteger allowed = RuleSet.of(c.layers(), c.rules()).count();
        Assume.that(allowed.signum() > 0 && allowed.compareTo(BigInteger.valueOf(600)) <= 0);
        int size = allowed.intValueExact();
        CollectionSpec spec = spec(size, "full" + seed, c.layers(), c.rules(), List.of());
        Assume.that(Feasibility.problems(spec, 0).isEmpty());

        Plan plan = new Planner(1).plan(spec);
        assertValid(spec, plan);
        assertThat(new Planner(1, 0).plan(spec)).as("walk and indexed scan agree").isEqualTo(plan);
    }

    @Property(tries = 200)
    void exactCountEqualsEnumeration(@ForAll("cases") Case c) {
        RuleSet rules = RuleSet.of(c.layers(), c.rules());
        long brute = 0;
        int n = c.layers().size();
        int[] choice = new int[n];
        long total = SpecLoader.combinations(c.layers()).longValueExact();
        List<int[]> domains = new ArrayList<>();
        for (LayerSpec l : c.layers()) {
            List<Integer> d = new ArrayList<>();
            for (int t = 0; t < l.traits().size(); t++) {
                if (l.traits().get(t).weight().signum() > 0) {
                    d.add(t);
                }
            }
            if (l.optional()) {
                d.add(-1);
            }
            domains.add(d.stream().mapToInt(Integer::intValue).toArray());
        }
        for (long k = 0; k < total; k++) {
            long rest = k;
            for (int l = n - 1; l >= 0; l--) {
                int[] d = domains.get(l);
                choice[l] = d[(int) (rest % d.length)];
                rest /= d.length;
            }
            if (rules.allows(choice)) {
                brute++;
            }
        }
        assertThat(rules.count()).isEqualTo(BigInteger.valueOf(brute));
        assertThat(SpecLoader.combinations(c.layers(), c.rules()))
                .isEqualTo(BigInteger.valueOf(brute));
    }

    static void assertValid(CollectionSpec spec, Plan plan) {
        assertValid(spec, plan, new int[0]);
    }

    /** Rules, uniqueness and domains for generative tokens; quotas over every token. */
    static void assertValid(CollectionSpec spec, Plan plan, int[] oneOfOnes) {
        RuleSet rules = RuleSet.of(spec.layers(), spec.rules());
        Set<String> dnas = new HashSet<>();
        int[] counts = new int[spec.quotas().size()];
        Set<Integer> ones = new HashSet<>();
        for (int p : oneOfOnes) {
            ones.add(p);
        }
        for (int i = 0; i < plan.size(); i++) {
            PlannedToken t = plan.get(i);
            if (ones.contains(i)) {
                for (int q = 0; q < counts.length; q++) {
                    TraitRef r = spec.quotas().get(q).trait();
                    counts[q] += t.choice(r.layer()) == r.trait() ? 1 : 0;
                }
                continue;
            }
            assertThat(rules.broken(t.choices())).as("token %d breaks no rule", t.id()).isEmpty();
            assertThat(dnas.add(t.dna())).as("DNA %s is unique", t.dna()).isTrue();
            for (int l = 0; l < spec.layers().size(); l++) {
                assertThat(rules.inDomain(l, t.choice(l))).isTrue();
            }
            for (int q = 0; q < counts.length; q++) {
                TraitRef r = spec.quotas().get(q).trait();
                if (t.choice(r.layer()) == r.trait()) {
                    counts[q]++;
                }
            }
        }
        for (int q = 0; q < counts.length; q++) {
            assertThat(counts[q])
                    .as("quota %s", spec.quotas().get(q).trait())
                    .isEqualTo(spec.quotas().get(q).count());
        }
    }

    static CollectionSpec spec(
            int size,
            String seed,
            List<LayerSpec> layers,
            List<RuleSpec> rules,
            List<QuotaSpec> quotas) {
        CollectionSpec plain = Specs.spec(size, seed, layers);
        return new CollectionSpec(
                plain.file(),
                plain.name(),
                plain.symbol(),
                plain.description(),
                size,
                seed,
                1,
                plain.canvas(),
                layers,
                plain.output(),
                plain.metadata(),
                rules,
                quotas,
                List.of());
    }

    /** Quotas from the case's picks: a drawable trait and a share of the size. */
    private static List<QuotaSpec> quotas(Case c, int size) {
        List<QuotaSpec> out = new ArrayList<>();
        Set<Long> seen = new HashSet<>();
        for (int[] pick : c.quotaPicks()) {
            int l = pick[0] % c.layers().size();
            LayerSpec layer = c.layers().get(l);
            int t = pick[1] % layer.traits().size();
            if (layer.traits().get(t).weight().signum() == 0 || !seen.add((long) l << 32 | t)) {
                continue;
            }
            int count = size * (pick[2] % 60) / 100;
            out.add(
                    new QuotaSpec(
                            new TraitRef(l, t, layer.name() + ":" + layer.traits().get(t).name()),
                            count,
                            Integer.toString(count),
                            100 + out.size()));
        }
        return out;
    }

    @Provide
    Arbitrary<Case> cases() {
        Arbitrary<List<Integer>> weights =
                Arbitraries.integers().between(0, 4).list().ofMinSize(2).ofMaxSize(5);
        Arbitrary<Integer> none = Arbitraries.integers().between(0, 3);
        Arbitrary<List<RawLayer>> raw =
                Combinators.combine(weights, none)
                        .as(RawLayer::new)
                        .list()
                        .ofMinSize(2)
                        .ofMaxSize(4);
        Arbitrary<List<int[]>> picks =
                Arbitraries.integers()
                        .between(0, 1000)
                        .array(int[].class)
                        .ofSize(6)
                        .list()
                        .ofMaxSize(4);
        Arbitrary<List<int[]>> quotaPicks =
                Arbitraries.integers()
                        .between(0, 1000)
                        .array(int[].class)
                        .ofSize(3)
                        .list()
                        .ofMaxSize(3);
        return Combinators.combine(raw, picks, quotaPicks)
                .as(
                        (r, p, q) -> {
                            List<LayerSpec> layers = layers(r);
                            return new Case(layers, rules(layers, p), q);
                        });
    }

    private record RawLayer(List<Integer> weights, int none) {}

    private static List<LayerSpec> layers(List<RawLayer> raw) {
        List<LayerSpec> layers = new ArrayList<>();
        for (int l = 0; l < raw.size(); l++) {
            RawLayer r = raw.get(l);
            String name = "L" + l;
            List<TraitSpec> traits = new ArrayList<>();
            for (int t = 0; t < r.weights().size(); t++) {
                int w = t == 0 ? Math.max(1, r.weights().get(t)) : r.weights().get(t);
                traits.add(
                        new TraitSpec(
                                "t" + t,
                                BigDecimal.valueOf(w),
                                Path.of("/fake", name, t + ".png")));
            }
            BigDecimal none = r.none() == 0 ? null : BigDecimal.valueOf(r.none() - 1);
            layers.add(new LayerSpec(name, Path.of("/fake", name), traits, none, l + 1));
        }
        return layers;
    }

    /** Valid rules of every kind from raw picks (kind, layers and traits by modulo). */
    private static List<RuleSpec> rules(List<LayerSpec> layers, List<int[]> picks) {
        List<RuleSpec> out = new ArrayList<>();
        int n = layers.size();
        for (int[] p : picks) {
            int la = p[1] % n;
            int lb = (la + 1 + p[3] % (n - 1)) % n;
            TraitRef a = ref(layers, la, p[2]);
            TraitRef b = ref(layers, lb, p[4]);
            TraitRef b2 = ref(layers, lb, p[5]);
            int line = 10 + out.size();
            switch (p[0] % 5) {
                case 0 -> out.add(new RuleSpec(RuleSpec.Kind.FORBID, List.of(a, b), -1, line));
                case 1 -> out.add(new RuleSpec(RuleSpec.Kind.REQUIRE, List.of(a, b, b2), -1, line));
                case 2 -> out.add(new RuleSpec(RuleSpec.Kind.NO_LAYER, List.of(a), lb, line));
                case 3 -> out.add(new RuleSpec(RuleSpec.Kind.ONLY, List.of(a, b, b2), -1, line));
                default -> out.add(new RuleSpec(RuleSpec.Kind.PAIR, List.of(a, b), -1, line));
            }
        }
        return out;
    }

    private static TraitRef ref(List<LayerSpec> layers, int l, int pick) {
        LayerSpec layer = layers.get(l);
        int t = pick % layer.traits().size();
        return new TraitRef(l, t, layer.name() + ":" + layer.traits().get(t).name());
    }
}
