/**
 * A multipart/form-data request body as the API client takes it: text fields and file parts,
 * in order. The transport turns it into undici's FormData when it sends it (undici's `request`
 * only understands its own class).
 *
 * It stays clear of the global `FormData` on purpose: the first touch of that global (even
 * `x instanceof FormData`) makes Node load its bundled copy of undici, ~25 ms per command.
 */
export type MultipartPart = { name: string; value: string } | { name: string; blob: Blob; filename: string };

export class Multipart {
  readonly parts: MultipartPart[] = [];

  /** A text field. */
  field(name: string, value: string): this {
    this.parts.push({ name, value });
    return this;
  }

  /** A file part (a Blob: `fs.openAsBlob()` streams a local file, never holding it in memory). */
  file(name: string, blob: Blob, filename: string): this {
    this.parts.push({ name, blob, filename });
    return this;
  }
}
