package io.serigraph.benchmarks;

import io.serigraph.inference.search.HnswIndex;
import io.serigraph.inference.search.NearDuplicateIndex;
import io.serigraph.inference.search.VectorIndex;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Top-10 queries per second of the exact index against Lucene's HNSW index, for {@code size}
 * clustered 512-d embeddings (ViT-B/32's width): where {@link VectorIndex#EXACT_LIMIT} should sit.
 * The HNSW graph is built once per trial (not measured).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = "-Xmx4g")
public class VectorSearchBenchmark {
    private static final int DIM = 512;

    @Param({"10000", "50000"})
    public int size;

    @Param({"exact", "hnsw"})
    public String index;

    private VectorIndex vectors;
    private float[][] queries;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        Random r = new Random(7);
        float[][] centres = new float[200][DIM];
        for (float[] c : centres) {
            for (int d = 0; d < DIM; d++) {
                c[d] = (float) r.nextGaussian();
            }
        }
        vectors =
                index.equals("exact")
                        ? new NearDuplicateIndex(DIM)
                        : HnswIndex.builder(DIM).build();
        float[] v = new float[DIM];
        for (int i = 0; i < size; i++) {
            float[] c = centres[r.nextInt(centres.length)];
            for (int d = 0; d < DIM; d++) {
                v[d] = c[d] + 0.7f * (float) r.nextGaussian();
            }
            vectors.add(Integer.toString(i), v);
        }
        queries = new float[64][DIM];
        for (float[] q : queries) {
            float[] c = centres[r.nextInt(centres.length)];
            for (int d = 0; d < DIM; d++) {
                q[d] = c[d] + 0.7f * (float) r.nextGaussian();
            }
        }
        vectors.nearest(queries[0], 10); // builds the graph's searcher before measuring
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        vectors.close();
    }

    @Benchmark
    public List<NearDuplicateIndex.Match> top10() {
        return vectors.nearest(queries[next++ & 63], 10);
    }
}
