package io.serigraph.pipeline.store;

import io.serigraph.chain.mint.MintBatch;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The drop's state: one SQLite file ({@code out/drop.db}, WAL mode) holding the spec and plan
 * hashes, the planned tokens, each token's stage results and the hash-chained audit log. Media live
 * as files beside it; a stage records a result only after its file is durable, so the store never
 * points at a file that is not there. Thread-safe: every method is serialized on one connection.
 */
public final class DropStore implements AutoCloseable {
    /** Version of the schema below; stored in {@code meta.schema_version}. */
    public static final int SCHEMA_VERSION = 1;

    static final String GENESIS = "0".repeat(64);

    private static final String[] SCHEMA = {
        "CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        "CREATE TABLE IF NOT EXISTS tokens("
                + "id INTEGER PRIMARY KEY, dna TEXT NOT NULL UNIQUE, traits TEXT NOT NULL)",
        "CREATE TABLE IF NOT EXISTS stage_results("
                + "token_id INTEGER NOT NULL, stage TEXT NOT NULL, lineage_hash TEXT NOT NULL,"
                + " output_sha256 TEXT NOT NULL, output_bytes INTEGER NOT NULL,"
                + " recorded_at TEXT NOT NULL, PRIMARY KEY(token_id, stage))",
        // Added with QC; created on open for stores made before it, so the version stays 1.
        "CREATE TABLE IF NOT EXISTS verdicts("
                + "token_id INTEGER PRIMARY KEY, verdict TEXT NOT NULL,"
                + " lineage_hash TEXT NOT NULL, recorded_at TEXT NOT NULL)",
        "CREATE TABLE IF NOT EXISTS audit("
                + "seq INTEGER PRIMARY KEY, at TEXT NOT NULL, actor TEXT NOT NULL,"
                + " event TEXT NOT NULL, data TEXT NOT NULL, prev_hash TEXT NOT NULL,"
                + " hash TEXT NOT NULL)",
        // The audit log is append-only: the database itself refuses edits and deletions.
        "CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit"
                + " BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END",
        "CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit"
                + " BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END",
        // The mint journal (added within schema version 1: older files get the table on open).
        "CREATE TABLE IF NOT EXISTS mint_batches("
                + "seq INTEGER PRIMARY KEY, first_token_id INTEGER NOT NULL, quantity INTEGER NOT NULL,"
                + " nonce INTEGER NOT NULL, tx_hash TEXT NOT NULL UNIQUE, signed_tx TEXT NOT NULL,"
                + " status TEXT NOT NULL, gas_used INTEGER NOT NULL, cost_wei TEXT NOT NULL,"
                + " detail TEXT NOT NULL, updated_at TEXT NOT NULL)",
        // Re-rolled tokens (added within schema version 1: older files get the table on open).
        "CREATE TABLE IF NOT EXISTS rerolls("
                + "token_id INTEGER PRIMARY KEY, plan_hash TEXT NOT NULL, round INTEGER NOT NULL,"
                + " dna TEXT NOT NULL, decision_seq INTEGER NOT NULL, recorded_at TEXT NOT NULL)",
    };

    private final Path file;
    private final Connection conn;

    private DropStore(Path file, Connection conn) {
        this.file = file;
        this.conn = conn;
    }

    /** Opens (creating if needed) the store at {@code file}. */
    public static DropStore open(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
        } catch (java.io.IOException e) {
            throw new StoreException("cannot create the folder for " + file + ": " + e, e);
        }
        Connection conn = null;
        try {
            conn = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
            try (Statement st = conn.createStatement()) {
                st.execute("PRAGMA journal_mode=WAL");
                // WAL + NORMAL: a commit is atomic and the file never corrupts; after a power
                // loss the last commits may be lost, and the stages simply redo that work.
                st.execute("PRAGMA synchronous=NORMAL");
                st.execute("PRAGMA busy_timeout=10000");
                for (String ddl : SCHEMA) {
                    st.execute(ddl);
                }
            }
            DropStore store = new DropStore(file, conn);
            String version = store.meta("schema_version").orElse(null);
            if (version == null) {
                store.putMeta("schema_version", Integer.toString(SCHEMA_VERSION));
            } else if (!version.equals(Integer.toString(SCHEMA_VERSION))) {
                conn.close();
                throw new StoreException(
                        file
                                + " has schema version "
                                + version
                                + "; this Serigraph reads version "
                                + SCHEMA_VERSION);
            }
            return store;
        } catch (SQLException e) {
            closeQuietly(conn);
            throw new StoreException("cannot open the state store " + file + ": " + e, e);
        }
    }

    public Path file() {
        return file;
    }

    /** A value from the meta table. */
    public synchronized Optional<String> meta(String key) {
        try (PreparedStatement ps = conn.prepareStatement("SELECT value FROM meta WHERE key=?")) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw failure("read meta " + key, e);
        }
    }

    public synchronized void putMeta(String key, String value) {
        try (PreparedStatement ps =
                conn.prepareStatement(
                        "INSERT INTO meta(key, value) VALUES(?, ?)"
                                + " ON CONFLICT(key) DO UPDATE SET value=excluded.value")) {
            ps.setString(1, key);
            ps.setString(2, value);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw failure("write meta " + key, e);
        }
    }

    /**
     * Makes the stored plan the one with {@code planHash}: when the stored plan hash differs (or
     * none is stored) the token table is replaced by {@code tokens} in one transaction and {@code
     * true} is returned; otherwise nothing changes. Stage results are kept: they carry their own
     * lineage, so results that still match are reused and stale ones are redone.
     */
    public synchronized boolean syncPlan(String planHash, Iterable<TokenRow> tokens) {
        if (meta("plan_hash").filter(planHash::equals).isPresent()) {
            return false;
        }
        inTransaction(
                "store the plan",
                () -> {
                    try (Statement st = conn.createStatement();
                            PreparedStatement ins =
                                    conn.prepareStatement(
                                            "INSERT INTO tokens(id, dna, traits) VALUES(?, ?, ?)")) {
                        st.execute("DELETE FROM tokens");
                        int pending = 0;
                        for (TokenRow t : tokens) {
                            ins.setLong(1, t.id());
                            ins.setString(2, t.dna());
                            ins.setString(3, t.traitsJson());
                            ins.addBatch();
                            if (++pending == 10_000) {
                                ins.executeBatch();
                                pending = 0;
                            }
                        }
                        ins.executeBatch();
                        try (PreparedStatement ps =
                                conn.prepareStatement(
                                        "INSERT INTO meta(key, value) VALUES('plan_hash', ?)"
                                                + " ON CONFLICT(key) DO UPDATE SET value=excluded.value")) {
                            ps.setString(1, planHash);
                            ps.executeUpdate();
                        }
                    }
                });
        return true;
    }

    /** The stored tokens, in id order. */
    public synchronized List<TokenRow> tokens() {
        List<TokenRow> rows = new ArrayList<>();
        try (Statement st = conn.createStatement();
                ResultSet rs = st.executeQuery("SELECT id, dna, traits FROM tokens ORDER BY id")) {
            while (rs.next()) {
                rows.add(new TokenRow(rs.getLong(1), rs.getString(2), rs.getString(3)));
            }
        } catch (SQLException e) {
            throw failure("read the tokens", e);
        }
        return rows;
    }

    /** Every recorded result of {@code stage}, by token id. */
    public synchronized Map<Long, StageRecord> stageRecords(String stage) {
        return stageRecords(stage, Long.MIN_VALUE, Long.MAX_VALUE);
    }

    /**
     * The recorded results of {@code stage} for token ids {@code fromId <= id < toId}, by token id:
     * lets a stage walk a large collection a window at a time instead of holding every record.
     */
    public synchronized Map<Long, StageRecord> stageRecords(String stage, long fromId, long toId) {
        Map<Long, StageRecord> out = new HashMap<>();
        try (PreparedStatement ps =
                conn.prepareStatement(
                        "SELECT token_id, lineage_hash, output_sha256, output_bytes"
                                + " FROM stage_results WHERE stage=? AND token_id>=? AND"
                                + " token_id<?")) {
            ps.setString(1, stage);
            ps.setLong(2, fromId);
            ps.setLong(3, toId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long id = rs.getLong(1);
                    out.put(
                            id,
                            new StageRecord(
                                    id, stage, rs.getString(2), rs.getString(3), rs.getLong(4)));
                }
            }
        } catch (SQLException e) {
            throw failure("read " + stage + " results", e);
        }
        return out;
    }

    /** One token's result of {@code stage}. */
    public synchronized Optional<StageRecord> stageRecord(long tokenId, String stage) {
        try (PreparedStatement ps =
                conn.prepareStatement(
                        "SELECT lineage_hash, output_sha256, output_bytes FROM stage_results"
                                + " WHERE token_id=? AND stage=?")) {
            ps.setLong(1, tokenId);
            ps.setString(2, stage);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next()
                        ? Optional.of(
                                new StageRecord(
                                        tokenId,
                                        stage,
                                        rs.getString(1),
                                        rs.getString(2),
                                        rs.getLong(3)))
                        : Optional.empty();
            }
        } catch (SQLException e) {
            throw failure("read the " + stage + " result of token " + tokenId, e);
        }
    }

    /**
     * Records (or replaces) a token's QC verdict ({@code PASS}, {@code REVIEW} or {@code FAIL}) and
     * the lineage of the QC result it came from.
     */
    public synchronized void recordVerdict(long tokenId, String verdict, String lineageHash) {
        try (PreparedStatement ps =
                conn.prepareStatement(
                        "INSERT INTO verdicts(token_id, verdict, lineage_hash, recorded_at)"
                                + " VALUES(?, ?, ?, ?) ON CONFLICT(token_id) DO UPDATE SET"
                                + " verdict=excluded.verdict,"
                                + " lineage_hash=excluded.lineage_hash,"
                                + " recorded_at=excluded.recorded_at")) {
            ps.setLong(1, tokenId);
            ps.setString(2, verdict);
            ps.setString(3, lineageHash);
            ps.setString(4, now());
            ps.executeUpdate();
        } catch (SQLException e) {
            throw failure("record the verdict of token " + tokenId, e);
        }
    }

    /** Every recorded QC verdict, by token id. */
    public synchronized Map<Long, String> verdicts() {
        Map<Long, String> out = new HashMap<>();
        try (PreparedStatement ps =
                        conn.prepareStatement("SELECT token_id, verdict FROM verdicts");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.put(rs.getLong(1), rs.getString(2));
            }
        } catch (SQLException e) {
            throw failure("read the verdicts", e);
        }
        return out;
    }

    /** Records (or replaces) a token's stage result. Call only once the output is durable. */
    public synchronized void recordStage(StageRecord r) {
        try (PreparedStatement ps = conn.prepareStatement(UPSERT_STAGE)) {
            bindStage(ps, r, now());
            ps.executeUpdate();
        } catch (SQLException e) {
            throw failure("record the " + r.stage() + " result of token " + r.tokenId(), e);
        }
    }

    /**
     * Records (or replaces) several stage results in one transaction: all of them or, on failure,
     * none. Call only once every output is durable.
     */
    public synchronized void recordStages(List<StageRecord> records) {
        if (records.isEmpty()) {
            return;
        }
        StageRecord first = records.get(0);
        String what =
                "record the "
                        + first.stage()
                        + " results of tokens "
                        + first.tokenId()
                        + ".."
                        + records.get(records.size() - 1).tokenId();
        inTransaction(
                what,
                () -> {
                    try (PreparedStatement ps = conn.prepareStatement(UPSERT_STAGE)) {
                        String at = now();
                        for (StageRecord r : records) {
                            bindStage(ps, r, at);
                            ps.addBatch();
                        }
                        ps.executeBatch();
                    }
                });
    }

    private static final String UPSERT_STAGE =
            "INSERT INTO stage_results(token_id, stage, lineage_hash, output_sha256,"
                    + " output_bytes, recorded_at) VALUES(?, ?, ?, ?, ?, ?)"
                    + " ON CONFLICT(token_id, stage) DO UPDATE SET"
                    + " lineage_hash=excluded.lineage_hash,"
                    + " output_sha256=excluded.output_sha256,"
                    + " output_bytes=excluded.output_bytes,"
                    + " recorded_at=excluded.recorded_at";

    private static void bindStage(PreparedStatement ps, StageRecord r, String at)
            throws SQLException {
        ps.setLong(1, r.tokenId());
        ps.setString(2, r.stage());
        ps.setString(3, r.lineageHash());
        ps.setString(4, r.outputSha256());
        ps.setLong(5, r.outputBytes());
        ps.setString(6, at);
    }

    /**
     * Records a re-roll applied to a token, in one transaction with its new row in {@code tokens}
     * (which keeps DNA unique), the removal of every stage result and the verdict of the token
     * (render, QC and publish must redo it) and the {@code reroll.applied} audit event: either all
     * of it is durable or none.
     *
     * @param traitsJson the token's new attributes, as {@link #syncPlan} stores them
     * @throws StoreException when the new DNA is another token's, or the store fails
     */
    public synchronized void recordReroll(
            RerollRecord r, String traitsJson, String actor, String auditData) {
        inTransaction(
                "record the re-roll of token " + r.tokenId(),
                () -> {
                    try (PreparedStatement up =
                                    conn.prepareStatement(
                                            "INSERT INTO rerolls(token_id, plan_hash, round, dna,"
                                                    + " decision_seq, recorded_at) VALUES(?, ?, ?, ?, ?, ?)"
                                                    + " ON CONFLICT(token_id) DO UPDATE SET"
                                                    + " plan_hash=excluded.plan_hash, round=excluded.round,"
                                                    + " dna=excluded.dna,"
                                                    + " decision_seq=excluded.decision_seq,"
                                                    + " recorded_at=excluded.recorded_at");
                            PreparedStatement tok =
                                    conn.prepareStatement(
                                            "UPDATE tokens SET dna = ?, traits = ? WHERE id = ?");
                            PreparedStatement stages =
                                    conn.prepareStatement(
                                            "DELETE FROM stage_results WHERE token_id = ?");
                            PreparedStatement verdict =
                                    conn.prepareStatement(
                                            "DELETE FROM verdicts WHERE token_id = ?")) {
                        up.setLong(1, r.tokenId());
                        up.setString(2, r.planHash());
                        up.setInt(3, r.round());
                        up.setString(4, r.dna());
                        up.setLong(5, r.decisionSeq());
                        up.setString(6, now());
                        up.executeUpdate();
                        tok.setString(1, r.dna());
                        tok.setString(2, traitsJson);
                        tok.setLong(3, r.tokenId());
                        tok.executeUpdate();
                        stages.setLong(1, r.tokenId());
                        stages.executeUpdate();
                        verdict.setLong(1, r.tokenId());
                        verdict.executeUpdate();
                        appendAudit(actor, "reroll.applied", auditData);
                    }
                });
    }

    /** Every applied re-roll (the latest per token), by token id. */
    public synchronized Map<Long, RerollRecord> rerolls() {
        Map<Long, RerollRecord> out = new TreeMap<>();
        try (PreparedStatement ps =
                        conn.prepareStatement(
                                "SELECT token_id, plan_hash, round, dna, decision_seq FROM rerolls");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.put(
                        rs.getLong(1),
                        new RerollRecord(
                                rs.getLong(1),
                                rs.getString(2),
                                rs.getInt(3),
                                rs.getString(4),
                                rs.getLong(5)));
            }
        } catch (SQLException e) {
            throw failure("read the re-rolls", e);
        }
        return out;
    }

    /** Work on the connection that {@link #inTransaction} commits or rolls back as one. */
    @FunctionalInterface
    private interface Work {
        void run() throws SQLException;
    }

    /**
     * Runs {@code work} in one transaction: all of it is durable, or on any failure none of it; a
     * failure of the store is a {@link StoreException} saying it could not {@code what}.
     */
    private void inTransaction(String what, Work work) {
        try {
            conn.setAutoCommit(false);
            try {
                work.run();
                conn.commit();
            } catch (SQLException | RuntimeException e) {
                conn.rollback();
                throw e;
            } finally {
                conn.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw failure(what, e);
        }
    }

    /** Appends an event to the audit log, chained to the previous one. */
    public synchronized AuditEvent appendAudit(String actor, String event, String dataJson) {
        try {
            String prev = GENESIS;
            long seq = 1;
            try (Statement st = conn.createStatement();
                    ResultSet rs =
                            st.executeQuery(
                                    "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1")) {
                if (rs.next()) {
                    seq = rs.getLong(1) + 1;
                    prev = rs.getString(2);
                }
            }
            String at = now();
            String hash = auditHash(seq, at, actor, event, dataJson, prev);
            try (PreparedStatement ps =
                    conn.prepareStatement(
                            "INSERT INTO audit(seq, at, actor, event, data, prev_hash, hash)"
                                    + " VALUES(?, ?, ?, ?, ?, ?, ?)")) {
                ps.setLong(1, seq);
                ps.setString(2, at);
                ps.setString(3, actor);
                ps.setString(4, event);
                ps.setString(5, dataJson);
                ps.setString(6, prev);
                ps.setString(7, hash);
                ps.executeUpdate();
            }
            return new AuditEvent(seq, at, actor, event, dataJson, prev, hash);
        } catch (SQLException e) {
            throw failure("append to the audit log", e);
        }
    }

    /** The audit log in order. */
    public synchronized List<AuditEvent> audit() {
        List<AuditEvent> out = new ArrayList<>();
        try (Statement st = conn.createStatement();
                ResultSet rs =
                        st.executeQuery(
                                "SELECT seq, at, actor, event, data, prev_hash, hash FROM audit"
                                        + " ORDER BY seq")) {
            while (rs.next()) {
                out.add(
                        new AuditEvent(
                                rs.getLong(1),
                                rs.getString(2),
                                rs.getString(3),
                                rs.getString(4),
                                rs.getString(5),
                                rs.getString(6),
                                rs.getString(7)));
            }
        } catch (SQLException e) {
            throw failure("read the audit log", e);
        }
        return out;
    }

    /** Re-computes the audit log's hash chain and reports the first row that does not hold. */
    public AuditCheck verifyAudit() {
        String prev = GENESIS;
        long expectedSeq = 1;
        long rows = 0;
        for (AuditEvent e : audit()) {
            rows++;
            if (e.seq() != expectedSeq) {
                return new AuditCheck(
                        rows, e.seq(), "expected row " + expectedSeq + " (a row was removed)");
            }
            if (!e.prevHash().equals(prev)) {
                return new AuditCheck(
                        rows, e.seq(), "its link to the previous row does not match that row");
            }
            String hash = auditHash(e.seq(), e.at(), e.actor(), e.event(), e.data(), e.prevHash());
            if (!hash.equals(e.hash())) {
                return new AuditCheck(rows, e.seq(), "its content does not match its hash");
            }
            prev = e.hash();
            expectedSeq++;
        }
        return new AuditCheck(rows, -1, null);
    }

    /**
     * SHA-256 over the row's fields, each as its UTF-8 byte length in decimal, a colon, the bytes
     * and a newline, in the order seq, at, actor, event, data, prev_hash. Lower-case hex.
     */
    public static String auditHash(
            long seq, String at, String actor, String event, String data, String prevHash) {
        MessageDigest md = Hashes.sha256();
        for (String field : new String[] {Long.toString(seq), at, actor, event, data, prevHash}) {
            byte[] b = field.getBytes(StandardCharsets.UTF_8);
            md.update((b.length + ":").getBytes(StandardCharsets.US_ASCII));
            md.update(b);
            md.update((byte) '\n');
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static String now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS).toString();
    }

    /** The mint journal's transactions, in the order they were recorded. */
    public synchronized List<MintBatch> mintBatches() {
        List<MintBatch> out = new ArrayList<>();
        try (PreparedStatement ps =
                        conn.prepareStatement(
                                "SELECT first_token_id, quantity, nonce, tx_hash, signed_tx, status,"
                                        + " gas_used, cost_wei, detail FROM mint_batches ORDER BY seq");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(
                        new MintBatch(
                                rs.getLong(1),
                                rs.getInt(2),
                                rs.getLong(3),
                                rs.getString(4),
                                rs.getString(5),
                                MintBatch.Status.valueOf(rs.getString(6)),
                                rs.getLong(7),
                                new BigInteger(rs.getString(8)),
                                rs.getString(9)));
            }
            return out;
        } catch (SQLException e) {
            throw failure("read the mint journal", e);
        }
    }

    /**
     * Records a signed mint transaction before it is sent. Written with {@code synchronous=FULL}:
     * the intent survives a power loss, not only a crash.
     */
    public synchronized void insertMintBatch(MintBatch b) {
        durably(
                "record mint transaction " + b.txHash(),
                "INSERT INTO mint_batches(first_token_id, quantity, nonce, tx_hash, signed_tx, status,"
                        + " gas_used, cost_wei, detail, updated_at) VALUES(?,?,?,?,?,?,?,?,?,?)",
                b.firstTokenId(),
                b.quantity(),
                b.nonce(),
                b.txHash(),
                b.signedTx(),
                b.status().name(),
                b.gasUsed(),
                b.costWei().toString(),
                b.detail(),
                now());
    }

    /** Sets the status of the mint transaction {@code txHash}. */
    public synchronized void updateMintBatch(
            String txHash,
            MintBatch.Status status,
            long gasUsed,
            BigInteger costWei,
            String detail) {
        int n =
                durably(
                        "update mint transaction " + txHash,
                        "UPDATE mint_batches SET status=?, gas_used=?, cost_wei=?, detail=?,"
                                + " updated_at=? WHERE tx_hash=?",
                        status.name(),
                        gasUsed,
                        costWei.toString(),
                        detail,
                        now(),
                        txHash);
        if (n != 1) {
            throw new StoreException(
                    "state store " + file + ": no mint transaction " + txHash + " to update");
        }
    }

    private int durably(String what, String sql, Object... args) {
        try (Statement st = conn.createStatement()) {
            st.execute("PRAGMA synchronous=FULL");
            try (PreparedStatement ps = conn.prepareStatement(sql)) {
                for (int i = 0; i < args.length; i++) {
                    ps.setObject(i + 1, args[i]);
                }
                return ps.executeUpdate();
            } finally {
                st.execute("PRAGMA synchronous=NORMAL");
            }
        } catch (SQLException e) {
            throw failure(what, e);
        }
    }

    private StoreException failure(String what, SQLException e) {
        return new StoreException(
                "state store " + file + ": cannot " + what + ": " + e.getMessage(), e);
    }

    private static void closeQuietly(Connection conn) {
        if (conn != null) {
            try {
                conn.close();
            } catch (SQLException ignored) {
                // already failing; the first error is the one to report
            }
        }
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
