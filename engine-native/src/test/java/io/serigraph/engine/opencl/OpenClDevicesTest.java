package io.serigraph.engine.opencl;

import static org.assertj.core.api.Assertions.assertThat;

import io.serigraph.engine.composite.CompositorProvider;
import io.serigraph.engine.composite.ComputeDevices;
import io.serigraph.engine.composite.DeviceSetting;
import io.serigraph.engine.composite.DeviceUnavailableException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jocl.CL;
import org.jocl.cl_device_id;
import org.jocl.cl_platform_id;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OpenClDevicesTest {
    private static OpenClDevice fake(String name, long type) {
        return new OpenClDevice(new cl_platform_id(), new cl_device_id(), "P", name, type, 1 << 30);
    }

    @Test
    void gpusAndAcceleratorsRankAboveCpus() {
        assertThat(OpenClDevice.rankOf(CL.CL_DEVICE_TYPE_GPU))
                .isEqualTo(CompositorProvider.RANK_GPU);
        assertThat(OpenClDevice.rankOf(CL.CL_DEVICE_TYPE_ACCELERATOR))
                .isEqualTo(CompositorProvider.RANK_GPU);
        assertThat(OpenClDevice.rankOf(CL.CL_DEVICE_TYPE_CPU))
                .isEqualTo(CompositorProvider.RANK_CPU_OPENCL);
        assertThat(OpenClDevice.rankOf(CL.CL_DEVICE_TYPE_GPU | CL.CL_DEVICE_TYPE_DEFAULT))
                .isEqualTo(CompositorProvider.RANK_GPU);
        assertThat(CompositorProvider.RANK_GPU).isGreaterThan(CompositorProvider.RANK_JAVA);
        assertThat(CompositorProvider.RANK_JAVA).isGreaterThan(CompositorProvider.RANK_CPU_OPENCL);
    }

    @Test
    void devicesAreRankedBestFirstKeepingTheirOrderOnTies() {
        List<OpenClDevice> ranked =
                OpenClDevices.ranked(
                        List.of(
                                fake("cpu1", CL.CL_DEVICE_TYPE_CPU),
                                fake("gpu1", CL.CL_DEVICE_TYPE_GPU),
                                fake("cpu2", CL.CL_DEVICE_TYPE_CPU),
                                fake("acc", CL.CL_DEVICE_TYPE_ACCELERATOR)));
        assertThat(ranked)
                .extracting(OpenClDevice::name)
                .containsExactly("gpu1", "acc", "cpu1", "cpu2");
        assertThat(ranked.get(0).describe()).isEqualTo("OpenCL GPU \"gpu1\" on \"P\"");
    }

    @Test
    void theProviderReportsWhatDiscoveryFound() {
        OpenClDevices.Discovery discovery = OpenClDevices.cached();
        CompositorProvider.Availability availability =
                new OpenClCompositorProvider().availability();
        assertThat(availability.available()).isEqualTo(discovery.available());
        if (discovery.available()) {
            assertThat(availability.device()).isEqualTo(discovery.best().describe());
            assertThat(availability.rank()).isEqualTo(discovery.best().rank());
            assertThat(ComputeDevices.choose(DeviceSetting.AUTO).backend())
                    .isEqualTo(
                            discovery.best().rank() == CompositorProvider.RANK_GPU
                                    ? "opencl"
                                    : "java");
        } else {
            assertThat(availability.reason()).contains(OpenClDevices.INSTALL_HINT);
            assertThat(ComputeDevices.choose(DeviceSetting.AUTO).backend()).isEqualTo("java");
        }
    }

    /**
     * Runs {@link NoOpenClProbe} in a JVM whose OpenCL loader sees no driver ({@code
     * OCL_ICD_VENDORS} pointing at an empty directory): discovery reports the missing platform,
     * {@code auto} falls back to Java, and {@code opencl} fails with the install hint.
     */
    @Test
    void withoutAPlatformAutoFallsBackToJavaAndForcedOpenClFails(@TempDir Path empty)
            throws IOException, InterruptedException {
        Path icdDir = Files.createDirectory(empty.resolve("vendors"));
        String text = probe(empty, Map.of("OCL_ICD_VENDORS", icdDir.toString()), List.of());
        assertThat(text)
                .contains("available=false")
                .contains(OpenClDevices.INSTALL_HINT)
                .contains("auto=java")
                .contains("opencl=" + DeviceUnavailableException.class.getSimpleName());
    }

    /**
     * In a JVM without signal chaining (no libjsig preloaded) discovery touches no driver, whatever
     * is installed: {@code auto} is Java and {@code opencl} fails naming the remedy.
     */
    @Test
    void withoutSignalChainingOpenClIsNotProbed(@TempDir Path dir)
            throws IOException, InterruptedException {
        String text = probe(dir, Map.of(), List.of("LD_PRELOAD"));
        assertThat(text)
                .contains("available=false")
                .contains("without signal chaining")
                .contains("LD_PRELOAD=")
                .contains("libjsig.so")
                .contains("auto=java")
                .contains("opencl=" + DeviceUnavailableException.class.getSimpleName());
    }

    /** Runs {@link NoOpenClProbe} in a child JVM with these environment changes; its output. */
    private static String probe(Path dir, Map<String, String> set, List<String> unset)
            throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path output = dir.resolve("probe.txt");
        ProcessBuilder builder =
                new ProcessBuilder(
                                java.toString(),
                                "-cp",
                                System.getProperty("java.class.path"),
                                NoOpenClProbe.class.getName())
                        .redirectErrorStream(true)
                        .redirectOutput(output.toFile());
        builder.environment().putAll(set);
        unset.forEach(builder.environment()::remove);
        builder.environment().remove(DeviceSetting.ENV);
        Process process = builder.start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("probe finished").isTrue();
        String text = Files.readString(output, StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as(text).isZero();
        return text;
    }
}
