/**
 * netns-lab's JUnit Jupiter extension: {@link dev.netnslab.junit.NetnsLab @NetnsLab},
 * {@link dev.netnslab.junit.Netns @Netns} and {@link dev.netnslab.junit.NetnsLabExtension}.
 */
module dev.netnslab.junit {
    requires transitive dev.netnslab.core;
    requires transitive org.junit.jupiter.api;
    requires org.junit.platform.launcher;

    // JUnit needs no reflective access here: it instantiates NetnsLabExtension through its public
    // constructor in this exported package, and reads @NetnsLab and @Netns as public annotations.
    // Reflection goes the other way: the extension sets fields of test classes, so a test module
    // on the module path opens its package to this one.
    exports dev.netnslab.junit;
    // Boots the run's VM as discovery starts, and stops it when the run ends.
    provides org.junit.platform.launcher.LauncherSessionListener with
            dev.netnslab.internal.junit.VmSessionListener;
    provides org.junit.platform.launcher.LauncherDiscoveryListener with
            dev.netnslab.internal.junit.VmSessionListener;
}
