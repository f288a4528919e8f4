package dev.riscvsandbox;

/**
 * A guest did something the sandbox does not allow: an illegal instruction, an access to memory it may not touch, an
 * allocation beyond its memory limit. Guest faults end the current run; they never affect other machines.
 *
 * <p>Faults are raised on rare paths only and carry no Java stack trace (the guest PC is what matters).
 */
public final class GuestFault extends GuestException {
    private static final long serialVersionUID = 1L;

    /** What went wrong. */
    public enum Kind {
        /** An unsupported, reserved or malformed instruction encoding. */
        ILLEGAL_INSTRUCTION("illegal instruction"),
        /** A load from an unmapped or unreadable address. */
        LOAD_ACCESS("load access fault"),
        /** A store to an unmapped, read-only or executable address. */
        STORE_ACCESS("store access fault"),
        /** A jump to an address that holds no executable code. */
        EXECUTE_ACCESS("execute access fault"),
        /** A misaligned atomic memory operation. */
        MISALIGNED_ATOMIC("misaligned atomic access"),
        /** The machine tried to own more memory than its limit allows. */
        OUT_OF_MEMORY("out of memory"),
        /** An {@code ebreak} instruction. */
        BREAKPOINT("breakpoint"),
        /** A host-side system call handler rejected the guest's request. */
        SYSCALL_ERROR("system call error");

        private final String description;

        Kind(String description) {
            this.description = description;
        }

        /** A short human-readable description, such as "load access fault". */
        public String description() {
            return description;
        }
    }

    private final Kind kind;
    private final long address;
    private final int instructionBits;
    private long pc;
    private String symbol;

    /**
     * Creates a fault.
     *
     * @param kind            what went wrong
     * @param address         the faulting data or target address (0 if none)
     * @param instructionBits the raw instruction for {@link Kind#ILLEGAL_INSTRUCTION}, else 0
     * @param message         extra detail, or null
     */
    public GuestFault(Kind kind, long address, int instructionBits, String message) {
        super(message);
        this.kind = kind;
        this.address = address;
        this.instructionBits = instructionBits;
    }

    public GuestFault(Kind kind, long address) {
        this(kind, address, 0, null);
    }

    public Kind kind() {
        return kind;
    }

    /** The guest program counter of the faulting instruction (set when the fault leaves the interpreter). */
    public long pc() {
        return pc;
    }

    /** The faulting data address, jump target or memory size, depending on the kind. */
    public long address() {
        return address;
    }

    /** The raw instruction bits for illegal instructions (16-bit forms in the low half). */
    public int instructionBits() {
        return instructionBits;
    }

    /** The symbol that contains {@link #pc()}, such as {@code main+0x1c}, or null when unknown. */
    public String symbol() {
        return symbol;
    }

    /** Records where the fault happened; called once by the machine. */
    public GuestFault at(long faultPc, String faultSymbol) {
        this.pc = faultPc;
        this.symbol = faultSymbol;
        return this;
    }

    /** The extra detail given when the fault was raised, or null. */
    public String detail() {
        return super.getMessage();
    }

    @Override
    public String getMessage() {
        StringBuilder sb = new StringBuilder(kind.description());
        sb.append(" at pc 0x").append(Long.toHexString(pc));
        if (symbol != null) {
            sb.append(" (").append(symbol).append(')');
        }
        switch (kind) {
            case ILLEGAL_INSTRUCTION:
                sb.append(": instruction 0x").append(Integer.toHexString(instructionBits));
                break;
            case BREAKPOINT:
                break;
            case OUT_OF_MEMORY:
                sb.append(": limit 0x").append(Long.toHexString(address)).append(" bytes");
                break;
            default:
                sb.append(": address 0x").append(Long.toHexString(address));
        }
        String detail = super.getMessage();
        if (detail != null) {
            sb.append(" (").append(detail).append(')');
        }
        return sb.toString();
    }
}
