package dev.pgprop.dsl.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pgprop.dsl.MigrationSet;
import dev.pgprop.dsl.PgProp;
import dev.pgprop.dsl.PgPropException;
import dev.pgprop.dsl.TestDatabase;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The catalog reader on a schema of many shapes. */
class SchemaTest {
    private static TestDatabase db;
    private static Schema schema;

    @BeforeAll
    static void read() {
        db = PgProp.server().createDatabase(MigrationSet.of("classpath:pgprop-test/catalog"), "SchemaTest");
        schema = Schema.read(db);
    }

    @AfterAll
    static void drop() {
        db.close();
    }

    @Test
    void tablesOfEverySchemaWithoutPartitionsOrFlywaysHistory() {
        assertThat(schema.tables()).extracting(Table::qualifiedName).containsExactly("public.a", "public.b",
                "public.booking", "public.event", "public.item", "store.account", "store.tenant");
    }

    @Test
    void columnTypesWithTheirModifiers() {
        Table item = schema.table("item");
        assertThat(item.column("price").type().precision()).isEqualTo(10);
        assertThat(item.column("price").type().scale()).isEqualTo(2);
        assertThat(item.column("code").type().length()).isEqualTo(4);
        assertThat(item.column("code").type().name()).isEqualTo("bpchar");
        assertThat(item.column("bits").type().length()).isEqualTo(8);
        assertThat(item.column("embedding").type().kind()).isEqualTo(PgType.Kind.VECTOR);
        assertThat(item.column("embedding").type().dimensions()).isEqualTo(3);
        PgType tags = item.column("tags").type();
        assertThat(tags.kind()).isEqualTo(PgType.Kind.ARRAY);
        assertThat(tags.element().orElseThrow().name()).isEqualTo("text");
        assertThat(item.column("feel").type().labels()).containsExactly("sad", "ok", "happy");
        PgType qty = item.column("qty").type();
        assertThat(qty.kind()).isEqualTo(PgType.Kind.DOMAIN);
        assertThat(qty.domainNotNull()).isTrue();
        assertThat(qty.underlying().name()).isEqualTo("int4");
        assertThat(qty.domainChecks()).extracting(Constraint.Check::expression).containsExactly("(VALUE > 0)");
        assertThat(item.column("qty").nullable()).isFalse();
        assertThat(item.column("ship_to").type().attributes()).extracting(PgType.Attribute::name).containsExactly("street", "zip");
        assertThat(item.column("ship_to").type().attributes().get(1).type().length()).isEqualTo(5);
        assertThat(item.column("during").type().kind()).isEqualTo(PgType.Kind.RANGE);
        assertThat(item.column("during").type().element().orElseThrow().name()).isEqualTo("timestamptz");
    }

    @Test
    void defaultsIdentitySerialAndGeneratedColumns() {
        Table item = schema.table("item");
        assertThat(item.column("id").isSerial()).isTrue();
        assertThat(item.column("tags").defaultExpression()).hasValue("'{}'::text[]");
        assertThat(item.column("total").isGenerated()).isTrue();
        assertThat(item.column("total").generatedExpression()).hasValue("(price * (2)::numeric)");
        assertThat(schema.table("store.tenant").column("id").identity()).isEqualTo(Column.Identity.ALWAYS);
        assertThat(item.column("weight").hasDefault()).isFalse();
    }

    @Test
    void constraintsOfEveryKind() {
        Table item = schema.table("item");
        assertThat(item.primaryKey().orElseThrow().columns()).containsExactly("id");
        Constraint.Unique code = item.uniques().get(0);
        assertThat(code.columns()).containsExactly("code");
        assertThat(code.nullsNotDistinct()).isTrue();
        assertThat(item.checks()).extracting(Constraint.Check::expression)
                .contains("(price >= (0)::numeric)",
                        "((weight IS NULL) OR ((weight >= (0)::double precision) AND (weight <= (1000)::double precision)))");

        Table account = schema.table("store.account");
        Constraint.ForeignKey manager = account.foreignKeys().stream().filter(f -> f.referencedTable().equals("account"))
                .findFirst().orElseThrow();
        assertThat(manager.columns()).containsExactly("tenant_id", "manager_id");
        assertThat(manager.referencedColumns()).containsExactly("tenant_id", "id");
        assertThat(manager.onDelete()).isEqualTo(Constraint.Action.SET_NULL);
        Constraint.Unique live = account.uniques().get(0);
        assertThat(live.indexOnly()).isTrue();
        assertThat(live.expressionKeys()).isTrue();
        assertThat(live.predicate()).hasValue("(manager_id IS NOT NULL)");

        Constraint.ForeignKey deferred = schema.table("b").foreignKeys().get(0);
        assertThat(deferred.deferrable()).isTrue();
        assertThat(deferred.initiallyDeferred()).isTrue();

        Constraint.Exclusion ex = schema.table("booking").exclusions().get(0);
        assertThat(ex.columns()).containsExactly("room", "during");
        assertThat(ex.operators()).containsExactly("=", "&&");
    }

    @Test
    void partitionsPoliciesAndTriggers() {
        Table event = schema.table("event");
        assertThat(event.partitionKey()).hasValue("RANGE (at)");
        assertThat(event.partitions()).extracting(Partition::name, Partition::bound).containsExactly(
                org.assertj.core.groups.Tuple.tuple("event_2025", "FOR VALUES FROM ('2025-01-01') TO ('2026-01-01')"),
                org.assertj.core.groups.Tuple.tuple("event_other", "DEFAULT"));
        Table booking = schema.table("booking");
        assertThat(booking.rowSecurity()).isTrue();
        assertThat(booking.policies()).containsExactly(new Policy("own_rooms", "SELECT", true, List.of("public"),
                Optional.of("(room > 0)"), Optional.empty()));
        assertThat(schema.table("item").triggers()).extracting(Trigger::name, Trigger::function)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("item_touch", "touch"));
    }

    @Test
    void aNamedSchemaBringsWhatItReferencesAndLoadOrderBreaksCyclesAtADeferrableKey() {
        Schema store = Schema.read(db, "store");
        assertThat(store.tables()).extracting(Table::qualifiedName).containsExactlyInAnyOrder("store.account", "store.tenant");
        assertThat(store.loadOrder(store.tables())).extracting(Table::name).containsExactly("tenant", "account");
        List<Table> cycle = schema.loadOrder(List.of(schema.table("a"), schema.table("b")));
        // b -> a is deferrable: b may come first; a -> b is not, so a follows b
        assertThat(cycle).extracting(Table::name).containsExactly("b", "a");
        assertThatThrownBy(() -> Schema.read(db, "nowhere")).isInstanceOf(PgPropException.class)
                .hasMessageContaining("schema 'nowhere' does not exist");
        assertThatThrownBy(() -> schema.table("nothing")).hasMessageContaining("no table 'nothing'");
    }
}
