package dev.pgprop.generators.internal.check;

import dev.pgprop.dsl.Dataset;
import dev.pgprop.dsl.schema.Table;
import dev.pgprop.generators.check.SchemaCheck;
import java.sql.SQLException;
import java.util.List;
import java.util.Random;
import net.jqwik.api.RandomGenerator;

final class RowSecurity {
    private final Behaviours b;

    RowSecurity(Behaviours b) {
        this.b = b;
    }

    List<SchemaCheck.BehaviourResult> check(Table t, RandomGenerator<Dataset> gen, Random random) throws SQLException {
        return List.of();
    }
}
