package dev.riscvsandbox.testutil;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes a minimal static RISC-V executable (ELF32 or ELF64, {@code ET_EXEC}, {@code EM_RISCV}) that qemu-user and
 * the emulator can load: a text segment (R+X) and optionally a data segment (R+W, with zero-filled tail for .bss),
 * each page aligned, the entry point, a symbol table and a {@code .riscv.attributes} section naming the ISA (so that
 * objdump decodes every extension used).
 *
 * <pre>{@code
 * Asm a = Asm.rv64();
 * a.li(Asm.A0, 42).li(Asm.A7, 93).ecall();
 * byte[] elf = TestElf.builder(64).text(a).build();
 * }</pre>
 */
public final class TestElf {

    public static final long DEFAULT_TEXT_ADDRESS = 0x10000;
    public static final int EM_RISCV = 243;
    /** EF_RISCV_RVC | EF_RISCV_FLOAT_ABI_DOUBLE. */
    public static final int DEFAULT_FLAGS = 0x5;
    public static final int PAGE = 4096;

    private static final int PT_LOAD = 1;
    private static final int PF_X = 1, PF_W = 2, PF_R = 4;
    private static final int SHT_PROGBITS = 1, SHT_SYMTAB = 2, SHT_STRTAB = 3, SHT_NOBITS = 8,
            SHT_RISCV_ATTRIBUTES = 0x70000003;
    private static final int SHF_WRITE = 1, SHF_ALLOC = 2, SHF_EXECINSTR = 4;
    private static final int STB_GLOBAL = 1, STT_OBJECT = 1, STT_FUNC = 2;

    private TestElf() {
    }

    public static Builder builder(int xlen) {
        return new Builder(xlen);
    }

    /** ELF with the assembler's code as text at {@link Asm#origin()}, entry at its start, its labels as symbols. */
    public static byte[] of(Asm asm) {
        return builder(asm.xlen()).text(asm).build();
    }

    private record Sym(String name, long value, long size, boolean func) {
    }

    /** Builder; text is mandatory, everything else optional. */
    public static final class Builder {
        private final int xlen;
        private long textAddress = DEFAULT_TEXT_ADDRESS;
        private byte[] text;
        private long dataAddress = -1;
        private byte[] data;
        private long dataMemSize;
        private long entry = -1;
        private int flags = DEFAULT_FLAGS;
        private String arch;
        private final List<Sym> symbols = new ArrayList<>();

        private Builder(int xlen) {
            if (xlen != 32 && xlen != 64) {
                throw new IllegalArgumentException("xlen must be 32 or 64: " + xlen);
            }
            this.xlen = xlen;
            this.arch = "rv" + xlen + "i2p0_m2p0_a2p0_f2p0_d2p0_c2p0_zicsr2p0_zifencei2p0_zba1p0_zbb1p0_zbc1p0_zbs1p0";
        }

        /** Raw text bytes loaded at {@code address} (must be page aligned). */
        public Builder text(long address, byte[] code) {
            if (address % PAGE != 0) {
                throw new IllegalArgumentException("text address must be page aligned: 0x" + Long.toHexString(address));
            }
            this.textAddress = address;
            this.text = code.clone();
            return this;
        }

        /** The assembler's code at its origin; its labels become FUNC symbols (zero size). */
        public Builder text(Asm asm) {
            text(asm.origin(), asm.code());
            for (Map.Entry<String, Long> e : asm.labelAddresses().entrySet()) {
                symbols.add(new Sym(e.getKey(), e.getValue(), 0, true));
            }
            return this;
        }

        /** Initialized data at {@code address} (page aligned), no extra zero-filled tail. */
        public Builder data(long address, byte[] bytes) {
            return data(address, bytes, bytes.length);
        }

        /** Data at {@code address} (page aligned): {@code bytes} followed by zeros up to {@code memSize} bytes. */
        public Builder data(long address, byte[] bytes, long memSize) {
            if (address % PAGE != 0) {
                throw new IllegalArgumentException("data address must be page aligned: 0x" + Long.toHexString(address));
            }
            if (memSize < bytes.length) {
                throw new IllegalArgumentException("memSize < data length");
            }
            this.dataAddress = address;
            this.data = bytes.clone();
            this.dataMemSize = memSize;
            return this;
        }

        /** Entry point; defaults to the start of the text. */
        public Builder entry(long address) {
            this.entry = address;
            return this;
        }

        /** e_flags; defaults to {@link #DEFAULT_FLAGS} (RVC, double-float ABI). */
        public Builder flags(int eFlags) {
            this.flags = eFlags;
            return this;
        }

        /** The Tag_RISCV_arch string, or null for no attributes section. */
        public Builder arch(String archString) {
            this.arch = archString;
            return this;
        }

        public Builder function(String name, long address, long size) {
            symbols.add(new Sym(name, address, size, true));
            return this;
        }

        public Builder object(String name, long address, long size) {
            symbols.add(new Sym(name, address, size, false));
            return this;
        }

        public byte[] build() {
            if (text == null) {
                throw new IllegalStateException("no text");
            }
            boolean is64 = xlen == 64;
            boolean hasData = data != null;
            long textEnd = textAddress + text.length;
            if (hasData && dataAddress < textEnd && dataAddress + dataMemSize > textAddress) {
                throw new IllegalArgumentException("data overlaps text");
            }
            int ehsize = is64 ? 64 : 52;
            int phentsize = is64 ? 56 : 32;
            int shentsize = is64 ? 64 : 40;
            int phnum = hasData ? 2 : 1;

            // ---- file layout ----
            long textOff = PAGE;                       // offset % PAGE == vaddr % PAGE (both 0)
            long dataOff = align(textOff + text.length, PAGE);
            long afterLoad = hasData ? dataOff + data.length : textOff + text.length;

            // section names
            Strtab shstr = new Strtab();
            Strtab str = new Strtab();
            int nText = shstr.add(".text");
            int nData = shstr.add(".data");
            int nBss = shstr.add(".bss");
            int nAttr = shstr.add(".riscv.attributes");
            int nSymtab = shstr.add(".symtab");
            int nStrtab = shstr.add(".strtab");
            int nShstrtab = shstr.add(".shstrtab");

            // section indices
            int idx = 1;
            int secText = idx++;
            int secData = hasData && data.length > 0 ? idx++ : -1;
            int secBss = hasData && dataMemSize > data.length ? idx++ : -1;
            int secAttr = arch != null ? idx++ : -1;
            int secSymtab = idx++;
            int secStrtab = idx++;
            int secShstrtab = idx++;
            int shnum = idx;

            byte[] attr = arch != null ? attributes(arch) : new byte[0];

            // symbols
            ByteBuffer symtab = le(ByteBuffer.allocate((symbols.size() + 1) * (is64 ? 24 : 16)));
            writeSym(symtab, is64, 0, 0, 0, 0, 0);
            for (Sym s : symbols) {
                int shndx;
                if (s.value >= textAddress && s.value <= textEnd) {
                    shndx = secText;
                } else if (hasData && s.value >= dataAddress && s.value <= dataAddress + dataMemSize) {
                    boolean inData = s.value < dataAddress + data.length;
                    shndx = (inData || secBss < 0) && secData > 0 ? secData : secBss > 0 ? secBss : 0xFFF1;
                } else {
                    shndx = 0xFFF1; // SHN_ABS
                }
                int info = STB_GLOBAL << 4 | (s.func ? STT_FUNC : STT_OBJECT);
                writeSym(symtab, is64, str.add(s.name), s.value, s.size, info, shndx);
            }

            long attrOff = afterLoad;
            long symOff = align(attrOff + attr.length, 8);
            long strOff = symOff + symtab.capacity();
            byte[] strBytes = str.bytes();
            long shstrOff = strOff + strBytes.length;
            byte[] shstrBytes = shstr.bytes();
            long shOff = align(shstrOff + shstrBytes.length, 8);
            long total = shOff + (long) shnum * shentsize;
            if (total > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("ELF too large");
            }

            ByteBuffer b = le(ByteBuffer.allocate((int) total));
            // ---- ELF header ----
            b.put(new byte[] {0x7f, 'E', 'L', 'F', (byte) (is64 ? 2 : 1), 1, 1, 0});
            b.position(16);
            b.putShort((short) 2);              // ET_EXEC
            b.putShort((short) EM_RISCV);
            b.putInt(1);                        // EV_CURRENT
            putAddr(b, is64, entry >= 0 ? entry : textAddress);
            putAddr(b, is64, ehsize);           // e_phoff
            putAddr(b, is64, shOff);            // e_shoff
            b.putInt(flags);
            b.putShort((short) ehsize);
            b.putShort((short) phentsize);
            b.putShort((short) phnum);
            b.putShort((short) shentsize);
            b.putShort((short) shnum);
            b.putShort((short) secShstrtab);

            // ---- program headers ----
            b.position(ehsize);
            writePhdr(b, is64, PF_R | PF_X, textOff, textAddress, text.length, text.length);
            if (hasData) {
                writePhdr(b, is64, PF_R | PF_W, dataOff, dataAddress, data.length, dataMemSize);
            }

            // ---- contents ----
            b.position((int) textOff);
            b.put(text);
            if (hasData) {
                b.position((int) dataOff);
                b.put(data);
            }
            b.position((int) attrOff);
            b.put(attr);
            b.position((int) symOff);
            b.put(symtab.array());
            b.put(strBytes);
            b.put(shstrBytes);

            // ---- section headers ----
            b.position((int) shOff);
            writeShdr(b, is64, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
            writeShdr(b, is64, nText, SHT_PROGBITS, SHF_ALLOC | SHF_EXECINSTR, textAddress, textOff, text.length, 0, 0,
                    2, 0);
            if (secData > 0) {
                writeShdr(b, is64, nData, SHT_PROGBITS, SHF_ALLOC | SHF_WRITE, dataAddress, dataOff, data.length, 0, 0,
                        8, 0);
            }
            if (secBss > 0) {
                writeShdr(b, is64, nBss, SHT_NOBITS, SHF_ALLOC | SHF_WRITE, dataAddress + data.length,
                        dataOff + data.length, dataMemSize - data.length, 0, 0, 8, 0);
            }
            if (secAttr > 0) {
                writeShdr(b, is64, nAttr, SHT_RISCV_ATTRIBUTES, 0, 0, attrOff, attr.length, 0, 0, 1, 0);
            }
            writeShdr(b, is64, nSymtab, SHT_SYMTAB, 0, 0, symOff, symtab.capacity(), secStrtab, 1, 8,
                    is64 ? 24 : 16);
            writeShdr(b, is64, nStrtab, SHT_STRTAB, 0, 0, strOff, strBytes.length, 0, 0, 1, 0);
            writeShdr(b, is64, nShstrtab, SHT_STRTAB, 0, 0, shstrOff, shstrBytes.length, 0, 0, 1, 0);
            return b.array();
        }
    }

    private static ByteBuffer le(ByteBuffer b) {
        return b.order(ByteOrder.LITTLE_ENDIAN);
    }

    private static long align(long v, long a) {
        return (v + a - 1) / a * a;
    }

    private static void putAddr(ByteBuffer b, boolean is64, long v) {
        if (is64) {
            b.putLong(v);
        } else {
            b.putInt((int) v);
        }
    }

    private static void writePhdr(ByteBuffer b, boolean is64, int flags, long off, long vaddr, long filesz,
                                  long memsz) {
        if (is64) {
            b.putInt(PT_LOAD).putInt(flags).putLong(off).putLong(vaddr).putLong(vaddr).putLong(filesz)
                    .putLong(memsz).putLong(PAGE);
        } else {
            b.putInt(PT_LOAD).putInt((int) off).putInt((int) vaddr).putInt((int) vaddr).putInt((int) filesz)
                    .putInt((int) memsz).putInt(flags).putInt(PAGE);
        }
    }

    private static void writeShdr(ByteBuffer b, boolean is64, int name, int type, long flags, long addr, long off,
                                  long size, int link, int info, long align, long entsize) {
        b.putInt(name).putInt(type);
        putAddr(b, is64, flags);
        putAddr(b, is64, addr);
        putAddr(b, is64, off);
        putAddr(b, is64, size);
        b.putInt(link).putInt(info);
        putAddr(b, is64, align);
        putAddr(b, is64, entsize);
    }

    private static void writeSym(ByteBuffer b, boolean is64, int name, long value, long size, int info, int shndx) {
        if (is64) {
            b.putInt(name).put((byte) info).put((byte) 0).putShort((short) shndx).putLong(value).putLong(size);
        } else {
            b.putInt(name).putInt((int) value).putInt((int) size).put((byte) info).put((byte) 0)
                    .putShort((short) shndx);
        }
    }

    /** {@code .riscv.attributes} contents with just Tag_RISCV_arch. */
    private static byte[] attributes(String arch) {
        byte[] archBytes = arch.getBytes(StandardCharsets.US_ASCII);
        byte[] vendor = "riscv".getBytes(StandardCharsets.US_ASCII);
        int fileLen = 1 + 4 + 1 + archBytes.length + 1;          // Tag_File, size, Tag_RISCV_arch, string, NUL
        int subLen = 4 + vendor.length + 1 + fileLen;
        ByteBuffer b = le(ByteBuffer.allocate(1 + subLen));
        b.put((byte) 'A');
        b.putInt(subLen);
        b.put(vendor).put((byte) 0);
        b.put((byte) 1).putInt(fileLen);
        b.put((byte) 5).put(archBytes).put((byte) 0);
        return b.array();
    }

    private static final class Strtab {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Strtab() {
            out.write(0);
        }

        int add(String s) {
            int off = out.size();
            byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
            out.write(bytes, 0, bytes.length);
            out.write(0);
            return off;
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }
}
