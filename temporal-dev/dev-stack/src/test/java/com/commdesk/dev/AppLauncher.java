package com.commdesk.dev;

import com.commdesk.worker.WorkerApplication;
import java.io.IOException;

/**
 * The standalone worker's main, in a child JVM of the failure suite that must not outlive the suite: when
 * the parent goes away (its end of this process's stdin closes), the worker halts at once.
 */
public final class WorkerLauncher {
    private WorkerLauncher() {}

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
        WorkerApplication.main(args);
    }
}
