package dev.riscvsandbox.isa;

import static dev.riscvsandbox.isa.InstructionHarness.DATA;
import static dev.riscvsandbox.isa.InstructionHarness.DATA_SIZE;
import static dev.riscvsandbox.isa.InstructionHarness.assertFault;
import static dev.riscvsandbox.isa.InstructionHarness.assertX;
import static dev.riscvsandbox.isa.InstructionHarness.exec;
import static dev.riscvsandbox.isa.InstructionHarness.filled;
import static dev.riscvsandbox.isa.InstructionHarness.hex;
import static dev.riscvsandbox.isa.InstructionHarness.run;
import static dev.riscvsandbox.testutil.Asm.A0;
import static dev.riscvsandbox.testutil.Asm.A1;
import static dev.riscvsandbox.testutil.Asm.A2;
import static dev.riscvsandbox.testutil.Asm.A3;
import static dev.riscvsandbox.testutil.Asm.A4;
import static dev.riscvsandbox.testutil.Asm.A5;
import static dev.riscvsandbox.testutil.Asm.T0;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.riscvsandbox.GuestFault;
import dev.riscvsandbox.isa.InstructionHarness.Run;
import dev.riscvsandbox.testutil.Asm;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** RV32I / RV64I loads and stores: widths, sign/zero extension, offsets, misaligned and page-crossing accesses. */
class BaseIntegerMemoryTest {

    /** 16 bytes at DATA: 80 7f ff 01 23 45 67 89 ef cd ab 90 78 56 34 12; page-crossing bytes at DATA+0xffc. */
    private static byte[] image() {
        byte[] d = new byte[DATA_SIZE];
        byte[] head = {(byte) 0x80, 0x7F, (byte) 0xFF, 0x01, 0x23, 0x45, 0x67, (byte) 0x89,
            (byte) 0xEF, (byte) 0xCD, (byte) 0xAB, (byte) 0x90, 0x78, 0x56, 0x34, 0x12};
        System.arraycopy(head, 0, d, 0, head.length);
        byte[] cross = {(byte) 0x91, (byte) 0xA2, (byte) 0xB3, (byte) 0xC4, (byte) 0xD5, (byte) 0xE6, (byte) 0xF7,
            (byte) 0x88};
        System.arraycopy(cross, 0, d, 0xFFC, cross.length);
        System.arraycopy(cross, 0, d, 0x1FFC, cross.length);
        return d;
    }

    /** A load {@code op rd, imm(rs1)} (matches {@code Asm::lw}). */
    @FunctionalInterface
    interface LoadOp {
        void emit(Asm a, int rd, int imm, int rs1);
    }

    private record Load(int xlen, String name, LoadOp op, long address, int offset, long expected) {
        @Override
        public String toString() {
            return "rv" + xlen + " " + name + " " + offset + "(" + hex(address) + ") -> " + hex(expected);
        }
    }

    private static Load l(int xlen, String name, LoadOp op, long addr, int off, long expected) {
        return new Load(xlen, name, op, addr, off, expected);
    }

    static Stream<Load> loads() {
        Stream.Builder<Load> s = Stream.builder();
        for (int xlen : new int[] {32, 64}) {
            // sign and zero extension
            s.add(l(xlen, "lb", Asm::lb, DATA, 0, -128));
            s.add(l(xlen, "lb", Asm::lb, DATA, 1, 0x7F));
            s.add(l(xlen, "lbu", Asm::lbu, DATA, 0, 0x80));
            s.add(l(xlen, "lbu", Asm::lbu, DATA, 2, 0xFF));
            s.add(l(xlen, "lh", Asm::lh, DATA, 0, 0x7F80));
            s.add(l(xlen, "lh", Asm::lh, DATA, 2, 0x01FF));
            s.add(l(xlen, "lh", Asm::lh, DATA, 6, 0xFFFF_FFFF_FFFF_8967L));
            s.add(l(xlen, "lhu", Asm::lhu, DATA, 6, 0x8967));
            s.add(l(xlen, "lw", Asm::lw, DATA, 0, 0x01FF_7F80));
            s.add(l(xlen, "lw", Asm::lw, DATA, 4, 0xFFFF_FFFF_8967_4523L));
            // negative offsets
            s.add(l(xlen, "lw", Asm::lw, DATA + 16, -8, 0xFFFF_FFFF_90AB_CDEFL));
            s.add(l(xlen, "lbu", Asm::lbu, DATA + 16, -1, 0x12));
            s.add(l(xlen, "lb", Asm::lb, DATA + 2048, -2048, -128));
            s.add(l(xlen, "lh", Asm::lh, DATA - 2041, 2047, 0xFFFF_FFFF_FFFF_8967L));
            // misaligned
            s.add(l(xlen, "lh", Asm::lh, DATA, 1, 0xFFFF_FFFF_FFFF_FF7FL));
            s.add(l(xlen, "lhu", Asm::lhu, DATA, 3, 0x2301));
            s.add(l(xlen, "lw", Asm::lw, DATA, 1, 0x2301_FF7FL));
            s.add(l(xlen, "lw", Asm::lw, DATA, 7, 0xFFFF_FFFF_ABCD_EF89L));
            // across the page boundary at DATA + 0x1000 (and DATA + 0x2000)
            s.add(l(xlen, "lh", Asm::lh, DATA + 0xFFF, 0, 0xFFFF_FFFF_FFFF_D5C4L));
            s.add(l(xlen, "lhu", Asm::lhu, DATA + 0x1000, -1, 0xD5C4));
            s.add(l(xlen, "lw", Asm::lw, DATA + 0xFFE, 0, 0xFFFF_FFFF_E6D5_C4B3L));
            s.add(l(xlen, "lw", Asm::lw, DATA + 0x1FFD, 0, 0xFFFF_FFFF_D5C4_B3A2L));
        }
        s.add(l(64, "lwu", Asm::lwu, DATA, 4, 0x8967_4523L));
        s.add(l(64, "lwu", Asm::lwu, DATA, 0, 0x01FF_7F80L));
        s.add(l(64, "lwu", Asm::lwu, DATA, 5, 0xEF89_6745L));
        s.add(l(64, "lwu", Asm::lwu, DATA + 0xFFE, 0, 0xE6D5_C4B3L));
        s.add(l(64, "ld", Asm::ld, DATA, 0, 0x8967_4523_01FF_7F80L));
        s.add(l(64, "ld", Asm::ld, DATA, 8, 0x1234_5678_90AB_CDEFL));
        s.add(l(64, "ld", Asm::ld, DATA + 24, -16, 0x1234_5678_90AB_CDEFL));
        s.add(l(64, "ld", Asm::ld, DATA, 3, 0xABCD_EF89_6745_2301L));
        s.add(l(64, "ld", Asm::ld, DATA + 0xFFD, 0, 0x0088_F7E6_D5C4_B3A2L));
        s.add(l(64, "ld", Asm::ld, DATA + 0x1FF9, 0, 0xD5C4_B3A2_9100_0000L));
        return s.build();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void loads(Load c) {
        Run r = exec(c.xlen, image(), a -> {
            a.li(A1, c.address);
            c.op.emit(a, A0, c.offset, A1);
        });
        assertX(r, A0, c.expected, c.toString());
        assertX(r, A1, c.address, "base register");
    }

    @ParameterizedTest(name = "rv{0}")
    @ValueSource(ints = {32, 64})
    void loadIntoBaseRegister(int xlen) {
        Run r = exec(xlen, image(), a -> a.li(A0, DATA + 4).lw(A0, -4, A0));
        assertX(r, A0, 0x01FF_7F80);
    }

    // ---- stores

    @ParameterizedTest(name = "rv{0}")
    @ValueSource(ints = {32, 64})
    void storesWriteOnlyTheirWidth(int xlen) {
        long value = xlen == 64 ? 0x1122_3344_5566_7788L : 0x5566_7788L;
        Run r = exec(xlen, filled(0xAA), a -> {
            a.li(A1, DATA).li(A2, value);
            a.sb(A2, 0, A1).sh(A2, 8, A1).sw(A2, 16, A1);
            if (xlen == 64) {
                a.sd(A2, 24, A1);
            }
        });
        assertEquals(hex(0xAAAA_AAAA_AAAA_AA88L), hex(r.mem64(DATA)), "sb");
        assertEquals(hex(0xAAAA_AAAA_AAAA_7788L), hex(r.mem64(DATA + 8)), "sh");
        assertEquals(hex(0xAAAA_AAAA_5566_7788L), hex(r.mem64(DATA + 16)), "sw");
        if (xlen == 64) {
            assertEquals(hex(0x1122_3344_5566_7788L), hex(r.mem64(DATA + 24)), "sd");
        }
        assertEquals(hex(0xAAAA_AAAA_AAAA_AAAAL), hex(r.mem64(DATA + 32)), "untouched");
        assertX(r, A2, value, "source register");
    }

    static Stream<Arguments> misalignedStores() {
        return Stream.of(
                Arguments.of(32, "sh", 0x101, 2), Arguments.of(32, "sw", 0x203, 4), Arguments.of(32, "sw", 0x102, 4),
                Arguments.of(32, "sh", 0xFFF, 2), Arguments.of(32, "sw", 0xFFD, 4), Arguments.of(32, "sw", 0x1FFF, 4),
                Arguments.of(64, "sh", 0x101, 2), Arguments.of(64, "sw", 0x203, 4), Arguments.of(64, "sd", 0x305, 8),
                Arguments.of(64, "sd", 0x404, 8), Arguments.of(64, "sh", 0xFFF, 2), Arguments.of(64, "sw", 0xFFE, 4),
                Arguments.of(64, "sd", 0xFFD, 8), Arguments.of(64, "sd", 0x1FF9, 8), Arguments.of(64, "sd", 0x1FFF, 8));
    }

    @ParameterizedTest(name = "rv{0} {1} at DATA+{2}")
    @MethodSource
    void misalignedStores(int xlen, String op, int offset, int size) {
        long value = 0x8877_6655_4433_2211L;
        Run r = exec(xlen, filled(0xAA), a -> {
            a.li(A1, DATA + offset).li(A2, xlen == 32 ? (int) value : value);
            switch (op) {
                case "sh" -> a.sh(A2, 0, A1);
                case "sw" -> a.sw(A2, 0, A1);
                default -> a.sd(A2, 0, A1);
            }
        });
        byte[] expected = filled(0xAA);
        for (int i = 0; i < size; i++) {
            expected[offset + i] = (byte) (value >>> (8 * i));
        }
        assertArrayEquals(expected, r.dataBytes(), r::toString);
    }

    @ParameterizedTest(name = "rv{0}")
    @ValueSource(ints = {32, 64})
    void storeThenLoadRoundTripsWithNegativeOffsets(int xlen) {
        Run r = exec(xlen, a -> a
                .li(A1, DATA + 0x800)
                .li(A2, 0xFFFF_FF85L)
                .sw(A2, -2048, A1)
                .sb(A2, -1, A1)
                .sh(A2, 2047, A1)
                .lw(A3, -2048, A1)
                .lbu(A4, -1, A1)
                .lh(A5, 2047, A1)
                .lb(A0, -2048, A1));
        assertX(r, A3, 0xFFFF_FFFF_FFFF_FF85L);
        assertX(r, A4, 0x85);
        assertX(r, A5, 0xFFFF_FFFF_FFFF_FF85L);
        assertX(r, A0, 0xFFFF_FFFF_FFFF_FF85L);
        assertEquals(0x85, r.mem8(DATA + 0x7FF));
        assertEquals(0xFF85, r.mem16(DATA + 0x800 + 2047));
    }

    @ParameterizedTest(name = "rv{0}")
    @ValueSource(ints = {32, 64})
    void loadStoreLoadSeesTheStore(int xlen) {
        // the first load may cache the page as loaded from the program image; the store must not be missed
        Run r = exec(xlen, image(), a -> a
                .li(A1, DATA)
                .li(Asm.T1, DATA + 0x1000)
                .lw(A2, 0, A1)
                .li(A3, 0x0BAD_F00D)
                .sw(A3, 0, A1)
                .lw(A4, 0, A1)
                .lw(A5, -2, Asm.T1)             // page-crossing load after a store to the first page
                .sb(A3, 0x7FF, A1)
                .lw(A0, 0x7FC, A1)
                .lbu(Asm.T2, 0, Asm.T1)
                .sb(A3, -1, Asm.T1)
                .lw(Asm.T0, -2, Asm.T1));
        assertX(r, A2, 0x01FF_7F80);
        assertX(r, A4, 0x0BAD_F00D);
        assertX(r, A5, 0xFFFF_FFFF_E6D5_C4B3L);
        assertX(r, A0, 0x0D00_0000);
        assertX(r, Asm.T2, 0xD5);
        assertX(r, Asm.T0, 0xFFFF_FFFF_E6D5_0DB3L);
    }

    @Test
    void sdThenLwuAndLdAcrossPage() {
        Run r = exec(64, a -> a
                .li(A1, DATA + 0xFFB)
                .li(A2, 0xFEDC_BA98_7654_3210L)
                .sd(A2, 0, A1)
                .ld(A3, 0, A1)
                .lwu(A4, 4, A1)
                .lw(A5, 4, A1));
        assertX(r, A3, 0xFEDC_BA98_7654_3210L);
        assertX(r, A4, 0xFEDC_BA98L);
        assertX(r, A5, 0xFFFF_FFFF_FEDC_BA98L);
    }

    // ---- access faults

    @ParameterizedTest(name = "rv{0}")
    @ValueSource(ints = {32, 64})
    void loadFromUnmappedAddressFaults(int xlen) {
        Run r = run(xlen, a -> a.li(A1, 8).label("ld").lw(A0, 0, A1).ebreak());
        assertFault(r, GuestFault.Kind.LOAD_ACCESS, r.addr("ld"));
        assertEquals(8, r.fault().address());
    }

    @ParameterizedTest(name = "rv{0}")
    @ValueSource(ints = {32, 64})
    void storeToCodeFaultsAndLeavesCodeIntact(int xlen) {
        Run r = run(xlen, a -> a.label("top").auipc(A1, 0).li(A2, -1).label("st").sw(A2, 0, A1).ebreak());
        assertFault(r, GuestFault.Kind.STORE_ACCESS, r.addr("st"));
        assertEquals(r.addr("top"), r.fault().address());
    }

    @ParameterizedTest(name = "rv{0}")
    @ValueSource(ints = {32, 64})
    void storeCrossingIntoUnmappedPageFaultsWithoutWriting(int xlen) {
        Run r = run(xlen, filled(0xAA), a -> a
                .li(A1, DATA + DATA_SIZE - 2)
                .li(A2, 0)
                .label("st").sw(A2, 0, A1)
                .ebreak());
        assertFault(r, GuestFault.Kind.STORE_ACCESS, r.addr("st"));
        byte[] expected = filled(0xAA);
        assertArrayEquals(expected, r.dataBytes(), "a faulting store must not write the bytes of its first page");
    }

    @ParameterizedTest(name = "rv{0}")
    @ValueSource(ints = {32, 64})
    void faultingLoadLeavesDestinationUnchanged(int xlen) {
        Run r = run(xlen, a -> a.li(A0, 1234).li(T0, 0).label("ld").lw(A0, 0, T0).ebreak());
        assertFault(r, GuestFault.Kind.LOAD_ACCESS, r.addr("ld"));
        assertX(r, A0, 1234);
    }

    @ParameterizedTest(name = "rv{0}")
    @ValueSource(ints = {32, 64})
    void loadIntoX0StillFaults(int xlen) {
        Run r = run(xlen, a -> a.li(A0, 1).li(A1, 2).li(A2, 3).label("ld").lw(Asm.ZERO, 16, Asm.ZERO).ebreak());
        assertFault(r, GuestFault.Kind.LOAD_ACCESS, r.addr("ld"));
        assertEquals(16, r.fault().address());
        assertEquals(3, r.result.instructions(), "the faulting load does not retire");
        assertEquals(r.addr("ld"), r.pc);
    }

    @ParameterizedTest(name = "rv{0}")
    @ValueSource(ints = {32, 64})
    void loadCrossingIntoAnUnmappedPageReportsAnAddressInTheFaultingPart(int xlen) {
        long end = DATA + DATA_SIZE;
        Run r = run(xlen, a -> a.li(A1, end - 2).li(A0, 99).label("ld").lw(A0, 0, A1).ebreak());
        assertFault(r, GuestFault.Kind.LOAD_ACCESS, r.addr("ld"));
        long addr = r.fault().address();
        assertTrue(addr >= end - 2 && addr < end + 2, "fault address " + hex(addr));
        assertX(r, A0, 99);
    }

    // ---- .bss pages

    @ParameterizedTest(name = "rv{0}")
    @ValueSource(ints = {32, 64})
    void bssPagesReadZeroAndKeepWrites(int xlen) {
        byte[] init = {1, 2, 3, 4, 5, 6, 7, 8};
        Run r = InstructionHarness.runWithBss(xlen, init, a -> a
                .li(A1, DATA + 0x1800)
                .lw(A2, 0, A1)                   // zero page, now in the read cache
                .li(A3, 0x1234_5678)
                .sw(A3, 0, A1)
                .lw(A4, 0, A1)                   // must see the store
                .li(A5, DATA + 6)
                .lw(A0, 0, A5)                   // initialized bytes followed by .bss zeros
                .li(Asm.T1, DATA + 0x2FFE)
                .sh(A3, 0, Asm.T1)
                .lhu(Asm.T2, 0, Asm.T1)
                .ebreak());
        assertEquals(GuestFault.Kind.BREAKPOINT, r.fault().kind(), r::toString);
        assertX(r, A2, 0);
        assertX(r, A4, 0x1234_5678);
        assertX(r, A0, 0x0807);
        assertX(r, Asm.T2, 0x5678);
        assertEquals(0x1234_5678, r.mem32(DATA + 0x1800));
    }

    // ---- RV64 addresses beyond the implemented address space

    static Stream<Arguments> highAddresses() {
        return Stream.of(
                Arguments.of("lw", 0x100_0000_0000L + DATA), Arguments.of("ld", 0x100_0000_0000L + DATA),
                Arguments.of("lb", 0x8000_0000_0000_0000L + DATA), Arguments.of("ld", -8L),
                Arguments.of("lhu", 0x0000_7FFF_FFFF_F000L));
    }

    /** A load from an address the machine does not implement faults, reports that address and aliases nothing. */
    @ParameterizedTest(name = "{0} from {1}")
    @MethodSource("highAddresses")
    void rv64LoadFromAnUnimplementedAddressReportsTheFullAddress(String op, long address) {
        Run r = run(64, image(), a -> {
            a.li(A1, address).li(A0, 99);
            a.label("ld");
            switch (op) {
                case "lw" -> a.lw(A0, 0, A1);
                case "ld" -> a.ld(A0, 0, A1);
                case "lb" -> a.lb(A0, 0, A1);
                default -> a.lhu(A0, 0, A1);
            }
            a.ebreak();
        });
        assertFault(r, GuestFault.Kind.LOAD_ACCESS, r.addr("ld"));
        assertEquals(hex(address), hex(r.fault().address()), "fault address");
        assertX(r, A0, 99);
    }

    @ParameterizedTest(name = "sd to {1}")
    @MethodSource("highAddresses")
    void rv64StoreToAnUnimplementedAddressReportsTheFullAddress(String unused, long address) {
        Run r = run(64, image(), a -> a.li(A1, address).li(A2, -1).label("st").sd(A2, 0, A1).ebreak());
        assertFault(r, GuestFault.Kind.STORE_ACCESS, r.addr("st"));
        assertEquals(hex(address), hex(r.fault().address()), "fault address");
        assertArrayEquals(image(), r.dataBytes(), "nothing aliased");
    }

    @Test
    void rv32AddressesWrapAround() {
        Run low = run(32, a -> a.li(A1, 0xFFFF_FFFCL).li(A0, 99).label("ld").lw(A0, 8, A1).ebreak());
        assertFault(low, GuestFault.Kind.LOAD_ACCESS, low.addr("ld"));
        assertEquals(4, low.fault().address(), "0xfffffffc + 8 wraps to 4");
        Run high = run(32, a -> a.li(A1, 0x8000_0000L).li(A2, 1).label("st").sw(A2, -4, A1).ebreak());
        assertFault(high, GuestFault.Kind.STORE_ACCESS, high.addr("st"));
        assertEquals(0x7FFF_FFFCL, high.fault().address());
    }
}
