package dev.riscvsandbox;

/**
 * Root of the exceptions that report what a guest did: a {@link GuestFault}, an exhausted instruction budget
 * ({@link GuestTimeoutException}) or an exit in the middle of a host call ({@link GuestExitException}). They carry no
 * Java stack trace: the guest's state is what explains them.
 */
public abstract class GuestException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    protected GuestException(String message) {
        super(message, null, false, false);
    }
}
