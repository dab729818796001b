package io.serigraph.cli;

import com.sun.management.GarbageCollectionNotificationInfo;
import io.serigraph.engine.image.RgbaImage;
import io.serigraph.engine.png.PngEncoder;
import io.serigraph.pipeline.render.RenderStage;
import io.serigraph.pipeline.sample.BenchmarkLayers;
import io.serigraph.pipeline.store.AtomicFiles;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code serigraph bench}: end-to-end measurements. */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = "End-to-end benchmarks (JMH micro-benchmarks live in the benchmarks module).",
        subcommands = {BenchCommand.Render.class})
final class BenchCommand implements Runnable {
    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Weights of the benchmark layer set's traits, as shared/bench/make_layers.py gives them. */
    private static final int[] WEIGHTS = {40, 25, 15, 10, 5, 3, 1, 1, 20, 20};

    private static final String[] LAYER_NAMES = {
        "Background", "Body", "Eyes", "Mouth", "Hat", "Accessory", "Aura", "Frame"
    };

    /** {@code serigraph bench render}. */
    @Command(
            name = "render",
            mixinStandardHelpOptions = true,
            description = {
                "Render N tokens of the synthetic benchmark layer set (the shapes of"
                        + " shared/bench/make_layers.py: opaque noisy gradient background,"
                        + " anti-aliased translucent shapes) through the real render stage, and"
                        + " print tokens/s, CPU seconds, peak RSS and output bytes.",
                "Use --layers-dir to render an existing HashLips-style folder instead (e.g. one"
                        + " written by make_layers.py)."
            })
    static final class Render implements Callable<Integer> {
        @Option(
                names = "--tokens",
                paramLabel = "N",
                description = "Tokens (default ${DEFAULT-VALUE}).")
        int tokens = 1000;

        @Option(
                names = "--noise",
                description = "Noise stddev; 0 = flat art (default ${DEFAULT-VALUE}).")
        double noise = 12;

        @Option(
                names = "--size",
                paramLabel = "PX",
                description = "Canvas size (default ${DEFAULT-VALUE}).")
        int size = 512;

        @Option(names = "--layers", description = "Layers (default ${DEFAULT-VALUE}).")
        int layers = 6;

        @Option(names = "--traits", description = "Traits per layer (default ${DEFAULT-VALUE}).")
        int traits = 8;

        @Option(
                names = "--compression",
                paramLabel = "fast|default|max|0..9",
                description =
                        "The spec's output.compression: a preset or a zlib level (default"
                                + " ${DEFAULT-VALUE}).")
        String compression = "default";

        @Option(names = "--threads", description = "Rendering threads (default: all cores).")
        int threads = Runtime.getRuntime().availableProcessors();

        @Option(
                names = "--device",
                paramLabel = "auto|opencl|java",
                description = Drops.DEVICE_HELP)
        String device;

        @Option(
                names = "--layers-dir",
                paramLabel = "DIR",
                description = "Render this HashLips-style layers folder instead of generating one.")
        Path layersDir;

        @Option(
                names = "--dir",
                paramLabel = "DIR",
                description = "Work folder (default: a new temporary folder, deleted afterwards).")
        Path dir;

        @Override
        public Integer call() throws Exception {
            if (tokens < 1 || size < 16 || layers < 1 || traits < 1 || threads < 1) {
                throw new BadInputException(
                        "--tokens, --layers, --traits and --threads must be positive, --size >= 16");
            }
            boolean temporary = dir == null;
            Path work = temporary ? Files.createTempDirectory("serigraph-bench-") : dir;
            var out = System.out;
            try {
                Path layerRoot =
                        layersDir != null
                                ? layersDir.toAbsolutePath()
                                : writeLayers(work.resolve("layers"));
                writeSpec(work, layerRoot);
                try (LiveHeap live = new LiveHeap()) {
                    long cpu0 = cpuNanos();
                    long kernel0 = kernelTicks();
                    RenderStage.Report r =
                            Drops.render(
                                    work, threads, true, device, "bench", out, Drops.terminal());
                    double cpu = (cpuNanos() - cpu0) / 1e9;
                    long kernel1 = kernelTicks();
                    double kernel = kernel0 < 0 || kernel1 < 0 ? -1 : (kernel1 - kernel0) / USER_HZ;
                    double wall = r.elapsed().toNanos() / 1e9;
                    long bytes = imageBytes(work.resolve("out/images"));
                    out.println(
                            String.format(
                                    Locale.ROOT,
                                    "bench render: %d tokens %dx%d x %d layers (%s, compression %s) on %s,"
                                            + " %d threads%n"
                                            + "  %.1f tokens/s  wall %.2f s  cpu %.2f s%s  peak RSS %d MB"
                                            + "  peak live heap %d MB%n"
                                            + "  images %.1f MB, %.1f KB per token",
                                    r.rendered(),
                                    size,
                                    size,
                                    layers,
                                    layersDir != null ? "layers " + layersDir : "noise " + noise,
                                    compression,
                                    r.device(),
                                    threads,
                                    r.rendered() / wall,
                                    wall,
                                    cpu,
                                    kernel < 0
                                            ? ""
                                            : String.format(
                                                    Locale.ROOT, " (kernel %.2f s)", kernel),
                                    peakRssKb() / 1024,
                                    live.peakMb(),
                                    bytes / 1e6,
                                    bytes / 1e3 / r.rendered()));
                    if (kernel > KERNEL_NOTE_SECONDS && kernel > cpu * KERNEL_NOTE_SHARE) {
                        out.println(
                                String.format(
                                        Locale.ROOT,
                                        "  note: %.2f s of the CPU was the kernel's; on a"
                                                + " journal-less ext4, creating files where many"
                                                + " were deleted in the last minutes is slow"
                                                + " (benchmarks/README.md): measure in a fresh"
                                                + " folder (--dir) or on tmpfs",
                                        kernel));
                    }
                }
            } finally {
                if (temporary) {
                    deleteTree(work);
                }
            }
            return ExitCodes.OK;
        }

        private Path writeLayers(Path root) throws IOException {
            RgbaImage[][] images = BenchmarkLayers.generate(size, layers, traits, 1, noise);
            try (PngEncoder encoder = new PngEncoder(PngEncoder.FilterStrategy.NONE, 6)) {
                for (int l = 0; l < layers; l++) {
                    String name = l < LAYER_NAMES.length ? LAYER_NAMES[l] : "Layer" + l;
                    for (int t = 0; t < traits; t++) {
                        AtomicFiles.write(
                                root.resolve(String.format(Locale.ROOT, "%02d %s", l, name))
                                        .resolve(
                                                name
                                                        + t
                                                        + "#"
                                                        + WEIGHTS[t % WEIGHTS.length]
                                                        + ".png"),
                                encoder.encode(images[l][t]));
                    }
                }
            }
            return root;
        }

        private void writeSpec(Path work, Path layerRoot) throws IOException {
            StringBuilder y = new StringBuilder();
            y.append("name: Bench\nsymbol: BENCH\nsize: ").append(tokens).append('\n');
            y.append("seed: 1\ncanvas: {width: ")
                    .append(size)
                    .append(", height: ")
                    .append(size)
                    .append("}\n");
            y.append("layers:\n");
            // make_layers.py's layer order (Background first) where the names match it, other
            // folders after those, by name.
            Comparator<Path> order =
                    Comparator.comparingInt(
                                    (Path f) -> {
                                        int k =
                                                Arrays.asList(LAYER_NAMES)
                                                        .indexOf(f.getFileName().toString());
                                        return k < 0 ? Integer.MAX_VALUE : k;
                                    })
                            .thenComparing(f -> f.getFileName().toString());
            try (Stream<Path> folders = Files.list(layerRoot)) {
                for (Path f :
                        (Iterable<Path>)
                                folders.filter(Files::isDirectory).sorted(order)::iterator) {
                    String folder = f.getFileName().toString();
                    y.append("  - name: \"").append(folder).append("\"\n");
                    y.append("    dir: \"").append(f.toString().replace("\\", "/")).append("\"\n");
                }
            }
            y.append("output: {compression: ").append(compression).append("}\n");
            AtomicFiles.write(
                    work.resolve("serigraph.yaml"), y.toString().getBytes(StandardCharsets.UTF_8));
        }
    }

    /** Clock ticks per second of /proc's times (USER_HZ, 100 on Linux). */
    private static final double USER_HZ = 100;

    /** A run whose kernel time passes both of these gets a note on what it may mean. */
    private static final double KERNEL_NOTE_SECONDS = 0.5;

    private static final double KERNEL_NOTE_SHARE = 0.25;

    /**
     * Kernel-mode CPU time of this process (all threads) in clock ticks, from /proc/self/stat
     * ({@code stime}, field 15), or -1 where there is no such file.
     */
    static long kernelTicks() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            // Field 2, the name, is in parentheses and may hold spaces: split what follows it.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[12]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    static long cpuNanos() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return sun.getProcessCpuTime();
        }
        return 0;
    }

    /**
     * The most heap found still in use after any garbage collection while it listens: what a run
     * really holds, which stays flat whatever the token count when nothing per token is kept (peak
     * RSS also follows how far the collector let the heap grow).
     */
    static final class LiveHeap implements NotificationListener, AutoCloseable {
        private final AtomicLong peak = new AtomicLong();
        private final List<NotificationEmitter> emitters = new ArrayList<>();

        LiveHeap() {
            for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                if (gc instanceof NotificationEmitter emitter) {
                    emitter.addNotificationListener(this, null, null);
                    emitters.add(emitter);
                }
            }
        }

        @Override
        public void handleNotification(Notification n, Object handback) {
            if (!n.getType()
                    .equals(GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION)) {
                return;
            }
            GarbageCollectionNotificationInfo info =
                    GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
            long used = 0;
            for (MemoryUsage u : info.getGcInfo().getMemoryUsageAfterGc().values()) {
                used += u.getUsed();
            }
            peak.accumulateAndGet(used, Math::max);
        }

        /** The peak, in MB, with a last collection now so a run too short for any still counts. */
        long peakMb() {
            System.gc();
            return Math.max(
                            peak.get(),
                            ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed())
                    >> 20;
        }

        @Override
        public void close() {
            for (NotificationEmitter e : emitters) {
                try {
                    e.removeNotificationListener(this);
                } catch (ListenerNotFoundException ignored) {
                    // never added
                }
            }
        }
    }

    /** Peak resident set size from /proc (Linux), or 0 where unknown. */
    static long peakRssKb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
        return 0;
    }

    static long imageBytes(Path images) throws IOException {
        try (Stream<Path> s = Files.list(images)) {
            long total = 0;
            for (Path p : (Iterable<Path>) s::iterator) {
                total += Files.size(p);
            }
            return total;
        }
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p :
                    (Iterable<Path>) walk.sorted(java.util.Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }
}
