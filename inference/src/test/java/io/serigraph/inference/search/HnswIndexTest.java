package io.serigraph.inference.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Lucene's HNSW index against the exact index on one generated set. */
class HnswIndexTest {
    private static final int N = 3000;
    private static final int DIM = 48;
    private static final float[][] VECTORS = new float[N][DIM];
    private static final float[][] QUERIES = new float[100][DIM];

    /** Clustered Gaussian vectors (like a collection's shared traits), every 50th a near copy. */
    @BeforeAll
    static void generate() {
        Random r = new Random(42);
        float[][] centres = new float[30][DIM];
        for (float[] c : centres) {
            for (int d = 0; d < DIM; d++) {
                c[d] = (float) r.nextGaussian();
            }
        }
        for (int i = 0; i < N; i++) {
            float[] c = centres[r.nextInt(centres.length)];
            for (int d = 0; d < DIM; d++) {
                VECTORS[i][d] = c[d] + 0.6f * (float) r.nextGaussian();
            }
            if (i % 50 == 49) {
                for (int d = 0; d < DIM; d++) {
                    VECTORS[i][d] = VECTORS[i - 1][d] + 0.01f * (float) r.nextGaussian();
                }
            }
        }
        for (float[] q : QUERIES) {
            float[] c = centres[r.nextInt(centres.length)];
            for (int d = 0; d < DIM; d++) {
                q[d] = c[d] + 0.6f * (float) r.nextGaussian();
            }
        }
    }

    private static VectorIndex fill(VectorIndex index) {
        for (int i = 0; i < N; i++) {
            index.add("t" + i, VECTORS[i]);
        }
        return index;
    }

    @Test
    void topTenRecallAgainstExactSearchIsHigh() {
        try (VectorIndex exact = fill(new NearDuplicateIndex(DIM));
                VectorIndex hnsw = fill(HnswIndex.builder(DIM).build())) {
            int hits = 0;
            for (float[] q : QUERIES) {
                List<NearDuplicateIndex.Match> want = exact.nearest(q, 10);
                List<NearDuplicateIndex.Match> got = hnsw.nearest(q, 10);
                assertThat(got).hasSize(10);
                Set<String> wanted = new HashSet<>();
                want.forEach(m -> wanted.add(m.id()));
                for (NearDuplicateIndex.Match m : got) {
                    hits += wanted.contains(m.id()) ? 1 : 0;
                    // Every similarity reported is the exact cosine.
                    assertThat(m.cosine())
                            .isCloseTo(
                                    cosine(q, VECTORS[Integer.parseInt(m.id().substring(1))]),
                                    offset(1e-5));
                }
                for (int i = 1; i < got.size(); i++) {
                    assertThat(got.get(i).cosine()).isLessThanOrEqualTo(got.get(i - 1).cosine());
                }
            }
            double recall = hits / (10.0 * QUERIES.length);
            assertThat(recall).as("recall@10").isGreaterThanOrEqualTo(0.95);
        }
    }

    @Test
    void pairsAboveAThresholdAgreeWithExactSearch() {
        try (VectorIndex exact = fill(new NearDuplicateIndex(DIM));
                VectorIndex hnsw = fill(HnswIndex.builder(DIM).build())) {
            List<NearDuplicateIndex.Pair> want = exact.pairsAtLeast(0.99);
            List<NearDuplicateIndex.Pair> got = hnsw.pairsAtLeast(0.99);
            assertThat(want).hasSizeGreaterThanOrEqualTo(N / 50);
            Set<String> wanted = new HashSet<>();
            want.forEach(p -> wanted.add(p.first() + "~" + p.second()));
            long found =
                    got.stream().filter(p -> wanted.contains(p.first() + "~" + p.second())).count();
            // Never a pair below the threshold, and (almost) every exact pair.
            assertThat(got).allSatisfy(p -> assertThat(p.cosine()).isGreaterThanOrEqualTo(0.99));
            assertThat(found).isEqualTo(got.size());
            assertThat((double) found / want.size()).isGreaterThanOrEqualTo(0.95);
        }
    }

    @Test
    void forSizePicksExactForSmallSetsAndHnswForLargeOnes() {
        try (VectorIndex small = VectorIndex.forSize(8, 100);
                VectorIndex large = VectorIndex.forSize(8, VectorIndex.EXACT_LIMIT + 1)) {
            assertThat(small).isInstanceOf(NearDuplicateIndex.class);
            assertThat(large).isInstanceOf(HnswIndex.class);
        }
    }

    @Test
    void addsAfterASearchAreFoundAndEmbeddingsComeBackNormalized() {
        try (HnswIndex index = HnswIndex.builder(3).build()) {
            assertThat(index.nearest(new float[] {1, 0, 0}, 3)).isEmpty();
            index.add("x", new float[] {2, 0, 0});
            assertThat(index.nearest(new float[] {1, 0, 0}, 3))
                    .extracting(NearDuplicateIndex.Match::id)
                    .containsExactly("x");
            index.add("y", new float[] {0, 3, 0});
            index.add("xy", new float[] {1, 1, 0});
            assertThat(index.nearest(new float[] {1, 0.1f, 0}, 2))
                    .extracting(NearDuplicateIndex.Match::id)
                    .containsExactly("x", "xy");
            assertThat(index.embedding("y")).containsExactly(0, 1, 0);
            assertThat(index.size()).isEqualTo(3);
        }
    }

    @Test
    void badInputIsRefusedWithTheReason() {
        try (HnswIndex index = HnswIndex.builder(3).build()) {
            index.add("a", new float[] {1, 0, 0});
            assertThatThrownBy(() -> index.add("a", new float[] {0, 1, 0}))
                    .hasMessageContaining("id a is already in the index");
            assertThatThrownBy(() -> index.add("b", new float[] {0, 1}))
                    .hasMessageContaining("b: embedding has 2 values, index takes 3");
            assertThatThrownBy(() -> index.nearest(new float[] {1}, 1))
                    .hasMessageContaining("query has 1 values");
            assertThatThrownBy(() -> index.embedding("zz")).hasMessageContaining("zz is not in");
        }
        assertThatThrownBy(() -> HnswIndex.builder(2000).build())
                .hasMessageContaining("dimension must be 1..1024");
        assertThatThrownBy(() -> HnswIndex.builder(4).optMaxConnections(1).build())
                .hasMessageContaining("max connections");
    }

    private static double cosine(float[] a, float[] b) {
        return io.serigraph.inference.clip.Embeddings.cosine(a, b);
    }
}
