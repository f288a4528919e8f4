package dev.riscvsandbox;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.riscvsandbox.machine.Machine;
import dev.riscvsandbox.machine.Program;
import dev.riscvsandbox.machine.RunResult;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs every guest program in {@code guests/bin} (one per {@code *.expected} file, see {@code guests/README.md})
 * in the emulator and compares its exit status and stdout byte for byte with
 * <ol>
 *   <li>the committed {@code .expected} file (recorded under qemu-user), and
 *   <li>a live qemu-user run of the same binary with the same argv and environment, when qemu-riscv32/64 is on
 *       the {@code PATH}. With {@code -Driscv.requireQemu=true} (CI) a missing qemu fails the test instead of
 *       skipping it.
 * </ol>
 * The directory comes from the system property {@code riscv.guests.dir} (set by the parent pom).
 */
class GuestProgramsTest {

    private static final long MAX_INSTRUCTIONS = 2_000_000_000L;
    private static final Duration EMULATOR_TIMEOUT = Duration.ofMinutes(5);
    private static final Duration QEMU_TIMEOUT = Duration.ofMinutes(2);

    @TestFactory
    Stream<DynamicNode> guestPrograms() throws IOException {
        Path dir = guestsDir();
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.filter(p -> p.getFileName().toString().endsWith(".expected")).sorted().collect(Collectors.toList());
        }
        assertFalse(files.isEmpty(), "no *.expected files in " + dir + "; build them with `make -C guests`");
        List<DynamicNode> nodes = new ArrayList<>();
        for (Path file : files) {
            nodes.add(programTests(Expectation.parse(file)));
        }
        return nodes.stream();
    }

    private static DynamicContainer programTests(Expectation expected) {
        GuestRun run = new GuestRun(expected);
        String qemu = qemuCommand(expected.binary);
        // leaf names repeat the program name: surefire reports show only the leaves
        String name = expected.binary.getFileName().toString();
        return DynamicContainer.dynamicContainer(expected.displayName(), expected.file.toUri(), Stream.of(
                DynamicTest.dynamicTest(name + ": emulator matches .expected", expected.file.toUri(),
                        () -> assertMatches(expected.outcome(), run.emulator(), expected.file.getFileName().toString())),
                DynamicTest.dynamicTest(name + ": emulator matches live " + qemu, expected.file.toUri(),
                        () -> compareWithQemu(expected, run, qemu))));
    }

    private static void compareWithQemu(Expectation expected, GuestRun run, String qemuName) throws Exception {
        Optional<Path> qemu = findOnPath(qemuName);
        if (qemu.isEmpty()) {
            if (Boolean.getBoolean("riscv.requireQemu")) {
                fail(qemuName + " is not on the PATH but -Driscv.requireQemu=true (install qemu-user)");
            }
            Assumptions.abort(qemuName + " is not on the PATH; skipping the live qemu comparison");
        }
        Outcome live = runQemu(qemu.get(), expected);
        Outcome emulated = run.emulator();
        String note = live.sameAs(expected.outcome())
                ? ""
                : " (note: live qemu also differs from " + expected.file.getFileName()
                        + "; regenerate it with `make -C guests expected`)";
        assertMatches(live, emulated, "live " + qemuName + note);
    }

    private static void assertMatches(Outcome reference, Outcome actual, String referenceName) {
        if (actual.exitStatus == null) {
            fail("emulator did not exit: " + actual.description + " (reference: " + referenceName + ")\n"
                    + "--- guest stdout so far ---\n" + latin1(actual.stdout)
                    + "\n--- guest stderr ---\n" + latin1(actual.stderr));
        }
        assertAll("emulator vs " + referenceName + " (" + actual.description + ")",
                () -> assertEquals(reference.exitStatus, actual.exitStatus,
                        () -> "exit status; guest stderr:\n" + latin1(actual.stderr)),
                // ISO-8859-1 maps every byte to one char, so this is a byte-for-byte comparison with a readable diff
                () -> assertEquals(latin1(reference.stdout), latin1(actual.stdout),
                        () -> "stdout " + firstDifference(latin1(reference.stdout), latin1(actual.stdout))));
    }

    /** Points at the first differing line, which the full-text diff of a long output buries. */
    private static String firstDifference(String expected, String actual) {
        String[] e = expected.split("\n", -1);
        String[] a = actual.split("\n", -1);
        for (int i = 0; i < Math.max(e.length, a.length); i++) {
            String el = i < e.length ? e[i] : "<end of output>";
            String al = i < a.length ? a[i] : "<end of output>";
            if (!el.equals(al)) {
                return "differs first at line " + (i + 1) + ":\n  expected: " + el + "\n  actual:   " + al + "\n";
            }
        }
        return "differs";
    }

    // ---------------------------------------------------------------- running

    /** Runs the emulator at most once per program; both dynamic tests of a program share the result. */
    private static final class GuestRun {
        private final Expectation expected;
        private Outcome emulator;

        GuestRun(Expectation expected) {
            this.expected = expected;
        }

        synchronized Outcome emulator() {
            if (emulator == null) {
                emulator = assertTimeoutPreemptively(EMULATOR_TIMEOUT, () -> runEmulator(expected),
                        () -> expected.binary.getFileName() + " ran longer than " + EMULATOR_TIMEOUT + " in the emulator");
            }
            return emulator;
        }
    }

    private static Outcome runEmulator(Expectation expected) throws Exception {
        Program program = Program.load(expected.binary);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (Machine machine = Machine.builder(program)
                .args(expected.argv)
                .env(expected.env)
                .stdout(out)
                .stderr(err)
                .maxInstructions(MAX_INSTRUCTIONS)
                .randomSeed(1)
                .build()) {
            RunResult result = machine.run();
            if (result instanceof RunResult.Exited exited) {
                return new Outcome(exited.status(), out.toByteArray(), err.toByteArray(),
                        "exited with " + exited.status() + " after " + exited.instructions() + " instructions");
            } else if (result instanceof RunResult.Faulted faulted) {
                return new Outcome(null, out.toByteArray(), err.toByteArray(),
                        "faulted after " + faulted.instructions() + " instructions: " + faulted.fault());
            } else if (result instanceof RunResult.TimedOut timedOut) {
                return new Outcome(null, out.toByteArray(), err.toByteArray(),
                        "instruction budget exhausted after " + timedOut.instructions() + " instructions");
            } else {
                return new Outcome(null, out.toByteArray(), err.toByteArray(), "stopped: " + result);
            }
        }
    }

    private static Outcome runQemu(Path qemu, Expectation expected) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(qemu.toString());
        command.add("-0"); // argv[0] as recorded, not the host path of the binary
        command.add(expected.argv.get(0));
        command.add(expected.binary.toAbsolutePath().toString());
        command.addAll(expected.argv.subList(1, expected.argv.size()));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().clear(); // qemu-user hands its own environment to the guest
        for (String entry : expected.env) {
            int eq = entry.indexOf('=');
            pb.environment().put(entry.substring(0, eq), entry.substring(eq + 1));
        }
        Path out = Files.createTempFile("guest-qemu-", ".stdout");
        Path err = Files.createTempFile("guest-qemu-", ".stderr");
        try {
            pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            pb.redirectOutput(out.toFile());
            pb.redirectError(err.toFile());
            Process process = pb.start();
            if (!process.waitFor(QEMU_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                fail(String.join(" ", command) + " did not finish within " + QEMU_TIMEOUT);
            }
            int status = process.exitValue();
            byte[] stderr = Files.readAllBytes(err);
            assertTrue(status < 128, () -> String.join(" ", command) + " died (status " + status + "):\n" + latin1(stderr));
            return new Outcome(status, Files.readAllBytes(out), stderr, "qemu exited with " + status);
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    private static String qemuCommand(Path binary) {
        try (InputStream in = Files.newInputStream(binary)) {
            byte[] ident = in.readNBytes(5);
            if (ident.length == 5 && ident[0] == 0x7f && ident[1] == 'E' && ident[2] == 'L' && ident[3] == 'F') {
                return ident[4] == 1 ? "qemu-riscv32" : "qemu-riscv64";
            }
        } catch (IOException e) {
            // reported by the emulator test; fall through to the default
        }
        return "qemu-riscv64";
    }

    private static Optional<Path> findOnPath(String command) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        return Arrays.stream(path.split(File.pathSeparator))
                .filter(d -> !d.isEmpty())
                .map(d -> Path.of(d, command))
                .filter(p -> Files.isRegularFile(p) && Files.isExecutable(p))
                .findFirst();
    }

    private static Path guestsDir() {
        return dev.riscvsandbox.testutil.GuestBinaries.dir();
    }

    private static String latin1(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    // ---------------------------------------------------------------- data

    /** What one run produced; {@code exitStatus} is null when the program did not exit normally. */
    private static final class Outcome {
        final Integer exitStatus;
        final byte[] stdout;
        final byte[] stderr;
        final String description;

        Outcome(Integer exitStatus, byte[] stdout, byte[] stderr, String description) {
            this.exitStatus = exitStatus;
            this.stdout = stdout;
            this.stderr = stderr;
            this.description = description;
        }

        boolean sameAs(Outcome other) {
            return exitStatus != null && exitStatus.equals(other.exitStatus) && Arrays.equals(stdout, other.stdout);
        }
    }

    /**
     * A parsed {@code .expected} file: header lines {@code arg VALUE} (argv in order, argv[0] first),
     * {@code env NAME=VALUE}, {@code exit N} and last {@code stdout N}, followed by exactly N raw stdout bytes.
     * Lines starting with {@code #} are comments.
     */
    private static final class Expectation {
        final Path file;
        final Path binary;
        final List<String> argv;
        final List<String> env;
        final int exitStatus;
        final byte[] stdout;

        private Expectation(Path file, List<String> argv, List<String> env, int exitStatus, byte[] stdout) {
            String name = file.getFileName().toString();
            this.file = file;
            this.binary = file.resolveSibling(name.substring(0, name.length() - ".expected".length()));
            this.argv = List.copyOf(argv);
            this.env = List.copyOf(env);
            this.exitStatus = exitStatus;
            this.stdout = stdout;
        }

        Outcome outcome() {
            return new Outcome(exitStatus, stdout, new byte[0], "recorded in " + file.getFileName());
        }

        String displayName() {
            return argv.stream()
                    .map(a -> a.isEmpty() || a.contains(" ") ? "'" + a + "'" : a)
                    .collect(Collectors.joining(" "));
        }

        static Expectation parse(Path file) throws IOException {
            byte[] bytes = Files.readAllBytes(file);
            List<String> argv = new ArrayList<>();
            List<String> env = new ArrayList<>();
            Integer exit = null;
            int pos = 0;
            while (pos < bytes.length) {
                int eol = indexOf(bytes, (byte) '\n', pos);
                if (eol < 0) {
                    throw new IOException(file + ": header ends without a 'stdout N' line");
                }
                String line = new String(bytes, pos, eol - pos, StandardCharsets.UTF_8);
                pos = eol + 1;
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                int space = line.indexOf(' ');
                String key = space < 0 ? line : line.substring(0, space);
                String value = space < 0 ? "" : line.substring(space + 1);
                switch (key) {
                    case "arg":
                        argv.add(value);
                        break;
                    case "env":
                        if (value.indexOf('=') <= 0) {
                            throw new IOException(file + ": env entry without NAME=: " + value);
                        }
                        env.add(value);
                        break;
                    case "exit":
                        exit = Integer.parseInt(value.trim());
                        break;
                    case "stdout":
                        int length = Integer.parseInt(value.trim());
                        if (pos + length != bytes.length) {
                            throw new IOException(file + ": 'stdout " + length + "' but " + (bytes.length - pos)
                                    + " bytes follow the header");
                        }
                        if (argv.isEmpty() || exit == null) {
                            throw new IOException(file + ": 'arg' and 'exit' lines must precede 'stdout'");
                        }
                        return new Expectation(file, argv, env, exit, Arrays.copyOfRange(bytes, pos, bytes.length));
                    default:
                        throw new IOException(file + ": unknown header line: " + line);
                }
            }
            throw new IOException(file + ": no 'stdout N' line");
        }

        private static int indexOf(byte[] bytes, byte b, int from) {
            for (int i = from; i < bytes.length; i++) {
                if (bytes[i] == b) {
                    return i;
                }
            }
            return -1;
        }
    }
}
