package dev.pgprop.generators.check;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgprop.dsl.MigrationSet;
import dev.pgprop.dsl.PgProp;
import dev.pgprop.dsl.TestDatabase;
import dev.pgprop.dsl.schema.Schema;
import dev.pgprop.generators.internal.check.DerivedSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * The behavioural checks pass on a faithful schema and fail, each on its own object, on planted
 * violations: a foreign-key action emulated otherwise by a trigger, a declared schema whose
 * database was changed behind it (an action, a default, a grant, a policy), a privilege that comes
 * from a role membership no ACL shows, and a trigger whose effects a rollback does not undo.
 */
class BehaviourCheckTest {
    static final Path ROOT = Path.of("src", "test", "resources", "behaviour");

    static TestDatabase database(String name) {
        return PgProp.server().createDatabase(MigrationSet.of("filesystem:" + ROOT.resolve(name).toAbsolutePath()), "Behaviour_" + name);
    }

    static SchemaCheck.Result check(TestDatabase db, @Nullable Schema declared, String label) {
        return SchemaCheck.run(db, declared, DerivedSource.of(db), 2, 2, 7L, Path.of("target/pgprop/behaviour-check/" + label));
    }

    static List<String> failed(SchemaCheck.Result r) {
        return r.behaviours().stream().filter(b -> !b.passed()).map(b -> b.check() + " " + b.table() + " " + b.object()).toList();
    }

    static void execute(TestDatabase db, String... sql) throws Exception {
        SchemaCheckTest.execute(db, sql);
    }

    @Test
    void theFaithfulShopPassesAndEveryKindOfCheckCompared() {
        try (TestDatabase db = database("shop")) {
            SchemaCheck.Result r = check(db, null, "shop");
            assertThat(failed(r)).isEmpty();
            assertThat(r.passed()).isTrue();
            for (String kind : List.of("fk-action", "default", "grant", "no-trace", "rls")) {
                assertThat(r.behaviours()).as(kind).filteredOn(b -> b.check().equals(kind) && b.samples() > 0).isNotEmpty();
            }
            assertThat(r.behavioursCsv()).exists();
        }
    }

    @Test
    void aDatabaseChangedBehindItsDeclaredSchemaFailsOnEveryChange() throws Exception {
        try (TestDatabase db = database("shop")) {
            Schema declared = Schema.read(db);
            execute(db, "ALTER TABLE orders DROP CONSTRAINT orders_customer_fk, ADD CONSTRAINT orders_customer_fk"
                            + " FOREIGN KEY (customer_id) REFERENCES customers (id) ON DELETE NO ACTION ON UPDATE CASCADE",
                    "ALTER TABLE coupons DROP CONSTRAINT coupons_customer_fk, ADD CONSTRAINT coupons_customer_fk"
                            + " FOREIGN KEY (customer_id) REFERENCES customers (id) ON DELETE CASCADE",
                    "ALTER TABLE orders ALTER COLUMN note SET DEFAULT 'n/a'",
                    "ALTER TABLE customers ALTER COLUMN tier DROP DEFAULT",
                    "GRANT INSERT ON customers TO PUBLIC",
                    "REVOKE DELETE ON orders FROM pgprop_t_clerk",
                    "ALTER POLICY orders_own ON orders USING (true)");
            SchemaCheck.Result r = check(db, declared, "shop-changed");
            assertThat(failed(r)).contains(
                    "fk-action orders orders_customer_fk ON DELETE CASCADE",
                    "fk-action coupons coupons_customer_fk ON DELETE SET NULL",
                    "default orders note DEFAULT ''::text",
                    "default customers tier DEFAULT 'basic'::text",
                    "grant customers PUBLIC",
                    "grant customers pgprop_t_clerk",
                    "grant orders pgprop_t_clerk",
                    "rls orders pgprop_t_clerk");
            assertThat(failed(r)).doesNotContain("fk-action orders orders_customer_fk ON UPDATE CASCADE", "default orders id DEFAULT identity");
            SchemaCheck.BehaviourResult note = r.behaviours().stream().filter(b -> b.object().startsWith("note DEFAULT")).findFirst().orElseThrow();
            assertThat(note.problem()).contains("got 'n/a'").contains("replay: psql -f");
            Path file = Path.of(note.problem().substring(note.problem().indexOf("replay: psql -f ") + 16));
            assertThat(Files.readString(file)).contains("BEGIN;").contains("INSERT INTO").contains("ROLLBACK;");
            assertThat(r.passed()).isFalse();
        }
    }

    @Test
    void rowSecurityTurnedOffFailsForTheRoleWithoutAPolicy() throws Exception {
        try (TestDatabase db = database("shop")) {
            Schema declared = Schema.read(db);
            execute(db, "ALTER TABLE orders DISABLE ROW LEVEL SECURITY");
            SchemaCheck.Result r = check(db, declared, "shop-no-rls");
            assertThat(failed(r)).contains("rls orders a role no policy names");
            String problem = r.behaviours().stream().filter(b -> b.object().equals("a role no policy names")).findFirst().orElseThrow()
                    .problem();
            assertThat(problem).contains("reads rows").contains("but the policies admit []");
        }
    }

    @Test
    void aRestrictKeyThatATriggerTurnsIntoACascadeFails() {
        try (TestDatabase db = database("fk_trigger")) {
            SchemaCheck.Result r = check(db, null, "fk_trigger");
            assertThat(failed(r)).containsExactly("fk-action children children_parent_fk ON DELETE RESTRICT");
            SchemaCheck.BehaviourResult b = r.behaviours().stream().filter(x -> !x.passed()).findFirst().orElseThrow();
            assertThat(b.problem()).contains("was not refused").contains("minimal dataset of 2 rows");
        }
    }

    @Test
    void aPrivilegeThatOnlyARoleMembershipGivesFails() {
        try (TestDatabase db = database("grant_membership")) {
            SchemaCheck.Result r = check(db, null, "grant_membership");
            assertThat(failed(r)).containsExactly("grant salaries pgprop_t_auditor");
            assertThat(r.behaviours().stream().filter(b -> !b.passed()).findFirst().orElseThrow().problem())
                    .contains("SELECT on salaries is not granted but was allowed");
        }
    }

    @Test
    void aTriggerWhoseEffectsARollbackLeavesBehindFails() {
        try (TestDatabase db = database("leaky_trigger")) {
            SchemaCheck.Result r = check(db, null, "leaky_trigger");
            assertThat(failed(r)).contains("no-trace tickets rolled-back write");
            String problem = r.behaviours().stream().filter(b -> b.check().equals("no-trace")).findFirst().orElseThrow().problem();
            assertThat(problem).contains("advisory locks held by the session was 0, is 1").contains("sequence public.ticket_numbers");
        }
    }
}
