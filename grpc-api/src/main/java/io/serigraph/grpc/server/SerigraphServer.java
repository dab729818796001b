package io.serigraph.grpc.server;

import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import io.serigraph.engine.composite.BatchCompositor;
import io.serigraph.engine.composite.ComputeDevices;
import io.serigraph.engine.composite.DeviceSetting;
import io.serigraph.grpc.v1.DropServiceGrpc;
import io.serigraph.grpc.v1.InferenceServiceGrpc;
import io.serigraph.grpc.v1.MintServiceGrpc;
import io.serigraph.grpc.v1.RenderServiceGrpc;
import io.serigraph.inference.store.ModelStoreException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Serigraph node: {@code serigraph.v1} render and drop services, {@code grpc.health.v1} health
 * ({@code NOT_SERVING} until the compute device is warm, then {@code SERVING}) and reflection v1,
 * behind bearer-token auth when tokens are given. Takes any {@link ServerBuilder}, so tests run it
 * on the in-process transport and {@code serigraph serve} on Netty. Calls run on a fixed pool of
 * call threads, and the calls in flight are bounded ({@link Builder#optMaxCalls}); closing shuts
 * down gracefully (running calls get a grace period, then are cancelled).
 */
public final class SerigraphServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SerigraphServer.class);

    /** The services health reports on, besides the whole server (""). */
    public static final List<String> SERVICES =
            List.of(RenderServiceGrpc.SERVICE_NAME, DropServiceGrpc.SERVICE_NAME);

    private final Server server;
    private final ThreadPoolExecutor executor;
    private final Workspaces workspaces;
    private final HealthStatusManager health;
    private final ServerStats stats;
    private final Duration grace;
    private final Thread warmup;
    private final InferenceModels models;
    private final NodeDrops drops;
    private final MintServiceImpl mint;

    private SerigraphServer(Builder b) throws IOException {
        int threads = b.threads;
        this.stats = new ServerStats();
        this.grace = b.grace;
        this.models = b.models;
        AtomicInteger n = new AtomicInteger();
        this.executor =
                new ThreadPoolExecutor(
                        threads,
                        threads,
                        60,
                        TimeUnit.SECONDS,
                        new LinkedBlockingQueue<>(),
                        r -> {
                            Thread t = new Thread(r, "serigraph-grpc-" + n.incrementAndGet());
                            t.setDaemon(true);
                            return t;
                        });
        LayerStore layers = new LayerStore(b.layerDir, b.maxLayerSetBytes);
        this.workspaces = new Workspaces(layers, b.device, threads);
        this.drops =
                new NodeDrops(
                        b.dropDir != null
                                ? b.dropDir
                                : b.layerDir.toAbsolutePath().resolveSibling("drops"),
                        layers);
        this.mint = b.mint == null ? null : new MintServiceImpl(b.mint, drops, workspaces, stats);
        this.health = new HealthStatusManager();
        health.setStatus(HealthStatusManager.SERVICE_NAME_ALL_SERVICES, ServingStatus.NOT_SERVING);
        for (String s : services()) {
            health.setStatus(s, ServingStatus.NOT_SERVING);
        }
        stats.callQueue(() -> executor.getQueue().size());
        stats.models(models);
        ServerBuilder<?> sb = b.serverBuilder;
        sb.executor(executor)
                .maxInboundMessageSize(b.maxMessageBytes)
                .maxInboundMetadataSize(16 * 1024)
                .addService(new RenderServiceImpl(layers, workspaces, stats, threads))
                .addService(new DropServiceImpl(workspaces, drops, stats, threads))
                .addService(health.getHealthService())
                .addService(ProtoReflectionServiceV1.newInstance());
        if (models != null) {
            sb.addService(new InferenceServiceImpl(models, b.maxImagePixels));
        }
        if (mint != null) {
            sb.addService(mint);
        }
        // The last interceptor added runs first: observe (request id, metrics, access log),
        // authenticate, then count the call against the limit.
        sb.intercept(new CallLimitInterceptor(b.maxCalls));
        if (b.tokens != null) {
            sb.intercept(new AuthInterceptor(b.tokens));
        }
        sb.intercept(new ObservingInterceptor(stats.rpc(), b.accessLog));
        this.server = sb.build().start();
        DeviceSetting device = b.device;
        this.warmup = new Thread(() -> warmUp(device), "serigraph-grpc-warmup");
        warmup.setDaemon(true);
        warmup.start();
    }

    /** A server on {@code serverBuilder} (not yet built). */
    public static Builder builder(ServerBuilder<?> serverBuilder) {
        return new Builder(serverBuilder);
    }

    private void warmUp(DeviceSetting device) {
        try {
            ComputeDevices.Choice choice = ComputeDevices.choose(device);
            try (BatchCompositor c = choice.open(1, 1)) {
                log.info("compute device warm: {}: {}", choice.backend(), choice.device());
            }
            stats.computeDevice(String.valueOf(choice.backend()), String.valueOf(choice.device()));
            if (models != null) {
                // Loads the default models (hashes checked, weights resident) before SERVING.
                models.clip("");
                if (models.hasDefaultAesthetic()) {
                    models.aesthetic("");
                }
                log.info("inference models loaded: {}", models.defaults());
            }
            health.setStatus(HealthStatusManager.SERVICE_NAME_ALL_SERVICES, ServingStatus.SERVING);
            for (String s : services()) {
                health.setStatus(s, ServingStatus.SERVING);
            }
        } catch (RuntimeException | ModelStoreException e) {
            log.error("the node failed to warm up and stays NOT_SERVING", e);
        }
    }

    /** The services health reports on: {@link #SERVICES}, inference and mint when configured. */
    private List<String> services() {
        List<String> all = new ArrayList<>(SERVICES);
        if (models != null) {
            all.add(InferenceServiceGrpc.SERVICE_NAME);
        }
        if (mint != null) {
            all.add(MintServiceGrpc.SERVICE_NAME);
        }
        return all;
    }

    /** The port the server listens on (-1 for the in-process transport). */
    public int port() {
        return server.getPort();
    }

    /** What the node has done. */
    public ServerStats stats() {
        return stats;
    }

    /** Waits until the warm-up has finished, successfully or not. */
    public boolean awaitWarm(Duration timeout) throws InterruptedException {
        warmup.join(Math.max(1, timeout.toMillis()));
        return !warmup.isAlive();
    }

    /** Blocks until the server terminates. */
    public void awaitTermination() throws InterruptedException {
        server.awaitTermination();
    }

    /**
     * Graceful shutdown: health goes NOT_SERVING, no new calls are accepted, running calls get the
     * grace period, then are cancelled; then every backend is closed.
     */
    @Override
    public void close() {
        health.enterTerminalState();
        server.shutdown();
        try {
            if (!server.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                server.shutdownNow();
                server.awaitTermination(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            server.shutdownNow();
            Thread.currentThread().interrupt();
        } finally {
            executor.shutdownNow();
            if (mint != null) {
                mint.close();
            }
            drops.close();
            workspaces.close();
            if (models != null) {
                models.close();
            }
        }
    }

    /**
     * Whether a node may listen on {@code host} as configured: without tokens it is open to anyone
     * who can reach it, so that is allowed only on a loopback address or with {@code insecure}.
     *
     * @throws IllegalArgumentException when it may not, saying what to do
     */
    public static void checkExposure(String host, BearerTokens tokens, boolean insecure)
            throws UnknownHostException {
        if (tokens != null || insecure) {
            return;
        }
        for (InetAddress a : InetAddress.getAllByName(host)) {
            if (!a.isLoopbackAddress()) {
                throw new IllegalArgumentException(
                        "refusing to serve without --tokens on "
                                + host
                                + " (not loopback): give --tokens FILE, bind 127.0.0.1, or pass"
                                + " --insecure");
            }
        }
    }

    /** Settings: required {@code set*}, optional {@code opt*}. */
    public static final class Builder {
        private final ServerBuilder<?> serverBuilder;
        private Path layerDir;
        private Path dropDir;
        private DeviceSetting device = DeviceSetting.AUTO;
        private int threads = Runtime.getRuntime().availableProcessors();
        private int maxCalls = 1024;
        private int maxMessageBytes = 16 * 1024 * 1024;
        private long maxLayerSetBytes = 4L * 1024 * 1024 * 1024;
        private BearerTokens tokens;
        private Duration grace = Duration.ofSeconds(30);
        private InferenceModels models;
        private Consumer<String> accessLog;
        private MintSettings mint;
        private long maxImagePixels = 64L * 1024 * 1024;

        private Builder(ServerBuilder<?> serverBuilder) {
            this.serverBuilder = Objects.requireNonNull(serverBuilder);
        }

        /** Where uploaded layer sets are kept (required). */
        public Builder setLayerDir(Path dir) {
            this.layerDir = dir;
            return this;
        }

        /**
         * Where the drops the node runs are kept, one folder each (default: {@code drops} next to
         * the layer folder).
         */
        public Builder optDropDir(Path dir) {
            this.dropDir = dir;
            return this;
        }

        /** Compositing device (default auto). */
        public Builder optDevice(DeviceSetting device) {
            this.device = device;
            return this;
        }

        /** Call threads (default: all cores). */
        public Builder optThreads(int threads) {
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be at least 1");
            }
            this.threads = threads;
            return this;
        }

        /**
         * Calls in flight at once (running or waiting for a call thread) before more are {@code
         * RESOURCE_EXHAUSTED} (default 1024); health checks are not counted.
         */
        public Builder optMaxCalls(int calls) {
            if (calls < 1) {
                throw new IllegalArgumentException("max calls must be at least 1");
            }
            this.maxCalls = calls;
            return this;
        }

        /** Largest request message (default 16 MiB); larger is RESOURCE_EXHAUSTED. */
        public Builder optMaxMessageBytes(int bytes) {
            this.maxMessageBytes = bytes;
            return this;
        }

        /** Largest layer set an upload may bring (default 4 GiB). */
        public Builder optMaxLayerSetBytes(long bytes) {
            this.maxLayerSetBytes = bytes;
            return this;
        }

        /** Bearer tokens; without them the node is unauthenticated (dev mode). */
        public Builder optTokens(BearerTokens tokens) {
            this.tokens = tokens;
            return this;
        }

        /** How long running calls may finish at shutdown (default 30 s). */
        public Builder optShutdownGrace(Duration grace) {
            this.grace = grace;
            return this;
        }

        /**
         * Serves {@code InferenceService} from {@code models}; the server loads their defaults
         * before it reports SERVING, and closes them when it closes.
         */
        public Builder optModels(InferenceModels models) {
            this.models = models;
            return this;
        }

        /**
         * Where the JSON access line of each call goes (default: the {@code
         * io.serigraph.grpc.access} logger at INFO).
         */
        public Builder optAccessLog(Consumer<String> accessLog) {
            this.accessLog = accessLog;
            return this;
        }

        /** Serves {@code MintService} with the node's RPC endpoint and key. */
        public Builder optMint(MintSettings mint) {
            this.mint = mint;
            return this;
        }

        /** Largest image (pixels) an inference request may send (default 64 Mi). */
        public Builder optMaxImagePixels(long pixels) {
            if (pixels < 1) {
                throw new IllegalArgumentException("max image pixels must be at least 1");
            }
            this.maxImagePixels = pixels;
            return this;
        }

        /** Builds and starts the server. */
        public SerigraphServer start() throws IOException {
            Objects.requireNonNull(layerDir, "setLayerDir is required");
            return new SerigraphServer(this);
        }
    }
}
