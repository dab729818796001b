package io.serigraph.inference.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import org.junit.jupiter.api.Test;

class TorchRuntimeTest {

    @Test
    void parsesDeviceOverrides() {
        assertThat(TorchRuntime.parse("cpu", "test", 0)).isEqualTo(Device.cpu());
        assertThat(TorchRuntime.parse("GPU", "test", 1)).isEqualTo(Device.gpu(0));
        assertThat(TorchRuntime.parse("gpu:1", "test", 2)).isEqualTo(Device.gpu(1));
        assertThat(TorchRuntime.parse("cuda:0", "test", 1)).isEqualTo(Device.gpu(0));
    }

    @Test
    void explainsAnImpossibleOverride() {
        assertThatThrownBy(() -> TorchRuntime.parse("gpu", "system property x", 0))
                .hasMessageContaining("sees 0 CUDA device(s)")
                .hasMessageContaining("PYTORCH_FLAVOR=cu128");
        assertThatThrownBy(() -> TorchRuntime.parse("tpu", "env Y", 0))
                .hasMessageContaining("expected auto, cpu, gpu or gpu:N");
        assertThatThrownBy(() -> TorchRuntime.parse("gpu:x", "env Y", 1))
                .hasMessageContaining("not a number");
    }

    @Test
    void startsOfflineAndLogsItsChoice() {
        TorchRuntime r = TorchRuntime.get();
        assertThat(System.getProperty("ai.djl.offline")).isEqualTo("true");
        assertThat(r.reason()).isNotBlank();
        assertThat(TorchRuntime.get()).isSameAs(r);
    }
}
