package io.serigraph.engine.opencl;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Whether the JVM's signal handlers are protected against native libraries that install their own.
 *
 * <p>OpenCL drivers built on LLVM (PoCL among them) install handlers for {@code SIGSEGV}, {@code
 * SIGBUS} and {@code SIGFPE} when the platform is first queried, replacing the JVM's. HotSpot takes
 * those signals in normal operation (implicit null checks, safepoint polls, division checks in
 * compiled code), so from then on the process dies at a random moment with a plain segmentation
 * fault and no {@code hs_err} file. Observed here on Debian's PoCL 3.1 / LLVM 15: 6 of 33 short
 * renders on the Java path crashed once PoCL had been probed, none of 32 with signal chaining or
 * without PoCL ({@code -Xcheck:jni} reports "SIGSEGV handler modified" in libLLVM-15).
 *
 * <p>HotSpot's remedy is signal chaining: {@code libjsig.so} preloaded into the process ({@code
 * LD_PRELOAD=$JAVA_HOME/lib/libjsig.so}) keeps the JVM's handlers first and passes on to the
 * library's what the JVM does not handle. The {@code serigraph} command and the Maven test JVMs
 * preload it; OpenCL discovery refuses to touch a driver in a JVM without it.
 */
public final class SignalChaining {
    /** How to turn it on, for error messages. */
    public static final String REMEDY =
            "start the JVM with LD_PRELOAD="
                    + Path.of(System.getProperty("java.home"), "lib", "libjsig.so")
                    + " (the serigraph command does this)";

    private static final Path MAPS = Path.of("/proc/self/maps");

    private SignalChaining() {}

    /**
     * True when {@code libjsig} is mapped into this process, or when the process's mappings cannot
     * be read (not Linux: nothing is claimed there).
     */
    public static boolean active() {
        if (!Files.isReadable(MAPS)) {
            return true;
        }
        try (Stream<String> lines = Files.lines(MAPS)) {
            return mapsLibjsig(lines);
        } catch (IOException | java.io.UncheckedIOException e) {
            return true;
        }
    }

    /** True when one of {@code /proc/PID/maps}' lines maps a {@code libjsig} shared object. */
    static boolean mapsLibjsig(Stream<String> mapsLines) {
        return mapsLines.anyMatch(
                line -> {
                    int slash = line.lastIndexOf('/');
                    return slash >= 0 && line.startsWith("libjsig.", slash + 1);
                });
    }
}
