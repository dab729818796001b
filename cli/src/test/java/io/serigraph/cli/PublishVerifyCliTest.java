package io.serigraph.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** publish, verify and audit verify in-process on a real drop and a real SQLite file. */
class PublishVerifyCliTest {
    @TempDir Path dir;

    @RegisterExtension final ConsoleCapture console = new ConsoleCapture();
    private Path drop;

    @BeforeEach
    void renderAndPublish() {
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
        assertThat(console.out()).contains("published 6 tokens").contains("images CID       bafy");
    }

    @Test
    void publishedDropVerifiesAndRerunsAreNoOps() throws Exception {
        console.resetOut();
        assertThat(Main.run("verify", drop.toString())).isEqualTo(ExitCodes.OK);
        assertThat(console.out()).contains("match: 6 tokens re-derived");
        console.resetOut();
        assertThat(Main.run("verify", drop.toString(), "--token", "3")).isEqualTo(ExitCodes.OK);
        assertThat(console.out()).contains("match: 1 token re-derived");
        console.resetOut();
        assertThat(Main.run("publish", drop.toString())).isZero();
        assertThat(console.out())
                .contains("0 metadata files written, 6 up to date, 0 CAR files written");
        assertThat(drop.resolve("out/car/images.car")).isRegularFile();
        assertThat(drop.resolve("out/publish/metadata/6")).isRegularFile();
    }

    @Test
    void aTamperedImageIsFoundAndNamed() throws Exception {
        Files.copy(
                drop.resolve("out/images/3.png"),
                drop.resolve("out/images/2.png"),
                StandardCopyOption.REPLACE_EXISTING);
        console.resetOut();
        assertThat(Main.run("verify", drop.toString())).isEqualTo(ExitCodes.FAILURE);
        assertThat(console.out()).contains("mismatch: token 2: image file: ").contains("2.png");
        console.resetOut();
        assertThat(Main.run("verify", drop.toString(), "--token", "4")).isEqualTo(ExitCodes.OK);
    }

    @Test
    void aTamperedMetadataFileIsFoundAndNamed() throws Exception {
        Path meta = drop.resolve("out/publish/metadata/5");
        Files.writeString(
                meta, Files.readString(meta).replace("\"value\" : \"", "\"value\" : \"Gold "));
        console.resetOut();
        assertThat(Main.run("verify", drop.toString())).isEqualTo(ExitCodes.FAILURE);
        assertThat(console.out()).contains("mismatch: token 5: metadata file: ");
    }

    @Test
    void aTamperedAuditRowIsFoundAndNamed() throws Exception {
        console.resetOut();
        assertThat(Main.run("audit", "verify", drop.toString())).isEqualTo(ExitCodes.OK);
        assertThat(console.out()).contains("audit log intact");
        Path db = drop.resolve("out/drop.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
                Statement st = c.createStatement()) {
            // The triggers refuse edits; someone with the file can still drop them first.
            st.execute("DROP TRIGGER audit_no_update");
            st.executeUpdate("UPDATE audit SET data = replace(data, '6', '7') WHERE seq = 2");
        }
        console.resetOut();
        assertThat(Main.run("audit", "verify", drop.toString())).isEqualTo(ExitCodes.FAILURE);
        assertThat(console.out())
                .contains("audit log broken at row 2: its content does not match its hash");
    }

    @Test
    void badInputExitsTwo() throws Exception {
        assertThat(Main.run("verify", drop.toString(), "--token", "999"))
                .isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(console.err()).contains("--token 999: no such token");
        Path other = dir.resolve("other");
        assertThat(Main.run("init", other.toString(), "--size", "2", "--canvas", "64")).isZero();
        console.resetErr();
        assertThat(Main.run("verify", other.toString())).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(console.err()).contains("not published yet");
        console.resetErr();
        assertThat(Main.run("publish", other.toString())).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(console.err()).contains("nothing rendered yet");
        console.resetErr();
        assertThat(Main.run("audit", "verify", other.toString())).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(console.err()).contains("no state store here");
    }
}
