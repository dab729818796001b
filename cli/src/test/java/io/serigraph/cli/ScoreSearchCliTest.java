package io.serigraph.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code serigraph score}, {@code search} and {@code qc} with {@code qc.model} on the sample drop,
 * with the shipped tiny model installed into a fresh model store by the first command.
 */
class ScoreSearchCliTest {
    @TempDir Path dir;

    @RegisterExtension final ConsoleCapture console = new ConsoleCapture();

    private Path renderedSample(int size) throws Exception {
        Path drop = dir.resolve("drop");
        assertThat(Main.run("init", drop.toString(), "--size", "" + size, "--canvas", "64"))
                .isEqualTo(ExitCodes.OK);
        assertThat(Main.run("render", drop.toString(), "--threads", "2")).isEqualTo(ExitCodes.OK);
        return drop;
    }

    @Test
    void scoreStoresEveryTokenOnceThenSearchRanksThem() throws Exception {
        Path drop = renderedSample(8);
        String models = dir.resolve("models").toString();
        console.resetOut();
        assertThat(Main.run("score", drop.toString(), "--models", models))
                .as(console.err())
                .isEqualTo(ExitCodes.OK);
        assertThat(console.out())
                .contains("score: model clip-tiny/1 with aesthetic head aesthetic-tiny/1")
                .contains("score: 8 tokens (8 scored, 0 up to date)")
                .contains("out/scores.db");
        assertThat(drop.resolve("out/scores.db")).isRegularFile();

        console.resetOut();
        assertThat(Main.run("score", drop.toString(), "--models", models)).isEqualTo(ExitCodes.OK);
        assertThat(console.out()).contains("score: 8 tokens (0 scored, 8 up to date)");

        console.resetOut();
        assertThat(
                        Main.run(
                                "search",
                                drop.toString(),
                                "gold crown on a dark background",
                                "-k",
                                "3",
                                "--models",
                                models))
                .isEqualTo(ExitCodes.OK);
        String out = console.out();
        assertThat(out)
                .contains(
                        "search: \"gold crown on a dark background\" against 8 tokens"
                                + " (clip-tiny/1)")
                .contains("rank     token    cosine  aesthetic");
        assertThat(out.lines().filter(l -> l.matches("\\s+[123]\\s+\\d+\\s+-?\\d\\.\\d{4}\\s+.*")))
                .hasSize(3);

        console.resetOut();
        assertThat(Main.run("search", drop.toString(), "--like", "2", "--top", "7"))
                .isEqualTo(ExitCodes.OK);
        assertThat(console.out()).contains("search: token 2 against 8 tokens (clip-tiny/1)");
        assertThat(console.out().lines().filter(l -> l.matches("\\s+\\d+\\s+2\\s+.*"))).isEmpty();
        assertThat(console.out().lines().filter(l -> l.matches("\\s+[1-7]\\s+\\d+\\s+.*")))
                .hasSize(7);

        console.resetOut();
        assertThat(Main.run("search", drop.toString(), "--pairs", "-1", "-k", "5"))
                .isEqualTo(ExitCodes.OK);
        assertThat(console.out())
                .contains("search: pairs at cosine >= -1.0 among 8 tokens (clip-tiny/1): 5 shown")
                .contains("   token     token    cosine");
        assertThat(
                        console.out()
                                .lines()
                                .filter(l -> l.matches("\\s+\\d+\\s+\\d+\\s+-?\\d\\.\\d{4}")))
                .hasSize(5);
    }

    @Test
    void badInputSaysWhatToDo() throws Exception {
        Path drop = renderedSample(3);
        String models = dir.resolve("models").toString();
        assertThat(Main.run("search", drop.toString(), "a moth", "--models", models))
                .isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(console.err()).contains("run 'serigraph score");
        assertThat(
                        Main.run(
                                "score",
                                drop.toString(),
                                "--models",
                                models,
                                "--model",
                                "clip-vit-l-14"))
                .isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(console.err())
                .contains("no CLIP model clip-vit-l-14 is installed (installed: clip-tiny/1)");
        assertThat(Main.run("score", drop.toString(), "--models", models)).isEqualTo(ExitCodes.OK);
        console.resetErr();
        assertThat(Main.run("search", drop.toString())).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(console.err()).contains("give one of a QUERY");
        assertThat(Main.run("search", drop.toString(), "--pairs", "1.5"))
                .isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(console.err()).contains("--pairs must be a cosine similarity in -1..1");
        assertThat(Main.run("search", drop.toString(), "a moth", "--like", "1"))
                .isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(Main.run("search", drop.toString(), "--like", "99"))
                .isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(console.err()).contains("token 99 has no stored embedding of clip-tiny/1");
        assertThat(Main.run("search", drop.toString(), "--like", "1", "--model", "clip-vit-b-32"))
                .isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(console.err())
                .contains("no stored embeddings of clip-vit-b-32 (stored: clip-tiny/1)");
    }

    @Test
    void qcWithAModelRunsTheModelChecks() throws Exception {
        Path drop = renderedSample(6);
        Path spec = drop.resolve("serigraph.yaml");
        String yaml = Files.readString(spec);
        String model = "  model: default\n  prompt: \"a moth\"\n";
        yaml =
                yaml.contains("\nqc:\n")
                        ? yaml.replace("\nqc:\n", "\nqc:\n" + model)
                        : yaml + "qc:\n" + model;
        Files.writeString(spec, yaml);
        console.resetOut();
        int rc = Main.run("qc", drop.toString(), "--models", dir.resolve("models").toString());
        assertThat(rc).as(console.err()).isIn(ExitCodes.OK, ExitCodes.FAILURE);
        assertThat(console.out())
                .contains("qc: model checks with clip-tiny/1 with aesthetic head aesthetic-tiny/1")
                .contains("aesthetic")
                .contains("prompt_alignment")
                .contains("clip_near_duplicate");
        assertThat(Files.readString(drop.resolve("out/qc/1.json")))
                .contains("\"check\" : \"clip_near_duplicate\"");
        assertThat(drop.resolve("out/scores.db")).isRegularFile();
    }
}
