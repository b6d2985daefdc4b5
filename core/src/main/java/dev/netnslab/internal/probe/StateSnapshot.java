package dev.netnslab.internal.probe;

import dev.netnslab.InterfaceAddress;
import dev.netnslab.Route;
import dev.netnslab.internal.engine.LabNamespace;
import java.util.List;
import java.util.function.Supplier;

/**
 * A namespace's addresses and routes, read at the moment a check failed, as the last lines of its
 * message. A state that cannot be read (the lab is closed, say) is reported as such, never thrown.
 */
public final class StateSnapshot {

    private StateSnapshot() {}

    /**
     * {@code Its addresses: [...]} and {@code Its routes: [...]}, on two lines; link-local IPv6
     * addresses and routes, which every interface has, are left out.
     */
    public static String of(LabNamespace ns) {
        return "Its addresses: "
                + read(() -> ns.addresses().stream()
                        .filter(a ->
                                !a.address().startsWith("fe80:") && !a.address().equals("::1"))
                        .map(InterfaceAddress::toString)
                        .toList())
                + "\nIts routes: "
                + read(() -> ns.routes().stream()
                        .filter(r -> !r.destination().startsWith("fe80:"))
                        .map(Route::toString)
                        .toList());
    }

    private static String read(Supplier<List<String>> reader) {
        try {
            return reader.get().toString();
        } catch (RuntimeException e) {
            String message = e.getMessage() == null ? e.toString() : e.getMessage();
            return "<could not be read: " + message.lines().findFirst().orElse("") + ">";
        }
    }
}
