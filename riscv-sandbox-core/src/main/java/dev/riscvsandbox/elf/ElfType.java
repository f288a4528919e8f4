package dev.riscvsandbox.elf;

/** The ELF object types ({@code e_type}) that can be run. */
public enum ElfType {
    /** {@code ET_EXEC}: linked at fixed addresses. */
    EXEC(2),
    /** {@code ET_DYN}: position independent (a static PIE); load at any page-aligned bias and apply relocations. */
    DYN(3);

    private final int code;

    ElfType(int code) {
        this.code = code;
    }

    /** @return the {@code e_type} value */
    public int code() {
        return code;
    }
}
