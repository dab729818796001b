package io.serigraph.engine.opencl;

import io.serigraph.engine.composite.ComputeDevices;
import io.serigraph.engine.composite.DeviceSetting;
import io.serigraph.engine.composite.DeviceUnavailableException;

/**
 * Run by {@link OpenClDevicesTest} in a child JVM without a usable OpenCL platform (or without
 * signal chaining): prints what discovery and the device choice make of it.
 */
final class NoOpenClProbe {
    private NoOpenClProbe() {}

    public static void main(String[] args) {
        OpenClDevices.Discovery discovery = OpenClDevices.discover();
        System.out.println("available=" + discovery.available());
        System.out.println("problem=" + discovery.problem());
        System.out.println("auto=" + ComputeDevices.choose(DeviceSetting.AUTO).backend());
        try {
            ComputeDevices.choose(DeviceSetting.OPENCL);
            System.out.println("opencl=chosen");
        } catch (DeviceUnavailableException e) {
            System.out.println("opencl=" + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }
}
