package io.serigraph.pipeline.qc;

import static org.assertj.core.api.Assertions.assertThat;

import io.serigraph.pipeline.plan.Plan;
import io.serigraph.pipeline.plan.Planner;
import io.serigraph.pipeline.render.TokenMetadata;
import io.serigraph.pipeline.spec.CollectionSpec;
import io.serigraph.pipeline.spec.SpecLoader;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetadataSchemaCheckTest {
    @TempDir Path dir;

    private CollectionSpec spec;
    private Plan plan;
    private QcDrop drop;

    @BeforeEach
    void drop() throws Exception {
        for (String f : new String[] {"Body/Moth.png", "Hat/Cap.png"}) {
            Path file = dir.resolve("layers").resolve(f);
            Files.createDirectories(file.getParent());
            ImageIO.write(
                    new BufferedImage(4, 4, BufferedImage.TYPE_INT_ARGB), "png", file.toFile());
        }
        spec =
                SpecLoader.load(
                        Files.writeString(
                                dir.resolve("serigraph.yaml"),
                                "name: M\nsymbol: M\nsize: 1\nseed: 1\ncanvas: {width: 4, height:"
                                        + " 4}\nlayers: [{name: Body, dir: layers/Body}, {name:"
                                        + " Hat, dir: layers/Hat}]\n"));
        plan = new Planner().plan(spec);
        drop = new QcDrop(spec, plan, null);
    }

    private java.util.List<String> problems(String json) {
        QcToken token = new QcToken(plan.get(0), null, json.getBytes(StandardCharsets.UTF_8), "x");
        return MetadataSchemaCheck.problems(token, drop);
    }

    @Test
    void theRenderedMetadataIsValid() {
        byte[] json = TokenMetadata.json(spec, plan, 0);
        assertThat(problems(new String(json, StandardCharsets.UTF_8))).isEmpty();
    }

    @Test
    void everyFieldAndTypeIsChecked() {
        assertThat(problems("[1]")).containsExactly("not a JSON object");
        assertThat(problems("{\"name\": ")).singleElement().asString().startsWith("not JSON");
        assertThat(
                        problems(
                                "{\"name\": \"\", \"description\": 3, \"image\": \"ipfs://x/2.png\","
                                        + " \"external_url\": null, \"attributes\": [{\"trait_type\":"
                                        + " \"Body\", \"value\": true}]}"))
                .containsExactly(
                        "name is empty",
                        "description is missing or not a string",
                        "image does not end with 1.png",
                        "external_url is missing or not a string",
                        "attributes[0] is not {trait_type: text, value: text|number}",
                        "attributes differ from the plan's traits");
        assertThat(
                        problems(
                                "{\"name\": \"M #1\", \"description\": \"\", \"image\": \"1.png\","
                                        + " \"attributes\": [{\"trait_type\": \"Hat\", \"value\":"
                                        + " \"Cap\"}, {\"trait_type\": \"Body\", \"value\":"
                                        + " \"Moth\"}]}"))
                .containsExactly("attributes differ from the plan's traits");
        assertThat(problems("{\"name\": \"M #1\", \"description\": \"\", \"image\": \"1.png\"}"))
                .containsExactly("attributes is not an array");
    }
}
