package dev.riscvsandbox.diff;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs batches of sequences under qemu-user (the reference) and under our emulator and compares the dumped states.
 * On a divergence it builds a report with the first differing sequence (disassembly, initial state, every differing
 * register with both values) and a minimized version of it (operations removed and inputs zeroed as long as the
 * divergence persists when the sequence runs alone).
 */
public final class DiffHarness {

    /** Throughput counters per XLEN, printed by the tests. */
    public static final class Stats {
        public final AtomicLong batches = new AtomicLong();
        public final AtomicLong sequences = new AtomicLong();
        public final AtomicLong instructions = new AtomicLong();
        public final AtomicLong qemuNanos = new AtomicLong();
        public final AtomicLong emulatorNanos = new AtomicLong();
        public final AtomicLong buildNanos = new AtomicLong();

        @Override
        public String toString() {
            long n = sequences.get();
            return String.format("%d batches, %d sequences (%d instructions incl. setup): build %.2f s, qemu %.2f s"
                            + " (%.0f seq/s), emulator %.2f s (%.0f seq/s)", batches.get(), n, instructions.get(),
                    buildNanos.get() / 1e9, qemuNanos.get() / 1e9, perSecond(n, qemuNanos.get()),
                    emulatorNanos.get() / 1e9, perSecond(n, emulatorNanos.get()));
        }

        private static double perSecond(long n, long nanos) {
            return nanos == 0 ? 0 : n / (nanos / 1e9);
        }
    }

    public static final Map<Integer, Stats> STATS = new ConcurrentHashMap<>();

    private static final int MAX_MINIMIZE_RUNS = 400;

    private final int xlen;

    public DiffHarness(int xlen) {
        this.xlen = xlen;
    }

    public static Stats stats(int xlen) {
        return STATS.computeIfAbsent(xlen, k -> new Stats());
    }

    /** Result of comparing one batch. */
    public record Outcome(boolean agree, String report) {
    }

    /** Runs the batch under both and compares; the outcome's report explains the first divergence. */
    public Outcome compare(List<Sequence> sequences) {
        long t0 = System.nanoTime();
        BatchProgram program = new BatchProgram(xlen, sequences);
        Stats stats = stats(xlen);
        stats.buildNanos.addAndGet(System.nanoTime() - t0);
        QemuRunner.Pending pending = QemuRunner.start(xlen, program.elf());
        GuestRun ours = EmulatorRunner.run(program.elf());
        GuestRun ref = pending.await();
        stats.batches.incrementAndGet();
        stats.sequences.addAndGet(sequences.size());
        stats.instructions.addAndGet(program.instructionCount());
        stats.qemuNanos.addAndGet(ref.nanos());
        stats.emulatorNanos.addAndGet(ours.nanos());

        if (!ref.exitedCleanly()) {
            throw new AssertionError("qemu failed on the generated program (harness bug?): " + ref.describe() + "\n"
                    + locateQemuFailure(sequences));
        }
        List<MachineState> refStates = program.parse(ref.stdout());
        if (!ours.exitedCleanly() || ours.stdout().length != program.outputLength()) {
            return new Outcome(false, emulatorFailureReport(program, ours));
        }
        List<MachineState> ourStates = program.parse(ours.stdout());
        for (int i = 0; i < sequences.size(); i++) {
            List<MachineState.Difference> d = refStates.get(i).compare(ourStates.get(i));
            if (!d.isEmpty()) {
                return new Outcome(false, divergenceReport(program, i, d));
            }
        }
        return new Outcome(true, "");
    }

    /**
     * Runs the batch under qemu only, twice, and checks that the output parses, is deterministic and has the base
     * register where the program put it. For validating the generator while the emulator is unavailable.
     */
    public List<MachineState> qemuSelfCheck(List<Sequence> sequences) {
        BatchProgram program = new BatchProgram(xlen, sequences);
        GuestRun a = QemuRunner.run(xlen, program.elf());
        GuestRun b = QemuRunner.run(xlen, program.elf());
        Stats stats = stats(xlen);
        stats.batches.incrementAndGet();
        stats.sequences.addAndGet(sequences.size());
        stats.instructions.addAndGet(program.instructionCount());
        stats.qemuNanos.addAndGet(a.nanos());
        if (!a.exitedCleanly()) {
            throw new AssertionError("qemu: " + a.describe() + "\n" + locateQemuFailure(sequences));
        }
        if (!Arrays.equals(a.stdout(), b.stdout())) {
            throw new AssertionError("qemu output differs between two runs of the same program");
        }
        List<MachineState> states = program.parse(a.stdout());
        for (int i = 0; i < states.size(); i++) {
            long base = states.get(i).x()[BatchProgram.BASE];
            long want = xlen == 32 ? (int) program.baseAddress(i) : program.baseAddress(i);
            if (base != want) {
                throw new AssertionError("sequence " + i + " clobbered the base register: " + Long.toHexString(base)
                        + "\n" + program.bodyListing(i));
            }
        }
        return states;
    }

    // =====================================================================================================
    // reports
    // =====================================================================================================

    private String header(BatchProgram p, int i) {
        return String.format("rv%d: sequence %d of %d (%d ops)", xlen, i, p.sequences().size(),
                p.sequences().get(i).ops().size());
    }

    private String divergenceReport(BatchProgram p, int i, List<MachineState.Difference> diffs) {
        Sequence s = p.sequences().get(i);
        StringBuilder sb = new StringBuilder();
        sb.append("DIVERGENCE qemu vs emulator, ").append(header(p, i)).append('\n');
        appendDiffs(sb, diffs);
        sb.append("code:\n").append(p.bodyListing(i));
        sb.append("initial state:\n").append(describeInputs(s, false));
        appendMinimized(sb, s);
        return sb.toString();
    }

    private String emulatorFailureReport(BatchProgram p, GuestRun ours) {
        StringBuilder sb = new StringBuilder("EMULATOR FAILURE on rv").append(xlen).append(" batch: ")
                .append(ours.describe()).append(" (qemu exited cleanly)\n");
        int idx = ours.faultPc() >= 0 ? p.sequenceAt(ours.faultPc()) : -1;
        if (idx < 0) {
            idx = firstFailingAlone(p.sequences());
        }
        if (idx >= 0) {
            Sequence s = p.sequences().get(idx);
            sb.append(header(p, idx)).append('\n');
            sb.append("code:\n").append(p.bodyListing(idx));
            sb.append("initial state:\n").append(describeInputs(s, false));
            appendMinimized(sb, s);
        } else {
            sb.append("could not attribute the failure to a single sequence\n");
        }
        return sb.toString();
    }

    private static void appendDiffs(StringBuilder sb, List<MachineState.Difference> diffs) {
        for (MachineState.Difference d : diffs) {
            sb.append("  ").append(d).append('\n');
        }
    }

    private void appendMinimized(StringBuilder sb, Sequence original) {
        Minimized m = minimize(original);
        if (m == null) {
            sb.append("(the sequence does not diverge when run alone: state leaks between sequences?)\n");
            return;
        }
        BatchProgram p = new BatchProgram(xlen, List.of(m.sequence));
        sb.append("minimized (").append(m.sequence.ops().size()).append(" ops, ").append(m.runs)
                .append(" runs), running alone:\n");
        sb.append(m.problem);
        sb.append("code:\n").append(p.bodyListing(0));
        sb.append("non-zero initial state:\n").append(describeInputs(m.sequence, true));
    }

    private String describeInputs(Sequence s, boolean nonZeroOnly) {
        StringBuilder sb = new StringBuilder();
        int col = 0;
        for (int r = 1; r < 32; r++) {
            if (r == BatchProgram.BASE || (nonZeroOnly && s.x()[r] == 0)) {
                continue;
            }
            long v = xlen == 32 ? (int) s.x()[r] : s.x()[r];
            sb.append(String.format("  %-8s=0x%016x", MachineState.xName(r), v));
            if (++col % 4 == 0) {
                sb.append('\n');
            }
        }
        if (col % 4 != 0) {
            sb.append('\n');
        }
        for (int r = 0; r < 32; r++) {
            if (nonZeroOnly && s.f()[r] == 0) {
                continue;
            }
            sb.append(String.format("  f%-3d=0x%016x (%s)%n", r, s.f()[r], FpFormat.describe(s.f()[r])));
        }
        sb.append("  frm=").append(s.frm()).append(", fflags=0\n");
        boolean scratchZero = true;
        for (byte b : s.scratch()) {
            scratchZero &= b == 0;
        }
        if (!nonZeroOnly || !scratchZero) {
            sb.append("  scratch:");
            for (int i = 0; i < s.scratch().length; i += 8) {
                sb.append(String.format(" %016x", MachineState.word(s.scratch(), i)));
            }
            sb.append(" (little-endian 64-bit words)\n");
        }
        return sb.toString();
    }

    // =====================================================================================================
    // running single sequences
    // =====================================================================================================

    /** Null when qemu and the emulator agree on the sequence run alone, else a description of the difference. */
    String problemAlone(Sequence s) {
        BatchProgram p = new BatchProgram(xlen, List.of(s));
        QemuRunner.Pending pending = QemuRunner.start(xlen, p.elf());
        GuestRun ours = EmulatorRunner.run(p.elf());
        GuestRun ref = pending.await();
        if (!ref.exitedCleanly()) {
            return null;    // not a valid test any more (cannot happen for generated code, but be safe)
        }
        if (!ours.exitedCleanly() || ours.stdout().length != p.outputLength()) {
            return "  emulator: " + ours.describe() + "\n";
        }
        List<MachineState.Difference> d = p.parse(ref.stdout()).get(0).compare(p.parse(ours.stdout()).get(0));
        if (d.isEmpty()) {
            return null;
        }
        StringBuilder sb = new StringBuilder();
        appendDiffs(sb, d);
        return sb.toString();
    }

    private int firstFailingAlone(List<Sequence> sequences) {
        for (int i = 0; i < sequences.size(); i++) {
            if (problemAlone(sequences.get(i)) != null) {
                return i;
            }
        }
        return -1;
    }

    private record Minimized(Sequence sequence, String problem, int runs) {
    }

    private Minimized minimize(Sequence s) {
        String problem = problemAlone(s);
        if (problem == null) {
            return null;
        }
        int runs = 1;
        boolean progress = true;
        while (progress && runs < MAX_MINIMIZE_RUNS) {
            progress = false;
            for (int j = s.ops().size() - 1; j >= 0 && s.ops().size() > 1 && runs < MAX_MINIMIZE_RUNS; j--) {
                Sequence c = s.withoutOp(j);
                String pr = problemAlone(c);
                runs++;
                if (pr != null) {
                    s = c;
                    problem = pr;
                    progress = true;
                }
            }
        }
        List<java.util.function.UnaryOperator<Sequence>> simplifications = new ArrayList<>();
        for (int r = 1; r < 32; r++) {
            int reg = r;
            simplifications.add(c -> c.x()[reg] == 0 ? null : c.withX(reg, 0));
        }
        for (int r = 0; r < 32; r++) {
            int reg = r;
            simplifications.add(c -> c.f()[reg] == 0 ? null : c.withF(reg, 0));
        }
        simplifications.add(c -> c.frm() == 0 ? null : c.withFrm(0));
        simplifications.add(c -> c.withScratch(new byte[Sequence.SCRATCH_SIZE]));
        for (var simplify : simplifications) {
            if (runs >= MAX_MINIMIZE_RUNS) {
                break;
            }
            Sequence c = simplify.apply(s);
            if (c == null) {
                continue;
            }
            String pr = problemAlone(c);
            runs++;
            if (pr != null) {
                s = c;
                problem = pr;
            }
        }
        return new Minimized(s, problem, runs);
    }

    private String locateQemuFailure(List<Sequence> sequences) {
        for (int i = 0; i < sequences.size(); i++) {
            BatchProgram p = new BatchProgram(xlen, List.of(sequences.get(i)));
            GuestRun r = QemuRunner.run(xlen, p.elf());
            if (!r.exitedCleanly()) {
                return "sequence " + i + " fails alone under qemu: " + r.describe() + "\n" + p.bodyListing(0)
                        + describeInputs(sequences.get(i), false);
            }
        }
        return "no single sequence fails alone under qemu";
    }
}
