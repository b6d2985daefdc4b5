/**
 * The engine behind netns-lab's API. Nothing under {@code dev.netnslab.internal} is exported by the
 * module (the JUnit module alone may use a few packages), and any of it may change in any release.
 * Packages follow the data flow: {@code topology} (the validated model, pure), {@code iproute}
 * (rendering and parsing {@code ip}, pure), {@code engine} (builds, runs and closes labs; the API's
 * handles wrap its objects), {@code backend} and one package per backend under it, {@code exec} (what
 * the backends share), then {@code netns}, {@code probe}, {@code fault}, {@code reaper},
 * {@code diagnostics}, {@code diagram}, {@code settings} and {@code cli}. This package holds
 * {@link dev.netnslab.internal.Deadline}, the one way the library waits.
 */
package dev.netnslab.internal;
