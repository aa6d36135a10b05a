package dev.pgprop.dsl.arch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The DSL's layers hold: no internal class calls back into a public entry point, and no two
 * packages depend on each other in a cycle. Each rule is also run on a planted violation
 * ({@code dev.pgprop.dsl.arch.planted}), so a rule that cannot fail would show.
 */
class ArchitectureTest {
    private static JavaClasses dsl;

    @BeforeAll
    static void importClasses() {
        dsl = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.pgprop.dsl");
    }

    @Test
    void theClassesAreThere() {
        assertThat(dsl.contain("dev.pgprop.dsl.Scenario")).isTrue();
        assertThat(dsl.contain("dev.pgprop.dsl.internal.engine.ScenarioRunner")).isTrue();
        assertThat(dsl.stream().filter(c -> c.getPackageName().startsWith("dev.pgprop.dsl.internal")).count())
                .isGreaterThan(30);
    }

    @Test
    void internalClassesDoNotCallPublicEntryPoints() {
        Layers.internalCallsNoEntryPoint("dev.pgprop.dsl").check(dsl);
    }

    @Test
    void thePublicPackagesHaveNoCycle() {
        Layers.publicPackagesFreeOfCycles("dev.pgprop.dsl").check(dsl);
    }

    @Test
    void theInternalPackagesHaveNoCycle() {
        Layers.internalPackagesFreeOfCycles("dev.pgprop.dsl").check(dsl);
    }

    @Test
    void theRulesFailOnPlantedViolations() {
        JavaClasses planted = new ClassFileImporter().importPackages("dev.pgprop.dsl.arch.planted");
        String root = "dev.pgprop.dsl.arch.planted";
        assertThatThrownBy(() -> Layers.internalCallsNoEntryPoint(root).check(planted))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("planted.internal.CallsBack")
                .hasMessageContaining("planted.Entry");
        assertThatThrownBy(() -> Layers.publicPackagesFreeOfCycles(root).check(planted))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Cycle detected")
                .hasMessageContaining("planted.feature");
        assertThatThrownBy(() -> Layers.internalPackagesFreeOfCycles(root).check(planted))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Cycle detected")
                .hasMessageContaining("planted.internal.one");
    }

    @Test
    void theRulesPassWhereNothingIsPlanted() {
        JavaClasses clean = new ClassFileImporter().importPackages("dev.pgprop.dsl.arch.planted.clean");
        ArchRule rule = Layers.publicPackagesFreeOfCycles("dev.pgprop.dsl.arch.planted.clean");
        rule.check(clean);
    }
}
