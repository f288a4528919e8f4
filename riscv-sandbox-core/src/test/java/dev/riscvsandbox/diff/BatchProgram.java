package dev.riscvsandbox.diff;

import dev.riscvsandbox.testutil.Asm;
import dev.riscvsandbox.testutil.TestElf;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns many {@link Sequence}s into one static ELF. Per sequence the program
 * <ol>
 *   <li>points the reserved base register {@code gp} at the sequence's record in the data segment,</li>
 *   <li>loads fcsr (frm set, fflags cleared), f0..f31 and every integer register but gp from the record,</li>
 *   <li>runs the sequence (loads and stores use {@code gp} + [0, 64): the scratch buffer),</li>
 *   <li>stores x1..x31, f0..f31 and fcsr into the record's output area.</li>
 * </ol>
 * At the end it writes all records with one {@code write(1, records, length)} and exits with status 0 (3 if the
 * write was short).
 *
 * <p>Record layout, offsets relative to {@code gp} (= the scratch buffer): inputs x (32 words of XLEN), f (32
 * doublewords), fcsr (8 bytes) below gp; scratch (64 bytes) at gp; outputs x, f and fcsr above the scratch.
 */
public final class BatchProgram {

    public static final long TEXT_ADDRESS = 0x10000;
    public static final long DATA_ADDRESS = 0x1000000;
    /** The register reserved as base of the scratch buffer; generated code never writes it. */
    public static final int BASE = Asm.GP;

    private final int xlen;
    private final int xb;
    private final List<Sequence> sequences;
    private final Asm asm;
    private final byte[] elf;
    private final int[] bodyStart;
    private final int[] bodyEnd;
    private final int[] seqStart;
    private final int recordSize;
    private final int instructionCount;
    // offsets inside a record
    private final int inX;
    private final int inF;
    private final int inFcsr;
    private final int scratch;
    private final int outX;
    private final int outF;
    private final int outFcsr;

    public BatchProgram(int xlen, List<Sequence> sequences) {
        this.xlen = xlen;
        this.xb = xlen / 8;
        this.sequences = List.copyOf(sequences);
        inX = 0;
        inF = inX + 32 * xb;
        inFcsr = inF + 32 * 8;
        scratch = inFcsr + 8;
        outX = scratch + Sequence.SCRATCH_SIZE;
        outF = outX + 32 * xb;
        outFcsr = outF + 32 * 8;
        recordSize = (outFcsr + 8 + 15) & ~15;

        int n = sequences.size();
        bodyStart = new int[n];
        bodyEnd = new int[n];
        seqStart = new int[n];
        asm = new Asm(xlen, TEXT_ADDRESS);
        ByteBuffer data = ByteBuffer.allocate(recordSize * n).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            Sequence s = sequences.get(i);
            int rec = recordSize * i;
            for (int r = 0; r < 32; r++) {
                if (xb == 8) {
                    data.putLong(rec + inX + 8 * r, s.x()[r]);
                } else {
                    data.putInt(rec + inX + 4 * r, (int) s.x()[r]);
                }
                data.putLong(rec + inF + 8 * r, s.f()[r]);
            }
            data.putInt(rec + inFcsr, s.frm() << 5);
            data.put(rec + scratch, s.scratch());
            asm.symbol("rec" + i, DATA_ADDRESS + rec + scratch);
            emitSequence(i, s);
        }
        emitExit(n);
        TestElf.Builder b = TestElf.builder(xlen).text(TEXT_ADDRESS, asm.code()).data(DATA_ADDRESS, data.array());
        for (int i = 0; i < n; i++) {
            int end = i + 1 < n ? seqStart[i + 1] : bodyEnd[i];
            b.function("seq" + i, TEXT_ADDRESS + seqStart[i], end - seqStart[i]);
        }
        b.object("records", DATA_ADDRESS, (long) recordSize * n);
        elf = b.build();
        instructionCount = asm.lines().size();
    }

    /** Number of instructions in the program (each runs at most once: the code is straight-line). */
    public int instructionCount() {
        return instructionCount;
    }

    private int rel(int off) {
        return off - scratch;
    }

    private void loadX(int rd, int off) {
        if (xb == 8) {
            asm.ld(rd, off, BASE);
        } else {
            asm.lw(rd, off, BASE);
        }
    }

    private void storeX(int rs, int off) {
        if (xb == 8) {
            asm.sd(rs, off, BASE);
        } else {
            asm.sw(rs, off, BASE);
        }
    }

    private void emitSequence(int i, Sequence s) {
        seqStart[i] = asm.size();
        asm.la(BASE, "rec" + i);
        asm.lw(Asm.T0, rel(inFcsr), BASE);
        asm.csrw(Asm.CSR_FCSR, Asm.T0);
        for (int r = 0; r < 32; r++) {
            asm.fld(r, rel(inF + 8 * r), BASE);
        }
        for (int r = 1; r < 32; r++) {
            if (r != BASE) {
                loadX(r, rel(inX + xb * r));
            }
        }
        bodyStart[i] = asm.size();
        List<GuestOp> ops = s.ops();
        int n = ops.size();
        String[] labels = new String[n + 1];
        for (int j = 0; j <= n; j++) {
            labels[j] = "s" + i + "_" + j;
        }
        for (int j = 0; j < n; j++) {
            asm.label(labels[j]);
            GuestOp op = ops.get(j);
            op.emitter().emit(asm, op.isBranch() ? labels[Math.min(n, j + 1 + op.skip())] : null);
        }
        asm.label(labels[n]);
        bodyEnd[i] = asm.size();
        for (int r = 1; r < 32; r++) {
            storeX(r, rel(outX + xb * r));
        }
        for (int r = 0; r < 32; r++) {
            asm.fsd(r, rel(outF + 8 * r), BASE);
        }
        asm.csrr(Asm.T0, Asm.CSR_FCSR);
        asm.sw(Asm.T0, rel(outFcsr), BASE);
    }

    private void emitExit(int n) {
        long len = (long) recordSize * n;
        asm.li(Asm.A0, 1);
        asm.li(Asm.A1, DATA_ADDRESS);
        asm.li(Asm.A2, len);
        asm.mv(Asm.S1, Asm.A2);
        asm.li(Asm.A7, 64);
        asm.ecall();
        asm.bne(Asm.A0, Asm.S1, "short_write");
        asm.li(Asm.A0, 0);
        asm.li(Asm.A7, 93);
        asm.ecall();
        asm.label("short_write");
        asm.li(Asm.A0, 3);
        asm.li(Asm.A7, 93);
        asm.ecall();
    }

    public int xlen() {
        return xlen;
    }

    public byte[] elf() {
        return elf;
    }

    public List<Sequence> sequences() {
        return sequences;
    }

    /** Number of bytes the program writes to stdout. */
    public int outputLength() {
        return recordSize * sequences.size();
    }

    /** Disassembly of sequence {@code i}'s body (without the load/dump code around it). */
    public String bodyListing(int i) {
        return asm.listing(bodyStart[i], bodyEnd[i]);
    }

    /** Disassembly of the whole program. */
    public String listing() {
        return asm.listing();
    }

    /** Index of the sequence whose code contains {@code pc}, or -1. */
    public int sequenceAt(long pc) {
        long off = pc - TEXT_ADDRESS;
        for (int i = 0; i < sequences.size(); i++) {
            int end = i + 1 < sequences.size() ? seqStart[i + 1] : bodyEnd[i] + 1000;
            if (off >= seqStart[i] && off < end) {
                return i;
            }
        }
        return -1;
    }

    /** Whether {@code pc} lies in the body (the generated instructions) of sequence {@code i}. */
    public boolean inBody(int i, long pc) {
        long off = pc - TEXT_ADDRESS;
        return off >= bodyStart[i] && off < bodyEnd[i];
    }

    /** Parses the program's stdout into one state per sequence. */
    public List<MachineState> parse(byte[] out) {
        if (out.length != outputLength()) {
            throw new IllegalArgumentException("expected " + outputLength() + " bytes of output, got " + out.length);
        }
        ByteBuffer b = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
        List<MachineState> states = new ArrayList<>(sequences.size());
        for (int i = 0; i < sequences.size(); i++) {
            int rec = recordSize * i;
            long[] x = new long[32];
            long[] f = new long[32];
            for (int r = 1; r < 32; r++) {
                x[r] = xb == 8 ? b.getLong(rec + outX + 8 * r) : b.getInt(rec + outX + 4 * r);
            }
            for (int r = 0; r < 32; r++) {
                f[r] = b.getLong(rec + outF + 8 * r);
            }
            int fcsr = b.getInt(rec + outFcsr);
            byte[] scr = new byte[Sequence.SCRATCH_SIZE];
            b.get(rec + scratch, scr);
            states.add(new MachineState(x, f, fcsr, scr));
        }
        return states;
    }

    /** Address the base register holds during sequence {@code i}. */
    public long baseAddress(int i) {
        return DATA_ADDRESS + (long) recordSize * i + scratch;
    }
}
