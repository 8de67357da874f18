package org.rasguard.server.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The layering of fhir-server (README, Layout), checked on the compiled classes: {@code config} reads
 * the environment into settings records and knows no feature of the server (every feature depends on
 * it, never the other way round).
 */
@AnalyzeClasses(packages = "org.rasguard.server", importOptions = ImportOption.DoNotIncludeTests.class)
class ServerArchitectureTest {

    @ArchTest
    static final ArchRule configIsALeaf = noClasses()
            .that()
            .resideInAPackage("org.rasguard.server.config..")
            .should()
            .dependOnClassesThat(resideInAPackage("org.rasguard.server..")
                    .and(not(resideInAPackage("org.rasguard.server.config.."))))
            .because(
                    "one config object built from the environment, validated at start, imported by the features it configures");

    @ArchTest
    static final ArchRule noFeaturePackageCycles =
            slices().matching("org.rasguard.server.(*)..").should().beFreeOfCycles();
}
