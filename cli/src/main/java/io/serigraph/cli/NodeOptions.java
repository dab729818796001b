package io.serigraph.cli;

import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.TlsChannelCredentials;
import io.serigraph.grpc.client.RemoteRenderBackend;
import io.serigraph.pipeline.render.RenderBackend;
import io.serigraph.pipeline.spec.CollectionSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --node host:port} and how to reach it: render on a Serigraph node instead of here. */
final class NodeOptions {
    /** Environment variable holding the bearer token when no --token-file is given. */
    static final String TOKEN_ENV = "SERIGRAPH_TOKEN";

    @Option(
            names = "--node",
            paramLabel = "HOST:PORT",
            description =
                    "Render on this Serigraph node (serigraph serve) instead of locally; same"
                            + " bytes.")
    String node;

    @Option(
            names = "--token-file",
            paramLabel = "FILE",
            description = "File holding the node's bearer token (default: $" + TOKEN_ENV + ").")
    Path tokenFile;

    @Option(
            names = "--tls-ca",
            paramLabel = "FILE",
            description = "Connect to the node with TLS, trusting this CA certificate (PEM).")
    Path tlsCa;

    boolean enabled() {
        return node != null;
    }

    /** A backend rendering {@code spec} on the node; closing it closes the channel. */
    RenderBackend open(CollectionSpec spec) throws BadInputException, IOException {
        ChannelCredentials credentials = InsecureChannelCredentials.create();
        if (tlsCa != null) {
            if (!Files.isRegularFile(tlsCa)) {
                throw new BadInputException("--tls-ca " + tlsCa + ": no such file");
            }
            credentials = TlsChannelCredentials.newBuilder().trustManager(tlsCa.toFile()).build();
        }
        String token = System.getenv(TOKEN_ENV);
        if (tokenFile != null) {
            if (!Files.isRegularFile(tokenFile)) {
                throw new BadInputException("--token-file " + tokenFile + ": no such file");
            }
            token = Files.readString(tokenFile, StandardCharsets.UTF_8).strip();
        }
        ManagedChannel channel = Grpc.newChannelBuilder(node, credentials).build();
        try {
            return RemoteRenderBackend.builder(channel, spec)
                    .optOwnsChannel(true)
                    .optToken(token == null || token.isBlank() ? null : token)
                    .build();
        } catch (IllegalArgumentException e) {
            channel.shutdownNow();
            throw new BadInputException(e.getMessage());
        } catch (IOException | RuntimeException e) {
            channel.shutdownNow();
            throw e;
        }
    }
}
