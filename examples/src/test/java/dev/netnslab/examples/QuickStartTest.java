package dev.netnslab.examples;

import static dev.netnslab.assertj.NetnsAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.netnslab.Lab;
import dev.netnslab.Namespace;
import dev.netnslab.junit.NetnsLab;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The README's quick start, written the way a new user writes a first test: one annotation, the
 * handles as parameters, AssertJ. It runs unchanged on JUnit 5.14 and on JUnit 6 ({@code -Pjunit6}).
 */
@Tag("kernel")
@NetnsLab(ns = "netns1", ip = "10.200.1.1")
class QuickStartTest {

    Namespace netns1;

    @Test
    void hostAndNamespaceReachEachOther(Lab lab, Namespace ns) {
        assertThat(lab.host()).canPing("10.200.1.1");
        assertThat(ns).canPing(lab.host().address());
        assertThat(ns.exec("ip", "route").stdout()).contains("default");
    }

    @Test
    void fieldsAreInjectedToo() {
        assertThat(netns1).hasInterface("veth2").hasAddress("10.200.1.1/24").hasRoute("default");
    }
}
