package dev.netnslab.internal.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netnslab.InvalidLabSpecException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class NamesTest {

    @ParameterizedTest
    @ValueSource(strings = {"netns1", "a", "ns_2.b-c", "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"})
    void acceptsNamespaceNames(String name) {
        assertThat(Names.checkNamespace("ns", name)).isEqualTo(name);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "ns;reboot                          | [A-Za-z0-9_.-]",
                "ns$(id)                            | [A-Za-z0-9_.-]",
                "'ns 1'                             | [A-Za-z0-9_.-]",
                "ns/1                               | [A-Za-z0-9_.-]",
                "-ns                                | start with '-'",
                "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456  | at most 32",
                "host                               | reserved for the lab's host side",
                "..                                 | reserved"
            })
    void rejectsBadNamespaceNames(String name, String rule) {
        assertThatThrownBy(() -> Names.checkNamespace("ns", name))
                .isInstanceOf(InvalidLabSpecException.class)
                .hasMessageStartingWith("ns '" + name + "' is invalid: ")
                .hasMessageContaining(rule);
    }

    @Test
    void rejectsEmptyNames() {
        assertThatThrownBy(() -> Names.checkNamespace("ns", ""))
                .hasMessage("ns '' is invalid: a namespace name must not be empty");
    }

    @Test
    void limitsInterfaceNamesTo15Bytes() {
        assertThat(Names.checkInterface("iface", "abcdefghijklmno")).hasSize(15);
        assertThatThrownBy(() -> Names.checkInterface("iface", "abcdefghijklmnop"))
                .hasMessageContaining("at most 15 bytes long, but this one has 16");
        assertThatThrownBy(() -> Names.checkInterface("iface", "lo")).hasMessageContaining("reserved");
    }

    @Test
    void showsControlCharactersInMessages() {
        assertThatThrownBy(() -> Names.checkNamespace("ns", "a\nb")).hasMessageStartingWith("ns 'a\\x0ab' is invalid");
    }
}
