package dev.pgprop.dsl.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaAccess;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import java.util.Set;

/** The DSL's architecture rules, for any root package (the DSL's, or a planted one in tests). */
final class Layers {
    /** The classes users start from; internal code must not call back into them. */
    static final Set<String> ENTRY_POINTS = Set.of("PgProp", "PgServer", "Db", "Scenario", "Entry");

    private Layers() {}

    /** No class under {@code root.internal} calls a method or constructor of a public entry point. */
    static ArchRule internalCallsNoEntryPoint(String root) {
        DescribedPredicate<JavaAccess<?>> toEntry = DescribedPredicate.describe("a public entry point " + ENTRY_POINTS,
                access -> isEntryPoint(root, access.getTargetOwner()));
        return noClasses().that().resideInAPackage(root + ".internal..")
                .should().accessTargetWhere(toEntry)
                .because("internal/ lies beneath the public packages: it builds views through"
                        + " internal.engine.Views and reaches the server through internal.provision");
    }

    private static boolean isEntryPoint(String root, JavaClass c) {
        return c.getPackageName().equals(root) && ENTRY_POINTS.contains(c.getSimpleName());
    }

    /** The public packages ({@code root}, {@code root.vector}, ...) depend on each other without a cycle. */
    static ArchRule publicPackagesFreeOfCycles(String root) {
        return slices().assignedFrom(packages(root, false)).should().beFreeOfCycles();
    }

    /** The packages under {@code root.internal} depend on each other without a cycle. */
    static ArchRule internalPackagesFreeOfCycles(String root) {
        return slices().assignedFrom(packages(root, true)).should().beFreeOfCycles();
    }

    /** Each package its own slice: the public ones, or the internal ones. */
    private static SliceAssignment packages(String root, boolean internal) {
        return new SliceAssignment() {
            @Override
            public SliceIdentifier getIdentifierOf(JavaClass c) {
                String p = c.getPackageName();
                if (!p.equals(root) && !p.startsWith(root + ".")) {
                    return SliceIdentifier.ignore();
                }
                boolean in = p.equals(root + ".internal") || p.startsWith(root + ".internal.");
                return in == internal ? SliceIdentifier.of(p) : SliceIdentifier.ignore();
            }

            @Override
            public String getDescription() {
                return (internal ? "the packages under " + root + ".internal" : "the public packages of " + root);
            }
        };
    }
}
