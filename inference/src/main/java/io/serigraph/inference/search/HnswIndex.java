package io.serigraph.inference.search;

import io.serigraph.inference.search.NearDuplicateIndex.Match;
import io.serigraph.inference.search.NearDuplicateIndex.Pair;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.lucene912.Lucene912Codec;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.SerialMergeScheduler;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.ByteBuffersDirectory;

/**
 * Approximate cosine search over Lucene's HNSW graph (an in-memory Lucene index, one segment), for
 * collections too large for {@link NearDuplicateIndex}'s all-pairs comparison. Embeddings are
 * normalized on entry and also kept in one contiguous array, so every similarity returned is the
 * exact cosine of the two embeddings; only which neighbours are found is approximate.
 *
 * <ul>
 *   <li>{@link #nearest}: the graph is searched with a beam of {@code max(k, searchWidth)}
 *       candidates, the best {@code k} returned.
 *   <li>{@link #pairsAtLeast}: each embedding's {@code pairNeighbours} nearest neighbours are
 *       searched and the pairs at least as similar as the threshold kept, so a member of more than
 *       {@code pairNeighbours} mutual near duplicates may miss some of its pairs.
 * </ul>
 *
 * The graph is built as embeddings are added and merged into one segment on the first query after
 * an add. Lucene 9 limits the dimension to 1024.
 */
public final class HnswIndex implements VectorIndex {
    private static final String VECTOR = "v";
    private static final String ORD = "ord";

    private final int searchWidth;
    private final int pairNeighbours;
    private final StoredVectors vectors;
    private final ByteBuffersDirectory directory = new ByteBuffersDirectory();
    private final IndexWriter writer;
    private DirectoryReader reader;
    private IndexSearcher searcher;
    private int[] docToOrd = new int[0];
    private boolean dirty;

    /** Settings of the graph and its searches. */
    public static final class Builder {
        private final int dimension;
        private int maxConnections = 16;
        private int beamWidth = 100;
        private int searchWidth = 100;
        private int pairNeighbours = 16;

        private Builder(int dimension) {
            this.dimension = dimension;
        }

        /** Neighbours per graph node (HNSW's M, default 16). */
        public Builder optMaxConnections(int m) {
            this.maxConnections = m;
            return this;
        }

        /** Candidates considered while inserting (efConstruction, default 100). */
        public Builder optBeamWidth(int width) {
            this.beamWidth = width;
            return this;
        }

        /** Smallest beam a query searches with (efSearch, default 100). */
        public Builder optSearchWidth(int width) {
            this.searchWidth = width;
            return this;
        }

        /** Neighbours looked at per embedding by {@link #pairsAtLeast} (default 16). */
        public Builder optPairNeighbours(int k) {
            this.pairNeighbours = k;
            return this;
        }

        public HnswIndex build() {
            return new HnswIndex(this);
        }
    }

    public static Builder builder(int dimension) {
        return new Builder(dimension);
    }

    private HnswIndex(Builder b) {
        if (b.dimension < 1 || b.dimension > KnnVectorsFormat.DEFAULT_MAX_DIMENSIONS) {
            throw new IllegalArgumentException(
                    "dimension must be 1.."
                            + KnnVectorsFormat.DEFAULT_MAX_DIMENSIONS
                            + " for Lucene's HNSW index, was "
                            + b.dimension);
        }
        if (b.maxConnections < 2 || b.beamWidth < 1 || b.searchWidth < 1 || b.pairNeighbours < 1) {
            throw new IllegalArgumentException(
                    "HNSW settings must be positive (max connections at least 2)");
        }
        this.vectors = new StoredVectors(b.dimension);
        this.searchWidth = b.searchWidth;
        this.pairNeighbours = b.pairNeighbours;
        KnnVectorsFormat format = new Lucene99HnswVectorsFormat(b.maxConnections, b.beamWidth);
        IndexWriterConfig config =
                new IndexWriterConfig()
                        .setOpenMode(IndexWriterConfig.OpenMode.CREATE)
                        .setMergeScheduler(new SerialMergeScheduler())
                        .setRAMBufferSizeMB(256)
                        .setCodec(
                                new Lucene912Codec() {
                                    @Override
                                    public KnnVectorsFormat getKnnVectorsFormatForField(
                                            String field) {
                                        return format;
                                    }
                                });
        try {
            this.writer = new IndexWriter(directory, config);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the in-memory HNSW index", e);
        }
    }

    @Override
    public int dimension() {
        return vectors.dimension();
    }

    @Override
    public int size() {
        return vectors.size();
    }

    @Override
    public void add(String id, float[] embedding) {
        int n = vectors.size();
        float[] v = vectors.add(id, embedding);
        Document doc = new Document();
        doc.add(new KnnFloatVectorField(VECTOR, v, VectorSimilarityFunction.DOT_PRODUCT));
        doc.add(new StoredField(ORD, n));
        try {
            writer.addDocument(doc);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot add " + id + " to the HNSW index", e);
        }
        dirty = true;
    }

    @Override
    public float[] embedding(String id) {
        return vectors.embedding(vectors.ordinal(id));
    }

    @Override
    public List<Match> nearest(float[] query, int k) {
        float[] q = vectors.query(query);
        if (k < 1 || vectors.size() == 0) {
            return List.of();
        }
        List<Match> out = new ArrayList<>();
        for (int ord : search(q, Math.max(k, searchWidth))) {
            out.add(new Match(vectors.id(ord), vectors.dot(ord, q)));
        }
        out.sort(
                Comparator.comparingDouble(Match::cosine)
                        .reversed()
                        .thenComparingInt(m -> vectors.ordinal(m.id())));
        return out.size() > k ? List.copyOf(out.subList(0, k)) : out;
    }

    @Override
    public List<Pair> pairsAtLeast(double minCosine) {
        Set<Long> seen = new HashSet<>();
        List<Pair> out = new ArrayList<>();
        int width = Math.max(pairNeighbours + 1, Math.min(searchWidth, vectors.size()));
        for (int i = 0; i < vectors.size(); i++) {
            int[] found = search(vectors.embedding(i), width);
            double[] cos = new double[found.length];
            for (int f = 0; f < found.length; f++) {
                cos[f] = vectors.dot(i, found[f]);
            }
            Integer[] order = new Integer[found.length];
            for (int f = 0; f < order.length; f++) {
                order[f] = f;
            }
            Arrays.sort(order, (a, b) -> Double.compare(cos[b], cos[a]));
            int taken = 0;
            for (int f : order) {
                int j = found[f];
                if (j == i) {
                    continue;
                }
                if (taken++ == pairNeighbours || cos[f] < minCosine) {
                    break;
                }
                int a = Math.min(i, j);
                int b = Math.max(i, j);
                if (seen.add(((long) a << 32) | b)) {
                    out.add(new Pair(vectors.id(a), vectors.id(b), cos[f]));
                }
            }
        }
        out.sort(
                Comparator.comparingDouble(Pair::cosine)
                        .reversed()
                        .thenComparingInt(p -> vectors.ordinal(p.first()))
                        .thenComparingInt(p -> vectors.ordinal(p.second())));
        return out;
    }

    /** The ordinals of the graph search's hits for a normalized query. */
    private int[] search(float[] q, int width) {
        refresh();
        try {
            TopDocs top = searcher.search(new KnnFloatVectorQuery(VECTOR, q, width), width);
            int[] ords = new int[top.scoreDocs.length];
            int n = 0;
            for (ScoreDoc d : top.scoreDocs) {
                ords[n++] = docToOrd[d.doc];
            }
            return ords;
        } catch (IOException e) {
            throw new UncheckedIOException("HNSW search failed", e);
        }
    }

    /** Merges what was added into one graph and reopens the searcher. */
    private void refresh() {
        if (!dirty && searcher != null) {
            return;
        }
        try {
            writer.forceMerge(1);
            DirectoryReader fresh = DirectoryReader.open(writer);
            if (reader != null) {
                reader.close();
            }
            reader = fresh;
            searcher = new IndexSearcher(reader);
            docToOrd = new int[reader.maxDoc()];
            for (LeafReaderContext leaf : reader.leaves()) {
                StoredFields fields = leaf.reader().storedFields();
                for (int d = 0; d < leaf.reader().maxDoc(); d++) {
                    docToOrd[leaf.docBase + d] =
                            fields.document(d).getField(ORD).numericValue().intValue();
                }
            }
            dirty = false;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the HNSW index for search", e);
        }
    }

    @Override
    public void close() {
        try {
            if (reader != null) {
                reader.close();
            }
            writer.close();
            directory.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close the HNSW index", e);
        }
    }
}
