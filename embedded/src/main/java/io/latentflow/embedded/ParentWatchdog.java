package io.latentflow.embedded;

import java.lang.reflect.Method;
import java.util.Arrays;

/**
 * Main class of child service JVMs: exits the child when the parent JVM is gone, then runs the real main.
 *
 * <p>Why: a shutdown hook in the parent does not run when the parent is killed with SIGKILL (a test run
 * aborted by a timeout, an IDE stop button), and the registry would keep running and holding its port. The
 * child watches its parent instead. Arguments: the parent's pid, the real main class, then its arguments.
 * Uses nothing outside the JDK, so it can be put on any child's class path.
 */
public final class ParentWatchdog {
    private ParentWatchdog() {
    }

    public static void main(String[] args) throws Throwable {
        if (args.length < 2) {
            System.err.println("usage: ParentWatchdog <parent pid> <main class> [args...]");
            System.exit(2);
        }
        long parentPid = Long.parseLong(args[0]);
        ProcessHandle.of(parentPid).ifPresentOrElse(
                parent -> parent.onExit().thenRun(() -> {
                    System.err.println("ParentWatchdog: parent process " + parentPid + " exited; stopping");
                    Runtime.getRuntime().halt(3);
                }),
                () -> {
                    System.err.println("ParentWatchdog: parent process " + parentPid + " is not running");
                    Runtime.getRuntime().halt(3);
                });
        Method main = Class.forName(args[1]).getMethod("main", String[].class);
        try {
            main.invoke(null, (Object) Arrays.copyOfRange(args, 2, args.length));
        } catch (java.lang.reflect.InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
