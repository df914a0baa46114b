package dev.tunnelcast.server;

import static com.tngtech.archunit.base.DescribedPredicate.describe;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import dev.tunnelcast.server.transport.Connection;

/**
 * The server's package layering (DESIGN.md, "The relay"): the fan-out core knows no socket
 * and no configuration class, a connection meets its socket through one narrow interface, no
 * package cycles, and the server never sees the agent.
 */
@AnalyzeClasses(packages = "dev.tunnelcast", importOptions = ImportOption.DoNotIncludeTests.class)
class LayeringTest {

    @ArchTest
    static final ArchRule noPackageCycles = slices().matching("dev.tunnelcast.server.(*)..")
            .should().beFreeOfCycles();

    @ArchTest
    static final ArchRule relayCoreKnowsNoTransportNorConfiguration = noClasses()
            .that().resideInAPackage("dev.tunnelcast.server.relay..")
            .should().dependOnClassesThat(resideInAnyPackage(
                            "dev.tunnelcast.server.transport..", "dev.tunnelcast.server.cli..",
                            "io.undertow..", "org.xnio..")
                    .or(describe("are RelayConfig", c -> c.getName().equals(RelayConfig.class.getName()))))
            .because("the relay core meets its subscribers and sources through small interfaces; "
                    + "transport and configuration depend on it, never the other way");

    @ArchTest
    static final ArchRule connectionMeetsItsSocketThroughTheNarrowInterface = noClasses()
            .that().haveFullyQualifiedName(Connection.class.getName())
            .should().dependOnClassesThat().resideInAnyPackage("io.undertow..", "org.xnio..")
            .because("a Connection uses its WebSocket only through transport.ClientSocket, so that tests and "
                    + "fuzzers drive it with a plain fake");

    @ArchTest
    static final ArchRule serverNeverSeesTheAgent = noClasses()
            .that().resideInAPackage("dev.tunnelcast.server..")
            .should().dependOnClassesThat().resideInAPackage("dev.tunnelcast.agent..")
            .because("server and capture-agent meet only at the wire schema");
}
