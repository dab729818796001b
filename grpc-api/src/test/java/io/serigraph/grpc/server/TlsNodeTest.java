package io.serigraph.grpc.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.grpc.TlsServerCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.serigraph.grpc.Fixtures;
import io.serigraph.grpc.client.RemoteRenderBackend;
import io.serigraph.pipeline.plan.Plan;
import io.serigraph.pipeline.plan.Planner;
import io.serigraph.pipeline.render.LocalRenderBackend;
import io.serigraph.pipeline.render.TraitLibrary;
import io.serigraph.pipeline.spec.CollectionSpec;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A node with TLS, and with mutual TLS, on loopback; certificates made by the JDK's keytool. */
class TlsNodeTest {
    @TempDir Path dir;

    /**
     * A self-signed certificate for 127.0.0.1 as PEM files {@code name.crt} and {@code name.key}.
     */
    private Path[] certificate(String name) throws Exception {
        Path store = dir.resolve(name + ".p12");
        Process p =
                new ProcessBuilder(
                                Path.of(System.getProperty("java.home"), "bin", "keytool")
                                        .toString(),
                                "-genkeypair",
                                "-alias",
                                name,
                                "-keyalg",
                                "EC",
                                "-groupname",
                                "secp256r1",
                                "-dname",
                                "CN=" + name,
                                "-ext",
                                "SAN=ip:127.0.0.1,dns:localhost",
                                "-validity",
                                "2",
                                "-storetype",
                                "PKCS12",
                                "-keystore",
                                store.toString(),
                                "-storepass",
                                "changeit")
                        .redirectErrorStream(true)
                        .start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(log).isZero();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            ks.load(in, "changeit".toCharArray());
        }
        Path crt = dir.resolve(name + ".crt");
        Path key = dir.resolve(name + ".key");
        Files.writeString(crt, pem("CERTIFICATE", ks.getCertificate(name).getEncoded()));
        Files.writeString(
                key, pem("PRIVATE KEY", ks.getKey(name, "changeit".toCharArray()).getEncoded()));
        return new Path[] {crt, key};
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN "
                + type
                + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(der)
                + "\n-----END "
                + type
                + "-----\n";
    }

    private SerigraphServer node(TlsServerCredentials.Builder tls) throws Exception {
        return SerigraphServer.builder(
                        NettyServerBuilder.forAddress(
                                new InetSocketAddress("127.0.0.1", 0), tls.build()))
                .setLayerDir(dir.resolve("node"))
                .optDevice(Fixtures.DEVICE)
                .optThreads(2)
                .optShutdownGrace(Duration.ofSeconds(5))
                .start();
    }

    private static ManagedChannel channel(int port, ChannelCredentials credentials) {
        return Grpc.newChannelBuilder("127.0.0.1:" + port, credentials).build();
    }

    @Test
    void rendersOverTlsWithTheLocalBytes() throws Exception {
        CollectionSpec spec = Fixtures.sample(dir.resolve("drop"), 3);
        Path[] server = certificate("node");
        Plan plan = new Planner(1).plan(spec);
        try (SerigraphServer node =
                node(
                        TlsServerCredentials.newBuilder()
                                .keyManager(server[0].toFile(), server[1].toFile()))) {
            ManagedChannel ch =
                    channel(
                            node.port(),
                            TlsChannelCredentials.newBuilder()
                                    .trustManager(server[0].toFile())
                                    .build());
            try (RemoteRenderBackend remote =
                            RemoteRenderBackend.builder(ch, spec).optOwnsChannel(true).build();
                    LocalRenderBackend local =
                            new LocalRenderBackend(spec, TraitLibrary.load(spec, 1))) {
                assertThat(remote.render(plan.get(0))).isEqualTo(local.render(plan.get(0)));
            }
        }
    }

    @Test
    void mutualTlsRefusesAClientWithoutACertificate() throws Exception {
        CollectionSpec spec = Fixtures.sample(dir.resolve("drop"), 3);
        Path[] server = certificate("node");
        Path[] client = certificate("studio");
        Plan plan = new Planner(1).plan(spec);
        try (SerigraphServer node =
                node(
                        TlsServerCredentials.newBuilder()
                                .keyManager(server[0].toFile(), server[1].toFile())
                                .trustManager(client[0].toFile())
                                .clientAuth(TlsServerCredentials.ClientAuth.REQUIRE))) {
            ManagedChannel anonymous =
                    channel(
                            node.port(),
                            TlsChannelCredentials.newBuilder()
                                    .trustManager(server[0].toFile())
                                    .build());
            try (RemoteRenderBackend remote =
                    RemoteRenderBackend.builder(anonymous, spec)
                            .optOwnsChannel(true)
                            .optRetries(1, Duration.ofMillis(1))
                            .build()) {
                assertThatThrownBy(() -> remote.render(plan.get(0)))
                        .isInstanceOf(StatusRuntimeException.class)
                        .extracting(e -> ((StatusRuntimeException) e).getStatus().getCode())
                        .isEqualTo(Status.Code.UNAVAILABLE);
            }
            ManagedChannel known =
                    channel(
                            node.port(),
                            TlsChannelCredentials.newBuilder()
                                    .trustManager(server[0].toFile())
                                    .keyManager(client[0].toFile(), client[1].toFile())
                                    .build());
            try (RemoteRenderBackend remote =
                    RemoteRenderBackend.builder(known, spec).optOwnsChannel(true).build()) {
                assertThat(remote.render(plan.get(0))).isNotEmpty();
            }
            assertThat(node.stats().tokensRendered()).isEqualTo(1);
        }
    }
}
