package io.serigraph.pipeline.plan;

import static io.serigraph.pipeline.plan.Specs.dnas;
import static io.serigraph.pipeline.plan.Specs.spec;
import static org.assertj.core.api.Assertions.assertThat;

import io.serigraph.pipeline.spec.CollectionSpec;
import io.serigraph.pipeline.spec.LayerSpec;
import io.serigraph.pipeline.spec.SpecLoader;
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
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.DoubleRange;

/**
 * Properties of the planner over random specs: 1..6 layers of 1..8 traits, zero weights, optional
 * layers.
 */
class PlannerProperties {
    private static final int MAX_SIZE = 1500;

    @Property(tries = 300)
    void planIsDeterministicUniqueAndUsesOnlyAllowedChoices(
            @ForAll("layers") List<LayerSpec> layers,
            @ForAll("seeds") String seed,
            @ForAll @DoubleRange(min = 0, max = 1) double fill) {
        BigInteger combos = SpecLoader.combinations(layers);
        int size =
                (int) Math.floor(fill * combos.min(BigInteger.valueOf(MAX_SIZE)).intValueExact());
        CollectionSpec spec = spec(size, seed, 1, layers);

        Plan plan = new Planner(1).plan(spec);
        assertThat(new Planner(2).plan(spec)).isEqualTo(plan);
        assertThat(plan.size()).isEqualTo(size);
        assertThat(plan.hash()).isEqualTo(PlanHash.hexOf(spec));
        assertThat(new HashSet<>(dnas(plan))).hasSize(size);
        for (int i = 0; i < size; i++) {
            PlannedToken t = plan.get(i);
            assertThat(t.id()).isEqualTo(1L + i);
            for (int l = 0; l < layers.size(); l++) {
                LayerSpec layer = layers.get(l);
                int c = t.choice(l);
                if (c == PlannedToken.NONE) {
                    assertThat(layer.optional()).as("none only in optional layers").isTrue();
                } else {
                    assertThat(layer.traits().get(c).weight().signum())
                            .as("zero-weight traits are never chosen")
                            .isPositive();
                }
            }
        }
    }

    @Property(tries = 150)
    void sizeEqualToCombinationsPlansEveryCombination(
            @ForAll("layers") List<LayerSpec> layers, @ForAll("seeds") String seed) {
        BigInteger combos = SpecLoader.combinations(layers);
        Assume.that(combos.compareTo(BigInteger.valueOf(MAX_SIZE)) <= 0);
        int size = combos.intValueExact();
        Plan plan = new Planner(1).plan(spec(size, seed, 1, layers));
        Set<String> all = new HashSet<>(dnas(plan));
        assertThat(all).hasSize(size);
        assertThat(new Planner(1, 0).plan(spec(size, seed, 1, layers)))
                .as("plain walk and indexed scan agree")
                .isEqualTo(plan);
    }

    @Property(tries = 100)
    void pathsLineNumbersAndTrailingZerosDoNotChangeThePlan(
            @ForAll("layers") List<LayerSpec> layers, @ForAll("seeds") String seed) {
        int size = SpecLoader.combinations(layers).min(BigInteger.valueOf(50)).intValueExact();
        List<LayerSpec> moved = new ArrayList<>();
        for (LayerSpec l : layers) {
            List<TraitSpec> traits = new ArrayList<>();
            for (TraitSpec t : l.traits()) {
                traits.add(
                        new TraitSpec(
                                t.name(),
                                t.weight().setScale(t.weight().scale() + 2),
                                Path.of("/other", t.name())));
            }
            moved.add(new LayerSpec(l.name(), Path.of("/other"), traits, l.noneWeight(), 99));
        }
        assertThat(new Planner(1).plan(spec(size, seed, 1, moved)))
                .isEqualTo(new Planner(1).plan(spec(size, seed, 1, layers)));
    }

    @Provide
    Arbitrary<String> seeds() {
        return Arbitraries.strings()
                .alpha()
                .numeric()
                .withChars('é', '€', ' ', '-')
                .ofMaxLength(24);
    }

    @Provide
    Arbitrary<List<LayerSpec>> layers() {
        Arbitrary<BigDecimal> positive =
                Combinators.combine(
                                Arbitraries.integers().between(1, 5000),
                                Arbitraries.integers().between(0, 3))
                        .as((unscaled, scale) -> BigDecimal.valueOf(unscaled, scale));
        Arbitrary<BigDecimal> weight =
                Arbitraries.frequencyOf(
                        Tuple.of(1, Arbitraries.just(BigDecimal.ZERO)), Tuple.of(4, positive));
        Arbitrary<BigDecimal> none =
                Arbitraries.frequencyOf(
                        Tuple.of(3, Arbitraries.just((BigDecimal) null)),
                        Tuple.of(1, Arbitraries.just(BigDecimal.ZERO)),
                        Tuple.of(2, positive));
        Arbitrary<RawLayer> layer =
                Combinators.combine(weight.list().ofMinSize(1).ofMaxSize(8), none)
                        .as(RawLayer::new);
        return layer.list().ofMinSize(1).ofMaxSize(6).map(PlannerProperties::toLayers);
    }

    private record RawLayer(List<BigDecimal> weights, BigDecimal none) {}

    private static List<LayerSpec> toLayers(List<RawLayer> raw) {
        List<LayerSpec> layers = new ArrayList<>();
        for (int l = 0; l < raw.size(); l++) {
            RawLayer r = raw.get(l);
            String name = "L" + l;
            boolean optional = r.none() != null && r.none().signum() > 0;
            boolean anyPositive = r.weights().stream().anyMatch(w -> w.signum() > 0);
            List<TraitSpec> traits = new ArrayList<>();
            for (int t = 0; t < r.weights().size(); t++) {
                BigDecimal w = r.weights().get(t);
                if (t == 0 && !anyPositive && !optional) {
                    w = BigDecimal.ONE; // a valid spec always has something to choose
                }
                traits.add(
                        new TraitSpec(
                                String.format("t%d", t),
                                w,
                                Path.of("/fake", name, "t" + t + ".png")));
            }
            layers.add(new LayerSpec(name, Path.of("/fake", name), traits, r.none(), l + 1));
        }
        return layers;
    }
}
