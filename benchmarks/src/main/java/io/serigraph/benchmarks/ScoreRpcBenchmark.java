package io.serigraph.benchmarks;

import com.google.protobuf.ByteString;
import io.grpc.InsecureChannelCredentials;
import io.grpc.InsecureServerCredentials;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.serigraph.engine.composite.DeviceSetting;
import io.serigraph.engine.image.RgbaImage;
import io.serigraph.engine.png.PngEncoder;
import io.serigraph.grpc.server.InferenceModels;
import io.serigraph.grpc.server.SerigraphServer;
import io.serigraph.grpc.v1.InferenceServiceGrpc;
import io.serigraph.grpc.v1.ScoreRequest;
import io.serigraph.inference.batch.BatchPolicy;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@code InferenceService.Score} requests per second on a node on 127.0.0.1 (Netty), 16 client
 * threads each sending one request at a time: a 256x256 PNG, two prompts, the tiny CLIP and
 * aesthetic fixtures. {@code maxBatch} is the node's batcher limit: 1 turns batching off, so the
 * difference is what batching concurrent requests buys. Score = requests/s (all threads).
 *
 * <p>The model store is found as in {@link ClipEmbedBenchmark} ({@code -Dserigraph.models=DIR}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 3)
@Threads(16)
@Fork(1)
public class ScoreRpcBenchmark {
    @Param({"1", "16"})
    public int maxBatch;

    private Path dir;
    private SerigraphServer server;
    private ManagedChannel channel;
    private InferenceServiceGrpc.InferenceServiceBlockingStub stub;
    private ScoreRequest request;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        dir = Files.createTempDirectory("serigraph-score-bench");
        server =
                SerigraphServer.builder(
                                NettyServerBuilder.forAddress(
                                        new InetSocketAddress("127.0.0.1", 0),
                                        InsecureServerCredentials.create()))
                        .setLayerDir(dir.resolve("node"))
                        .optDevice(DeviceSetting.JAVA)
                        .optThreads(16)
                        .optModels(
                                InferenceModels.open(
                                        ClipEmbedBenchmark.modelStore(),
                                        InferenceModels.DEFAULT_CLIP,
                                        InferenceModels.DEFAULT_AESTHETIC,
                                        new BatchPolicy(maxBatch, Duration.ofMillis(2), 4096)))
                        .optAccessLog(line -> {})
                        .start();
        server.awaitWarm(Duration.ofMinutes(2));
        channel =
                NettyChannelBuilder.forAddress(
                                "127.0.0.1", server.port(), InsecureChannelCredentials.create())
                        .build();
        stub = InferenceServiceGrpc.newBlockingStub(channel);
        byte[] px = new byte[256 * 256 * 4];
        for (int p = 0; p < px.length; p += 4) {
            int x = (p / 4) % 256;
            int y = (p / 4) / 256;
            px[p] = (byte) x;
            px[p + 1] = (byte) y;
            px[p + 2] = (byte) (x ^ y);
            px[p + 3] = (byte) 255;
        }
        byte[] png;
        try (PngEncoder encoder = new PngEncoder()) {
            png = encoder.encode(new RgbaImage(256, 256, px));
        }
        request =
                ScoreRequest.newBuilder()
                        .setImage(ByteString.copyFrom(png))
                        .addPrompts("a cat in a red hat")
                        .addPrompts("a crown")
                        .build();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        server.close();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    @Benchmark
    public double score() {
        return stub.withDeadlineAfter(60, TimeUnit.SECONDS).score(request).getAesthetic();
    }
}
