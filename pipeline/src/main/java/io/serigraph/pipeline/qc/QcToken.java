package io.serigraph.pipeline.qc;

import io.serigraph.engine.image.RgbaImage;
import io.serigraph.pipeline.plan.PlannedToken;

/**
 * One rendered token as the checks see it.
 *
 * @param token the planned token
 * @param image the final image, decoded straight; {@code null} for {@link QcCheck.Scope#SET} checks
 * @param metadata the bytes of {@code out/metadata/<id>.json}
 * @param imageSha256 SHA-256 of {@code out/images/<id>.png}
 */
public record QcToken(PlannedToken token, RgbaImage image, byte[] metadata, String imageSha256) {
    public long id() {
        return token.id();
    }
}
