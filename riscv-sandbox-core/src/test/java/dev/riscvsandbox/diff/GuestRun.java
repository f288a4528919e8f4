package dev.riscvsandbox.diff;

/**
 * Outcome of running a guest program.
 *
 * @param exitStatus the guest's exit status, or -1 if it did not exit normally
 * @param stdout     everything the guest wrote to fd 1
 * @param problem    null when the guest exited; otherwise what went wrong (signal, fault, timeout, ...)
 * @param faultPc    the faulting PC when known, else -1
 * @param nanos      wall-clock time of the run
 */
public record GuestRun(int exitStatus, byte[] stdout, String problem, long faultPc, long nanos) {

    public boolean exitedCleanly() {
        return problem == null && exitStatus == 0;
    }

    public String describe() {
        return problem != null ? problem + (faultPc >= 0 ? String.format(" at pc 0x%x", faultPc) : "")
                : "exit status " + exitStatus + ", " + stdout.length + " bytes of output";
    }
}
