package dev.riscvsandbox.tenant;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * One tenant: its name (the host name requests are routed by), its program, its group, the argv tail passed to
 * {@code main()} and its limits.
 *
 * @param name      tenant name; {@code argv[0]} of its program
 * @param program   the program file: a RISC-V ELF executable, or a C++ source ({@code .cpp}, built on load by
 *                  {@link SourceBuilder})
 * @param group     the group its limits started from
 * @param arguments {@code argv[1..]}
 * @param limits    the effective limits (group defaults with this tenant's overrides applied)
 */
public record TenantConfig(String name, Path program, String group, List<String> arguments, Limits limits) {
    public TenantConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(program, "program");
        Objects.requireNonNull(group, "group");
        arguments = List.copyOf(arguments);
        Objects.requireNonNull(limits, "limits");
    }
}
