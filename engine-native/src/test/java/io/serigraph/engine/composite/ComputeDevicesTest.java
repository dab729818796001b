package io.serigraph.engine.composite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.serigraph.engine.composite.CompositorProvider.Availability;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ComputeDevicesTest {
    /** A provider with a fixed answer; {@code open} gives a Java compositor. */
    private record Fixed(String name, Availability availability) implements CompositorProvider {
        @Override
        public BatchCompositor open(int width, int height) {
            return new JavaBatchCompositor(width, height);
        }
    }

    private static final Fixed GPU =
            new Fixed("opencl", Availability.of(CompositorProvider.RANK_GPU, "a GPU"));
    private static final Fixed CPU_OPENCL =
            new Fixed("opencl", Availability.of(CompositorProvider.RANK_CPU_OPENCL, "a CPU"));
    private static final Fixed NO_OPENCL =
            new Fixed("opencl", Availability.unavailable("no platform: install pocl-opencl-icd"));
    private static final Fixed JAVA =
            new Fixed("java", Availability.of(CompositorProvider.RANK_JAVA, "Java"));

    @Test
    void autoTakesTheAvailableBackendOfHighestRank() {
        assertThat(ComputeDevices.choose(DeviceSetting.AUTO, List.of(JAVA, GPU)).provider())
                .isSameAs(GPU);
        assertThat(ComputeDevices.choose(DeviceSetting.AUTO, List.of(CPU_OPENCL, JAVA)).provider())
                .isSameAs(JAVA);
        assertThat(
                        ComputeDevices.choose(DeviceSetting.AUTO, List.of(JAVA, CPU_OPENCL, GPU))
                                .device())
                .isEqualTo("a GPU");
    }

    @Test
    void autoNamesWhatItPassedOverAndWhy() {
        assertThat(
                        ComputeDevices.skipped(
                                ComputeDevices.choose(
                                        DeviceSetting.AUTO, List.of(CPU_OPENCL, JAVA)),
                                List.of(CPU_OPENCL, JAVA)))
                .isEqualTo(
                        "; skipped: opencl: a CPU ranks below Java (device setting opencl forces it)");
        assertThat(
                        ComputeDevices.skipped(
                                ComputeDevices.choose(DeviceSetting.AUTO, List.of(NO_OPENCL, JAVA)),
                                List.of(NO_OPENCL, JAVA)))
                .isEqualTo("; skipped: opencl: no platform: install pocl-opencl-icd");
        assertThat(
                        ComputeDevices.skipped(
                                ComputeDevices.choose(DeviceSetting.AUTO, List.of(JAVA, GPU)),
                                List.of(JAVA, GPU)))
                .isEqualTo(
                        "; skipped: java: Java ranks below a GPU (device setting java forces it)");
    }

    @Test
    void forcingOpenClTakesACpuDeviceToo() {
        assertThat(
                        ComputeDevices.choose(DeviceSetting.OPENCL, List.of(JAVA, CPU_OPENCL))
                                .provider())
                .isSameAs(CPU_OPENCL);
    }

    @Test
    void autoFallsBackToJavaWhenOpenClIsUnavailable() {
        ComputeDevices.Choice choice =
                ComputeDevices.choose(DeviceSetting.AUTO, List.of(NO_OPENCL, JAVA));
        assertThat(choice.provider()).isSameAs(JAVA);
        assertThat(choice.backend()).isEqualTo("java");
    }

    @Test
    void forcingJavaGivesJavaEvenWithAGpu() {
        assertThat(ComputeDevices.choose(DeviceSetting.JAVA, List.of(GPU, JAVA)).provider())
                .isSameAs(JAVA);
    }

    @Test
    void forcingOpenClWhereItIsUnavailableIsAnErrorNotAFallback() {
        assertThatThrownBy(
                        () -> ComputeDevices.choose(DeviceSetting.OPENCL, List.of(NO_OPENCL, JAVA)))
                .isInstanceOf(DeviceUnavailableException.class)
                .hasMessageContaining("'opencl'")
                .hasMessageContaining("install pocl-opencl-icd");
        assertThatThrownBy(() -> ComputeDevices.choose(DeviceSetting.OPENCL, List.of(JAVA)))
                .isInstanceOf(DeviceUnavailableException.class)
                .hasMessageContaining("no such backend")
                .hasMessageContaining("found: java");
    }

    @Test
    void noAvailableBackendIsAnError() {
        assertThatThrownBy(() -> ComputeDevices.choose(DeviceSetting.AUTO, List.of(NO_OPENCL)))
                .isInstanceOf(DeviceUnavailableException.class)
                .hasMessageContaining("opencl: no platform");
        assertThatThrownBy(() -> ComputeDevices.choose(DeviceSetting.AUTO, List.of()))
                .isInstanceOf(DeviceUnavailableException.class)
                .hasMessageContaining("no backend is registered");
    }

    @Test
    void bothBackendsAreRegisteredThroughServiceLoader() {
        assertThat(ComputeDevices.providers())
                .extracting(CompositorProvider::name)
                .containsExactlyInAnyOrder("java", "opencl");
    }

    @Test
    void forcingJavaOpensTheJavaPath() {
        ComputeDevices.Choice choice = ComputeDevices.choose(DeviceSetting.JAVA);
        assertThat(choice.backend()).isEqualTo("java");
        try (BatchCompositor compositor = choice.open(3, 2)) {
            assertThat(compositor).isInstanceOf(JavaBatchCompositor.class);
            assertThat(compositor.device()).isEqualTo("Java");
        }
        assertThat(ComputeDevices.choose(DeviceSetting.JAVA)).isSameAs(choice); // chosen once
    }

    @Test
    void settingsParseInAnyCase() {
        assertThat(DeviceSetting.parse("auto")).isEqualTo(DeviceSetting.AUTO);
        assertThat(DeviceSetting.parse(" OpenCL ")).isEqualTo(DeviceSetting.OPENCL);
        assertThat(DeviceSetting.parse("JAVA")).isEqualTo(DeviceSetting.JAVA);
        assertThat(DeviceSetting.OPENCL.spelling()).isEqualTo("opencl");
    }

    @Test
    void aBadSettingNamesTheAcceptedValues() {
        assertThatThrownBy(() -> DeviceSetting.parse("gpu"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown compute device 'gpu': use auto, opencl or java");
        assertThatThrownBy(() -> DeviceSetting.parse(""))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DeviceSetting.parse(null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anExplicitSettingWinsOverTheEnvironment() {
        Map<String, String> env = Map.of(DeviceSetting.ENV, "opencl");
        assertThat(DeviceSetting.resolve("java", env)).isEqualTo(DeviceSetting.JAVA);
        assertThat(DeviceSetting.resolve(null, env)).isEqualTo(DeviceSetting.OPENCL);
        assertThat(DeviceSetting.resolve(null, Map.of())).isEqualTo(DeviceSetting.AUTO);
        assertThat(DeviceSetting.resolve(null, Map.of(DeviceSetting.ENV, "  ")))
                .isEqualTo(DeviceSetting.AUTO);
    }

    @Test
    void aBadSettingSaysWhereItCameFrom() {
        assertThatThrownBy(() -> DeviceSetting.resolve(null, Map.of(DeviceSetting.ENV, "cuda")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("SERIGRAPH_DEVICE: unknown compute device 'cuda'");
        assertThatThrownBy(() -> DeviceSetting.resolve("fast", Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("--device: ");
    }
}
