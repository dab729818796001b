package io.serigraph.engine.opencl;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class SignalChainingTest {
    @Test
    void findsLibjsigAmongTheMappings() {
        assertThat(
                        SignalChaining.mapsLibjsig(
                                Stream.of(
                                        "7f00-7f10 r-xp 00000000 fe:00 1 /usr/lib/x86_64-linux-gnu/libz.so.1",
                                        "7f20-7f30 r-xp 00000000 fe:00 2"
                                                + " /usr/lib/jvm/java-17-openjdk-amd64/lib/libjsig.so",
                                        "7f40-7f50 rw-p 00000000 00:00 0 [heap]")))
                .isTrue();
        assertThat(
                        SignalChaining.mapsLibjsig(
                                Stream.of(
                                        "7f00-7f10 r-xp 00000000 fe:00 1 /usr/lib/x86_64-linux-gnu/libz.so.1",
                                        "7f20-7f30 r-xp 00000000 fe:00 2 /opt/not-libjsig.so/libjvm.so",
                                        "7f40-7f50 rw-p 00000000 00:00 0 [stack]")))
                .isFalse();
    }

    /**
     * The build preloads libjsig into every test JVM (parent POM, surefire), as the launcher does.
     */
    @Test
    void theTestJvmsRunWithSignalChaining() {
        if (Files.isReadable(Path.of("/proc/self/maps"))) {
            assertThat(SignalChaining.active())
                    .as("libjsig preloaded (LD_PRELOAD=%s)", System.getenv("LD_PRELOAD"))
                    .isTrue();
        }
    }
}
