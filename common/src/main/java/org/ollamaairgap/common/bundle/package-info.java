/**
 * Bundles: a set of models as an OCI Image Layout ({@link
 * org.ollamaairgap.common.bundle.OciLayout}) that travels on a disk, a tape, a data diode (as a tar
 * stream) or through a site's own OCI registry. {@link org.ollamaairgap.common.bundle.Exporter}
 * writes one from a store, {@link org.ollamaairgap.common.bundle.Importer} fills a store from one
 * with the stager's commit rules; every byte is hashed on the way, both ways.
 *
 * @see <a href="https://github.com/opencontainers/image-spec/blob/main/image-layout.md">OCI Image
 *     Layout</a>
 */
package org.ollamaairgap.common.bundle;
