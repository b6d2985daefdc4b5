package com.example.lab;

import dev.netnslab.Lab;
import dev.netnslab.Namespace;
import dev.netnslab.junit.NetnsLab;
import org.junit.jupiter.api.Test;

import static dev.netnslab.assertj.NetnsAssertions.assertThat;

/** A user's first lab test: the single-namespace lab, pinged both ways. */
@NetnsLab(ns = "app", ip = "10.200.7.2")
class SingleNamespaceTest {

    @Test
    void hostAndNamespaceReachEachOther(Lab lab, Namespace app) {
        assertThat(lab.host()).canPing("10.200.7.2");
        assertThat(app).canPing(lab.host().address());
    }
}
