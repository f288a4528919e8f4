package dev.riscvsandbox.machine;

import dev.riscvsandbox.GuestFault;

/**
 * How a {@link Machine#run()} ended. Every outcome says how many instructions that run executed.
 */
public sealed interface RunResult permits RunResult.Exited, RunResult.TimedOut, RunResult.Faulted, RunResult.Stopped {

    /** Instructions executed by this run. */
    long instructions();

    /** The guest called {@code exit} or {@code exit_group}. */
    record Exited(int status, long instructions) implements RunResult {
    }

    /** The instruction budget ran out; the machine can be resumed with a new budget. */
    record TimedOut(long instructions) implements RunResult {
    }

    /** The guest faulted; the fault says what, where and at which address. */
    record Faulted(GuestFault fault, long instructions) implements RunResult {
    }

    /** A system call handler asked the machine to stop (see {@link Machine#stop()}); it can be resumed. */
    record Stopped(long instructions) implements RunResult {
    }
}
