/**
 * netns-lab's JUnit Jupiter extension: {@link dev.netnslab.junit.NetnsLab @NetnsLab},
 * {@link dev.netnslab.junit.Netns @Netns} and {@link dev.netnslab.junit.NetnsLabExtension}.
 */
module dev.netnslab.junit {
    requires transitive dev.netnslab.core;
    requires transitive org.junit.jupiter.api;
    requires org.junit.platform.launcher;

    exports dev.netnslab.junit;
    // JUnit instantiates the package-private failure reporter reflectively.
    opens dev.netnslab.junit to org.junit.platform.commons;
    // Boots the run's VM early and stops it at the end of the run.
    provides org.junit.platform.launcher.LauncherSessionListener with dev.netnslab.internal.junit.VmSessionListener;
}
