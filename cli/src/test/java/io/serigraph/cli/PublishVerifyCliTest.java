package io.serigraph.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** publish, verify and audit verify in-process on a real drop and a real SQLite file. */
class PublishVerifyCliTest {
    @TempDir Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream savedOut;
    private PrintStream savedErr;
    private Path drop;

    @BeforeEach
    void renderAndPublish() {
        savedOut = System.out;
        savedErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        drop = dir.resolve("drop");
        assertThat(
                        Main.run(
                                "init",
                                drop.toString(),
                                "--size",
                                "6",
                                "--canvas",
                                "64",
                                "--seed",
                                "x"))
                .isZero();
        assertThat(Main.run("render", drop.toString(), "--threads", "2")).isZero();
        assertThat(Main.run("publish", drop.toString())).isZero();
        assertThat(out()).contains("published 6 tokens").contains("images CID       bafy");
    }

    @AfterEach
    void restore() {
        System.setOut(savedOut);
        System.setErr(savedErr);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void publishedDropVerifiesAndRerunsAreNoOps() throws Exception {
        out.reset();
        assertThat(Main.run("verify", drop.toString())).isEqualTo(ExitCodes.OK);
        assertThat(out()).contains("match: 6 tokens re-derived");
        out.reset();
        assertThat(Main.run("verify", drop.toString(), "--token", "3")).isEqualTo(ExitCodes.OK);
        assertThat(out()).contains("match: 1 token re-derived");
        out.reset();
        assertThat(Main.run("publish", drop.toString())).isZero();
        assertThat(out()).contains("0 metadata files written, 6 up to date, 0 CAR files written");
        assertThat(drop.resolve("out/car/images.car")).isRegularFile();
        assertThat(drop.resolve("out/publish/metadata/6")).isRegularFile();
    }

    @Test
    void aTamperedImageIsFoundAndNamed() throws Exception {
        Files.copy(
                drop.resolve("out/images/3.png"),
                drop.resolve("out/images/2.png"),
                StandardCopyOption.REPLACE_EXISTING);
        out.reset();
        assertThat(Main.run("verify", drop.toString())).isEqualTo(ExitCodes.FAILURE);
        assertThat(out()).contains("mismatch: token 2: image file: ").contains("2.png");
        out.reset();
        assertThat(Main.run("verify", drop.toString(), "--token", "4")).isEqualTo(ExitCodes.OK);
    }

    @Test
    void aTamperedMetadataFileIsFoundAndNamed() throws Exception {
        Path meta = drop.resolve("out/publish/metadata/5");
        Files.writeString(
                meta, Files.readString(meta).replace("\"value\" : \"", "\"value\" : \"Gold "));
        out.reset();
        assertThat(Main.run("verify", drop.toString())).isEqualTo(ExitCodes.FAILURE);
        assertThat(out()).contains("mismatch: token 5: metadata file: ");
    }

    @Test
    void aTamperedAuditRowIsFoundAndNamed() throws Exception {
        out.reset();
        assertThat(Main.run("audit", "verify", drop.toString())).isEqualTo(ExitCodes.OK);
        assertThat(out()).contains("audit log intact");
        Path db = drop.resolve("out/drop.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
                Statement st = c.createStatement()) {
            // The triggers refuse edits; someone with the file can still drop them first.
            st.execute("DROP TRIGGER audit_no_update");
            st.executeUpdate("UPDATE audit SET data = replace(data, '6', '7') WHERE seq = 2");
        }
        out.reset();
        assertThat(Main.run("audit", "verify", drop.toString())).isEqualTo(ExitCodes.FAILURE);
        assertThat(out())
                .contains("audit log broken at row 2: its content does not match its hash");
    }

    @Test
    void badInputExitsTwo() throws Exception {
        assertThat(Main.run("verify", drop.toString(), "--token", "999"))
                .isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(err()).contains("--token 999: no such token");
        Path other = dir.resolve("other");
        assertThat(Main.run("init", other.toString(), "--size", "2", "--canvas", "64")).isZero();
        err.reset();
        assertThat(Main.run("verify", other.toString())).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(err()).contains("not published yet");
        err.reset();
        assertThat(Main.run("publish", other.toString())).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(err()).contains("nothing rendered yet");
        err.reset();
        assertThat(Main.run("audit", "verify", other.toString())).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(err()).contains("no state store here");
    }
}
