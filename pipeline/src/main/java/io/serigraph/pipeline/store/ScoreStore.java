package io.serigraph.pipeline.store;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The drop's model scores: a sidecar SQLite file beside the state store ({@code out/scores.db}, WAL
 * mode), one row per token and scoring model with the image's CLIP embedding (float32,
 * little-endian), its aesthetic score and the hashes of the image and the model it was computed
 * from. Kept apart from {@code drop.db} because embeddings are bulky and derived: deleting the file
 * only costs a rescore. Thread-safe: every method is serialized on one connection.
 */
public final class ScoreStore implements AutoCloseable {
    /** The file name beside {@code drop.db}. */
    public static final String FILE_NAME = "scores.db";

    private static final String SCHEMA =
            "CREATE TABLE IF NOT EXISTS scores("
                    + "token_id INTEGER NOT NULL, model TEXT NOT NULL, model_sha256 TEXT NOT NULL,"
                    + " image_sha256 TEXT NOT NULL, aesthetic REAL, embedding BLOB NOT NULL,"
                    + " recorded_at TEXT NOT NULL, PRIMARY KEY(token_id, model))";

    /**
     * One token's scores by one model.
     *
     * @param model the scoring model's name ({@code FAMILY/VERSION})
     * @param aesthetic {@code NaN} when the model has no aesthetic head
     * @param embedding L2-normalised
     */
    public record Row(
            long tokenId,
            String model,
            String modelSha256,
            String imageSha256,
            double aesthetic,
            float[] embedding) {}

    private final Path file;
    private final Connection conn;

    private ScoreStore(Path file, Connection conn) {
        this.file = file;
        this.conn = conn;
    }

    /** Opens (creating if needed) the score store at {@code file}. */
    public static ScoreStore open(Path file) {
        Connection conn = null;
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            conn = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
            try (Statement st = conn.createStatement()) {
                st.execute("PRAGMA journal_mode=WAL");
                st.execute("PRAGMA synchronous=NORMAL");
                st.execute("PRAGMA busy_timeout=10000");
                st.execute(SCHEMA);
            }
            return new ScoreStore(file, conn);
        } catch (SQLException | java.io.IOException e) {
            if (conn != null) {
                try {
                    conn.close();
                } catch (SQLException ignored) {
                    // Already failing.
                }
            }
            throw new StoreException("cannot open the score store " + file + ": " + e, e);
        }
    }

    public Path file() {
        return file;
    }

    /** Every token's row for {@code model}, by token id. */
    public synchronized Map<Long, Row> rows(String model) {
        Map<Long, Row> out = new TreeMap<>();
        try (PreparedStatement ps =
                conn.prepareStatement(
                        "SELECT token_id, model_sha256, image_sha256, aesthetic, embedding"
                                + " FROM scores WHERE model=? ORDER BY token_id")) {
            ps.setString(1, model);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    double aesthetic = rs.getDouble(4);
                    if (rs.wasNull()) {
                        aesthetic = Double.NaN;
                    }
                    out.put(
                            rs.getLong(1),
                            new Row(
                                    rs.getLong(1),
                                    model,
                                    rs.getString(2),
                                    rs.getString(3),
                                    aesthetic,
                                    floats(rs.getBytes(5))));
                }
            }
        } catch (SQLException e) {
            throw failure("read the scores of " + model, e);
        }
        return out;
    }

    /** The models with stored rows and how many tokens each scored, by name. */
    public synchronized Map<String, Integer> models() {
        Map<String, Integer> out = new LinkedHashMap<>();
        try (Statement st = conn.createStatement();
                ResultSet rs =
                        st.executeQuery(
                                "SELECT model, COUNT(*) FROM scores GROUP BY model ORDER BY model")) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getInt(2));
            }
        } catch (SQLException e) {
            throw failure("list the scoring models", e);
        }
        return out;
    }

    /**
     * Writes {@code rows} in one transaction, replacing a token's earlier row of the same model.
     */
    public synchronized void put(List<Row> rows) {
        if (rows.isEmpty()) {
            return;
        }
        String now = Instant.now().truncatedTo(ChronoUnit.MILLIS).toString();
        try {
            conn.setAutoCommit(false);
            try (PreparedStatement ps =
                    conn.prepareStatement(
                            "INSERT OR REPLACE INTO scores(token_id, model, model_sha256,"
                                    + " image_sha256, aesthetic, embedding, recorded_at)"
                                    + " VALUES(?,?,?,?,?,?,?)")) {
                for (Row r : rows) {
                    ps.setLong(1, r.tokenId());
                    ps.setString(2, r.model());
                    ps.setString(3, r.modelSha256());
                    ps.setString(4, r.imageSha256());
                    if (Double.isNaN(r.aesthetic())) {
                        ps.setNull(5, java.sql.Types.REAL);
                    } else {
                        ps.setDouble(5, r.aesthetic());
                    }
                    ps.setBytes(6, bytes(r.embedding()));
                    ps.setString(7, now);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            conn.commit();
        } catch (SQLException e) {
            try {
                conn.rollback();
            } catch (SQLException ignored) {
                // The failure below says what went wrong.
            }
            throw failure("write " + rows.size() + " scores", e);
        } finally {
            try {
                conn.setAutoCommit(true);
            } catch (SQLException ignored) {
                // The connection is broken; the next call reports it.
            }
        }
    }

    static byte[] bytes(float[] v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(v);
        return b.array();
    }

    static float[] floats(byte[] bytes) {
        float[] v = new float[bytes.length / 4];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
        return v;
    }

    private StoreException failure(String what, SQLException e) {
        return new StoreException("cannot " + what + " in " + file + ": " + e.getMessage(), e);
    }

    @Override
    public synchronized void close() {
        try {
            conn.close();
        } catch (SQLException e) {
            throw failure("close", e);
        }
    }
}
