package dev.riscvsandbox.testutil;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Where the tests find the guest programs built by {@code make -C guests}. */
public final class GuestBinaries {
    private GuestBinaries() {
    }

    /** The directory named by the system property {@code riscv.guests.dir} (set by the parent pom). */
    public static Path dir() {
        String property = System.getProperty("riscv.guests.dir");
        if (property != null && !property.isBlank()) {
            return Path.of(property);
        }
        // running outside Maven (e.g. from an IDE with the module as working directory)
        for (Path candidate : List.of(Path.of("guests", "bin"), Path.of("..", "guests", "bin"))) {
            if (Files.isDirectory(candidate)) {
                return candidate.toAbsolutePath().normalize();
            }
        }
        return fail("system property riscv.guests.dir is not set and no guests/bin directory was found");
    }

    /** A guest program's path. */
    public static Path path(String name) {
        return dir().resolve(name);
    }
}
