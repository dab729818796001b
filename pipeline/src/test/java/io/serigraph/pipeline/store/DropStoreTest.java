package io.serigraph.pipeline.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DropStoreTest {
    @TempDir Path dir;

    @Test
    void createsWalDatabaseAndKeepsStateAcrossReopen() throws Exception {
        Path db = dir.resolve("out/drop.db");
        try (DropStore store = DropStore.open(db)) {
            store.putMeta("spec_hash", "abc");
            store.recordStage(new StageRecord(7, "render", "L1", "S1", 123));
        }
        assertThat(db).exists();
        assertThat(
                        Files.exists(dir.resolve("out/drop.db-wal"))
                                || Files.exists(dir.resolve("out/drop.db-shm"))
                                || journalMode(db).equals("wal"))
                .isTrue();
        try (DropStore store = DropStore.open(db)) {
            assertThat(store.meta("spec_hash")).contains("abc");
            assertThat(store.meta("schema_version")).contains("1");
            assertThat(store.stageRecord(7, "render"))
                    .contains(new StageRecord(7, "render", "L1", "S1", 123));
            assertThat(store.stageRecord(8, "render")).isEmpty();
        }
        assertThat(journalMode(db)).isEqualTo("wal");
    }

    @Test
    void stageRecordIsReplacedNotDuplicated() {
        try (DropStore store = DropStore.open(dir.resolve("drop.db"))) {
            store.recordStage(new StageRecord(1, "render", "L1", "S1", 10));
            store.recordStage(new StageRecord(1, "render", "L2", "S2", 20));
            store.recordStage(new StageRecord(1, "qc", "Q", "S3", 30));
            assertThat(store.stageRecords("render"))
                    .containsOnlyKeys(1L)
                    .containsValue(new StageRecord(1, "render", "L2", "S2", 20));
        }
    }

    @Test
    void syncPlanReplacesTokensOnlyWhenThePlanChanges() {
        try (DropStore store = DropStore.open(dir.resolve("drop.db"))) {
            List<TokenRow> a = List.of(new TokenRow(1, "0-1", "[]"), new TokenRow(2, "1-0", "[]"));
            assertThat(store.syncPlan("P1", a)).isTrue();
            assertThat(store.syncPlan("P1", a)).isFalse();
            assertThat(store.tokens()).isEqualTo(a);
            List<TokenRow> b = List.of(new TokenRow(1, "1-1", "[[\"L\",\"T\"]]"));
            assertThat(store.syncPlan("P2", b)).isTrue();
            assertThat(store.tokens()).isEqualTo(b);
            assertThat(store.meta("plan_hash")).contains("P2");
        }
    }

    @Test
    void duplicateDnaIsRefusedAndTheOldPlanSurvives() {
        try (DropStore store = DropStore.open(dir.resolve("drop.db"))) {
            List<TokenRow> good = List.of(new TokenRow(1, "a", "[]"));
            store.syncPlan("P1", good);
            List<TokenRow> dup = List.of(new TokenRow(1, "x", "[]"), new TokenRow(2, "x", "[]"));
            assertThatThrownBy(() -> store.syncPlan("P2", dup))
                    .isInstanceOf(StoreException.class)
                    .hasMessageContaining("drop.db");
            assertThat(store.tokens()).isEqualTo(good);
            assertThat(store.meta("plan_hash")).contains("P1");
        }
    }

    @Test
    void auditChainVerifiesAndRefusesEditsThroughSql() throws Exception {
        Path db = dir.resolve("drop.db");
        try (DropStore store = DropStore.open(db)) {
            AuditEvent first = store.appendAudit("alice", "render.start", "{\"tokens\":3}");
            AuditEvent second = store.appendAudit("alice", "render.done", "{}");
            assertThat(first.prevHash()).isEqualTo(DropStore.GENESIS);
            assertThat(second.prevHash()).isEqualTo(first.hash());
            assertThat(store.verifyAudit()).isEqualTo(new AuditCheck(2, -1, null));
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
                Statement st = c.createStatement()) {
            assertThatThrownBy(() -> st.execute("UPDATE audit SET data='{}' WHERE seq=1"))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("append-only");
            assertThatThrownBy(() -> st.execute("DELETE FROM audit WHERE seq=1"))
                    .hasMessageContaining("append-only");
        }
    }

    @Test
    void tamperedAuditRowIsNamed() throws Exception {
        Path db = dir.resolve("drop.db");
        try (DropStore store = DropStore.open(db)) {
            for (int i = 0; i < 5; i++) {
                store.appendAudit("bob", "event" + i, "{\"i\":" + i + "}");
            }
        }
        sql(db, "DROP TRIGGER audit_no_update", "UPDATE audit SET data='{\"i\":9}' WHERE seq=3");
        try (DropStore store = DropStore.open(db)) {
            AuditCheck check = store.verifyAudit();
            assertThat(check.intact()).isFalse();
            assertThat(check.brokenSeq()).isEqualTo(3);
            assertThat(check.problem()).contains("content");
        }
    }

    @Test
    void deletedOrRelinkedAuditRowIsNamed() throws Exception {
        Path db = dir.resolve("drop.db");
        try (DropStore store = DropStore.open(db)) {
            for (int i = 0; i < 5; i++) {
                store.appendAudit("bob", "event" + i, "{}");
            }
        }
        sql(db, "DROP TRIGGER audit_no_delete", "DELETE FROM audit WHERE seq=4");
        try (DropStore store = DropStore.open(db)) {
            assertThat(store.verifyAudit().brokenSeq()).isEqualTo(5);
        }
        // Re-hashing a forged row is not enough: the next row's link breaks.
        Path db2 = dir.resolve("drop2.db");
        try (DropStore store = DropStore.open(db2)) {
            for (int i = 0; i < 3; i++) {
                store.appendAudit("bob", "event" + i, "{}");
            }
            AuditEvent e = store.audit().get(0);
            String forged =
                    DropStore.auditHash(1, e.at(), "mallory", e.event(), e.data(), e.prevHash());
            sql(
                    db2,
                    "DROP TRIGGER audit_no_update",
                    "UPDATE audit SET actor='mallory', hash='" + forged + "' WHERE seq=1");
            AuditCheck check = store.verifyAudit();
            assertThat(check.brokenSeq()).isEqualTo(2);
            assertThat(check.problem()).contains("link");
        }
    }

    @Test
    void newerSchemaIsRefusedWithTheFileNamed() throws Exception {
        Path db = dir.resolve("drop.db");
        DropStore.open(db).close();
        sql(db, "UPDATE meta SET value='99' WHERE key='schema_version'");
        assertThatThrownBy(() -> DropStore.open(db))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("drop.db")
                .hasMessageContaining("99");
    }

    private static void sql(Path db, String... statements) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
                Statement st = c.createStatement()) {
            for (String s : statements) {
                st.execute(s);
            }
        }
    }

    private static String journalMode(Path db) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
                Statement st = c.createStatement();
                var rs = st.executeQuery("PRAGMA journal_mode")) {
            rs.next();
            return rs.getString(1);
        }
    }
}
