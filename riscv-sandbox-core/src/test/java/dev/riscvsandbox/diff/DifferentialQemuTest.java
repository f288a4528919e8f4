package dev.riscvsandbox.diff;

import static org.junit.jupiter.api.Assertions.fail;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.GenerationMode;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * Differential testing against qemu-user: random instruction sequences (see {@link SequenceArbitraries}) run from
 * random, edge-biased initial states, in batches of {@value #BATCH_SIZE} per guest program, under qemu and under our
 * emulator; every integer and FP register, fcsr and the scratch buffer must agree after each sequence.
 *
 * <p>Per run: 20 (rv64) + 14 (rv32) general batches and 5 + 5 FP-focused ones: 22,000 sequences with the default
 * batch size.
 *
 * <p>jqwik's shrinking is off (each try is a whole batch); instead a divergence report contains the first
 * differing sequence and a minimized form of it. Skipped without qemu unless {@code -Driscv.requireQemu=true}.
 */
@AddLifecycleHook(QemuRequirement.class)
class DifferentialQemuTest {

    /** Sequences per guest program; {@code -Driscv.diff.batchSize=N} scales a run up (or down). */
    static final int BATCH_SIZE = Integer.getInteger("riscv.diff.batchSize", 500);

    @Property(tries = 20, generation = GenerationMode.RANDOMIZED, edgeCases = EdgeCasesMode.NONE,
            shrinking = ShrinkingMode.OFF)
    void rv64AgreesWithQemu(@ForAll("rv64Batches") Batch batch) {
        check(batch);
    }

    @Property(tries = 14, generation = GenerationMode.RANDOMIZED, edgeCases = EdgeCasesMode.NONE,
            shrinking = ShrinkingMode.OFF)
    void rv32AgreesWithQemu(@ForAll("rv32Batches") Batch batch) {
        check(batch);
    }

    /** FP operations only, on edge-valued FP registers: rare special-case combinations come up often. */
    @Property(tries = 5, generation = GenerationMode.RANDOMIZED, edgeCases = EdgeCasesMode.NONE,
            shrinking = ShrinkingMode.OFF)
    void rv64FloatingPointAgreesWithQemu(@ForAll("rv64FpBatches") Batch batch) {
        check(batch);
    }

    @Property(tries = 5, generation = GenerationMode.RANDOMIZED, edgeCases = EdgeCasesMode.NONE,
            shrinking = ShrinkingMode.OFF)
    void rv32FloatingPointAgreesWithQemu(@ForAll("rv32FpBatches") Batch batch) {
        check(batch);
    }

    @Provide
    Arbitrary<Batch> rv64FpBatches() {
        return new SequenceArbitraries(64, true).batch(BATCH_SIZE);
    }

    @Provide
    Arbitrary<Batch> rv32FpBatches() {
        return new SequenceArbitraries(32, true).batch(BATCH_SIZE);
    }

    @Provide
    Arbitrary<Batch> rv64Batches() {
        return new SequenceArbitraries(64).batch(BATCH_SIZE);
    }

    @Provide
    Arbitrary<Batch> rv32Batches() {
        return new SequenceArbitraries(32).batch(BATCH_SIZE);
    }

    static void check(Batch batch) {
        String missing = QemuRequirement.missing();
        if (missing != null) {
            fail(missing + " and riscv.requireQemu=true");
        }
        DiffHarness harness = new DiffHarness(batch.xlen());
        DiffHarness.Outcome outcome = harness.compare(batch.sequences());
        if (!outcome.agree()) {
            fail(outcome.report());
        }
    }

    @AfterContainer
    static void printStats() {
        DiffHarness.STATS.forEach((xlen, s) -> System.out.println("[differential rv" + xlen + "] " + s));
    }
}
