package dev.pgprop.properties.roles;

import static dev.pgprop.dsl.Invariants.constraintsHold;
import static dev.pgprop.dsl.Invariants.invariant;
import static dev.pgprop.dsl.Invariants.noTrace;
import static dev.pgprop.dsl.Invariants.roleCannotRead;
import static dev.pgprop.dsl.Invariants.roleCannotWrite;
import static dev.pgprop.dsl.Invariants.roleSees;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pgprop.dsl.Dataset;
import dev.pgprop.dsl.Db;
import dev.pgprop.dsl.ErrorClass;
import dev.pgprop.dsl.PgProperties;
import dev.pgprop.dsl.Role;
import dev.pgprop.dsl.StepResult;
import dev.pgprop.generators.DatasetSpec;
import dev.pgprop.generators.ReferenceArbitraries;
import java.util.UUID;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.GenerationMode;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Row security of payments, Supabase-style: anon reaches nothing of payments, authenticated sees
 * exactly the payments of the user its request claims name, service_role sees them all. The
 * meta-tests run {@link #authenticatedSeesExactlyItsOwnPayments} against a policy opened to
 * everyone and expect it to fail.
 */
@PgProperties
public class RoleProperties {
    /** The owners the generators draw: c0000000-0000-0000-0000-00000000000{0,1,2}. */
    static final int OWNERS = 3;

    static final Role ANON = Role.named("anon");
    static final Role SERVICE = Role.named("service_role");

    @Provide
    Arbitrary<Dataset> payments() {
        return ReferenceArbitraries.datasets(DatasetSpec.defaults().withInventory(0, 4).withOwners(OWNERS));
    }

    /** Owner {@code index} of the generators; index {@code OWNERS} owns nothing (the empty case). */
    public static UUID owner(int index) {
        return new UUID(0xC000_0000_0000_0000L, index);
    }

    /** As anon, every read and write of payments is refused with 42501, and nothing changes. */
    @Property(tries = 100, generation = GenerationMode.RANDOMIZED)
    void anonCanNeitherReadNorWritePayments(@ForAll("payments") Dataset data, Db db) {
        db.given(data)
                .whenRolledBackAs(ANON, tx -> tx.query("select * from payments"))
                .whenRolledBackAs(ANON, tx -> tx.execute("insert into payments (id, allocation_id, owner_id, amount_cents,"
                        + " currency, status, idempotency_key) values (gen_random_uuid(), gen_random_uuid(),"
                        + " gen_random_uuid(), 1, 'EUR', 'pending', 'anon')"))
                .whenRolledBackAs(ANON, tx -> tx.execute("update payments set status = 'refunded'"))
                .whenRolledBackAs(ANON, tx -> tx.execute("delete from payments"))
                .allowing(ErrorClass.INSUFFICIENT_PRIVILEGE)
                .then(invariant("every statement of anon on payments is refused with 42501", ctx -> {
                    assertThat(ctx.outcome().results()).hasSize(4).allSatisfy((StepResult r) ->
                            assertThat(r.error()).as(r.step()).hasValueSatisfying(e -> assertThat(e.sqlState()).isEqualTo("42501")));
                }), roleCannotRead(ANON, "payments"), roleCannotWrite(ANON, "payments"), noTrace(), constraintsHold());
    }

    /**
     * As authenticated with {@code request.jwt.claim.sub} = X, exactly X's payments are visible,
     * for any dataset and any X (X = owner 3 owns nothing: the empty case), and it cannot change
     * any payment.
     */
    @Property(tries = 100, generation = GenerationMode.RANDOMIZED)
    void authenticatedSeesExactlyItsOwnPayments(@ForAll("payments") Dataset data, @ForAll @IntRange(min = 0, max = OWNERS) int who,
            Db db) {
        UUID x = owner(who);
        Role user = Role.named("authenticated").withClaim("sub", x);
        db.given(data).then(
                roleSees(user, "select id, owner_id, amount_cents from payments",
                        "select id, owner_id, amount_cents from payments where owner_id = '" + x + "'"),
                roleSees(user, "select count(*) from payments where owner_id <> auth.uid()", "select 0::bigint as count"),
                roleCannotWrite(user, "payments"),
                constraintsHold());
    }

    /** service_role (BYPASSRLS) sees every payment. */
    @Property(tries = 100, generation = GenerationMode.RANDOMIZED)
    void serviceRoleSeesEveryPayment(@ForAll("payments") Dataset data, Db db) {
        db.given(data).then(roleSees(SERVICE, "select * from payments", "select * from payments"), constraintsHold());
    }
}
