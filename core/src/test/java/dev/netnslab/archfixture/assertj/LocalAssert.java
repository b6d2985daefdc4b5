package dev.netnslab.archfixture.assertj;

import dev.netnslab.archfixture.internal.backend.local.LocalBackend;

/** Broken: an API class that depends on one concrete backend. */
public final class LocalAssert {

    boolean isLocal(Object backend) {
        return backend instanceof LocalBackend;
    }
}
