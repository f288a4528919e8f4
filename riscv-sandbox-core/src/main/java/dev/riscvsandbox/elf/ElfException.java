package dev.riscvsandbox.elf;

/**
 * The input is not an ELF file this emulator can run: malformed, truncated, for another machine, or using a feature
 * that is deliberately not supported. Checked, because the input is untrusted and callers must handle rejection.
 *
 * <p>The message names the offending structure and values, for example
 * {@code "program header 3 (PT_LOAD): segment file range 0x1000+0x5000 exceeds file size 0x4000"}.
 */
public final class ElfException extends Exception {
    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception with a precise description of the problem.
     *
     * @param message what is wrong, naming the structure and the offending values
     */
    public ElfException(String message) {
        super(message);
    }
}
