package dev.riscvsandbox;

/** The guest called {@code exit} during a host call instead of returning. */
public final class GuestExitException extends GuestException {
    private static final long serialVersionUID = 1L;
    private final int status;

    public GuestExitException(int status) {
        super("guest exited with status " + status + " during a call");
        this.status = status;
    }

    public int status() {
        return status;
    }
}
