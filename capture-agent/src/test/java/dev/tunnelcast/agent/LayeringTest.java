package dev.tunnelcast.agent;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The agent's package layering: no package cycles, and the agent never sees the server. */
@AnalyzeClasses(packages = "dev.tunnelcast", importOptions = ImportOption.DoNotIncludeTests.class)
class LayeringTest {

    @ArchTest
    static final ArchRule noPackageCycles = slices().matching("dev.tunnelcast.agent.(*)..")
            .should().beFreeOfCycles();

    @ArchTest
    static final ArchRule agentNeverSeesTheServer = noClasses()
            .that().resideInAPackage("dev.tunnelcast.agent..")
            .should().dependOnClassesThat().resideInAPackage("dev.tunnelcast.server..")
            .because("server and capture-agent meet only at the wire schema");
}
