/**
 * The memory soak's command line ({@link org.sbgm.cli.bench.MemorySoakRun}, its RSS figure) and the JMH
 * benchmarks; the timed workloads themselves are the library's ({@code org.sbgm.bench}).
 */
package org.sbgm.cli.bench;
