/** Why a download was refused or failed, in words for the user. */
export class DownloadError extends Error {
  override readonly name = 'DownloadError';
}

const TIMEOUT_MS = 60_000;

export const megabytes = (bytes: number) => `${(bytes / (1024 * 1024)).toFixed(bytes < 1024 * 1024 ? 2 : 1)} MB`;

/**
 * Fetches an attachment from Discord's CDN, at most `maxBytes`: refused up front when Discord's size
 * or the Content-Length says more, and cut off when the body runs past it anyway.
 */
export async function downloadAttachment(url: string, maxBytes: number, declaredSize?: number): Promise<Buffer> {
  const limit = `the limit is ${megabytes(maxBytes)}`;
  if (declaredSize !== undefined && declaredSize > maxBytes) throw new DownloadError(`The file is ${megabytes(declaredSize)}; ${limit}.`);
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch (error) {
    const timedOut = error instanceof Error && error.name === 'TimeoutError';
    throw new DownloadError(timedOut ? 'Downloading the file from Discord timed out.' : 'The file could not be downloaded from Discord.');
  }
  if (!response.ok || !response.body) throw new DownloadError(`The file could not be downloaded from Discord (HTTP ${response.status}).`);
  const length = Number(response.headers.get('content-length'));
  if (Number.isFinite(length) && length > maxBytes) {
    await response.body.cancel();
    throw new DownloadError(`The file is ${megabytes(length)}; ${limit}.`);
  }
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of response.body) {
    total += chunk.byteLength;
    if (total > maxBytes) throw new DownloadError(`The file is over ${megabytes(maxBytes)}; ${limit}.`);
    chunks.push(Buffer.from(chunk));
  }
  return Buffer.concat(chunks);
}
