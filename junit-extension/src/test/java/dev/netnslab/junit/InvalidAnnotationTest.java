package dev.netnslab.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.netnslab.Lab;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/**
 * Bad {@code @NetnsLab} values fail the test through the extension with the attribute, the value
 * and the rule, and no lab is ever started (the full catalogue is in core's BadInputCatalogueTest).
 * The fixtures run where any attempt to build a lab fails at the backend, so a failure that names
 * the bad value shows it was refused before anything was created, on any machine, root or not.
 */
@DisplayName("Invalid @NetnsLab values")
class InvalidAnnotationTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "BadIpTestCase     | ip '10.200.1.300' is invalid: each of the 4 octets must be 0-255",
                "BadNsTestCase     | ns 'ns;reboot' is invalid: a namespace name may only hold the characters [A-Za-z0-9_.-]",
                "BadHostIpTestCase | hostIp '10.200.2.1' is invalid: it must lie inside ip's subnet 10.200.1.0/24",
                "ReservedTestCase  | ns 'host' is invalid: 'host' is reserved"
            })
    void failsWithTheAttributeTheValueAndTheRule(String fixture, String expected) throws Exception {
        Class<?> testCase = Class.forName(InvalidAnnotationTest.class.getName() + "$" + fixture);

        Events tests = EngineTestKit.engine("junit-jupiter")
                .selectors(selectClass(testCase))
                .configurationParameter("netnslab.local.ip", "/nonexistent/ip")
                .execute()
                .testEvents();

        tests.assertStatistics(stats -> stats.started(1).failed(1));
        Throwable failure = tests.failed().stream()
                .findFirst()
                .orElseThrow()
                .getPayload(TestExecutionResult.class)
                .orElseThrow()
                .getThrowable()
                .orElseThrow();
        assertThat(failure)
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessageStartingWith("@NetnsLab on ")
                .hasMessageContaining(expected);
    }

    static class BadIpTestCase {
        @Test
        @NetnsLab(ip = "10.200.1.300")
        void test(Lab lab) {}
    }

    static class BadNsTestCase {
        @Test
        @NetnsLab(ns = "ns;reboot")
        void test(Lab lab) {}
    }

    static class BadHostIpTestCase {
        @Test
        @NetnsLab(hostIp = "10.200.2.1")
        void test(Lab lab) {}
    }

    static class ReservedTestCase {
        @Test
        @NetnsLab(ns = "host")
        void test(Lab lab) {}
    }
}
