package dev.pgprop.dsl;

import static dev.pgprop.dsl.Invariants.invariant;
import static dev.pgprop.dsl.Invariants.noTrace;
import static dev.pgprop.dsl.Invariants.rejectedWith;
import static dev.pgprop.dsl.Invariants.roleCannotRead;
import static dev.pgprop.dsl.Invariants.roleCannotWrite;
import static dev.pgprop.dsl.Invariants.roleSees;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Scenarios run as a role with request claims, and the role invariants: each holds on the tiny
 * schema's roles and fails on a planted violation (a grant or a policy too many).
 */
class RolesTest {
    private static TryHarness h;

    private static final Role READER_ALICE = Role.named("pgprop_test_reader").withClaim("sub", "alice");
    private static final Role NOBODY = Role.named("pgprop_test_nobody");

    private static final Dataset WIDGETS = Dataset.empty()
            .plus("widget", Row.of("id", 1, "label", "one", "owner", "alice"))
            .plus("widget", Row.of("id", 2, "label", "two", "owner", "bob"))
            .plus("widget", Row.of("id", 3, "label", "three", "owner", "alice"));

    @BeforeAll
    static void start() {
        h = new TryHarness("RolesTest", TryHarness.TINY.plusLocations("classpath:pgprop-test/roles"));
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    private static InvariantViolationException violated(TryHarness.TryBody body) throws Exception {
        InvariantViolationException[] caught = new InvariantViolationException[1];
        h.tryOnce(db -> caught[0] = catchThrowableOfType(InvariantViolationException.class, () -> body.run(db)));
        assertThat(caught[0]).as("the invariant must fail on the planted violation").isNotNull();
        return caught[0];
    }

    @Test
    void aRoleSpecIsImmutableAndChecksItsArguments() {
        Role plain = Role.named("pgprop_test_reader");
        assertThat(plain.withClaim("sub", "x")).isNotSameAs(plain).isNotEqualTo(plain);
        assertThat(plain.claims()).isEmpty();
        assertThat(READER_ALICE.claims()).containsEntry("sub", "alice");
        assertThatThrownBy(() -> Role.named("a; drop table widget")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a plain identifier");
        assertThatThrownBy(() -> plain.withClaim("Sub-x", "1")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("claim name 'Sub-x'");
    }

    @Test
    void actionsRunAsTheRoleWithItsClaimsAndSwitchBackAfterwards() throws Exception {
        List<Row> seen = new ArrayList<>();
        h.tryOnce(db -> db.given(WIDGETS)
                .whenRolledBackAs(READER_ALICE, tx -> seen.addAll(tx.query("select current_user as who,"
                        + " current_setting('request.jwt.claim.sub') as sub,"
                        + " current_setting('request.jwt.claims')::jsonb ->> 'sub' as json_sub,"
                        + " (select count(*) from widget) as widgets")))
                .whenRolledBack(tx -> seen.addAll(tx.query("select current_user as who,"
                        + " coalesce(current_setting('request.jwt.claim.sub', true), '') as sub")))
                .run());
        assertThat(seen.get(0)).isEqualTo(Row.of("who", "pgprop_test_reader", "sub", "alice", "json_sub", "alice", "widgets", 2L));
        assertThat(seen.get(1).get("who")).isNotEqualTo("pgprop_test_reader");
        assertThat(seen.get(1).get("sub")).isEqualTo("");
    }

    @Test
    void aCommittedWriteAsARoleWithoutPrivilegeIsRejectedWith42501() throws Exception {
        h.tryOnce(db -> db.given(WIDGETS)
                .whenCommittedAs(NOBODY, tx -> tx.execute("delete from widget"))
                .then(rejectedWith("42501"), noTrace()));
        h.tryOnce(db -> {
            ScenarioException e = catchThrowableOfType(ScenarioException.class, () -> db.given(WIDGETS)
                    .whenCommittedAs(NOBODY, tx -> tx.execute("delete from widget")).run());
            assertThat(e.error().errorClass()).isEqualTo(ErrorClass.INSUFFICIENT_PRIVILEGE);
        });
    }

    @Test
    void roleSeesHoldsForThePolicyAndFailsWhenAPolicyOpensTheTable() throws Exception {
        h.tryOnce(db -> db.given(WIDGETS).then(roleSees(READER_ALICE, "select id from widget",
                "select id from widget where owner = 'alice'")));
        h.tryOnce(db -> db.given(WIDGETS).then(roleSees(READER_ALICE.withClaim("sub", "carol"), "select id from widget",
                "select id from widget where owner = 'carol'")));
        InvariantViolationException e = violated(db -> db.given(WIDGETS)
                .whenRolledBack(tx -> { })
                .then(invariant("plant", ctx -> ctx.handle().execute(
                        "create policy widget_open on widget for select to pgprop_test_reader using (true)")),
                        roleSees(READER_ALICE, "select id from widget", "select id from widget where owner = 'alice'")));
        assertThat(e.violations()).singleElement().satisfies(v -> {
            assertThat(v.message()).contains("returned 3 row(s), 2 expected: 1 it must not see, 0 it does not see");
            assertThat(v.rows()).containsExactly(Row.of("side", "seen, not expected", "id", 2));
        });
    }

    @Test
    void roleCannotReadHoldsWithoutPrivilegeOrWithAPolicyAndFailsOnAGrant() throws Exception {
        h.tryOnce(db -> db.given(WIDGETS).then(roleCannotRead(NOBODY, "widget"),
                roleCannotRead(Role.named("pgprop_test_reader").withClaim("sub", "nobody-owns-this"), "widget")));
        InvariantViolationException e = violated(db -> db.given(WIDGETS)
                .whenRolledBack(tx -> { })
                .then(invariant("plant", ctx -> ctx.handle().execute("alter table widget disable row level security;"
                        + " grant select on widget to pgprop_test_nobody")), roleCannotRead(NOBODY, "widget")));
        assertThat(e.violations()).singleElement().satisfies(v -> {
            assertThat(v.message()).contains("as pgprop_test_nobody a select on widget returned rows");
            assertThat(v.rows()).hasSize(3);
        });
    }

    @Test
    void roleCannotWriteHoldsWithoutPrivilegeAndFailsOnAGrant() throws Exception {
        h.tryOnce(db -> db.given(WIDGETS).then(roleCannotWrite(NOBODY, "widget"), roleCannotWrite(READER_ALICE, "widget"),
                noTrace()));
        InvariantViolationException e = violated(db -> db.given(WIDGETS)
                .whenRolledBack(tx -> { })
                .then(invariant("plant", ctx -> ctx.handle().execute("alter table widget disable row level security;"
                        + " grant delete, insert on widget to pgprop_test_nobody")), roleCannotWrite(NOBODY, "widget")));
        assertThat(e.violations()).singleElement().satisfies(v -> {
            assertThat(v.rows()).extracting(r -> r.get("statement"))
                    .containsExactly("INSERT INTO widget DEFAULT VALUES", "DELETE FROM widget");
            assertThat(v.rows().get(0).get("outcome").toString()).contains("got past the privilege checks").contains("23502");
            assertThat(v.rows().get(1).get("outcome")).isEqualTo("3 row(s) changed");
        });
        assertThat(h.count("widget")).as("the attempted writes were rolled back").isZero();
    }
}
