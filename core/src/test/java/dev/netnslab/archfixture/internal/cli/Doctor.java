package dev.netnslab.archfixture.internal.cli;

import dev.netnslab.archfixture.internal.backend.local.LocalBackend;
import dev.netnslab.archfixture.internal.backend.vm.VmBackend;
import java.util.List;

/** Allowed: the doctor probes the concrete backends by name, on purpose. */
final class Doctor {

    List<Object> candidates() {
        return List.of(new LocalBackend(), new VmBackend());
    }
}
