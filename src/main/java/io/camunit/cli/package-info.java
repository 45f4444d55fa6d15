/**
 * The {@code camunit} command line ({@link io.camunit.cli.Main}): {@code explain} and
 * {@code layers}, for teams that work from a shell as well as from JUnit.
 */
package io.camunit.cli;
