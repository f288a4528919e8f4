package dev.riscvsandbox.cpp;

import dev.riscvsandbox.examples.ExampleTenants;
import java.nio.file.Path;

/** Where the tests find the C++ SDK's example binaries, built by {@code make -C guest-api-cpp}. */
final class CppExamples {
    private static final String SDK = "guest-api-cpp";

    private CppExamples() {
    }

    /**
     * The directory named by the system property {@code riscv.cpp.examples.dir}, else {@code guest-api-cpp/examples/bin}
     * relative to the working directory or its parent (Maven runs the tests in {@code riscv-sandbox-core}).
     */
    static Path dir() {
        return ExampleTenants.binDir("riscv.cpp.examples.dir", SDK);
    }

    /** An example binary's path. */
    static Path path(String name) {
        return ExampleTenants.binary(dir(), name, SDK);
    }

    /** The SDK's root directory (guest-api-cpp), if the examples are in their usual place under it. */
    static Path sdkRoot() {
        return dir().getParent().getParent();
    }
}
