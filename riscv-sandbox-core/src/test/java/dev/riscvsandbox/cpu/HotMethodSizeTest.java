package dev.riscvsandbox.cpu;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.commons.CodeSizeEvaluator;

/**
 * HotSpot never JIT-compiles a method whose bytecode exceeds 8000 bytes (DontCompileHugeMethods). The dispatch loop
 * and the helpers it calls must stay below that, or guest speed drops by an order of magnitude.
 */
class HotMethodSizeTest {
    static final int HUGE_METHOD_LIMIT = 8000;

    static Map<String, Integer> methodSizes(Class<?> type) throws IOException {
        Map<String, Integer> sizes = new LinkedHashMap<>();
        try (InputStream in = type.getResourceAsStream(type.getSimpleName() + ".class")) {
            new ClassReader(in).accept(new ClassVisitor(Opcodes.ASM9) {
                @Override
                public MethodVisitor visitMethod(int access, String name, String desc, String sig, String[] ex) {
                    return new CodeSizeEvaluator(null) {
                        @Override
                        public void visitEnd() {
                            sizes.put(name + desc, getMaxSize());
                        }
                    };
                }
            }, 0);
        }
        return sizes;
    }

    @Test
    void everyHotMethodCompiles() throws IOException {
        for (Class<?> c : new Class<?>[] {Interpreter.class, ColdOps.class, FpDispatch.class, FpOps.class,
            dev.riscvsandbox.memory.Memory.class}) {
            Map<String, Integer> sizes = methodSizes(c);
            assertFalse(sizes.isEmpty());
            sizes.forEach((m, size) -> assertTrue(size < HUGE_METHOD_LIMIT,
                    c.getSimpleName() + "." + m + " is " + size + " bytes of bytecode"));
        }
        System.out.println("Interpreter.run: " + methodSizes(Interpreter.class).get("run(J)I") + " bytes");
    }
}
