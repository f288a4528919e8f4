package dev.riscvsandbox.jetty.demo;

import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The public port's outermost handler: {@code /native} (any host) is the benchmark's native baseline
 * ({@link NativeHello}); everything else goes to the wrapped handler, the sandbox in front of the upstream proxy.
 */
final class DemoRoutes extends Handler.Wrapper {
    DemoRoutes(Handler sandbox) {
        super(sandbox);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (NativeHello.PATH.equals(request.getHttpURI().getPath())) {
            return NativeHello.handle(request, response, callback);
        }
        return super.handle(request, response, callback);
    }
}
