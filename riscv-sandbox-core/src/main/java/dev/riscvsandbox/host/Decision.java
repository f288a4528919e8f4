package dev.riscvsandbox.host;

/**
 * What a hook decided through {@code decision} (host call 510) or {@code forge} (512): a name such as
 * {@code "synth"}, {@code "pass"}, {@code "hash"} or {@code "backend"}, or any name the tenant chose, and up to three
 * values (value 0 is the status for {@code decision}).
 *
 * @param name   the decision, or {@code ""} if the hook made none
 * @param value0 first value (the status)
 * @param value1 second value
 * @param value2 third value
 * @param paused whether the guest asked to be resumed later (kept for compatibility; hosts may ignore it)
 */
public record Decision(String name, long value0, long value1, long value2, boolean paused) {
    /** No decision. */
    public static final Decision NONE = new Decision("", 0, 0, 0, false);

    /** Value {@code index} (0 to 2). */
    public long value(int index) {
        switch (index) {
            case 0: return value0;
            case 1: return value1;
            case 2: return value2;
            default: throw new IndexOutOfBoundsException("decision values are 0..2: " + index);
        }
    }

    /** Whether the hook made a decision. */
    public boolean isPresent() {
        return !name.isEmpty();
    }

    /** Value 0 as a status code. */
    public int status() {
        return (int) value0;
    }
}
