/**
 * Files: NumPy arrays, safetensors, crash-safe writes and checksummed directories.
 *
 * <ul>
 *   <li>{@link org.sbgm.io.Npy} and {@link org.sbgm.io.Npz} read and write NumPy's {@code .npy}
 *       (versions 1.0-3.0, little-endian {@code <f4 <f8 |u1 |i1 <i4 <i8}, C order) and {@code .npz}
 *       (zip of {@code .npy}, stored or deflated) formats into {@link org.sbgm.io.NdArray}s or
 *       libtorch tensors, so data and samples move to and from Python without conversion. Written
 *       {@code .npy} files are byte-identical to NumPy's own.
 *   <li>{@link org.sbgm.io.SafeTensors} reads and writes the Hugging Face safetensors format (an 8-byte
 *       little-endian header length, a JSON header {@code {name: {dtype, shape, data_offsets}, __metadata__}},
 *       raw little-endian data), the weights format of the Python ecosystem. The header is checked whole
 *       ({@link org.sbgm.io.SafeTensorsHeader}: at most 100 MB, known dtypes, every byte range the size its
 *       dtype and shape need, the ranges tiling the data exactly, the file exactly that long) before any
 *       tensor is allocated; written files are byte-identical to the Hugging Face writer's layout.
 *   <li>{@link org.sbgm.io.AtomicFiles} is the one writer of every file the library writes (arrays,
 *       manifests, network weights, checkpoints): write-to-temporary, fsync, atomic rename and
 *       directory fsync, so after a crash or a failing writer the target holds either its complete
 *       old or its complete new content and no temporary file is left. The content comes from a Java
 *       stream, bytes, or a native writer handed the temporary path (libtorch's {@code save_to});
 *       {@code writeKeepingPrevious} also keeps the replaced file (a checkpoint's {@code .prev}).
 *   <li>{@link org.sbgm.io.DeclaredSize} checks the sizes a header announces (overflow-safe element
 *       counts, at most 2 GiB per array, no more and no fewer bytes than follow) before anything is
 *       allocated; every reader uses it. {@link org.sbgm.io.IoFailures} names the file and the operating
 *       system's reason of a failed file operation for messages.
 *   <li>{@link org.sbgm.io.Manifest} records the SHA-256 of every file of a model directory in
 *       {@code manifest.sha256} ({@code sha256sum} format, so {@code sha256sum -c} checks it too)
 *       and verifies it, naming the first file that differs, is missing or is unlisted.
 * </ul>
 *
 * <p>A malformed file (bad magic, truncation, header syntax, corrupt zip, a checksum that does not
 * match) and a well-formed file using a feature outside what is supported (Fortran order, big-endian
 * or structured dtypes) are both {@link org.sbgm.InvalidInputException}s (corrupt zip and gzip streams
 * included), whose message is one
 * sentence naming the file and what was expected; an {@link java.io.IOException} means the
 * file system itself failed (missing file, permissions, a full disk).
 */
package org.sbgm.io;
