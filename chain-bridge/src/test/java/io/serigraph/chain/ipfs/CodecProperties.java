package io.serigraph.chain.ipfs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

class CodecProperties {
    @Property
    void varintsRoundTrip(@ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long value) {
        byte[] bytes = Varint.encode(value);
        assertThat(bytes).hasSize(Varint.size(value));
        assertThat(Varint.decode(bytes, 0, bytes.length)).isEqualTo(value);
    }

    @Property
    void base32RoundTrips(@ForAll @Size(max = 100) byte[] bytes) {
        String text = Multibase.encodeBase32(bytes);
        assertThat(text).matches("[a-z2-7]*");
        assertThat(Multibase.decodeBase32(text)).isEqualTo(bytes);
        assertThat(Multibase.decode(Multibase.encode(Multibase.Base.BASE32_UPPER, bytes)))
                .isEqualTo(bytes);
    }

    @Property
    void base58RoundTrips(@ForAll @Size(max = 100) byte[] bytes) {
        String text = Multibase.encodeBase58(bytes);
        assertThat(Multibase.decodeBase58(text)).isEqualTo(bytes);
        assertThat(Multibase.decode(Multibase.encode(Multibase.Base.BASE58BTC, bytes)))
                .isEqualTo(bytes);
    }

    @Property
    void base16RoundTrips(@ForAll @Size(max = 100) byte[] bytes) {
        assertThat(Multibase.decode(Multibase.encode(Multibase.Base.BASE16, bytes)))
                .isEqualTo(bytes);
    }

    @Property
    void cidsRoundTrip(
            @ForAll @Size(32) byte[] digest,
            @ForAll @LongRange(min = 0, max = 1L << 40) long codec) {
        Cid v1 = Cid.v1(codec, Multihash.of(Multihash.SHA2_256, digest));
        assertThat(Cid.parse(v1.toString())).isEqualTo(v1);
        assertThat(Cid.parse(v1.toString(Multibase.Base.BASE58BTC))).isEqualTo(v1);
        assertThat(Cid.decode(v1.bytes())).isEqualTo(v1);
        Cid v0 = Cid.v0(Multihash.of(Multihash.SHA2_256, digest));
        assertThat(Cid.parse(v0.toString())).isEqualTo(v0);
        assertThat(v0.toString()).startsWith("Qm").hasSize(46);
    }

    @Property
    void dagPbNodesRoundTrip(
            @ForAll @Size(max = 5) List<@Size(32) byte[]> digests,
            @ForAll @Size(max = 5) List<String> names,
            @ForAll @Size(max = 50) byte[] data,
            @ForAll @IntRange(min = 0, max = 1 << 30) int tsize) {
        List<DagPb.Link> links = new ArrayList<>();
        for (int i = 0; i < digests.size(); i++) {
            // Names travel as UTF-8; a lone surrogate cannot, so it would not round-trip.
            String name = i < names.size() ? utf8Safe(names.get(i)) : null;
            links.add(
                    new DagPb.Link(
                            Cid.v1(Cid.RAW, Multihash.of(Multihash.SHA2_256, digests.get(i))),
                            name,
                            i % 2 == 0 ? (long) tsize : null));
        }
        DagPb.Node node = new DagPb.Node(links, data.length % 3 == 0 ? null : data);
        assertThat(DagPb.decode(DagPb.encode(node))).isEqualTo(node);
    }

    private static String utf8Safe(String s) {
        return new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
    }

    /** Whatever the bytes, decoders fail only with their own exception, never with another one. */
    @Property
    void decodersRejectGarbageWithTheirOwnExceptions(@ForAll @Size(max = 80) byte[] bytes) {
        expectOnly(() -> Varint.decode(bytes, 0, bytes.length), VarintFormatException.class);
        expectOnly(() -> Cid.decode(bytes), CidFormatException.class);
        expectOnly(() -> DagPb.decode(bytes), DagPbFormatException.class);
        expectOnly(() -> UnixFsData.decode(bytes), UnixFsFormatException.class);
        expectOnly(() -> CarTest.readAll(bytes), CarFormatException.class);
    }

    @Property
    void cidParsingRejectsGarbageWithCidFormatException(@ForAll @Size(max = 70) String text) {
        expectOnly(() -> Cid.parse(text), CidFormatException.class);
    }

    private interface Action {
        void run() throws Exception;
    }

    private static void expectOnly(Action action, Class<? extends Exception> allowed) {
        try {
            action.run();
        } catch (Exception e) {
            assertThat(e).isInstanceOf(allowed);
            assertThat(e.getMessage()).isNotBlank();
        }
    }
}
