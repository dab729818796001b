package io.serigraph.engine.opencl;

import io.serigraph.engine.composite.BatchCompositor;
import io.serigraph.engine.composite.CompositorProvider;
import io.serigraph.engine.composite.DeviceUnavailableException;

/**
 * The OpenCL compute backend ({@code opencl}): available when {@link OpenClDevices} finds a usable
 * device (the discovery runs once per process), ranked {@link #RANK_GPU} for a GPU and {@link
 * #RANK_CPU_OPENCL} for a CPU such as PoCL; it opens its compositors on the best device found.
 */
public final class OpenClCompositorProvider implements CompositorProvider {
    @Override
    public String name() {
        return "opencl";
    }

    @Override
    public Availability availability() {
        OpenClDevices.Discovery discovery = OpenClDevices.cached();
        if (!discovery.available()) {
            return Availability.unavailable(discovery.problem());
        }
        OpenClDevice best = discovery.best();
        return Availability.of(best.rank(), best.describe());
    }

    @Override
    public BatchCompositor open(int width, int height) {
        OpenClDevices.Discovery discovery = OpenClDevices.cached();
        if (!discovery.available()) {
            throw new DeviceUnavailableException("OpenCL is not available: " + discovery.problem());
        }
        try {
            return OpenClCompositor.open(discovery.best(), width, height);
        } catch (OpenClException e) {
            throw new DeviceUnavailableException(
                    "cannot open " + discovery.best().describe() + ": " + e.getMessage(), e);
        }
    }
}
