package dev.riscvsandbox.machine;

import dev.riscvsandbox.GuestFault;
import dev.riscvsandbox.cpu.CodeMap;
import dev.riscvsandbox.elf.ElfException;
import dev.riscvsandbox.elf.ElfFile;
import dev.riscvsandbox.elf.ElfType;
import dev.riscvsandbox.elf.ProgramHeader;
import dev.riscvsandbox.elf.Relocation;
import dev.riscvsandbox.elf.Symbol;
import dev.riscvsandbox.isa.DecodedSegment;
import dev.riscvsandbox.memory.Memory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A loaded RISC-V program: the parsed ELF, its code decoded once, and a frozen memory image with every segment in
 * place. Immutable and thread-safe; any number of {@link Machine}s (on any threads) start from one program, each with
 * a copy-on-write view of the image, so creating a machine costs the same whatever the program's size.
 */
public final class Program {
    /** Load address of static-PIE (ET_DYN) programs. */
    public static final long PIE_BASE = 0x40000;
    /** Largest ELF file accepted. */
    public static final long MAX_FILE_SIZE = 256L << 20;
    /** Largest total size of the executable segments (decoded code takes about 6 bytes of heap per byte). */
    public static final long MAX_CODE_BYTES = 32L << 20;
    /** Largest total size of the loaded image (file data plus zero-filled memory), in bytes. */
    public static final long MAX_IMAGE_BYTES = 1L << 30;
    /** RV32 images must end below this address, leaving room for the heap, mmap area and stack. */
    public static final long RV32_IMAGE_LIMIT = 0x6000_0000L;

    private final ElfFile elf;
    private final int xlen;
    private final long bias;
    private final CodeMap code;
    private final Memory image;
    private final long imageEnd;
    private final long phdrAddress;
    private final long exitAddress;
    private final byte[] phdrBytes;

    private Program(ElfFile elf, long bias, CodeMap code, Memory image, long imageEnd, long phdrAddress,
                    long exitAddress, byte[] phdrBytes) {
        this.phdrBytes = phdrBytes;
        this.elf = elf;
        this.xlen = elf.xlen();
        this.bias = bias;
        this.code = code;
        this.image = image;
        this.imageEnd = imageEnd;
        this.phdrAddress = phdrAddress;
        this.exitAddress = exitAddress;
    }

    /** Loads a program from a file. */
    public static Program load(Path path) throws IOException, ElfException {
        long size = Files.size(path);
        if (size > MAX_FILE_SIZE) {
            throw new ElfException("file is " + size + " bytes; the limit is " + MAX_FILE_SIZE);
        }
        return load(Files.readAllBytes(path));
    }

    /** Loads a program from ELF bytes (the array is not retained beyond parsing). */
    public static Program load(byte[] bytes) throws ElfException {
        ElfFile elf = ElfFile.parse(bytes);
        return new Loader(elf, bytes).load();
    }

    /** 32 or 64. */
    public int xlen() {
        return xlen;
    }

    public ElfFile elf() {
        return elf;
    }

    /** What was added to every ELF address: 0 for ET_EXEC, {@link #PIE_BASE} for static PIE. */
    public long loadBias() {
        return bias;
    }

    /** The entry point, relocated. */
    public long entry() {
        return elf.entry() + bias;
    }

    /** The address of a symbol, relocated, if the program has a symbol table and the name is in it. */
    public OptionalLong symbol(String name) {
        Optional<Symbol> s = elf.symbol(name);
        return s.isPresent() ? OptionalLong.of(s.get().value() + bias) : OptionalLong.empty();
    }

    /** Describes an address as {@code symbol+0xoffset}, or null. */
    public String describe(long address) {
        long a = xlen == 32 ? address & 0xFFFF_FFFFL : address;
        return elf.symbolAt(a - bias).map(s -> s.describe(a - bias)).orElse(null);
    }

    CodeMap code() {
        return code;
    }

    Memory image() {
        return image;
    }

    long imageEnd() {
        return imageEnd;
    }

    long phdrAddress() {
        return phdrAddress;
    }

    /** Returning to this address ends a host → guest call. */
    byte[] phdrBytes() {
        return phdrBytes.clone();
    }

    long exitAddress() {
        return exitAddress;
    }

    /** Places the segments in a fresh memory, decodes the executable ones and freezes the result. */
    private static final class Loader {
        private final ElfFile elf;
        private final int xlen;
        private final long bias;
        private final byte[] file;

        Loader(ElfFile elf, byte[] file) {
            this.elf = elf;
            this.file = file;
            this.xlen = elf.xlen();
            this.bias = elf.type() == ElfType.DYN ? PIE_BASE : 0;
        }

        Program load() throws ElfException {
            List<ProgramHeader> loads = elf.loadSegments();
            if (loads.isEmpty()) {
                throw new ElfException("no PT_LOAD segments");
            }
            long imageBytes = 0;
            long codeBytes = 0;
            long end = 0;
            for (ProgramHeader ph : loads) {
                if (ph.isWritable() && ph.isExecutable()) {
                    throw new ElfException("segment at 0x" + Long.toHexString(ph.vaddr())
                            + " is both writable and executable; refusing to load it");
                }
                long lo = (ph.vaddr() + bias) & -Memory.PAGE_SIZE;
                long hi = pageUp(ph.vaddr() + bias + ph.memsz());
                if (lo < Memory.PAGE_SIZE) {
                    throw new ElfException("segment at 0x" + Long.toHexString(ph.vaddr()) + " maps page zero");
                }
                long limit = xlen == 32 ? RV32_IMAGE_LIMIT : 1L << (Memory.ADDRESS_BITS - 1);
                if (hi > limit) {
                    throw new ElfException("segment at 0x" + Long.toHexString(ph.vaddr()) + " ends above 0x"
                            + Long.toHexString(limit) + ", the highest address a program image may use");
                }
                if (ph.isExecutable()) {
                    if (((ph.vaddr() + bias) & 1) != 0) {
                        throw new ElfException("executable segment at 0x" + Long.toHexString(ph.vaddr())
                                + " is not 2-byte aligned");
                    }
                    for (ProgramHeader other : loads) {
                        if (other != ph && other.isExecutable() && other.vaddr() < ph.vaddr() + ph.memsz()
                                && ph.vaddr() < other.vaddr() + other.memsz()) {
                            throw new ElfException("executable segments at 0x" + Long.toHexString(ph.vaddr())
                                    + " and 0x" + Long.toHexString(other.vaddr()) + " overlap");
                        }
                    }
                    codeBytes += ph.filesz();
                }
                imageBytes += hi - lo;
                end = Math.max(end, hi);
            }
            if (codeBytes > MAX_CODE_BYTES) {
                throw new ElfException("executable segments hold " + codeBytes + " bytes; the limit is "
                        + MAX_CODE_BYTES);
            }
            if (imageBytes > MAX_IMAGE_BYTES) {
                throw new ElfException("loaded segments span " + imageBytes + " bytes; the limit is "
                        + MAX_IMAGE_BYTES);
            }
            Memory mem = new Memory(xlen, Math.max(imageBytes, Memory.PAGE_SIZE) + 2L * Memory.PAGE_SIZE);
            try {
                for (ProgramHeader ph : loads) {
                    mapSegment(mem, ph);
                }
                for (ProgramHeader ph : loads) {
                    byte[] data = elf.bytes(ph);
                    if (data.length > 0) {
                        mem.writeBytesPrivileged(ph.vaddr() + bias, data, 0, data.length);
                    }
                }
                if (bias != 0) {
                    relocate(mem);
                }
            } catch (GuestFault | IllegalArgumentException e) {
                throw new ElfException("segments cannot be placed in memory: " + e.getMessage());
            }
            List<DecodedSegment> segments = new ArrayList<>();
            for (ProgramHeader ph : loads) {
                if (ph.isExecutable() && ph.filesz() > 0) {
                    byte[] bytes = elf.bytes(ph);
                    int n = bytes.length & ~1;
                    byte[] even = n == bytes.length ? bytes : java.util.Arrays.copyOf(bytes, n);
                    segments.add(DecodedSegment.decode(xlen, ph.vaddr() + bias, even));
                }
            }
            long exit = findFreeCodeAddress(segments);
            segments.add(DecodedSegment.trampoline(xlen, exit));
            long phdr = locatePhdrs(loads, mem);
            mem.freeze();
            int phSize = elf.phentsize() * elf.phnum();
            byte[] phdrs = java.util.Arrays.copyOfRange(file, (int) elf.phoff(), (int) elf.phoff() + phSize);
            return new Program(elf, bias, new CodeMap(segments), mem, end, phdr, exit, phdrs);
        }

        private void mapSegment(Memory mem, ProgramHeader ph) {
            long lo = (ph.vaddr() + bias) & -Memory.PAGE_SIZE;
            long hi = pageUp(ph.vaddr() + bias + ph.memsz());
            int perms = (ph.isReadable() ? Memory.READ : 0) | (ph.isWritable() ? Memory.WRITE : 0)
                    | (ph.isExecutable() ? Memory.EXEC : 0);
            for (long a = lo; a < hi; a += Memory.PAGE_SIZE) {
                int old = mem.permissions(a);
                int p = old | perms;
                if ((p & Memory.WRITE) != 0) {
                    // A page shared by code and data stays data; code runs from the decoded segment regardless.
                    p &= ~Memory.EXEC;
                }
                if (old == 0) {
                    mem.map(a, Memory.PAGE_SIZE, p);
                } else if (old != p) {
                    mem.protect(a, Memory.PAGE_SIZE, p);
                }
            }
        }

        private void relocate(Memory mem) throws ElfException {
            for (Relocation r : elf.relativeRelocations()) {
                long at = r.offset() + bias;
                long value = r.addend() + bias;
                int size = xlen / 8;
                if (!mem.isMapped(at, size, 0)) {
                    throw new ElfException("relocation at 0x" + Long.toHexString(r.offset()) + " is outside the image");
                }
                byte[] b = new byte[size];
                for (int i = 0; i < size; i++) {
                    b[i] = (byte) (value >>> (8 * i));
                }
                mem.writeBytesPrivileged(at, b, 0, size);
            }
        }

        /** AT_PHDR: where the program headers are in guest memory, or 0 if no segment contains them. */
        private long locatePhdrs(List<ProgramHeader> loads, Memory mem) {
            long size = (long) elf.phentsize() * elf.phnum();
            for (ProgramHeader ph : loads) {
                if (elf.phoff() >= ph.offset() && elf.phoff() + size <= ph.offset() + ph.filesz()) {
                    return ph.vaddr() + bias + (elf.phoff() - ph.offset());
                }
            }
            return 0;
        }

        /** An address outside every segment for the host-call return trampoline. */
        private long findFreeCodeAddress(List<DecodedSegment> segments) throws ElfException {
            for (long a = 0x2000; a < 0x1_0000_0000L; a += 0x1000) {
                long candidate = a;
                if (segments.stream().noneMatch(s -> s.contains(candidate) || s.contains(candidate + 3))) {
                    return xlen == 32 ? (int) a : a;
                }
            }
            throw new ElfException("no room for the host-call trampoline");
        }

        private static long pageUp(long a) {
            return (a + Memory.PAGE_SIZE - 1) & -Memory.PAGE_SIZE;
        }
    }
}
