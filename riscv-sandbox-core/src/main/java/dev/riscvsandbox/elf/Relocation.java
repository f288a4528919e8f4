package dev.riscvsandbox.elf;

/**
 * An {@code R_RISCV_RELATIVE} relocation: after loading at bias {@code B}, store the word {@code B + addend} at
 * address {@code B + offset} (4 bytes for ELF32, 8 for ELF64). ELF32 values are zero-extended; use their low 32 bits.
 *
 * @param offset the link-time virtual address to patch; validated to lie inside a {@code PT_LOAD} segment
 * @param addend the link-time value to which the bias is added
 */
public record Relocation(long offset, long addend) {
    /** {@code R_RISCV_NONE}: ignored. */
    public static final int R_RISCV_NONE = 0;
    /** {@code R_RISCV_RELATIVE}: the only relocation type a static PIE may need from the loader. */
    public static final int R_RISCV_RELATIVE = 3;

    /**
     * @param type an {@code ELF_R_TYPE} value
     * @return its {@code R_RISCV_*} name, or {@code "R_RISCV_<n>"} for types this parser does not know
     */
    public static String typeName(long type) {
        if (type == 0) return "R_RISCV_NONE";
        if (type == 1) return "R_RISCV_32";
        if (type == 2) return "R_RISCV_64";
        if (type == 3) return "R_RISCV_RELATIVE";
        if (type == 4) return "R_RISCV_COPY";
        if (type == 5) return "R_RISCV_JUMP_SLOT";
        if (type == 6) return "R_RISCV_TLS_DTPMOD32";
        if (type == 7) return "R_RISCV_TLS_DTPMOD64";
        if (type == 8) return "R_RISCV_TLS_DTPREL32";
        if (type == 9) return "R_RISCV_TLS_DTPREL64";
        if (type == 10) return "R_RISCV_TLS_TPREL32";
        if (type == 11) return "R_RISCV_TLS_TPREL64";
        if (type == 12) return "R_RISCV_TLSDESC";
        if (type == 58) return "R_RISCV_IRELATIVE";
        return "R_RISCV_" + Long.toUnsignedString(type);
    }

    @Override
    public String toString() {
        return "R_RISCV_RELATIVE at 0x" + Long.toHexString(offset) + " addend 0x" + Long.toHexString(addend);
    }
}
