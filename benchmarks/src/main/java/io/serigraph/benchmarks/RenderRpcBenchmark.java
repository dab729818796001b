package io.serigraph.benchmarks;

import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.InsecureServerCredentials;
import io.grpc.ManagedChannel;
import io.grpc.ServerBuilder;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.serigraph.engine.composite.DeviceSetting;
import io.serigraph.grpc.client.RemoteRenderBackend;
import io.serigraph.grpc.server.SerigraphServer;
import io.serigraph.pipeline.plan.Plan;
import io.serigraph.pipeline.plan.Planner;
import io.serigraph.pipeline.render.LocalRenderBackend;
import io.serigraph.pipeline.render.RenderBackend;
import io.serigraph.pipeline.render.TraitLibrary;
import io.serigraph.pipeline.sample.SampleCollection;
import io.serigraph.pipeline.spec.CollectionSpec;
import io.serigraph.pipeline.spec.SpecLoader;
import java.nio.file.Files;
import java.nio.file.Path;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * What rendering through a node costs over rendering here: one token of the sample collection per
 * operation, on the Java compositor, via {@code local} (LocalRenderBackend in this JVM), {@code
 * inprocess} (RemoteRenderBackend over the in-process transport: stubs, protobuf, call machinery)
 * or {@code loopback} (RemoteRenderBackend over Netty on 127.0.0.1: plus HTTP/2 and the socket).
 * Score = tokens/s; the RPC overhead is the difference in time per token against {@code local}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RenderRpcBenchmark {
    @Param({"local", "inprocess", "loopback"})
    public String path;

    @Param({"128", "512"})
    public int canvas;

    private Path dir;
    private SerigraphServer server;
    private ManagedChannel channel;
    private RenderBackend backend;
    private Plan plan;
    private int next;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        dir = Files.createTempDirectory("serigraph-rpc-bench");
        CollectionSpec spec =
                SpecLoader.load(
                        new SampleCollection(canvas).write(dir.resolve("drop"), 64, "bench"));
        plan = new Planner(1).plan(spec);
        if (path.equals("local")) {
            backend = new LocalRenderBackend(spec, TraitLibrary.load(spec, 1), DeviceSetting.JAVA);
            return;
        }
        ServerBuilder<?> sb;
        if (path.equals("inprocess")) {
            String name = InProcessServerBuilder.generateName();
            sb = InProcessServerBuilder.forName(name);
            channel = InProcessChannelBuilder.forName(name).build();
        } else {
            sb = Grpc.newServerBuilderForPort(0, InsecureServerCredentials.create());
        }
        server =
                SerigraphServer.builder(sb)
                        .setLayerDir(dir.resolve("node"))
                        .optDevice(DeviceSetting.JAVA)
                        .start();
        if (channel == null) {
            channel =
                    Grpc.newChannelBuilderForAddress(
                                    "127.0.0.1", server.port(), InsecureChannelCredentials.create())
                            .build();
        }
        backend = RemoteRenderBackend.builder(channel, spec).build();
        backend.render(plan.get(0));
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        backend.close();
        if (channel != null) {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        if (server != null) {
            server.close();
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    @Benchmark
    public byte[] render() throws Exception {
        next = (next + 1) % plan.size();
        return backend.render(plan.get(next));
    }
}
