package dev.riscvsandbox.tenant;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * One tenant: its name (the host name requests are routed by), its program, its group, the argv tail passed to
 * {@code main()} and its limits.
 *
 * @param name      tenant name; {@code argv[0]} of its program
 * @param program   the program: a RISC-V ELF executable, a C++ source ({@code .cpp}) or a Rust crate's directory
 *                  (both built on load by {@link SourceBuilder})
 * @param kind      which of these {@code program} is
 * @param group     the group its limits started from
 * @param arguments {@code argv[1..]}
 * @param limits    the effective limits (group defaults with this tenant's overrides applied)
 */
public record TenantConfig(String name, Path program, Kind kind, String group, List<String> arguments,
                           Limits limits) {
    /** What a tenant's {@code program} path names. */
    public enum Kind {
        /** A RISC-V ELF executable, loaded as is. */
        ELF,
        /** A C++ source file ({@code .cpp}), compiled on load with the C++ SDK's {@code tenant-c++}. */
        CPP_SOURCE,
        /** A Rust crate's directory ({@code "rust:DIR"} in the configuration), built with {@code tenant-cargo}. */
        RUST_CRATE;

        /** The kind of a plain path: {@link #CPP_SOURCE} for {@code *.cpp}, else {@link #ELF}. */
        public static Kind of(Path program) {
            Path name = program.getFileName();
            return name != null && name.toString().endsWith(SourceBuilder.SOURCE_SUFFIX) ? CPP_SOURCE : ELF;
        }
    }

    /** A tenant whose kind follows from the path ({@link Kind#of(Path)}). */
    public TenantConfig(String name, Path program, String group, List<String> arguments, Limits limits) {
        this(name, program, Kind.of(program), group, arguments, limits);
    }

    public TenantConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(program, "program");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(group, "group");
        arguments = List.copyOf(arguments);
        Objects.requireNonNull(limits, "limits");
    }
}
