package dev.pgprop.dsl.concurrency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The spec reader: the format's parts, quoting, comments, markers, and errors that name their line. */
class IsolationSpecReaderTest {

    @Test
    void readsSetupsTeardownSessionsStepsAndPermutationsWithMarkers() {
        IsolationSpec spec = IsolationSpec.parse("demo", """
                # a comment line
                setup { CREATE TABLE t (id int); }
                setup
                {
                  VACUUM t;
                }
                teardown { DROP TABLE t; }
                session "s ""one""\"   # a comment after a name
                setup	{ BEGIN; }
                step "a 1" { SELECT 1; }
                step b1 {
                  SELECT 2;
                }
                teardown { COMMIT; }
                session s2
                step a2 { SELECT '#not a comment'; }
                permutation "a 1" a2(*) b1(a2, "a2") a2(b1 notices 2)
                """);
        assertThat(spec.setups()).containsExactly("CREATE TABLE t (id int);", "\n  VACUUM t;\n");
        assertThat(spec.teardown()).isEqualTo("DROP TABLE t;");
        assertThat(spec.sessions()).extracting(IsolationSpec.Session::name).containsExactly("s \"one\"", "s2");
        assertThat(spec.session("s \"one\"").setup()).isEqualTo("BEGIN;");
        assertThat(spec.session("s \"one\"").teardown()).isEqualTo("COMMIT;");
        assertThat(spec.step("b1").sql()).as("a newline after { is kept, blanks before } are not").isEqualTo("\n  SELECT 2;\n");
        assertThat(spec.step("b1").line()).isEqualTo(11);
        assertThat(spec.step("a2").sql()).isEqualTo("SELECT '#not a comment';");
        IsolationSpec.Permutation p = spec.listedPermutations().get(0);
        assertThat(p.names()).containsExactly("a 1", "a2", "b1", "a2");
        assertThat(p.steps().get(1).blockers()).containsExactly(IsolationSpec.Blocker.once());
        assertThat(p.steps().get(2).blockers()).containsExactly(IsolationSpec.Blocker.step("a2"), IsolationSpec.Blocker.step("a2"));
        assertThat(p.steps().get(3).blockers()).containsExactly(IsolationSpec.Blocker.notices("b1", 2));
        assertThat(p).hasToString("a 1 a2(*) b1(a2,a2) a2(b1 notices 2)");
    }

    @Test
    void withoutPermutationLinesEveryInterleavingRunsInTheTestersOrder() {
        IsolationSpec spec = IsolationSpec.parse("all", """
                session s1
                step a { SELECT 1; }
                step b { SELECT 2; }
                session s2
                step x { SELECT 3; }
                step y { SELECT 4; }
                """);
        assertThat(spec.listedPermutations()).isEmpty();
        assertThat(spec.permutations()).extracting(IsolationSpec.Permutation::toString)
                .containsExactly("a b x y", "a x b y", "a x y b", "x a b y", "x a y b", "x y a b");
    }

    @Test
    void aPermutationLineIsReadAgainstTheSpec() {
        IsolationSpec spec = IsolationSpec.parse("p", "session s1\nstep a { SELECT 1; }\nsession s2\nstep b { SELECT 2; }\n");
        assertThat(spec.permutation("a b(a) a(*)").toString()).isEqualTo("a b(a) a(*)");
        assertThatThrownBy(() -> spec.permutation("a c")).isInstanceOf(IsolationSpecException.class)
                .hasMessageContaining("step \"c\", which no session declares");
    }

    @Test
    void errorsNameTheLineAndTheReason() {
        record Case(String text, int line, String reason) {}
        List<Case> cases = List.of(
                new Case("session s1\nstep a { SELECT 1; }\nstep a { SELECT 2; }\n", 3, "step \"a\" is declared twice (first at line 2)"),
                new Case("session s1\nstep a { SELECT 1;\n", 3, "unterminated SQL block opened at line 2"),
                new Case("session s1\nstep a { SELECT '{1}'::int[]; }\n", 2, "unexpected character '''"),
                new Case("session s1\nstep a { SELECT 1; }\npermutation a x\n", 3, "step \"x\", which no session declares"),
                new Case("session s1\nstep a { SELECT 1; }\nstep b { SELECT 1; }\npermutation a b(a)\n", 4,
                        "cannot wait for \"a\": both are steps of session s1"),
                new Case("session s1\nstep a { SELECT 1; }\nsession s2\nstep b { SELECT 1; }\npermutation a b(s1)\n", 5,
                        "waits for \"s1\", which no session declares"),
                new Case("session \"s1\nstep a { SELECT 1; }\n", 1, "newline in a quoted name"),
                new Case("session s1\nstep a { SELECT 1; }\nsession s1\nstep b { SELECT 1; }\n", 3, "session \"s1\" is declared twice"),
                new Case("setup { SELECT 1; }\nsession s1\nsetup { SELECT 1; }\n\npermutation\n", 5, "session \"s1\" (line 2) has no step"),
                new Case("session s1\nstep a { SELECT 1; }\npermutation a\nsession s2\n", 4, "sessions come before permutation lines"),
                new Case("teardown { SELECT 1; }\nsetup { SELECT 1; }\nsession s1\nstep a { SELECT 1; }\n", 2,
                        "setup blocks come before the teardown block"),
                new Case("session s1\nstep a step b { SELECT 1; }\n", 2, "expected the SQL block of step a ({ ... }), found 'step'"),
                new Case("session s1\nstep a { SELECT 1; }\npermutation a(\n", 4, "expected a blocker"),
                new Case("", 1, "expected a session"));
        for (Case c : cases) {
            assertThatThrownBy(() -> IsolationSpec.parse("bad", c.text())).as(c.text())
                    .isInstanceOfSatisfying(IsolationSpecException.class, e -> {
                        assertThat(e.line()).as(c.text()).isEqualTo(c.line());
                        assertThat(e.getMessage()).startsWith("bad:" + c.line() + ": ").contains(c.reason());
                    });
        }
    }
}
