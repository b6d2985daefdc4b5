/**
 * The VM backends, {@code qemu} and {@code multipass}: a VM booted from {@code cloud-init.yaml} with
 * the library's SSH key, then reached as an ssh kernel. They share the boot ({@code VmBoot}) and
 * differ only in starting and stopping the VM.
 */
package dev.netnslab.internal.backend.vm;
