package dev.riscvsandbox.isa;

import static dev.riscvsandbox.isa.InstructionHarness.DATA;
import static dev.riscvsandbox.isa.InstructionHarness.DATA_SIZE;
import static dev.riscvsandbox.isa.InstructionHarness.hex32or64;
import static dev.riscvsandbox.testutil.Asm.A0;
import static dev.riscvsandbox.testutil.Asm.A1;
import static dev.riscvsandbox.testutil.Asm.A2;
import static dev.riscvsandbox.testutil.Asm.A7;
import static dev.riscvsandbox.testutil.Asm.S11;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.riscvsandbox.isa.InstructionHarness.RegCase;
import dev.riscvsandbox.testutil.Asm;
import dev.riscvsandbox.testutil.TestElf;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Checks the hand-written expectations of the table-driven register cases against qemu-user (skipped when
 * qemu-riscv32/64 is not on the PATH), so that a wrong expectation cannot masquerade as an emulator bug or hide one.
 *
 * <p>All cases of a table run in one program: each case's code is followed by a store of a0 into a result array,
 * and the array is written to stdout at the end. The same program also runs in the emulator, and both outputs are
 * compared with the expectations.
 */
class ExpectationsVsQemuTest {

    static Stream<Arguments> tables() {
        return Stream.of(
                Arguments.of("BaseIntegerAluTest.rv64Register", BaseIntegerAluTest.rv64Register().toList()),
                Arguments.of("BaseIntegerAluTest.rv64Immediate", BaseIntegerAluTest.rv64Immediate().toList()),
                Arguments.of("BaseIntegerAluTest.rv32Register", BaseIntegerAluTest.rv32Register().toList()),
                Arguments.of("BaseIntegerAluTest.rv32Immediate", BaseIntegerAluTest.rv32Immediate().toList()),
                Arguments.of("MulDivTest.rv64", MulDivTest.rv64().toList()),
                Arguments.of("MulDivTest.rv32", MulDivTest.rv32().toList()),
                Arguments.of("BitManipTest.zba64", BitManipTest.zba64().toList()),
                Arguments.of("BitManipTest.zbb64", BitManipTest.zbb64().toList()),
                Arguments.of("BitManipTest.zbc64", BitManipTest.zbc64().toList()),
                Arguments.of("BitManipTest.zbs64", BitManipTest.zbs64().toList()),
                Arguments.of("BitManipTest.rv32", BitManipTest.rv32().toList()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tables")
    void expectationsMatchQemu(String table, List<RegCase> cases) throws Exception {
        int xlen = cases.get(0).xlen();
        Optional<Path> qemu = Qemu.find(xlen);
        Assumptions.assumeTrue(qemu.isPresent(), "qemu-riscv" + xlen + " not on the PATH");
        byte[] elf = batch(xlen, cases);
        long[] fromQemu = decode(xlen, Qemu.run(qemu.get(), elf), cases.size());
        long[] fromEmulator = decode(xlen, Qemu.runEmulator(elf), cases.size());
        List<String> wrongExpectations = new ArrayList<>();
        List<String> emulatorDisagrees = new ArrayList<>();
        for (int i = 0; i < cases.size(); i++) {
            RegCase c = cases.get(i);
            long expected = InstructionHarness.sx(xlen, c.expected());
            if (fromQemu[i] != expected) {
                wrongExpectations.add(c + " but qemu gives " + hex32or64(xlen, fromQemu[i]));
            }
            if (fromEmulator[i] != fromQemu[i]) {
                emulatorDisagrees.add(c + ": qemu " + hex32or64(xlen, fromQemu[i]) + ", emulator "
                        + hex32or64(xlen, fromEmulator[i]));
            }
        }
        assertTrue(wrongExpectations.isEmpty(), () -> table + ": expectations differ from qemu:\n"
                + String.join("\n", wrongExpectations));
        assertTrue(emulatorDisagrees.isEmpty(), () -> table + ": emulator differs from qemu:\n"
                + String.join("\n", emulatorDisagrees));
    }

    /** One program running every case and printing the a0 of each as an XLEN-bit little-endian value. */
    private static byte[] batch(int xlen, List<RegCase> cases) {
        int size = xlen / 8;
        if (cases.size() * size > DATA_SIZE) {
            throw new IllegalArgumentException("too many cases for one batch");
        }
        Asm a = new Asm(xlen, InstructionHarness.TEXT);
        for (int i = 0; i < cases.size(); i++) {
            int off = (i * size) % 2048;
            if (off == 0) {
                a.li(S11, DATA + (long) i * size);
            }
            cases.get(i).emit(a);
            if (xlen == 64) {
                a.sd(A0, off, S11);
            } else {
                a.sw(A0, off, S11);
            }
        }
        a.li(A0, 1).li(A1, DATA).li(A2, (long) cases.size() * size).li(A7, 64).ecall();   // write(1, ...)
        a.li(A0, 0).li(A7, 93).ecall();                                                    // exit(0)
        return TestElf.builder(xlen).text(a).data(DATA, new byte[DATA_SIZE], DATA_SIZE).build();
    }

    private static long[] decode(int xlen, byte[] out, int n) {
        int size = xlen / 8;
        assertEquals(n * size, out.length, "output length");
        ByteBuffer b = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
        long[] v = new long[n];
        for (int i = 0; i < n; i++) {
            v[i] = xlen == 64 ? b.getLong() : b.getInt();
        }
        return v;
    }
}
