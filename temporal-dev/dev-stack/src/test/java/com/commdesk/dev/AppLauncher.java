package com.commdesk.dev;

import com.commdesk.api.ApiApplication;
import com.commdesk.worker.WorkerApplication;
import java.io.IOException;
import java.util.Arrays;

/**
 * The standalone API's or worker's own main ({@code AppLauncher api|worker <args>}), in a child JVM of the
 * failure suite that must not outlive the suite: when the parent goes away (its end of this process's stdin
 * closes), the app halts at once.
 */
public final class AppLauncher {
    private AppLauncher() {}

    public static void main(String[] args) {
        Thread watch = new Thread(() -> {
            try {
                while (System.in.read() != -1) {
                    // the parent never writes; EOF means it is gone
                }
            } catch (IOException ignored) {
                // the same
            }
            Runtime.getRuntime().halt(137);
        }, "parent-watch");
        watch.setDaemon(true);
        watch.start();
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        switch (args[0]) {
            case "api" -> ApiApplication.main(rest);
            case "worker" -> WorkerApplication.main(rest);
            default -> throw new IllegalArgumentException("api or worker, not " + args[0]);
        }
    }
}
