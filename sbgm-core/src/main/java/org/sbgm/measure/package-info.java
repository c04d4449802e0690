/**
 * Measurements against exact answers, the library side of {@code sbgm measure}: discrepancies between
 * samples ({@link org.sbgm.measure.SlicedWasserstein}, {@link org.sbgm.measure.Mmd} with its Monte-Carlo
 * floor), the endpoint error of deterministic samplers against the exact probability flow
 * ({@link org.sbgm.measure.EndpointError}), posterior samples against an exact posterior
 * ({@link org.sbgm.measure.PosteriorComparison}), the fixed oracles ({@link org.sbgm.measure.StudyMixtures})
 * and the two studies whose tables are committed under docs/ ({@link org.sbgm.measure.SamplerStudy},
 * {@link org.sbgm.measure.InverseStudy}), returned as {@link org.sbgm.measure.Table}s.
 */
package org.sbgm.measure;
