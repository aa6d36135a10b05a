package dev.pgprop.dsl.internal.report;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Results of property classes only an engine started by a test can run are marked as meta runs. */
class ReportContextTest {
    static class RunByATest {
    }

    class Group {
    }

    @Test
    void staticNestedClassesAreMetaRunsOthersBelongToTheSuite() {
        assertThat(ReportHook.context(RunByATest.class)).isEqualTo("meta");
        assertThat(ReportHook.context(Group.class)).isEqualTo("suite");
        assertThat(ReportHook.context(ReportContextTest.class)).isEqualTo("suite");
    }
}
