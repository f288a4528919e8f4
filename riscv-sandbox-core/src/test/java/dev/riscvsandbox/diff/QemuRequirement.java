package dev.riscvsandbox.diff;

import net.jqwik.api.lifecycle.LifecycleContext;
import net.jqwik.api.lifecycle.SkipExecutionHook;

/**
 * jqwik hook: skips a container or property when qemu-user is not installed, unless the system property
 * {@code riscv.requireQemu} is {@code true} (CI), in which case the tests run and fail.
 */
public final class QemuRequirement implements SkipExecutionHook {

    /** Null when the tests can run, else why they cannot. */
    public static String missing() {
        for (int xlen : new int[] {64, 32}) {
            if (!QemuRunner.available(xlen)) {
                return QemuRunner.binary(xlen) + " is not on the PATH";
            }
        }
        return null;
    }

    @Override
    public SkipResult shouldBeSkipped(LifecycleContext context) {
        String why = missing();
        if (why == null || QemuRunner.required()) {
            return SkipResult.doNotSkip();
        }
        return SkipResult.skip(why + " (set -Driscv.requireQemu=true to fail instead)");
    }
}
