package dev.pgprop.dsl.internal.jqwik;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A fault's message begins with what broke, by SQLSTATE (the disk-full one is driven end to end by DiskTest). */
class FaultNameTest {
    @Test
    void eachResourceFaultIsNamedAndConnectionFaultsKeepTheirName() {
        assertThat(PgPropertiesHook.faultName("53100")).isEqualTo("disk full on the server (SQLSTATE 53100)");
        assertThat(PgPropertiesHook.faultName("53200")).isEqualTo("out of memory on the server (SQLSTATE 53200)");
        assertThat(PgPropertiesHook.faultName("53300")).isEqualTo("too many connections (SQLSTATE 53300)");
        assertThat(PgPropertiesHook.faultName("53400")).isEqualTo("the server ran out of a resource (SQLSTATE 53400)");
        assertThat(PgPropertiesHook.faultName("58030")).isEqualTo("an I/O error on the server (SQLSTATE 58030)");
        assertThat(PgPropertiesHook.faultName("08006")).isEqualTo("connection fault");
        assertThat(PgPropertiesHook.faultName("57P01")).isEqualTo("connection fault");
    }
}
