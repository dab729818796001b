package io.serigraph.pipeline.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The corpus of bad specs under {@code src/test/resources/spec/bad/}: one YAML file per case. To
 * add a case, add a file. Its comment lines say what it expects and which files to make next to it:
 *
 * <pre>
 * # expect: line 4, field canvas.width, message "must be a positive whole number"
 * # png 16x16: layers/Hat/Red#1.png     (a valid PNG of that size)
 * # text: layers/Hat/Red#1.png          (a text file)
 * # truncated: layers/Hat/Red#1.png     (the first 20 bytes of a PNG)
 * # mkdir: layers/Hat                   (an empty folder)
 * </pre>
 *
 * Line numbers count the comment lines too: they are lines of the file as it is. Every case also
 * gets the standard layers, 8x8: {@code layers/Background/{Blue#1,Red#1}.png} and {@code
 * layers/Body/{Moth#1,Moth Dark#2}.png} (4 combinations). The first problem reported must match.
 */
class BadSpecCorpusTest {
    private static final Pattern EXPECT =
            Pattern.compile("# expect: line (\\d+), field (\\S+), message \"(.*)\"");
    private static final Pattern FIXTURE =
            Pattern.compile("# (png (\\d+)x(\\d+)|text|truncated|mkdir): (.+)");

    @TempDir Path dir;

    static Stream<Path> cases() throws IOException, URISyntaxException {
        Path root = Path.of(BadSpecCorpusTest.class.getResource("/spec/bad").toURI());
        try (Stream<Path> files = Files.list(root)) {
            return files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList().stream();
        }
    }

    @Test
    void corpusIsBigEnough() throws Exception {
        assertThat(cases()).hasSizeGreaterThanOrEqualTo(25);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void badSpecIsRejectedPrecisely(Path yamlCase) throws Exception {
        byte[] bytes = Files.readAllBytes(yamlCase);
        String text = new String(bytes, StandardCharsets.UTF_8);
        Matcher expect = null;
        List<String> fixtures = new ArrayList<>();
        for (String line : text.lines().toList()) {
            Matcher m = EXPECT.matcher(line);
            if (m.matches()) {
                expect = m;
            } else if (FIXTURE.matcher(line).matches()) {
                fixtures.add(line);
            }
        }
        assertThat(expect).as("the case needs an '# expect:' line").isNotNull();

        TestPngs.writePng(dir.resolve("layers/Background/Blue#1.png"), 8, 8);
        TestPngs.writePng(dir.resolve("layers/Background/Red#1.png"), 8, 8);
        TestPngs.writePng(dir.resolve("layers/Body/Moth#1.png"), 8, 8);
        TestPngs.writePng(dir.resolve("layers/Body/Moth Dark#2.png"), 8, 8);
        for (String line : fixtures) {
            Matcher m = FIXTURE.matcher(line);
            m.matches();
            Path target = dir.resolve(m.group(4));
            if (m.group(1).startsWith("png")) {
                TestPngs.writePng(
                        target, Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)));
            } else if (m.group(1).equals("text")) {
                TestPngs.writeText(target, "this is not a PNG\n");
            } else if (m.group(1).equals("truncated")) {
                TestPngs.writeTruncated(target);
            } else {
                Files.createDirectories(target);
            }
        }
        Path spec = Files.write(dir.resolve("serigraph.yaml"), bytes);

        SpecException e = catchThrowableOfType(SpecException.class, () -> SpecLoader.load(spec));

        assertThat(e).as("loading %s must fail", yamlCase.getFileName()).isNotNull();
        String field = expect.group(2).equals("-") ? "" : expect.group(2);
        assertThat(e.file()).isEqualTo(spec);
        assertThat(e.reason()).contains(expect.group(3));
        assertThat(e.field()).as(e.getMessage()).isEqualTo(field);
        assertThat(e.line()).as(e.getMessage()).isEqualTo(Integer.parseInt(expect.group(1)));
        assertThat(e.getMessage().lines().findFirst().orElseThrow())
                .startsWith(spec + ":" + e.line() + ": " + (field.isEmpty() ? "" : field + ": "));
    }
}
