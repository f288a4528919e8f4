package dev.riscvsandbox.jetty.demo;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The demo's own tenants: {@code tenants.json} and the prebuilt guest programs it names, carried in the jar under
 * {@code /riscv-sandbox-demo/} (the build copies the programs from where they are built) and extracted to a private
 * temporary directory, so the jar runs from any working directory.
 */
final class BundledTenants implements AutoCloseable {
    private static final String ROOT = "/riscv-sandbox-demo/";

    private final Path directory;

    private BundledTenants(Path directory) {
        this.directory = directory;
    }

    /** Extracts the bundle into a new directory readable by its owner only. */
    static BundledTenants extract() throws IOException {
        Path dir = Files.createTempDirectory("riscv-sandbox-demo-"); // rwx------ on POSIX file systems
        try {
            for (String name : index()) {
                Path target = dir.resolve(name).normalize();
                if (!target.startsWith(dir)) {
                    throw new IOException("bad bundle entry: " + name);
                }
                Files.createDirectories(target.getParent());
                try (InputStream in = open(name)) {
                    Files.copy(in, target);
                }
            }
        } catch (IOException | RuntimeException e) {
            delete(dir);
            throw e;
        }
        return new BundledTenants(dir);
    }

    /** The extracted {@code tenants.json}. */
    Path tenantsFile() {
        return directory.resolve("tenants.json");
    }

    Path directory() {
        return directory;
    }

    private static List<String> index() throws IOException {
        List<String> names = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(open("files"), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    names.add(line.strip());
                }
            }
        }
        return names;
    }

    private static InputStream open(String name) throws IOException {
        InputStream in = BundledTenants.class.getResourceAsStream(ROOT + name);
        if (in == null) {
            throw new IOException("the demo bundle lacks " + ROOT + name + " (build the jar with mvn package from the repository)");
        }
        return in;
    }

    /** Deletes the extracted files. */
    @Override
    public void close() {
        delete(directory);
    }

    private static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }
}
