package dev.netnslab.internal.reaper;

import java.util.List;

/**
 * What {@link Reaper#sweep(dev.netnslab.internal.exec.Kernel)} did.
 *
 * @param sweptLabs         the records of dead owners that were cleaned up and removed
 * @param deletedNamespaces the namespaces that still existed and were deleted, all named in {@code sweptLabs}
 * @param skipped           records left alone, each with the reason (unreadable, incomplete, or not
 *                          fully removable); nothing they name was touched
 */
public record SweepReport(List<OwnershipRecord> sweptLabs, List<String> deletedNamespaces, List<String> skipped) {

    public SweepReport {
        sweptLabs = List.copyOf(sweptLabs);
        deletedNamespaces = List.copyOf(deletedNamespaces);
        skipped = List.copyOf(skipped);
    }

    /** Whether the sweep found nothing to do. */
    public boolean isEmpty() {
        return sweptLabs.isEmpty() && skipped.isEmpty();
    }

    @Override
    public String toString() {
        return "swept " + sweptLabs.stream().map(OwnershipRecord::labId).toList() + ", deleted namespaces "
                + deletedNamespaces + (skipped.isEmpty() ? "" : ", skipped " + skipped);
    }
}
