package io.serigraph.chain.pin;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.serigraph.chain.ipfs.Cid;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The Kubo RPC client's handling of refused credentials (no IPFS node needed). */
class KuboRpcClientAuthTest {
    @Test
    void refusedCredentialsAreAClearError() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext(
                "/",
                ex -> {
                    byte[] body = "basic auth failed".getBytes(StandardCharsets.UTF_8);
                    ex.sendResponseHeaders(401, body.length);
                    ex.getResponseBody().write(body);
                    ex.close();
                });
        server.start();
        try {
            KuboRpcClient c =
                    KuboRpcClient.builder()
                            .setEndpoint(
                                    URI.create("http://127.0.0.1:" + server.getAddress().getPort()))
                            .optAuthorization("Basic d3Jvbmc6d3Jvbmc=")
                            .build();
            assertThatThrownBy(() -> c.isPinned(Cid.sha256(Cid.RAW, new byte[0])))
                    .isInstanceOf(PinningAuthException.class)
                    .hasMessageContaining("pin/ls of bafkrei")
                    .hasMessageContaining("credentials were refused (HTTP 401 Unauthorized)");
        } finally {
            server.stop(0);
        }
    }
}
