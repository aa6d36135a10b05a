package dev.pgprop.generators.mutate.probe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgprop.dsl.Db;
import dev.pgprop.dsl.PgProperties;
import net.jqwik.api.Property;

/**
 * A user's property class for the mutation analysis's own test (named so that Surefire does not
 * run it by itself): on the org chart schema, an employee without a full name is refused.
 */
@PgProperties(migrations = "filesystem:src/test/resources/corpus/org_chart")
public class FullNameRequiredProbe {
    @Property(tries = 1)
    void anEmployeeNeedsAFullName(Db db) {
        db.handle().execute("insert into departments (dept_id, name) values (1, 'sales')");
        db.handle().execute("savepoint probe");
        String refused = null;
        try {
            db.handle().execute("insert into employees (emp_id, full_name, email, dept_id, level, salary, hired_on)"
                    + " values (1, null, 'a@example.com', 1, 1, 1, current_date)");
        } catch (RuntimeException e) {
            refused = e.getMessage();
        }
        db.handle().execute("rollback to savepoint probe");
        assertThat(refused).as("an employee with a NULL full_name is refused").isNotNull().contains("not-null constraint");
    }
}
