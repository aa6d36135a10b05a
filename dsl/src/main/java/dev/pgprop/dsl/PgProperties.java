package dev.pgprop.dsl;

import dev.pgprop.dsl.internal.jqwik.PgPropertiesHook;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.PropagationMode;
import org.apiguardian.api.API;

/**
 * Gives a jqwik property class a database of its own (cloned from the migration set's template)
 * and a clean state on every try, and injects a {@link Db} into property methods.
 *
 * <pre>{@code
 * @PgProperties
 * class InventoryProperties {
 *     @Property
 *     void neverOversold(@ForAll("storms") Dataset data, Db db) {
 *         db.given(data)
 *           .whenConcurrently(2, tx -> tx.call("allocate", "SKU-000001", 1))
 *           .allowing(ErrorClass.RAISED)
 *           .then(Invariants.noRows("select * from inventory where allocated > on_hand"));
 *     }
 * }
 * }</pre>
 *
 * <p>Meta-tests name their own migration set: {@code @PgProperties(migrations = {"classpath:pgprop/reference",
 * "classpath:mutants/drop_check"})}. Without {@code migrations}, the global set applies ({@code
 * pgprop.migrations}, {@code pgprop.placeholders.*}).
 */
@API(status = API.Status.STABLE, since = "0.1")
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@AddLifecycleHook(value = PgPropertiesHook.class, propagateTo = PropagationMode.ALL_DESCENDANTS)
public @interface PgProperties {
    /** Flyway locations of this class's migration set; empty means the global set. */
    String[] migrations() default {};

    /**
     * A preset that prepares the template before the migrations run, such as {@code "supabase"}
     * (Supabase's {@code auth} schema, roles and grants); empty means {@code pgprop.preset}.
     */
    String preset() default "";

    /** Placeholders as {@code name=value}, on top of the global ones. */
    String[] placeholders() default {};

    /**
     * Session defaults as {@code name=value}, set in every session of this class (on top of
     * {@code pgprop.session.*}), for example {@code session = "hnsw.iterative_scan=strict_order"}.
     * They are connection options, so functions that rely on them stay inlinable (a {@code SET}
     * clause on a SQL function stops the planner from inlining it).
     */
    String[] session() default {};

    /** Isolation of every try; {@code AUTO} defers to {@code pgprop.isolation}, and that to the rule. */
    Isolation isolation() default Isolation.AUTO;
}
