/**
 * {@code sbgm bench}'s memory soak ({@link org.sbgm.cli.bench.MemorySoak}, its RSS figure) and the JMH
 * benchmarks; the timed workloads themselves are the library's ({@code org.sbgm.bench}).
 */
package org.sbgm.cli.bench;
