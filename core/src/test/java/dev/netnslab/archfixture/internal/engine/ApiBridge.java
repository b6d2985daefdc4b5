package dev.netnslab.archfixture.internal.engine;

/** Stands for the library's ApiBridge. */
public final class ApiBridge {

    private ApiBridge() {}

    public static void install(Object implementation) {
        implementation.hashCode();
    }
}
