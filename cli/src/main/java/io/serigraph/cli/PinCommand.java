package io.serigraph.cli;

import io.serigraph.chain.pin.KuboRpcClient;
import io.serigraph.chain.pin.PinningServiceClient;
import io.serigraph.pipeline.publish.PinStage;
import io.serigraph.pipeline.spec.CollectionSpec;
import io.serigraph.pipeline.spec.SpecLoader;
import io.serigraph.pipeline.store.DropStore;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code serigraph pin DIR --node URL | --service URL}. */
@Command(
        name = "pin",
        mixinStandardHelpOptions = true,
        description = {
            "Pin a published drop (images, metadata, contract metadata): on an IPFS node through"
                    + " its Kubo RPC API (--node; the CAR files are imported), or with a pinning"
                    + " service through the IPFS Pinning Service API (--service).",
            "Resumable: what is already pinned (or requested) is not sent again. The access token"
                    + " is read from an environment variable, never from the command line."
        })
final class PinCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "DIR", description = "The drop folder.")
    Path dir;

    @Option(
            names = "--node",
            paramLabel = "URL",
            description = "A Kubo-compatible RPC API, e.g. http://127.0.0.1:5001.")
    URI node;

    @Option(
            names = "--service",
            paramLabel = "URL",
            description = "A Pinning Service API endpoint (without /pins).")
    URI service;

    @Option(
            names = "--token-env",
            paramLabel = "NAME",
            description =
                    "Environment variable holding the access token (default ${DEFAULT-VALUE});"
                            + " required for --service, sent as a Bearer token to --node when set.")
    String tokenEnv = "SERIGRAPH_PIN_TOKEN";

    @Option(
            names = "--timeout",
            paramLabel = "SECONDS",
            description = "Timeout of every call (default ${DEFAULT-VALUE}).")
    int timeout = 120;

    @Override
    public Integer call() throws Exception {
        if ((node == null) == (service == null)) {
            throw new BadInputException("give exactly one of --node URL and --service URL");
        }
        if (timeout < 1) {
            throw new BadInputException("--timeout must be at least 1 second, was " + timeout);
        }
        String token = System.getenv(tokenEnv);
        if (service != null && (token == null || token.isBlank())) {
            throw new BadInputException(
                    "--service needs an access token in the environment variable "
                            + tokenEnv
                            + " (export it, or name another with --token-env)");
        }
        CollectionSpec spec = SpecLoader.load(Drops.specFile(dir));
        Path db = spec.outDir().resolve("drop.db");
        if (!Files.isRegularFile(db)) {
            throw new BadInputException(
                    dir + ": not published yet (run 'serigraph publish " + dir + "' first)");
        }
        try (DropStore store = DropStore.open(db)) {
            PinStage stage = new PinStage(spec, store);
            List<PinStage.Item> items;
            if (node != null) {
                KuboRpcClient.Builder b =
                        KuboRpcClient.builder()
                                .setEndpoint(node)
                                .optTimeout(Duration.ofSeconds(timeout));
                if (token != null && !token.isBlank()) {
                    b.optAuthorization("Bearer " + token);
                }
                items = stage.toNode(b.build(), node.toString(), Drops.actor());
            } else {
                PinningServiceClient client =
                        PinningServiceClient.builder()
                                .setEndpoint(service)
                                .setAccessToken(token)
                                .optTimeout(Duration.ofSeconds(timeout))
                                .build();
                items = stage.toService(client, service.toString(), Drops.actor());
            }
            for (PinStage.Item i : items) {
                System.out.println(
                        String.format(
                                "  %-9s %s  %s%s",
                                i.what(),
                                i.cid(),
                                i.status(),
                                i.already() ? " (already there)" : ""));
            }
            System.out.println("pinned on " + (node != null ? node : service));
            return ExitCodes.OK;
        }
    }
}
