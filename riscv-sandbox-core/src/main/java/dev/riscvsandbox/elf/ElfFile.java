package dev.riscvsandbox.elf;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A parsed and validated RISC-V executable (ELF32 or ELF64, little-endian, {@code EM_RISCV}, {@code ET_EXEC} or
 * {@code ET_DYN}). Immutable and thread-safe; it keeps its own copy of the file bytes.
 *
 * <p>This class only describes the file. Loading it into guest memory, choosing a load bias for {@link ElfType#DYN}
 * files and applying {@link #relativeRelocations()} is the loader's job. All addresses here are link-time
 * addresses; for {@code ET_DYN} add the load bias.
 *
 * <p>{@link #parse} is safe on hostile input: it either returns a fully validated file or throws
 * {@link ElfException}, never an unchecked exception, and allocates memory only in proportion to the input size.
 * Validation covers:
 * <ul>
 *   <li>ELF header: magic, class (32/64), data (little-endian only), {@code EI_VERSION} and {@code e_version} 1,
 *       OS ABI System V or GNU, {@code e_machine} 243, {@code e_type} ET_EXEC or ET_DYN, {@code e_ehsize} 52/64,
 *       {@code e_phentsize} 32/56, and when {@code e_shnum > 0}: {@code e_shentsize} 40/64 and
 *       {@code e_shstrndx} a valid SHT_STRTAB (or SHN_UNDEF).</li>
 *   <li>Counts: 1..128 program headers, at most 4096 sections, 1,000,000 symbols and 4,000,000 relocations.</li>
 *   <li>Program headers (except PT_NULL): file range inside the file, {@code vaddr+memsz} does not wrap (ELF32: is
 *       at most 2^32), alignment 0 or a power of two. PT_LOAD and PT_TLS: {@code filesz <= memsz <= 4 GiB};
 *       PT_LOAD: {@code vaddr == offset} modulo the alignment. At most one PT_TLS, PT_DYNAMIC and PT_INTERP; the
 *       interpreter path is NUL-terminated. Overlapping PT_LOAD segments are allowed.</li>
 *   <li>The entry point is 2-byte aligned and inside the file-backed part of an executable PT_LOAD.</li>
 *   <li>Sections (optional): table inside the file, section 0 is SHT_NULL, every section with file data lies inside
 *       the file, names and symbol names are in range and NUL-terminated within their string table, the symbol
 *       table has the right entry size and links to a SHT_STRTAB, symbol section indexes are in range.</li>
 *   <li>ET_DYN relocations: see {@link #relativeRelocations()}.</li>
 * </ul>
 */
public final class ElfFile {
    /** {@code e_flags} bit: the code may contain compressed (RVC) instructions. */
    public static final int EF_RISCV_RVC = 0x1;
    /** {@code e_flags} bit: the RV32E/RV64E ABI (16 integer registers). */
    public static final int EF_RISCV_RVE = 0x8;
    /** {@code e_flags} bit: the code requires the RVTSO memory model. */
    public static final int EF_RISCV_TSO = 0x10;

    private final byte[] data;
    private final boolean is64;
    private final ElfType type;
    private final long entry;
    private final int flags;
    private final long phoff;
    private final int phentsize;
    private final int phnum;
    private final List<ProgramHeader> programHeaders;
    private final List<ProgramHeader> loadSegments;
    private final Optional<ProgramHeader> tlsSegment;
    private final Optional<String> interpreter;
    private final List<Symbol> symbols;
    private final SymbolIndex symbolIndex;
    private final List<Relocation> relocations;

    ElfFile(byte[] data, boolean is64, ElfType type, long entry, int flags, long phoff, int phentsize, int phnum,
            List<ProgramHeader> programHeaders, List<ProgramHeader> loadSegments,
            Optional<ProgramHeader> tlsSegment, Optional<String> interpreter, List<Symbol> symbols,
            SymbolIndex symbolIndex, List<Relocation> relocations) {
        this.data = data;
        this.is64 = is64;
        this.type = type;
        this.entry = entry;
        this.flags = flags;
        this.phoff = phoff;
        this.phentsize = phentsize;
        this.phnum = phnum;
        this.programHeaders = programHeaders;
        this.loadSegments = loadSegments;
        this.tlsSegment = tlsSegment;
        this.interpreter = interpreter;
        this.symbols = symbols;
        this.symbolIndex = symbolIndex;
        this.relocations = relocations;
    }

    /**
     * Parses and validates an ELF image.
     *
     * @param bytes the whole file; copied, so later changes to the array do not affect the result
     * @return the validated file
     * @throws ElfException if the image is malformed or not a supported RISC-V executable; the message says why
     * @throws NullPointerException if {@code bytes} is null
     */
    public static ElfFile parse(byte[] bytes) throws ElfException {
        Objects.requireNonNull(bytes, "bytes");
        return ElfParser.parse(bytes.clone());
    }

    /** @return whether this is an ELF64 (ELFCLASS64) file */
    public boolean is64() {
        return is64;
    }

    /** @return the register width implied by the ELF class: 32 or 64 */
    public int xlen() {
        return is64 ? 64 : 32;
    }

    /** @return the object type: {@link ElfType#EXEC}, or {@link ElfType#DYN} for a (static) PIE */
    public ElfType type() {
        return type;
    }

    /** @return the entry point ({@code e_entry}); a link-time address for ET_DYN */
    public long entry() {
        return entry;
    }

    /** @return the raw {@code e_flags} */
    public int flags() {
        return flags;
    }

    /** @return whether {@link #EF_RISCV_RVC} is set: the code may use compressed instructions */
    public boolean hasCompressed() {
        return (flags & EF_RISCV_RVC) != 0;
    }

    /** @return the floating-point ABI from {@code e_flags} */
    public FloatAbi floatAbi() {
        return FloatAbi.fromFlags(flags);
    }

    /** @return whether {@link #EF_RISCV_RVE} is set (the RV32E/RV64E ABI) */
    public boolean isRve() {
        return (flags & EF_RISCV_RVE) != 0;
    }

    /** @return whether {@link #EF_RISCV_TSO} is set */
    public boolean isTso() {
        return (flags & EF_RISCV_TSO) != 0;
    }

    /** @return the program header table's file offset ({@code e_phoff}); needed for {@code AT_PHDR} */
    public long phoff() {
        return phoff;
    }

    /** @return the size of one program header ({@code e_phentsize}: 32 or 56); needed for {@code AT_PHENT} */
    public int phentsize() {
        return phentsize;
    }

    /** @return the number of program headers ({@code e_phnum}, 1..128); needed for {@code AT_PHNUM} */
    public int phnum() {
        return phnum;
    }

    /** @return the size of the file in bytes */
    public int fileSize() {
        return data.length;
    }

    /** @return all program headers in table order, including PT_NULL entries (immutable) */
    public List<ProgramHeader> programHeaders() {
        return programHeaders;
    }

    /** @return the PT_LOAD program headers in table order (immutable; at least one is executable) */
    public List<ProgramHeader> loadSegments() {
        return loadSegments;
    }

    /** @return the PT_TLS program header (the TLS initialization image), if any */
    public Optional<ProgramHeader> tlsSegment() {
        return tlsSegment;
    }

    /**
     * @return the PT_INTERP path (e.g. {@code /lib/ld-linux-riscv64-lp64d.so.1}) if the file asks for a dynamic
     *         linker; a static executable has none
     */
    public Optional<String> interpreter() {
        return interpreter;
    }

    /**
     * Returns a read-only little-endian view of a segment's file bytes ({@code filesz} bytes from {@code offset}).
     *
     * @param ph a program header of this file
     * @return a read-only buffer positioned at 0 with limit {@code filesz}
     * @throws IllegalArgumentException if {@code ph} is not one of {@link #programHeaders()}
     */
    public ByteBuffer segmentData(ProgramHeader ph) {
        checkOwn(ph);
        return ByteBuffer.wrap(data, (int) ph.offset(), (int) ph.filesz()).slice().asReadOnlyBuffer()
                .order(ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * Returns a copy of a segment's file bytes ({@code filesz} bytes from {@code offset}).
     *
     * @param ph a program header of this file
     * @return a new array of length {@code filesz}
     * @throws IllegalArgumentException if {@code ph} is not one of {@link #programHeaders()}
     */
    public byte[] bytes(ProgramHeader ph) {
        checkOwn(ph);
        return Arrays.copyOfRange(data, (int) ph.offset(), (int) (ph.offset() + ph.filesz()));
    }

    private void checkOwn(ProgramHeader ph) {
        // Only validated headers are safe to index with; a caller-made record could point anywhere.
        if (ph == null || ph.type() == ProgramHeader.PT_NULL || !programHeaders.contains(ph)) {
            throw new IllegalArgumentException("not a program header of this file: " + ph);
        }
    }

    /**
     * Returns the defined, named symbols in table order: from SHT_SYMTAB, or from SHT_DYNSYM if there is no
     * SHT_SYMTAB. Undefined symbols and symbols without a name (e.g. section symbols) are left out. Empty for
     * stripped files.
     *
     * @return the symbols (immutable)
     */
    public List<Symbol> symbols() {
        return symbols;
    }

    /**
     * Looks a symbol up by name. If several symbols share the name (e.g. local statics from different files), a
     * GLOBAL one wins over a WEAK one, which wins over a LOCAL one; otherwise the first in table order.
     *
     * @param name the exact symbol name
     * @return the symbol, if present
     */
    public Optional<Symbol> symbol(String name) {
        return symbolIndex.byName(name);
    }

    /**
     * Finds the symbol to describe an address with, e.g. in a backtrace ({@link Symbol#describe}: "main+0x1c").
     * Returns the FUNC or OBJECT symbol whose {@code [value, value+size)} contains the address (the one with the
     * highest value if they nest); otherwise the nearest FUNC symbol at or below the address, provided both lie in
     * the same PT_LOAD segment (this covers functions without a size, e.g. hand-written assembly, without
     * attributing heap or stack addresses to the last function).
     *
     * @param address a link-time address
     * @return the symbol, or empty if none fits
     */
    public Optional<Symbol> symbolAt(long address) {
        return symbolIndex.at(address);
    }

    /**
     * Returns the relative relocations the loader must apply to an {@link ElfType#DYN} file; empty for
     * {@link ElfType#EXEC}. They come from PT_DYNAMIC (DT_RELA/DT_RELASZ/DT_RELAENT, DT_JMPREL with
     * DT_PLTREL = DT_RELA, and packed DT_RELR, whose addresses must ascend and whose implicit addends are read
     * from the file), or, if there is no PT_DYNAMIC, from allocated SHT_RELA/SHT_RELR sections. Table addresses are
     * mapped to file offsets through the PT_LOAD containing them. R_RISCV_NONE entries are dropped; any type other
     * than R_RISCV_RELATIVE (or a RELATIVE entry with a symbol) was rejected by {@link #parse}, as was a target word
     * outside every PT_LOAD's memory range. Targets may lie in a read-only segment (text relocations); the loader
     * must write them before applying final permissions.
     *
     * @return the relocations in table order (immutable)
     */
    public List<Relocation> relativeRelocations() {
        return relocations;
    }

    @Override
    public String toString() {
        return "ElfFile[" + (is64 ? "ELF64" : "ELF32") + " " + type + " entry=0x" + Long.toHexString(entry)
                + " flags=0x" + Integer.toHexString(flags) + " " + loadSegments.size() + " PT_LOAD, "
                + symbols.size() + " symbols, " + relocations.size() + " relocations]";
    }
}
