package io.serigraph.pipeline.plan;

import io.serigraph.pipeline.spec.CollectionSpec;
import io.serigraph.pipeline.spec.LayerSpec;
import io.serigraph.pipeline.spec.OneOfOneSpec;
import io.serigraph.pipeline.spec.QuotaSpec;
import io.serigraph.pipeline.spec.RuleSpec;
import io.serigraph.pipeline.spec.TraitRef;
import io.serigraph.pipeline.spec.TraitSpec;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * The plan hash: SHA-256 over a canonical byte encoding of exactly what determines a plan (size,
 * start id, and each layer's name, none weight, trait names and exact weights), and nothing else.
 * The seed, file paths, descriptions, metadata and output settings are not part of it. The encoding
 * is specified byte by byte in {@code docs/determinism.md}.
 */
public final class PlanHash {
    /** Domain tag at the start of the encoding. */
    static final String DOMAIN_TAG = "serigraph.plan";

    /** Version of the encoding; bump on any change of it. */
    static final int FORMAT_VERSION = 1;

    /** Tag of the constraints section (rules, quotas, one-of-ones) after the layers. */
    static final String CONSTRAINTS_TAG = "serigraph.constraints.v1";

    private PlanHash() {}

    /** The SHA-256 of {@link #canonicalEncoding(CollectionSpec)} (32 bytes). */
    public static byte[] of(CollectionSpec spec) {
        return sha256().digest(canonicalEncoding(spec));
    }

    /** The plan hash as 64 lower-case hex digits. */
    public static String hexOf(CollectionSpec spec) {
        return HexFormat.of().formatHex(of(spec));
    }

    /**
     * The canonical encoding hashed by {@link #of(CollectionSpec)}. Strings are a 4-byte big-endian
     * length followed by their UTF-8 bytes; integers are big-endian. Weights are written as {@link
     * #canonicalDecimal(BigDecimal)}. A layer's none weight is written only when the layer is
     * {@link LayerSpec#optional() optional}.
     *
     * @throws PlanException when a name or weight is missing or a weight is negative
     */
    public static byte[] canonicalEncoding(CollectionSpec spec) {
        Encoder out = new Encoder();
        out.string(DOMAIN_TAG);
        out.u32(FORMAT_VERSION);
        out.u64(spec.size());
        out.u64(spec.startId());
        out.u32(spec.layers().size());
        for (LayerSpec layer : spec.layers()) {
            out.string(requireName(layer.name(), "a layer has no name", null));
            checkWeight(layer.noneWeight(), true, layer, "its none weight");
            if (layer.optional()) {
                out.u8(1);
                out.string(canonicalDecimal(layer.noneWeight()));
            } else {
                out.u8(0);
            }
            out.u32(layer.traits().size());
            for (TraitSpec trait : layer.traits()) {
                String name =
                        requireName(
                                trait.name(),
                                "a trait has no name in layer '" + layer.name() + "'",
                                layer);
                checkWeight(trait.weight(), false, layer, "trait '" + name + "'");
                out.string(name);
                out.string(canonicalDecimal(trait.weight()));
            }
        }
        if (spec.constrained()) {
            constraints(out, spec);
        }
        return out.toByteArray();
    }

    /**
     * The constraints section, written only when the spec has rules, quotas or one-of-ones (so a
     * plain spec's encoding is exactly that of {@code docs/determinism.md}); specified in {@code
     * docs/planner.md}.
     */
    private static void constraints(Encoder out, CollectionSpec spec) {
        out.string(CONSTRAINTS_TAG);
        out.u32(spec.rules().size());
        for (RuleSpec rule : spec.rules()) {
            out.u8(rule.kind().ordinal());
            out.u32(rule.layer());
            out.u32(rule.refs().size());
            for (TraitRef ref : rule.refs()) {
                out.u32(ref.layer());
                out.u32(ref.trait());
            }
        }
        out.u32(spec.quotas().size());
        for (QuotaSpec quota : spec.quotas()) {
            out.u32(quota.trait().layer());
            out.u32(quota.trait().trait());
            out.u64(quota.count());
        }
        out.u32(spec.oneOfOnes().size());
        for (OneOfOneSpec one : spec.oneOfOnes()) {
            out.u32(one.attributes().size());
            for (Map.Entry<String, String> a : one.attributes().entrySet()) {
                out.string(requireName(a.getKey(), "a one-of-one attribute has no name", null));
                out.string(requireName(a.getValue(), "a one-of-one attribute has no value", null));
            }
        }
    }

    /**
     * The canonical decimal form of a weight: {@code stripTrailingZeros().toPlainString()}, so
     * {@code 1}, {@code 1.0} and {@code 1.000} are all {@code "1"}, {@code 0.50} is {@code "0.5"},
     * {@code 1E+2} is {@code "100"}, and zero is {@code "0"}.
     */
    public static String canonicalDecimal(BigDecimal value) {
        return value.signum() == 0 ? "0" : value.stripTrailingZeros().toPlainString();
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }

    private static String requireName(String name, String message, LayerSpec layer) {
        if (name == null) {
            throw new PlanException(message, layer == null ? null : layer.name());
        }
        if (!StandardCharsets.UTF_8.newEncoder().canEncode(name)) {
            throw new PlanException(
                    "name '" + name + "' is not valid Unicode (unpaired surrogate)",
                    layer == null ? name : layer.name());
        }
        return name;
    }

    private static void checkWeight(
            BigDecimal weight, boolean nullable, LayerSpec layer, String what) {
        if (weight == null) {
            if (nullable) {
                return;
            }
            throw new PlanException(
                    "layer '" + layer.name() + "': " + what + " has no weight", layer.name());
        }
        if (weight.signum() < 0) {
            throw new PlanException(
                    "layer '"
                            + layer.name()
                            + "': "
                            + what
                            + " has a negative weight ("
                            + weight.toPlainString()
                            + "); weights must be 0 or more",
                    layer.name());
        }
    }

    /** Big-endian primitive writer for the canonical encoding. */
    private static final class Encoder {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        void u8(int v) {
            bytes.write(v);
        }

        void u32(int v) {
            for (int shift = 24; shift >= 0; shift -= 8) {
                bytes.write(v >>> shift);
            }
        }

        void u64(long v) {
            for (int shift = 56; shift >= 0; shift -= 8) {
                bytes.write((int) (v >>> shift));
            }
        }

        void string(String s) {
            byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
            u32(utf8.length);
            bytes.writeBytes(utf8);
        }

        byte[] toByteArray() {
            return bytes.toByteArray();
        }
    }
}
