package dev.pgprop.generators.check;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgprop.dsl.PgProp;
import dev.pgprop.dsl.TestDatabase;
import dev.pgprop.dsl.schema.Schema;
import dev.pgprop.generators.corpus.Corpus;
import dev.pgprop.generators.internal.check.DerivedSource;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * A Supabase CLI project (the corpus's {@code supabase_app}: profiles keyed by {@code auth.users},
 * policies on {@code auth.uid()}, a trigger on {@code auth.users} that makes profiles, a storage-like
 * schema) checks green with the Supabase preset, as {@code ./pgprop check -Dpgprop.preset=supabase
 * -Dpgprop.migrations=supabase:DIR} runs it; a policy widened behind its declared schema fails for
 * the API roles under random claims.
 */
class SupabaseCheckTest {
    static final String NAME = "supabase_app";

    @Test
    void theCheckCommandPassesOnTheSupabaseProject() {
        Map<String, String> props = new TreeMap<>(Map.of("pgprop.migrations", "supabase:" + Corpus.folder(NAME).toAbsolutePath(),
                "pgprop.preset", "supabase", "pgprop.check.tries", "3", "pgprop.check.samples", "1",
                "pgprop.outputDir", "target/pgprop/supabase-check"));
        Map<String, String> before = new TreeMap<>();
        props.forEach((k, v) -> {
            String old = System.getProperty(k);
            if (old != null) {
                before.put(k, old);
            }
            System.setProperty(k, v);
        });
        try {
            SchemaCheck.Result r = SchemaCheck.runFromSettings();
            assertThat(r.behaviours().stream().filter(b -> !b.passed()).map(SchemaCheck.BehaviourResult::problem).toList()).isEmpty();
            assertThat(r.passed()).isTrue();
            assertThat(r.tables()).extracting(SchemaCheck.TableResult::table)
                    .contains("auth.users", "profiles", "posts", "storage.buckets", "storage.objects");
            for (String role : List.of("anon", "authenticated", "service_role")) {
                assertThat(r.behaviours()).as(role).filteredOn(b -> b.check().equals("rls") && b.table().equals("posts")
                        && b.object().equals(role) && b.samples() > 0).hasSize(1);
            }
        } finally {
            props.keySet().forEach(k -> {
                if (before.containsKey(k)) {
                    System.setProperty(k, before.get(k));
                } else {
                    System.clearProperty(k);
                }
            });
        }
    }

    @Test
    void aPolicyOnAuthUidWidenedToTrueFailsForTheRolesItAppliesTo() throws Exception {
        try (TestDatabase db = PgProp.server().createDatabase(Corpus.migrations(NAME), "SupabaseWidened")) {
            Schema declared = Schema.read(db);
            SchemaCheckTest.execute(db, "ALTER POLICY \"Authors edit their posts.\" ON public.posts USING (true) WITH CHECK (true)");
            SchemaCheck.Result r = SchemaCheck.run(db, declared, DerivedSource.of(db), 2, 2, 11L, Path.of("target/pgprop/supabase-widened"));
            assertThat(r.behaviours()).filteredOn(b -> !b.passed()).extracting(b -> b.check() + " " + b.table() + " " + b.object())
                    .containsExactly("rls posts authenticated");
            assertThat(r.behaviours().stream().filter(b -> !b.passed()).findFirst().orElseThrow().problem())
                    .contains("request.jwt.claim.sub").contains("updates rows");
        }
    }
}
