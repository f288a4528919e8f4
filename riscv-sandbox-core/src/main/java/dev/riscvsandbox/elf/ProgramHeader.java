package dev.riscvsandbox.elf;

/**
 * One program header table entry. ELF32 values are zero-extended to {@code long}; all fields are unsigned.
 *
 * <p>Instances returned by {@link ElfFile} have been validated: the file range {@code [offset, offset+filesz)} lies
 * inside the file, {@code vaddr+memsz} does not wrap (nor exceed 2^32 for ELF32), and for {@code PT_LOAD} and
 * {@code PT_TLS} {@code filesz <= memsz <= 4 GiB}.
 *
 * @param type   {@code p_type}, e.g. {@link #PT_LOAD}
 * @param flags  {@code p_flags}, a combination of {@link #PF_R}, {@link #PF_W}, {@link #PF_X}
 * @param offset {@code p_offset}: file offset of the segment's first byte
 * @param vaddr  {@code p_vaddr}: virtual address of the segment's first byte (link-time address for ET_DYN)
 * @param paddr  {@code p_paddr}: physical address, unused by user-mode loaders
 * @param filesz {@code p_filesz}: bytes taken from the file
 * @param memsz  {@code p_memsz}: bytes in memory; the part beyond {@code filesz} is zero-filled
 * @param align  {@code p_align}: 0, or a power of two
 */
public record ProgramHeader(int type, int flags, long offset, long vaddr, long paddr, long filesz, long memsz,
                            long align) {
    /** Unused entry. */
    public static final int PT_NULL = 0;
    /** Loadable segment. */
    public static final int PT_LOAD = 1;
    /** Dynamic linking information. */
    public static final int PT_DYNAMIC = 2;
    /** Path of the program interpreter (dynamic linker). */
    public static final int PT_INTERP = 3;
    /** Auxiliary notes. */
    public static final int PT_NOTE = 4;
    /** Reserved. */
    public static final int PT_SHLIB = 5;
    /** The program header table itself. */
    public static final int PT_PHDR = 6;
    /** Thread-local storage template. */
    public static final int PT_TLS = 7;
    /** GNU exception-handling frame index. */
    public static final int PT_GNU_EH_FRAME = 0x6474e550;
    /** GNU stack permissions. */
    public static final int PT_GNU_STACK = 0x6474e551;
    /** GNU read-only-after-relocation range. */
    public static final int PT_GNU_RELRO = 0x6474e552;
    /** GNU program properties. */
    public static final int PT_GNU_PROPERTY = 0x6474e553;
    /** RISC-V attributes (ISA string etc.). */
    public static final int PT_RISCV_ATTRIBUTES = 0x70000003;

    /** Execute permission. */
    public static final int PF_X = 1;
    /** Write permission. */
    public static final int PF_W = 2;
    /** Read permission. */
    public static final int PF_R = 4;

    /** @return whether this is a {@code PT_LOAD} segment */
    public boolean isLoad() {
        return type == PT_LOAD;
    }

    /** @return whether {@link #PF_R} is set */
    public boolean isReadable() {
        return (flags & PF_R) != 0;
    }

    /** @return whether {@link #PF_W} is set */
    public boolean isWritable() {
        return (flags & PF_W) != 0;
    }

    /** @return whether {@link #PF_X} is set */
    public boolean isExecutable() {
        return (flags & PF_X) != 0;
    }

    /** @return {@code vaddr + memsz}, the exclusive end of the segment in memory (does not wrap for parsed headers) */
    public long vaddrEnd() {
        return vaddr + memsz;
    }

    /**
     * @param address a virtual address
     * @return whether {@code address} lies in {@code [vaddr, vaddr+memsz)}, compared as unsigned values
     */
    public boolean containsAddress(long address) {
        return Long.compareUnsigned(address, vaddr) >= 0 && Long.compareUnsigned(address - vaddr, memsz) < 0;
    }

    /** @return the symbolic name of {@link #type()}, e.g. {@code "PT_LOAD"}, or {@code "PT_0x..."} if unknown */
    public String typeName() {
        return typeName(type);
    }

    /**
     * @param type a {@code p_type} value
     * @return its symbolic name, or {@code "PT_0x..."} if unknown
     */
    public static String typeName(int type) {
        return switch (type) {
            case PT_NULL -> "PT_NULL";
            case PT_LOAD -> "PT_LOAD";
            case PT_DYNAMIC -> "PT_DYNAMIC";
            case PT_INTERP -> "PT_INTERP";
            case PT_NOTE -> "PT_NOTE";
            case PT_SHLIB -> "PT_SHLIB";
            case PT_PHDR -> "PT_PHDR";
            case PT_TLS -> "PT_TLS";
            case PT_GNU_EH_FRAME -> "PT_GNU_EH_FRAME";
            case PT_GNU_STACK -> "PT_GNU_STACK";
            case PT_GNU_RELRO -> "PT_GNU_RELRO";
            case PT_GNU_PROPERTY -> "PT_GNU_PROPERTY";
            case PT_RISCV_ATTRIBUTES -> "PT_RISCV_ATTRIBUTES";
            default -> "PT_0x" + Integer.toHexString(type);
        };
    }

    /** @return the permissions as {@code "RWX"} with {@code '-'} for missing ones */
    public String flagString() {
        return (isReadable() ? "R" : "-") + (isWritable() ? "W" : "-") + (isExecutable() ? "X" : "-");
    }

    @Override
    public String toString() {
        return typeName() + " " + flagString() + " offset=0x" + Long.toHexString(offset)
                + " vaddr=0x" + Long.toHexString(vaddr) + " paddr=0x" + Long.toHexString(paddr)
                + " filesz=0x" + Long.toHexString(filesz) + " memsz=0x" + Long.toHexString(memsz)
                + " align=0x" + Long.toHexString(align);
    }
}
