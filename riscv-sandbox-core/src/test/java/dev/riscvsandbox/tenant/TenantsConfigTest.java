package dev.riscvsandbox.tenant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TenantsConfigTest {
    static final Path BASE = Path.of("/srv/tenants");

    static TenantsConfig parse(String json) throws TenantConfigException {
        return TenantsConfig.fromJson(json, BASE);
    }

    static String error(String json) {
        return assertThrows(TenantConfigException.class, () -> parse(json)).getMessage();
    }

    @Test
    void tenantsInheritTheirGroupAndOverrideSingleKeys() throws Exception {
        TenantsConfig c = parse("""
                {
                  "a.com": { "filename": "a.elf", "group": "edge", "max_memory": "128MiB", "arguments": ["x", "y z"] },
                  "edge":  { "max_instructions": 8000000, "max_memory": 64, "max_heap": "16MiB" },
                  "b.com": { "filename": "/abs/b.elf" }
                }""");
        TenantConfig a = c.tenant("a.com").orElseThrow();
        assertEquals(new Limits(8_000_000, 128L << 20, 16L << 20, 1L << 20), a.limits());
        assertEquals("edge", a.group());
        assertEquals(List.of("x", "y z"), a.arguments());
        assertEquals(BASE.resolve("a.elf"), a.program());
        TenantConfig b = c.tenant("b.com").orElseThrow();
        assertEquals(Limits.DEFAULTS, b.limits());
        assertEquals(TenantsConfig.DEFAULT_GROUP, b.group());
        assertEquals(Path.of("/abs/b.elf"), b.program());
        assertEquals(List.of("a.com", "b.com"), List.copyOf(c.tenants().keySet()));
        assertEquals(new Limits(8_000_000, 64L << 20, 16L << 20, 1L << 20), c.groups().get("edge"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "64          | 67108864",
        "'\"64MiB\"'   | 67108864",
        "'\"512 KiB\"' | 524288",
        "'\"1GiB\"'    | 1073741824",
        "'\"8192B\"'   | 8192",
        "0           | 0",
    })
    void sizesAreMibAsNumbersAndExactWithUnits(String value, long bytes) throws Exception {
        TenantsConfig c = parse("{\"t\": {\"filename\": \"t.elf\", \"max_heap\": " + value + "}}");
        assertEquals(bytes, c.tenant("t").orElseThrow().limits().maxHeap());
    }

    @Test
    void errorsNameTheTenantOrGroupAndTheKey() {
        assertTrue(error("{\"t\": {\"filename\": \"t.elf\", \"max_memory\": \"64MB\"}}")
                .contains("tenant 't': key 'max_memory' must be a number of MiB or a size with a binary unit"));
        assertTrue(error("{\"t\": {\"filename\": \"t.elf\", \"group\": \"nope\"}}")
                .contains("tenant 't': key 'group' names group 'nope', which is not defined"));
        assertTrue(error("{\"t\": {\"filename\": \"t.elf\", \"max_memroy\": 64}}")
                .contains("tenant 't': unknown key 'max_memroy'"));
        assertTrue(error("{\"g\": {\"max_instructions\": -5}}").contains("group 'g': max_instructions must be"));
        assertTrue(error("{\"g\": {\"max_instructions\": 1.5}}")
                .contains("group 'g': key 'max_instructions' must be a whole number"));
        assertTrue(error("{\"t\": {\"filename\": 7}}").contains("tenant 't': key 'filename' must be a string"));
        assertTrue(error("{\"t\": {\"filename\": \"\"}}").contains("key 'filename' must not be empty"));
        assertTrue(error("{\"t\": {\"filename\": \"t.elf\", \"arguments\": [1]}}")
                .contains("key 'arguments' must be an array of strings"));
        assertTrue(error("{\"t\": {\"filename\": \"t.elf\", \"max_memory\": 99999999}}")
                .contains("tenant 't': max_memory must be in"));
        assertTrue(error("{\"bad name\": {\"filename\": \"t.elf\"}}").contains("must not contain spaces"));
    }

    @Test
    void malformedDocumentsAreRefusedClearly() {
        assertTrue(error("[1, 2]").contains("must be a JSON object"));
        assertTrue(error("{\"t\": 5}").contains("'t': must be an object"));
        assertTrue(error("{\"t\": {\"filename\": \"a\"}, \"t\": {\"filename\": \"b\"}}").contains("Duplicate field"));
        assertTrue(error("{ not json").startsWith("invalid JSON"));
        assertTrue(error("{\"a\":" + "[".repeat(100) + "]".repeat(100) + "}").startsWith("invalid JSON"));
    }

    @Test
    void theDefaultGroupCanBeRedefined() throws Exception {
        TenantsConfig c = parse("{\"t\": {\"filename\": \"t.elf\"}, \"test\": {\"max_instructions\": 5}}");
        assertEquals(5, c.tenant("t").orElseThrow().limits().maxInstructions());
    }

    @Test
    void filesResolveProgramsAgainstTheirDirectory(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("tenants.json");
        Files.writeString(file, "{\"t\": {\"filename\": \"bin/t.elf\"}}");
        assertEquals(dir.resolve("bin/t.elf"), TenantsConfig.fromFile(file).tenant("t").orElseThrow().program());
    }

    @Test
    void theBuilderFollowsTheSameRules() {
        TenantsConfig c = TenantsConfig.builder()
                .group("edge", Limits.DEFAULTS.withMaxMemory(8L << 20))
                .tenant("a.com", Path.of("a.elf"), "edge", List.of("--x"))
                .tenant("b.com", Path.of("b.elf"))
                .build();
        assertEquals(8L << 20, c.tenant("a.com").orElseThrow().limits().maxMemory());
        assertEquals(Limits.DEFAULTS, c.tenant("b.com").orElseThrow().limits());
        assertThrows(IllegalArgumentException.class,
                () -> TenantsConfig.builder().tenant("x", Path.of("x"), "missing", List.of()));
        assertThrows(IllegalArgumentException.class,
                () -> TenantsConfig.builder().tenant("x", Path.of("x")).tenant("x", Path.of("y")));
    }
}
