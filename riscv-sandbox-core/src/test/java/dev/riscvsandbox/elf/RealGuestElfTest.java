package dev.riscvsandbox.elf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Parses the real guest programs under the directory named by the system property {@code riscv.guests.dir}
 * (built from {@code guests/src} by CI). Skipped when the directory or the binaries are absent, so the suite does
 * not depend on a cross toolchain.
 */
class RealGuestElfTest {

    private static List<Path> riscvElfFiles() throws IOException {
        String dir = System.getProperty("riscv.guests.dir");
        assumeTrue(dir != null && !dir.isBlank(), "riscv.guests.dir is not set");
        Path root = Path.of(dir);
        assumeTrue(Files.isDirectory(root), () -> root + " does not exist");
        List<Path> result = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root, 3)) {
            for (Path p : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                byte[] head = new byte[20];
                try (var in = Files.newInputStream(p)) {
                    if (in.readNBytes(head, 0, 20) == 20 && head[0] == 0x7f && head[1] == 'E' && head[2] == 'L'
                            && head[3] == 'F' && (head[18] & 0xff) == 243 && head[19] == 0) {
                        result.add(p);
                    }
                }
            }
        }
        assumeFalse(result.isEmpty(), () -> "no RISC-V ELF files in " + root);
        return result;
    }

    @Test
    void everyGuestBinaryParses() throws IOException {
        for (Path p : riscvElfFiles()) {
            ElfFile f;
            try {
                f = ElfFile.parse(Files.readAllBytes(p));
            } catch (ElfException e) {
                throw new AssertionError(p + ": " + e.getMessage(), e);
            }
            assertFalse(f.loadSegments().isEmpty(), p::toString);
            assertTrue(f.loadSegments().stream().anyMatch(ProgramHeader::isExecutable), p::toString);
            if (!f.symbols().isEmpty()) {
                // Unstripped binaries: the entry point is described by a symbol (usually _start).
                assertTrue(f.symbolAt(f.entry()).isPresent(), () -> p + ": no symbol at the entry point");
            }
            for (Relocation r : f.relativeRelocations()) {
                assertTrue(f.loadSegments().stream().anyMatch(ph -> ph.containsAddress(r.offset())), p::toString);
            }
        }
    }
}
