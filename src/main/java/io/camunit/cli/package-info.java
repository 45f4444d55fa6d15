/**
 * The {@code camunit} command line ({@link io.camunit.cli.Main}): {@code explain}, {@code layers}
 * and {@code evaluate}, for teams that work from a shell as well as from JUnit.
 */
package io.camunit.cli;
