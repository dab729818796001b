package io.serigraph.chain.ipfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DagPbTest {
    private static final Cid HELLO =
            Cid.parse("bafkreifjjcie6lypi6ny7amxnfftagclbuxndqonfipmb64f2km2devei4");
    private static final String HELLO_HEX =
            "01551220a948904f2f0f479b8f8197694b30184b0d2ed1c1cd2a1ec0fb85d299a192a447";

    @Test
    void writesLinksBeforeDataAndHashNameTsizeInsideALink() {
        byte[] bytes =
                DagPb.encode(List.of(new DagPb.Link(HELLO, "hello.txt", 12L)), new byte[] {8, 1});
        // 12 = Links (field 2, length 0x33): 0a 24 <cid> 12 09 "hello.txt" 18 0c; then 0a 02 08 01
        // = Data.
        assertThat(HexFormat.of().formatHex(bytes))
                .isEqualTo(
                        "1233"
                                + "0a24"
                                + HELLO_HEX
                                + "1209"
                                + "68656c6c6f2e747874"
                                + "180c"
                                + "0a020801");
        DagPb.Node node = DagPb.decode(bytes);
        assertThat(node.links()).containsExactly(new DagPb.Link(HELLO, "hello.txt", 12L));
        assertThat(node.data()).containsExactly(8, 1);
        assertThat(DagPb.encode(node)).isEqualTo(bytes);
    }

    /**
     * ipfs-car's directory of hello.txt (vector hello-wrapped) decodes and re-encodes to the same
     * CID.
     */
    @Test
    void roundTripsTheWrappedHelloDirectory() {
        byte[] bytes =
                DagPb.encode(
                        List.of(new DagPb.Link(HELLO, "hello.txt", 12L)),
                        UnixFsData.directory().encode());
        assertThat(Cid.sha256(Cid.DAG_PB, bytes))
                .hasToString(ReferenceVector.get("hello-wrapped").root());
    }

    @Test
    void absentFieldsStayAbsent() {
        byte[] bytes = DagPb.encode(List.of(new DagPb.Link(HELLO, null, null)), null);
        DagPb.Node node = DagPb.decode(bytes);
        assertThat(node.data()).isNull();
        assertThat(node.links().get(0).name()).isNull();
        assertThat(node.links().get(0).tsize()).isNull();
        assertThat(DagPb.decode(new byte[0])).isEqualTo(new DagPb.Node(List.of(), null));
    }

    @Test
    void linkOrderIsByUtf8BytesShorterFirst() {
        List<DagPb.Link> links = new ArrayList<>();
        for (String name : new String[] {"\ud83d\ude00", "\uff21", "b", "a0", "a", "", "B"}) {
            links.add(new DagPb.Link(HELLO, name, 0L));
        }
        links.sort(DagPb.LINK_ORDER);
        assertThat(links)
                .extracting(DagPb.Link::name)
                .containsExactly("", "B", "a", "a0", "b", "\uff21", "\ud83d\ude00");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                // Data before Links
                "0a0208011226"
                        + "0a24"
                        + HELLO_HEX
                        + "|Links (field 2) at byte offset 4 after Data",
                "0a02080112020801|Links (field 2) at byte offset 4 after Data",
                "0a0208010a020801|duplicate Data (field 1) at byte offset 4",
                "0801|field 1 at byte offset 0 has wire type 0, expected 2",
                "1a00|unexpected field 3 at byte offset 0",
                "0a05080101|Data declares 5 bytes at byte offset 1 but only 3 remain",
                "0a|Data length: truncated varint at byte offset 1",
                "1200|link at byte offset 2 has no Hash",
                "1204180c0a00|PBLink: field 1 at byte offset 4 is out of order (Hash, Name, Tsize)",
                "12040a000a00|bad Hash at byte offset 4",
                "12060a0201551800|bad Hash at byte offset 4",
                "12020800|PBLink: field 1 at byte offset 2 has wire type 0, expected 2",
                "12022000|PBLink: unexpected field 4 at byte offset 2",
                "0000|invalid field number 0"
            })
    void rejectsNonCanonicalOrBrokenNodes(String hex, String message) {
        byte[] bytes = HexFormat.of().parseHex(hex);
        assertThatThrownBy(() -> DagPb.decode(bytes))
                .isInstanceOf(DagPbFormatException.class)
                .hasMessageContaining(message);
    }

    @Test
    void reportsTheOffsetOfTheProblem() {
        byte[] bytes = HexFormat.of().parseHex("0a0208010a020801");
        assertThatThrownBy(() -> DagPb.decode(bytes))
                .isInstanceOfSatisfying(
                        DagPbFormatException.class, e -> assertThat(e.offset()).isEqualTo(4));
    }
}
