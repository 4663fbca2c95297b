/** A small multipart/form-data reader for the upload endpoints (images, files). */

export interface MultipartFile {
  field: string;
  filename: string;
  contentType: string;
  data: Buffer;
}

export interface MultipartBody {
  fields: Record<string, string>;
  files: MultipartFile[];
}

/** Parses a whole multipart body; undefined when the content type has no boundary or the body is malformed. */
export function parseMultipart(body: Buffer, contentType: string): MultipartBody | undefined {
  const m = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  if (!m) return undefined;
  const boundary = Buffer.from(`--${m[1] ?? m[2]}`);
  const out: MultipartBody = { fields: {}, files: [] };
  let pos = body.indexOf(boundary);
  if (pos < 0) return undefined;
  for (;;) {
    pos += boundary.length;
    // "--" after a boundary ends the body
    if (body[pos] === 0x2d && body[pos + 1] === 0x2d) return out;
    if (body[pos] === 0x0d && body[pos + 1] === 0x0a) pos += 2;
    const headEnd = body.indexOf('\r\n\r\n', pos);
    if (headEnd < 0) return undefined;
    const head = body.subarray(pos, headEnd).toString('utf8');
    const next = body.indexOf(boundary, headEnd + 4);
    if (next < 0) return undefined;
    // the part's data ends before the CRLF that precedes the next boundary
    let end = next;
    if (body[end - 2] === 0x0d && body[end - 1] === 0x0a) end -= 2;
    const data = body.subarray(headEnd + 4, end);
    const disp = /content-disposition:\s*form-data;([^\r\n]*)/i.exec(head)?.[1] ?? '';
    const name = /\bname="([^"]*)"/i.exec(disp)?.[1] ?? '';
    const filename = /\bfilename="([^"]*)"/i.exec(disp)?.[1];
    const declared = /content-type:\s*([^\r\n]+)/i.exec(head)?.[1]?.trim();
    const ctype = declared ?? 'application/octet-stream';
    // a part without a filename is a file all the same when it declares a non-text type: the
    // official Node SDK (form-data) sends a Buffer as `name="image"` + `Content-Type:
    // application/octet-stream`, with no filename, and Lark takes it
    const isFile = filename !== undefined || (declared !== undefined && !/^text\/plain\b/i.test(declared));
    if (isFile) out.files.push({ field: name, filename: filename ?? '', contentType: ctype, data: Buffer.from(data) });
    else out.fields[name] = data.toString('utf8');
    pos = next;
  }
}
