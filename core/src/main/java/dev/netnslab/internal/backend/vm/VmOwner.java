package dev.netnslab.internal.backend.vm;

import dev.netnslab.internal.reaper.Owner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Which JVM launched a VM that is to be thrown away at the end of its run, in a small file
 * ({@code pid start-time boot-id}). When that JVM dies before it could, the next run finds the VM
 * orphaned and throws it away instead. The qemu backend names its VM folders this way
 * ({@code run-PID-START-...}); the multipass backend, whose VM has a fixed name, keeps this file
 * next to it.
 */
final class VmOwner {

    private VmOwner() {
    }

    /** Records this JVM as the owner. */
    static void claim(Path file) {
        Owner owner = Owner.current();
        try {
            Files.writeString(file, owner.pid() + " " + owner.startTime() + " " + owner.bootId() + "\n");
        } catch (IOException e) {
            // Only costs the sweep after a crash: the VM would then be kept.
        }
    }

    /** Whether {@code file} names an owner that is gone: no process with its pid and start time on this boot. */
    static boolean orphaned(Path file) {
        try {
            String[] words = Files.readString(file).strip().split("\\s+");
            if (words.length != 3) {
                return false;
            }
            return !words[2].equals(Owner.current().bootId())
                    || !new ProcessId(Long.parseLong(words[0]), Long.parseLong(words[1])).isAlive();
        } catch (IOException | NumberFormatException e) {
            return false;
        }
    }

    static void release(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // A stale file names a dead owner of a VM that no longer exists: harmless.
        }
    }
}
