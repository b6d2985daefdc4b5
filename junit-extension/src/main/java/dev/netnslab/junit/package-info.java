/**
 * The JUnit Jupiter extension: annotate a test class or method with
 * {@link dev.netnslab.junit.NetnsLab @NetnsLab}, and pick namespaces with
 * {@link dev.netnslab.junit.Netns @Netns}.
 */
package dev.netnslab.junit;
