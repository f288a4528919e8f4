package dev.riscvsandbox.elf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.riscvsandbox.elf.ElfImages.PieOptions;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.constraints.Size;

/**
 * Robustness properties: for any input, {@link ElfFile#parse} returns a file whose accessors all work, or throws
 * {@link ElfException}. Any other throwable (index out of bounds, negative array size, arithmetic overflow, out of
 * memory, ...) fails the property. Inputs are small, so each property runs its 1000 tries in well under a second.
 */
class ElfParserFuzzTest {

    /** Valid seed images covering ELF32/ELF64, EXEC/DYN, RELA and RELR tables, and section-less files. */
    private static final List<byte[]> SEEDS = seeds();

    private static List<byte[]> seeds() {
        List<byte[]> seeds = new ArrayList<>();
        for (ElfImages.Image image : ElfImages.all()) {
            seeds.add(image.bytes());
        }
        for (boolean is64 : new boolean[] {false, true}) {
            PieOptions relr = new PieOptions();
            relr.relr = new long[] {ElfImages.PIE_DATA, 0b1011};
            seeds.add(ElfImages.pie(is64, relr).bytes());
            PieOptions sections = new PieOptions();
            sections.ptDynamic = false;
            seeds.add(ElfImages.pie(is64, sections).bytes());
            ElfImageBuilder b = new ElfImageBuilder(is64);
            b.sectionsEnabled = false;
            b.entry = 0x10000 + ElfImages.CODE_OFF;
            b.put(ElfImages.CODE_OFF, new byte[16]);
            b.phdr(ProgramHeader.PT_LOAD, 5, 0, 0x10000, ElfImages.CODE_OFF + 16, ElfImages.CODE_OFF + 16, 0x1000);
            seeds.add(b.build());
        }
        for (byte[] seed : seeds) {
            try {
                ElfFile.parse(seed);
            } catch (ElfException e) {
                throw new AssertionError("seed image is invalid: " + e.getMessage(), e);
            }
        }
        return List.copyOf(seeds);
    }

    /** Parses and, on success, exercises every accessor; only {@link ElfException} may escape the parser. */
    private static void parseAndExercise(byte[] bytes) {
        ElfFile f;
        try {
            f = ElfFile.parse(bytes);
        } catch (ElfException e) {
            assertNotNull(e.getMessage());
            assertFalse(e.getMessage().isEmpty());
            return;
        }
        assertTrue(f.xlen() == 32 || f.xlen() == 64);
        assertTrue(f.phnum() >= 1 && f.phnum() <= 128);
        assertEquals(f.phnum(), f.programHeaders().size());
        assertFalse(f.loadSegments().isEmpty());
        f.flags();
        f.floatAbi();
        f.hasCompressed();
        f.tlsSegment();
        f.interpreter();
        assertNotNull(f.toString());
        for (ProgramHeader ph : f.programHeaders()) {
            assertNotNull(ph.toString());
            if (ph.type() == ProgramHeader.PT_NULL) {
                continue;
            }
            ByteBuffer view = f.segmentData(ph);
            assertEquals(ph.filesz(), view.remaining());
            assertEquals(ph.filesz(), f.bytes(ph).length);
        }
        for (Symbol s : f.symbols()) {
            assertTrue(f.symbol(s.name()).isPresent());
            f.symbolAt(s.value()).ifPresent(found -> found.describe(s.value()));
            f.symbolAt(s.value() + s.size());
        }
        f.symbolAt(f.entry());
        f.symbolAt(0);
        f.symbolAt(-1L);
        for (Relocation r : f.relativeRelocations()) {
            assertTrue(f.loadSegments().stream().anyMatch(ph -> ph.containsAddress(r.offset())));
        }
    }

    // ---------------------------------------------------------------------------------------------- properties

    @Property(tries = 1000)
    void randomBytes(@ForAll @Size(max = 600) byte[] bytes) {
        parseAndExercise(bytes);
    }

    @Property(tries = 1000)
    void randomBytesAfterAValidIdentification(@ForAll("identified") byte[] bytes) {
        parseAndExercise(bytes);
    }

    @Property(tries = 2000, shrinking = ShrinkingMode.BOUNDED)
    void mutatedValidImages(@ForAll("mutated") byte[] bytes) {
        parseAndExercise(bytes);
    }

    @Property(tries = 1000)
    void truncatedValidImages(@ForAll("truncated") byte[] bytes) {
        parseAndExercise(bytes);
    }

    @Property(tries = 2000, shrinking = ShrinkingMode.BOUNDED)
    void randomHeaderFieldValues(@ForAll("patched") byte[] bytes) {
        parseAndExercise(bytes);
    }

    // ----------------------------------------------------------------------------------------------- generators

    @Provide
    Arbitrary<byte[]> identified() {
        return Combinators.combine(Arbitraries.of(1, 2), Arbitraries.bytes().array(byte[].class).ofMaxSize(400),
                Arbitraries.of(2, 3)).as((elfClass, rest, type) -> {
                    byte[] b = new byte[16 + Math.max(rest.length, 48)];
                    System.arraycopy(rest, 0, b, 16, rest.length);
                    b[0] = 0x7f;
                    b[1] = 'E';
                    b[2] = 'L';
                    b[3] = 'F';
                    b[4] = (byte) (int) elfClass;
                    b[5] = 1;
                    b[6] = 1;
                    b[16] = (byte) (int) type;
                    b[17] = 0;
                    b[18] = (byte) 243;
                    b[19] = 0;
                    b[20] = 1;
                    b[21] = b[22] = b[23] = 0;
                    return b;
                });
    }

    private static Arbitrary<byte[]> seed() {
        return Arbitraries.of(SEEDS);
    }

    @Provide
    Arbitrary<byte[]> mutated() {
        return seed().flatMap(seed -> {
            Arbitrary<int[]> mutation = Combinators.combine(Arbitraries.integers().between(0, seed.length - 1),
                    Arbitraries.integers().between(0, 255)).as((pos, val) -> new int[] {pos, val});
            return mutation.list().ofMinSize(1).ofMaxSize(8).map(ms -> {
                byte[] b = seed.clone();
                for (int[] m : ms) {
                    b[m[0]] = (byte) m[1];
                }
                return b;
            });
        });
    }

    @Provide
    Arbitrary<byte[]> truncated() {
        return seed().flatMap(seed -> Arbitraries.integers().between(0, seed.length - 1)
                .map(n -> java.util.Arrays.copyOf(seed, n)));
    }

    /** Overwrites 1..4 header fields (ELF, program or section header) with edge-case or random values. */
    @Provide
    Arbitrary<byte[]> patched() {
        return seed().flatMap(seed -> {
            List<long[]> fields = fieldLocations(seed);
            Arbitrary<long[]> patch = Combinators.combine(Arbitraries.of(fields), values(seed.length))
                    .as((field, value) -> new long[] {field[0], field[1], value});
            return patch.list().ofMinSize(1).ofMaxSize(4).map(ps -> {
                byte[] b = seed;
                for (long[] p : ps) {
                    b = ElfImages.write(b, p[0], (int) p[1], p[2]);
                }
                return b;
            });
        });
    }

    private static Arbitrary<Long> values(int fileSize) {
        return Arbitraries.oneOf(
                Arbitraries.of(0L, 1L, 2L, 3L, 7L, 8L, 12L, 16L, 24L, 32L, 56L, 64L, 0x1000L, 0xff00L, 0xffffL,
                        0x7fff_ffffL, 0x8000_0000L, 0xffff_ffffL, 1L << 32, (1L << 32) + 1, Long.MAX_VALUE,
                        Long.MIN_VALUE, -1L, -2L, -0x1000L, (long) fileSize, fileSize - 1L, fileSize + 1L,
                        fileSize / 2L, 1_000_001L, 4_000_001L),
                Arbitraries.longs().between(0, 2L * fileSize),
                Arbitraries.longs());
    }

    /** {fileOffset, size} of every header field of the seed, computed once from the intact image. */
    private static List<long[]> fieldLocations(byte[] seed) {
        boolean is64 = ElfImages.is64(seed);
        List<long[]> fields = new ArrayList<>();
        for (ElfImages.H h : ElfImages.H.values()) {
            fields.add(new long[] {is64 ? h.off64 : h.off32, is64 ? h.size64 : h.size32});
        }
        int phnum = (int) ElfImages.header(seed, ElfImages.H.PHNUM);
        for (int i = 0; i < phnum; i++) {
            long base = ElfImages.phdrOffset(seed, i);
            for (ElfImages.P p : ElfImages.P.values()) {
                fields.add(new long[] {base + (is64 ? p.off64 : p.off32), is64 ? p.size64 : p.size32});
            }
        }
        int shnum = (int) ElfImages.header(seed, ElfImages.H.SHNUM);
        for (int i = 0; i < shnum; i++) {
            long base = ElfImages.shdrOffset(seed, i);
            for (ElfImages.S s : ElfImages.S.values()) {
                fields.add(new long[] {base + (is64 ? s.off64 : s.off32), is64 ? s.size64 : s.size32});
            }
        }
        return fields;
    }
}
