package io.serigraph.cli;

import io.grpc.InsecureServerCredentials;
import io.grpc.ServerCredentials;
import io.grpc.TlsServerCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.serigraph.grpc.server.BearerTokens;
import io.serigraph.grpc.server.InferenceModels;
import io.serigraph.grpc.server.MetricsEndpoint;
import io.serigraph.grpc.server.MintSettings;
import io.serigraph.grpc.server.SerigraphServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;
import org.web3j.crypto.Credentials;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code serigraph serve}: this machine as a render node behind gRPC. */
@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        description = {
            "Serve the serigraph.v1 gRPC API (render, drops, inference from the model store of"
                    + " --models, minting with --mint-rpc, health, reflection) until stopped.",
            "Without --tokens the node is unauthenticated and listens only on loopback, unless"
                    + " --insecure."
        })
final class ServeCommand implements Callable<Integer> {
    @Option(names = "--port", paramLabel = "PORT", description = "Port (default ${DEFAULT-VALUE}).")
    int port = 7443;

    @Option(
            names = "--host",
            paramLabel = "ADDRESS",
            description = "Address to bind (default ${DEFAULT-VALUE}; 0.0.0.0 for every one).")
    String host = "127.0.0.1";

    @Option(
            names = "--tokens",
            paramLabel = "FILE",
            description = "Bearer tokens, one a line: NAME TOKEN SCOPE[,SCOPE...].")
    Path tokens;

    @Option(
            names = "--insecure",
            description = "Allow serving without --tokens on a non-loopback address.")
    boolean insecure;

    @Option(names = "--tls-cert", paramLabel = "FILE", description = "TLS certificate chain (PEM).")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "FILE", description = "TLS private key (PEM).")
    Path tlsKey;

    @Option(
            names = "--tls-client-ca",
            paramLabel = "FILE",
            description = "Require client certificates signed by this CA (mutual TLS).")
    Path tlsClientCa;

    @Option(
            names = "--device",
            paramLabel = "auto|opencl|java",
            description = "Compositing device (default: SERIGRAPH_DEVICE, else auto).")
    String device;

    @Option(
            names = "--threads",
            paramLabel = "N",
            description = "Call threads (default: all cores, ${DEFAULT-VALUE}).")
    int threads = Runtime.getRuntime().availableProcessors();

    @Option(
            names = "--layers",
            paramLabel = "DIR",
            description = "Where uploaded layer sets are kept (default ${DEFAULT-VALUE}).")
    Path layers = Path.of(System.getProperty("user.home"), ".cache", "serigraph", "layers");

    @Option(
            names = "--max-calls",
            paramLabel = "N",
            description =
                    "Calls in flight at once before more are refused with RESOURCE_EXHAUSTED"
                            + " (default ${DEFAULT-VALUE}).")
    int maxCalls = 1024;

    @Option(
            names = "--max-message-mb",
            paramLabel = "MB",
            description = "Largest request message in MiB (default ${DEFAULT-VALUE}).")
    int maxMessageMb = 16;

    @Option(
            names = "--metrics-port",
            paramLabel = "PORT",
            description = "Serve Prometheus metrics at http://HOST:PORT/metrics (default: off).")
    Integer metricsPort;

    @Mixin ModelOptions model = new ModelOptions();

    @Option(
            names = "--no-inference",
            description = "Do not serve InferenceService (a render-only node: no model is loaded).")
    boolean noInference;

    @Option(
            names = "--drops",
            paramLabel = "DIR",
            description =
                    "Where the drops the node runs and mints are kept (default: drops next to"
                            + " --layers).")
    Path drops;

    @Option(
            names = "--mint-rpc",
            paramLabel = "URL",
            description =
                    "Serve MintService with this JSON-RPC endpoint; key: SERIGRAPH_PRIVATE_KEY, or"
                            + " --mint-key-file with SERIGRAPH_KEY_PASSWORD.")
    String mintRpc;

    @Option(names = "--mint-key-file", paramLabel = "F", description = "Encrypted keystore JSON.")
    Path mintKeyFile;

    @Option(names = "--mint-chain-id", paramLabel = "ID", description = "Refuse any other chain.")
    Long mintChainId;

    @Option(names = "--mainnet", description = "Allow minting on Ethereum mainnet (chain id 1).")
    boolean mainnet;

    private BearerTokens accepted;
    private InferenceModels served;

    /** Where the node's key comes from: the environment (tests substitute it). */
    static UnaryOperator<String> env = System::getenv;

    @Override
    public Integer call() throws Exception {
        SerigraphServer server = open();
        MetricsEndpoint metrics =
                metricsPort == null
                        ? null
                        : MetricsEndpoint.start(
                                new InetSocketAddress(host, metricsPort), server.stats());
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    if (metrics != null) {
                                        metrics.close();
                                    }
                                    server.close();
                                },
                                "serigraph-serve-stop"));
        System.out.println(
                "serving serigraph.v1 on "
                        + host
                        + ":"
                        + server.port()
                        + (tokens == null ? " (no auth)" : "")
                        + (tlsCert == null ? "" : " with TLS"));
        System.out.println(
                served == null
                        ? "inference: off (--no-inference)"
                        : "inference: "
                                + served.defaults()
                                + " from "
                                + model.store()
                                + " (health SERVING once loaded)");
        server.awaitTermination();
        return ExitCodes.OK;
    }

    /**
     * Checks the settings, opens the model store (unless {@code --no-inference}) and starts the
     * node; it warms up in the background, health NOT_SERVING until the device is warm and the
     * default models are loaded.
     */
    SerigraphServer open() throws BadInputException, IOException {
        check();
        served = noInference ? null : model.serve();
        try {
            return start(served);
        } catch (IOException | RuntimeException | BadInputException e) {
            if (served != null) {
                served.close();
            }
            throw e;
        }
    }

    /** Refuses bad settings before anything is opened, and reads the tokens. */
    private void check() throws BadInputException, IOException {
        if (threads < 1) {
            throw new BadInputException("--threads must be at least 1, was " + threads);
        }
        if (maxCalls < 1) {
            throw new BadInputException("--max-calls must be at least 1, was " + maxCalls);
        }
        if (maxMessageMb < 1 || maxMessageMb > 1024) {
            throw new BadInputException("--max-message-mb must be 1 to 1024, was " + maxMessageMb);
        }
        if (tokens != null) {
            if (!Files.isRegularFile(tokens)) {
                throw new BadInputException("--tokens " + tokens + ": no such file");
            }
            try {
                accepted = BearerTokens.load(tokens);
            } catch (IllegalArgumentException e) {
                throw new BadInputException(e.getMessage());
            }
        }
        try {
            SerigraphServer.checkExposure(host, accepted, insecure);
        } catch (IllegalArgumentException e) {
            throw new BadInputException(e.getMessage());
        }
    }

    private SerigraphServer start(InferenceModels served) throws BadInputException, IOException {
        MintSettings mint = mintRpc == null ? null : mintSettings();
        NettyServerBuilder builder =
                NettyServerBuilder.forAddress(new InetSocketAddress(host, port), credentials());
        return SerigraphServer.builder(builder)
                .setLayerDir(layers)
                .optDevice(Drops.deviceSetting(device))
                .optThreads(threads)
                .optMaxCalls(maxCalls)
                .optMaxMessageBytes(maxMessageMb * 1024 * 1024)
                .optTokens(accepted)
                .optModels(served)
                .optMint(mint)
                .optDropDir(drops)
                .start();
    }

    private ServerCredentials credentials() throws BadInputException, IOException {
        if (tlsCert == null && tlsKey == null) {
            if (tlsClientCa != null) {
                throw new BadInputException("--tls-client-ca needs --tls-cert and --tls-key");
            }
            return InsecureServerCredentials.create();
        }
        if (tlsCert == null || tlsKey == null) {
            throw new BadInputException("--tls-cert and --tls-key go together");
        }
        TlsServerCredentials.Builder tls =
                TlsServerCredentials.newBuilder().keyManager(tlsCert.toFile(), tlsKey.toFile());
        if (tlsClientCa != null) {
            tls.trustManager(tlsClientCa.toFile())
                    .clientAuth(TlsServerCredentials.ClientAuth.REQUIRE);
        }
        return tls.build();
    }

    private MintSettings mintSettings() throws BadInputException {
        Credentials key =
                SigningKeys.load(
                        env,
                        mintKeyFile,
                        "--mint-key-file",
                        "--mint-rpc needs the node's key",
                        false);
        return new MintSettings(mintRpc, key, mintChainId, mainnet);
    }
}
