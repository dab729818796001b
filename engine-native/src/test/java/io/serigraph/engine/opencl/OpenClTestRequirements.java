package io.serigraph.engine.opencl;

import net.jqwik.api.lifecycle.LifecycleContext;
import net.jqwik.api.lifecycle.SkipExecutionHook;

/**
 * The one place tests ask for OpenCL. Where no OpenCL device is usable the tests that need one are
 * <b>skipped</b> (not passed) with a loud reason naming what to install; CI installs PoCL ({@code
 * .ci/run}) so nothing is skipped there.
 *
 * <p>Put {@code @AddLifecycleHook(OpenClTestRequirements.class)} on a jqwik container: it skips the
 * whole container, before its {@code @BeforeContainer} methods run, and prints the reason.
 */
public final class OpenClTestRequirements implements SkipExecutionHook {
    /** The reason for a skip, or {@code null} when OpenCL is usable here. */
    static String missing() {
        OpenClDevices.Discovery discovery = OpenClDevices.cached();
        if (discovery.available()) {
            return null;
        }
        String reason =
                "SKIPPED: OpenCL tests need an OpenCL device and this machine has none ("
                        + discovery.problem()
                        + "). Install PoCL to run them on the CPU: "
                        + OpenClDevices.INSTALL_HINT;
        System.err.println("*** " + reason + " ***");
        return reason;
    }

    @Override
    public SkipResult shouldBeSkipped(LifecycleContext context) {
        String reason = missing();
        return reason == null ? SkipResult.doNotSkip() : SkipResult.skip(reason);
    }
}
