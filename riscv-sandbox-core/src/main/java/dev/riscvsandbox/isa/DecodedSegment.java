package dev.riscvsandbox.isa;

/**
 * One executable segment, decoded once into slots (one per 2 bytes of code) and shared, immutable, by every machine
 * that runs the program.
 *
 * <p>{@link #remaining} holds, for each slot, how many instructions execute from that slot to the end of its basic
 * block (inclusive). The interpreter adds it when it enters a block, so counting costs nothing per instruction, and
 * subtracts what did not run when a fault cuts a block short.
 */
public final class DecodedSegment {
    /** Guest address of slot 0 (sign-extended for RV32, like register values). */
    public final long base;
    /** Segment length in bytes. */
    public final long length;
    /** Decoded slots, followed by two {@link Op#FAR} sentinels that leave the segment. */
    public final long[] code;
    /** Instructions from each slot to the end of its basic block. */
    public final int[] remaining;

    private DecodedSegment(long base, long length, long[] code, int[] remaining) {
        this.base = base;
        this.length = length;
        this.code = code;
        this.remaining = remaining;
    }

    /**
     * Decodes {@code bytes} (the segment's contents, even length) as code for a hart of width {@code xlen}.
     *
     * @param base guest address of the first byte
     */
    public static DecodedSegment decode(int xlen, long base, byte[] bytes) {
        if ((bytes.length & 1) != 0 || (base & 1) != 0) {
            throw new IllegalArgumentException("code segment must be 2-byte aligned");
        }
        long b = xlen == 32 ? (long) (int) base : base;
        int n = bytes.length >>> 1;
        long[] code = new long[n + 2];
        int[] rem = new int[n + 2];
        Decoder decoder = new Decoder(xlen, b, n);
        for (int i = 0; i < n; i++) {
            int lo = half(bytes, i);
            if ((lo & 3) == 3 && i + 1 >= n) {
                // A 32-bit instruction cut off by the segment end: fetching it leaves the segment.
                code[i] = Op.slot(Op.FAR, 0, 0, 0, 0, false, 0);
                continue;
            }
            int hi = i + 1 < n ? half(bytes, i + 1) : 0;
            code[i] = decoder.decode(lo, hi, i);
        }
        code[n] = Op.slot(Op.FAR, 0, 0, 0, 0, false, 0);
        code[n + 1] = Op.slot(Op.FAR, 0, 0, 0, 0, false, 0);
        for (int i = n - 1; i >= 0; i--) {
            long w = code[i];
            int next = i + Op.length(w);
            rem[i] = endsBlock(Op.op(w)) ? 1 : 1 + rem[Math.min(next, n)];
        }
        return new DecodedSegment(b, bytes.length, code, rem);
    }

    /** A 4-byte segment holding one {@link Op#HALT}: returning to its address ends a host call. */
    public static DecodedSegment trampoline(int xlen, long base) {
        long b = xlen == 32 ? (long) (int) base : base;
        long halt = Op.slot(Op.HALT, 0, 0, 0, 0, true, 0);
        long far = Op.slot(Op.FAR, 0, 0, 0, 0, false, 0);
        return new DecodedSegment(b, 4, new long[] {halt, halt, far, far}, new int[4]);
    }

    private static int half(byte[] b, int slot) {
        return (b[2 * slot] & 0xFF) | ((b[2 * slot + 1] & 0xFF) << 8);
    }

    /** Operations after which the interpreter re-enters a block (and checks the budget). */
    public static boolean endsBlock(int op) {
        switch (op) {
            case Op.BEQ: case Op.BNE: case Op.BLT: case Op.BGE: case Op.BLTU: case Op.BGEU:
            case Op.JAL: case Op.JALR: case Op.JALR32: case Op.ECALL: case Op.EBREAK: case Op.FAR: case Op.HALT:
                return true;
            default:
                return false;
        }
    }

    /** True if {@code pc} lies inside this segment. */
    public boolean contains(long pc) {
        long off = pc - base;
        return off >= 0 && off < length;
    }

    /** Number of code slots (excluding sentinels). */
    public int slots() {
        return (int) (length >>> 1);
    }
}
