package dev.riscvsandbox.cpp;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Where the tests find the C++ SDK's example binaries, built by {@code make -C guest-api-cpp}. */
final class CppExamples {
    private CppExamples() {
    }

    /**
     * The directory named by the system property {@code riscv.cpp.examples.dir}, else {@code guest-api-cpp/examples/bin}
     * relative to the working directory or its parent (Maven runs the tests in {@code riscv-sandbox-core}).
     */
    static Path dir() {
        String property = System.getProperty("riscv.cpp.examples.dir");
        if (property != null && !property.isBlank()) {
            return Path.of(property).toAbsolutePath().normalize();
        }
        for (Path candidate : List.of(Path.of("..", "guest-api-cpp", "examples", "bin"),
                Path.of("guest-api-cpp", "examples", "bin"))) {
            if (Files.isDirectory(candidate)) {
                return candidate.toAbsolutePath().normalize();
            }
        }
        return fail("system property riscv.cpp.examples.dir is not set and no guest-api-cpp/examples/bin directory"
                + " was found; build the examples with `make -C guest-api-cpp`");
    }

    /** An example binary's path. */
    static Path path(String name) {
        Path p = dir().resolve(name);
        if (!Files.isRegularFile(p)) {
            fail(p + " is missing; build the examples with `make -C guest-api-cpp`");
        }
        return p;
    }

    /** The SDK's root directory (guest-api-cpp), if the examples are in their usual place under it. */
    static Path sdkRoot() {
        return dir().getParent().getParent();
    }

    /** JSON string literal of a path. */
    static String json(Path p) {
        return "\"" + p.toString().replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
