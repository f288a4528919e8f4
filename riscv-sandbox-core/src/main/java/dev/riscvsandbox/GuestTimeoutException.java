package dev.riscvsandbox;

/** A host call into the guest used up its instruction budget before the function returned. */
public final class GuestTimeoutException extends GuestException {
    private static final long serialVersionUID = 1L;
    private final long instructions;

    public GuestTimeoutException(long instructions) {
        super("instruction budget exhausted after " + instructions + " instructions");
        this.instructions = instructions;
    }

    /** Instructions the call executed. */
    public long instructions() {
        return instructions;
    }
}
