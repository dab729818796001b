package io.serigraph.pipeline.spec;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The example in docs/spec.md loads, with the layer files the doc shows. */
class SpecDocTest {
    @TempDir Path dir;

    @Test
    void docExampleLoads() throws Exception {
        Path doc = Path.of("..", "docs", "spec.md");
        String text = Files.readString(doc);
        int start = text.indexOf("```yaml\n") + "```yaml\n".length();
        String yaml = text.substring(start, text.indexOf("```", start));
        for (String f :
                new String[] {
                    "Background/Blue#2.png",
                    "Background/Red#0.5.png",
                    "Background/Night Sky.png",
                    "Body/Moth.png",
                    "Body/Moth Dark#3.png",
                    "Hat/Cap#1.png",
                    "Hat/Crown#0.25.png"
                }) {
            TestPngs.writePng(dir.resolve("layers").resolve(f), 512, 512);
        }
        TestPngs.writeText(dir.resolve("layers/Hat/.DS_Store"), "junk");
        CollectionSpec spec =
                SpecLoader.load(Files.writeString(dir.resolve("serigraph.yaml"), yaml));
        assertThat(spec.size()).isEqualTo(15);
        assertThat(SpecLoader.combinations(spec.layers())).isEqualTo(BigInteger.valueOf(18));
        assertThat(spec.output().width()).isEqualTo(1024);
    }
}
