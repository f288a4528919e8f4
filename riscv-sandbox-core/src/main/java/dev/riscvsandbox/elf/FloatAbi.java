package dev.riscvsandbox.elf;

/** The floating-point calling convention recorded in the RISC-V {@code e_flags} ({@code EF_RISCV_FLOAT_ABI}). */
public enum FloatAbi {
    /** Floating-point arguments are passed in integer registers (ilp32 / lp64). */
    SOFT,
    /** Single-precision values in FP registers (ilp32f / lp64f). */
    SINGLE,
    /** Single and double precision in FP registers (ilp32d / lp64d). */
    DOUBLE,
    /** Quad precision in FP registers (lp64q). */
    QUAD;

    /** Mask of the float ABI field in {@code e_flags}. */
    public static final int MASK = 0x6;

    /**
     * Decodes the float ABI field.
     *
     * @param eFlags the ELF header's {@code e_flags}
     * @return the float ABI; every field value is defined, so this never fails
     */
    public static FloatAbi fromFlags(int eFlags) {
        return values()[(eFlags & MASK) >>> 1];
    }
}
