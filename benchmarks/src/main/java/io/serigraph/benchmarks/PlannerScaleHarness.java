package io.serigraph.benchmarks;

import io.serigraph.engine.png.PngCompression;
import io.serigraph.engine.resample.ResampleFilter;
import io.serigraph.pipeline.plan.Plan;
import io.serigraph.pipeline.plan.Planner;
import io.serigraph.pipeline.rarity.OpenRarity;
import io.serigraph.pipeline.rarity.RarityTable;
import io.serigraph.pipeline.spec.Canvas;
import io.serigraph.pipeline.spec.CollectionSpec;
import io.serigraph.pipeline.spec.Feasibility;
import io.serigraph.pipeline.spec.LayerSpec;
import io.serigraph.pipeline.spec.MetadataSpec;
import io.serigraph.pipeline.spec.OutputSpec;
import io.serigraph.pipeline.spec.QuotaSpec;
import io.serigraph.pipeline.spec.RuleSpec;
import io.serigraph.pipeline.spec.SpecLoader;
import io.serigraph.pipeline.spec.SpecProblem;
import io.serigraph.pipeline.spec.TraitRef;
import io.serigraph.pipeline.spec.TraitSpec;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The planner at scale: feasibility + planning + OpenRarity for 1,000,000 tokens over 10 layers of
 * 20 traits (two layers optional) with 6 rules of every kind and 4 exact quotas. Prints the time of
 * each step, their total and the peak heap used. Target: under 10 s and under 1 GB of heap (run it
 * with {@code -Xmx1g} to prove the heap bound). Usage: {@code java -Xmx1g -cp
 * benchmarks/target/benchmarks.jar io.serigraph.benchmarks.PlannerScaleHarness [tokens] [threads]}.
 */
public final class PlannerScaleHarness {
    private PlannerScaleHarness() {}

    public static void main(String[] args) {
        int size = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int threads =
                args.length > 1
                        ? Integer.parseInt(args[1])
                        : Runtime.getRuntime().availableProcessors();
        CollectionSpec spec = spec(size);
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            pool.resetPeakUsage();
        }
        long t0 = System.nanoTime();
        List<SpecProblem> problems = Feasibility.problems(spec, 0);
        long t1 = System.nanoTime();
        if (!problems.isEmpty()) {
            throw new IllegalStateException("benchmark spec is infeasible: " + problems);
        }
        Plan plan = new Planner(threads).plan(spec);
        long t2 = System.nanoTime();
        RarityTable rarity = OpenRarity.rank(plan);
        long t3 = System.nanoTime();
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        System.out.printf(
                Locale.ROOT,
                "tokens %d, layers 10 x 20 traits, %d rules, %d quotas, allowed combinations %s,"
                        + " threads %d%n",
                size,
                spec.rules().size(),
                spec.quotas().size(),
                SpecLoader.combinations(spec.layers(), spec.rules()),
                threads);
        System.out.printf(
                Locale.ROOT,
                "feasibility %.2f s, plan %.2f s (includes its own feasibility check), rarity %.2f s,"
                        + " total %.2f s; peak heap %.0f MB (max heap %.0f MB); rarest token #%d%n",
                (t1 - t0) / 1e9,
                (t2 - t1) / 1e9,
                (t3 - t2) / 1e9,
                (t3 - t0) / 1e9,
                peak / 1e6,
                Runtime.getRuntime().maxMemory() / 1e6,
                plan.startId() + rarity.atPlace(0));
    }

    /** The benchmark spec (paths are never read). */
    static CollectionSpec spec(int size) {
        List<LayerSpec> layers = new ArrayList<>();
        for (int l = 0; l < 10; l++) {
            List<TraitSpec> traits = new ArrayList<>();
            for (int t = 0; t < 20; t++) {
                traits.add(
                        new TraitSpec(
                                String.format(Locale.ROOT, "L%d T%02d", l, t),
                                BigDecimal.valueOf(1 + (t * 7 + l) % 20),
                                Path.of("/bench", "L" + l, t + ".png")));
            }
            BigDecimal none = l == 8 || l == 9 ? BigDecimal.valueOf(10) : null;
            layers.add(new LayerSpec("L" + l, Path.of("/bench", "L" + l), traits, none, l + 1));
        }
        List<RuleSpec> rules =
                List.of(
                        new RuleSpec(RuleSpec.Kind.FORBID, List.of(ref(0, 1), ref(5, 2)), -1, 20),
                        new RuleSpec(
                                RuleSpec.Kind.REQUIRE,
                                List.of(ref(1, 3), ref(2, 0), ref(2, 1), ref(2, 2)),
                                -1,
                                21),
                        new RuleSpec(RuleSpec.Kind.NO_LAYER, List.of(ref(3, 4)), 9, 22),
                        new RuleSpec(
                                RuleSpec.Kind.ONLY,
                                List.of(ref(4, 5), ref(8, 1), ref(8, 2)),
                                -1,
                                23),
                        new RuleSpec(RuleSpec.Kind.PAIR, List.of(ref(6, 6), ref(7, 7)), -1, 24),
                        new RuleSpec(
                                RuleSpec.Kind.FORBID,
                                List.of(ref(0, 2), ref(3, 3), ref(6, 1)),
                                -1,
                                25));
        List<QuotaSpec> quotas =
                List.of(
                        new QuotaSpec(ref(0, 1), size / 100, "1%", 30),
                        new QuotaSpec(ref(5, 0), size / 200, "0.5%", 31),
                        new QuotaSpec(ref(9, 19), Math.min(size, 1000), "1000", 32),
                        new QuotaSpec(ref(2, 0), size / 20, "5%", 33));
        return new CollectionSpec(
                Path.of("/bench/serigraph.yaml"),
                "Bench",
                "BENCH",
                "",
                size,
                "bench-seed",
                1,
                new Canvas(64, 64, null),
                layers,
                new OutputSpec("png", 64, 64, ResampleFilter.NEAREST, PngCompression.DEFAULT),
                new MetadataSpec("Bench #{id}", "", null, ""),
                rules,
                quotas,
                List.of());
    }

    private static TraitRef ref(int layer, int trait) {
        return new TraitRef(
                layer, trait, String.format(Locale.ROOT, "L%d:L%d T%02d", layer, layer, trait));
    }
}
