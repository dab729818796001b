package io.serigraph.cli;

import io.serigraph.pipeline.plan.Plan;
import io.serigraph.pipeline.plan.PlanException;
import io.serigraph.pipeline.plan.Planner;
import io.serigraph.pipeline.rarity.OpenRarity;
import io.serigraph.pipeline.rarity.RarityTable;
import io.serigraph.pipeline.simulate.Simulation;
import io.serigraph.pipeline.spec.CollectionSpec;
import io.serigraph.pipeline.spec.SpecLoader;
import io.serigraph.pipeline.store.AtomicFiles;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code serigraph simulate DIR}. */
@Command(
        name = "simulate",
        mixinStandardHelpOptions = true,
        description = {
            "Plan DIR/serigraph.yaml without rendering: trait targets vs planned counts, goodness"
                    + " of fit, OpenRarity ranks.",
            "Writes DIR/out/simulation.json, DIR/out/simulation.html and DIR/out/rarity.csv."
        })
final class SimulateCommand implements Callable<Integer> {
    @Parameters(
            index = "0",
            paramLabel = "DIR",
            description = "The drop folder (holds serigraph.yaml).")
    Path dir;

    @Option(
            names = "--top",
            paramLabel = "N",
            description =
                    "How many rarest and least rare tokens to list (default ${DEFAULT-VALUE}).")
    int top = 10;

    @Override
    public Integer call() throws Exception {
        if (top < 0) {
            throw new BadInputException("--top must be 0 or more, was " + top);
        }
        CollectionSpec spec = SpecLoader.load(Drops.specFile(dir));
        Plan plan;
        try {
            plan = new Planner().plan(spec);
        } catch (PlanException e) {
            throw new BadInputException(spec.file() + ": " + e.getMessage());
        }
        RarityTable rarity = OpenRarity.rank(plan);
        Simulation sim = Simulation.of(spec, plan, rarity, top);
        Path out = spec.outDir();
        AtomicFiles.writeUnsynced(out.resolve("simulation.json"), sim.json());
        AtomicFiles.writeUnsynced(out.resolve("simulation.html"), sim.html());
        AtomicFiles.writeUnsynced(out.resolve("rarity.csv"), sim.rarityCsv());
        AtomicFiles.forceDirectory(out);
        System.out.print(sim.summary());
        System.out.println(
                "wrote "
                        + out.resolve("simulation.json")
                        + ", "
                        + out.resolve("simulation.html")
                        + ", "
                        + out.resolve("rarity.csv"));
        return ExitCodes.OK;
    }
}
