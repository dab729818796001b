package io.serigraph.chain.mint;

import static io.serigraph.chain.mint.MintTestSupport.RECIPIENT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * The numbers of {@code benchmarks/README.md}'s minting section, on real anvil nodes: gas per token
 * by batch size, and the in-flight window's effect on wall time on a chain that makes a block every
 * second. Runs only with {@code -Dserigraph.mintBench=true} (a few minutes); it prints and checks
 * correctness, never timings.
 *
 * <pre>
 * mvn -B -q -pl chain-bridge -am verify -Dtest=MintBenchmarkHarness \
 *     -Dsurefire.failIfNoSpecifiedTests=false -Dserigraph.mintBench=true
 * </pre>
 */
class MintBenchmarkHarness {
    @Test
    void gasPerTokenByBatchSizeAndWallTimeByWindow() throws Exception {
        assumeTrue(
                Boolean.getBoolean("serigraph.mintBench"),
                "the minting benchmark runs with -Dserigraph.mintBench=true");
        int tokens = 400;
        for (int batch : new int[] {1, 10, 50, 100, 200}) {
            try (Anvil anvil = Anvil.start()) {
                BatchMinter m =
                        MintTestSupport.minter(anvil, Anvil.KEY0, new MemoryMintJournal())
                                .optMaxBatch(batch)
                                .optWindow(8)
                                .build();
                String address = m.deploy(MintTestSupport.drop(tokens));
                MintReport r = m.mint(address, RECIPIENT, 1, tokens);
                assertThat(r.tokens()).isEqualTo(tokens);
                System.out.printf(
                        Locale.ROOT,
                        "mint-bench gas: batch %d, %d tokens, %d transactions, %,d gas, %.1f"
                                + " gas/token%n",
                        batch,
                        tokens,
                        r.batches().size(),
                        r.gasUsed(),
                        r.gasPerToken());
            }
        }
        int drop = 1000;
        for (String[] chain : new String[][] {{}, {"--block-time", "1"}}) {
            for (int window : new int[] {1, 2, 4, 8}) {
                try (Anvil anvil = Anvil.start(chain)) {
                    BatchMinter m =
                            MintTestSupport.minter(anvil, Anvil.KEY0, new MemoryMintJournal())
                                    .optMaxBatch(50)
                                    .optWindow(window)
                                    .optPollInterval(Duration.ofMillis(100))
                                    .optReceiptTimeout(Duration.ofMinutes(2))
                                    .build();
                    String address = m.deploy(MintTestSupport.drop(drop));
                    long t0 = System.nanoTime();
                    MintReport r = m.mint(address, RECIPIENT, 1, drop);
                    double s = (System.nanoTime() - t0) / 1e9;
                    assertThat(r.tokens()).isEqualTo(drop);
                    System.out.printf(
                            Locale.ROOT,
                            "mint-bench window: %s, window %d, %d tokens in %d batches of 50,"
                                    + " %.2f s%n",
                            chain.length == 0 ? "automine" : "block time 1 s",
                            window,
                            drop,
                            r.batches().size(),
                            s);
                }
            }
        }
    }
}
