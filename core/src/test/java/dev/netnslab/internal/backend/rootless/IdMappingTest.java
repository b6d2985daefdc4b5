package dev.netnslab.internal.backend.rootless;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("IdMapping: how the rootless user namespace maps ids")
class IdMappingTest {

    private static final String SUBUID = String.join(
            "\n",
            "# comment: ignored",
            "alice:100000:65536",
            "bob:200000:abc",
            "bob:300000:65536",
            "1003:400000:1000",
            "");

    @Nested
    @DisplayName("reading /etc/subuid")
    class Subordinate {

        @Test
        @DisplayName("finds the user's first range by name")
        void byName() {
            assertThat(IdMapping.subordinate(SUBUID, "alice", 1001)).contains(new IdMapping.Range(100000, 65536));
        }

        @Test
        @DisplayName("skips malformed lines, as newuidmap does")
        void skipsMalformed() {
            assertThat(IdMapping.subordinate(SUBUID, "bob", 1002)).contains(new IdMapping.Range(300000, 65536));
        }

        @Test
        @DisplayName("finds a range given by uid")
        void byUid() {
            assertThat(IdMapping.subordinate(SUBUID, "carol", 1003)).contains(new IdMapping.Range(400000, 1000));
        }

        @Test
        @DisplayName("has nothing for a user without a range, or an empty file")
        void none() {
            assertThat(IdMapping.subordinate(SUBUID, "dave", 1004)).isEmpty();
            assertThat(IdMapping.subordinate("", "alice", 1001)).isEmpty();
        }

        @Test
        @DisplayName("refuses an empty range")
        void emptyRange() {
            assertThatThrownBy(() -> new IdMapping.Range(100000, 0))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("count >= 1")
                    .hasMessageContaining("100000:0");
        }
    }

    @Nested
    @DisplayName("the maps it writes")
    class Maps {

        private final IdMapping alice = new IdMapping(
                1001,
                1001,
                "alice",
                Optional.of(new IdMapping.Range(100000, 65536)),
                Optional.of(new IdMapping.Range(200000, 65536)),
                true);

        @Test
        @DisplayName("newuidmap and newgidmap: root is the user, ids 1 and up the subordinate range")
        void helpers() {
            assertThat(alice.newuidmap(42))
                    .containsExactly("newuidmap", "42", "0", "1001", "1", "1", "100000", "65536");
            assertThat(alice.newgidmap(42))
                    .containsExactly("newgidmap", "42", "0", "1001", "1", "1", "200000", "65536");
            assertThat(alice.whyNoSubordinateIds()).isEmpty();
        }

        @Test
        @DisplayName("alone, root inside is the user outside")
        void single() {
            assertThat(IdMapping.single(1001)).isEqualTo("0 1001 1\n");
        }

        @Test
        @DisplayName("says why subordinate ids cannot be used")
        void why() {
            IdMapping noHelpers = new IdMapping(1001, 1001, "alice", alice.subUid(), alice.subGid(), false);
            IdMapping noRange = new IdMapping(1001, 1001, "alice", alice.subUid(), Optional.empty(), true);
            assertThat(noHelpers.whyNoSubordinateIds())
                    .hasValueSatisfying(why -> assertThat(why).contains("uidmap"));
            assertThat(noRange.whyNoSubordinateIds()).contains("user alice has no range in /etc/subgid");
        }
    }

    @Test
    @DisplayName("the failing step of the namespace's start is named from its exit code")
    void steps() {
        assertThat(List.of(90, 91, 92, 1).stream().map(UserNamespace::step).toList())
                .containsExactly(
                        "mounting /proc inside it failed", "mounting a tmpfs on /run inside it failed",
                        "creating /run/netns inside it failed", "unshare --user --mount --net --pid exited with 1");
    }
}
