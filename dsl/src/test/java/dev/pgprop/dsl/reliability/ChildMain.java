package dev.pgprop.dsl.reliability;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * The main class of a child JVM: runs the given property classes, in order, on the jqwik engine
 * and prints one line per property: {@code CHILD <status> <name> <exception>: <first line>}.
 */
public final class ChildMain {
    private ChildMain() {}

    public static void main(String[] args) throws Exception {
        System.out.println("CHILD PID " + ProcessHandle.current().pid());
        LauncherDiscoveryRequestBuilder request = LauncherDiscoveryRequestBuilder.request()
                .configurationParameter("jqwik.database", "jqwik-database"); // in the work dir, which has no target/
        for (String a : args) {
            request.selectors(selectClass(Class.forName(a)));
        }
        LauncherFactory.create().execute(request.build(), new TestExecutionListener() {
            @Override
            public void executionFinished(TestIdentifier id, TestExecutionResult result) {
                if (!id.isTest()) {
                    return;
                }
                String what = result.getThrowable().map(t -> {
                    String m = String.valueOf(t.getMessage());
                    int nl = m.indexOf('\n');
                    return " " + t.getClass().getName() + ": " + (nl < 0 ? m : m.substring(0, nl));
                }).orElse("");
                System.out.println("CHILD " + result.getStatus() + " " + id.getDisplayName() + what);
            }
        });
        System.out.flush();
    }
}
