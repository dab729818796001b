package io.serigraph.inference.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class NearDuplicateIndexTest {

    @Test
    void nearestIsExactCosineTopK() {
        NearDuplicateIndex index = new NearDuplicateIndex(3);
        index.add("x", new float[] {1, 0, 0});
        index.add("y", new float[] {0, 2, 0});
        index.add("xy", new float[] {1, 1, 0});
        index.add("minus-x", new float[] {-5, 0, 0});
        List<NearDuplicateIndex.Match> m = index.nearest(new float[] {3, 0.1f, 0}, 3);
        assertThat(m).extracting(NearDuplicateIndex.Match::id).containsExactly("x", "xy", "y");
        assertThat(m.get(1).cosine())
                .isCloseTo((3 + 0.1) / Math.sqrt(9.01) / Math.sqrt(2), offset(1e-6));
        assertThat(index.nearest(new float[] {1, 0, 0}, 10)).hasSize(4);
    }

    @Test
    void pairsAtLeastAThresholdMatchBruteForce() {
        Random r = new Random(5);
        NearDuplicateIndex index = new NearDuplicateIndex(8);
        float[][] v = new float[40][8];
        for (int i = 0; i < v.length; i++) {
            for (int d = 0; d < 8; d++) {
                v[i][d] = (float) r.nextGaussian();
            }
            if (i % 10 == 9) {
                v[i] = v[i - 1].clone();
                v[i][0] += 0.01f; // a near duplicate of the previous one
            }
            index.add("t" + i, v[i]);
        }
        List<NearDuplicateIndex.Pair> pairs = index.pairsAtLeast(0.99);
        assertThat(pairs)
                .extracting(NearDuplicateIndex.Pair::second)
                .containsExactlyInAnyOrder("t9", "t19", "t29", "t39");
        assertThat(pairs).allSatisfy(p -> assertThat(p.cosine()).isGreaterThanOrEqualTo(0.99));
        int expected = 0;
        for (int i = 0; i < v.length; i++) {
            for (int j = i + 1; j < v.length; j++) {
                double dot = 0, a = 0, b = 0;
                for (int d = 0; d < 8; d++) {
                    dot += v[i][d] * v[j][d];
                    a += v[i][d] * v[i][d];
                    b += v[j][d] * v[j][d];
                }
                if (dot / Math.sqrt(a * b) >= 0.5) {
                    expected++;
                }
            }
        }
        assertThat(index.pairsAtLeast(0.5)).hasSize(expected);
    }

    @Test
    void rejectsDuplicatesAndWrongLengths() {
        NearDuplicateIndex index = new NearDuplicateIndex(2);
        index.add("a", new float[] {1, 0});
        assertThatThrownBy(() -> index.add("a", new float[] {0, 1}))
                .hasMessageContaining("already");
        assertThatThrownBy(() -> index.add("b", new float[] {0, 1, 2}))
                .hasMessageContaining("3 values");
    }
}
