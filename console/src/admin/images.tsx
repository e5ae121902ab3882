// Operator: trace a signed image URL to its grant, and identify a leaked image by dropping the file: the client it
// was delivered to, read from the invisible mark, with the confidence. A large file is scaled down in the browser
// first (the mark survives resizing and re-encoding; the GraphQL body has a size limit).
import { useState } from 'preact/hooks';
import { gql } from '../api.ts';
import { graphql } from '../gql/index.ts';
import { ErrorNote, Field, formValues, Section, Table, useAction, when } from '../ui.tsx';

const Trace = graphql(`
  query OperatorTraceImage($url: String!) {
    operatorTraceImage(url: $url) {
      accountId
      clientId
      grantId
      barcode
      variant
      size
      format
      ip
      issuedAt
      expiresAt
      redeemed
      redeemedAt
      redeemedIp
    }
  }
`);

const Identify = graphql(`
  mutation OperatorIdentifyImage($imageBase64: String!) {
    operatorIdentifyImage(imageBase64: $imageBase64) {
      accountId
      clientId
      grantId
      barcode
      variant
      confidence
      imageSimilarity
    }
  }
`);

/** The most image bytes one GraphQL call carries (docs/console.md: 700 KB in base64 within the 1 MiB body). */
const MAX_BYTES = 700_000;

export function TracePage() {
  const [trace, setTrace] = useState<Awaited<ReturnType<typeof run>> | null>(null);
  const run = async (url: string) => (await gql(Trace, { url })).operatorTraceImage;
  const { busy, error, act } = useAction(async (v: Record<string, string>) => setTrace(await run(v.url)));
  return (
    <Section title="Trace an image URL">
      {() => (
        <>
          <form class="stack" onSubmit={(e) => act(formValues(e))}>
            <Field label="Signed image URL or token" name="url" required maxLength={4000} />
            <ErrorNote error={error} />
            <button type="submit" disabled={busy}>
              Trace
            </button>
          </form>
          {trace ? (
            <Table
              caption="Who was issued this URL"
              head={['Account', 'Client', 'Grant', 'Image', 'Issued to', 'Issued', 'Expires', 'Redeemed']}
              rows={[
                [
                  trace.accountId,
                  <code key="c">{trace.clientId}</code>,
                  <code key="g">{trace.grantId}</code>,
                  `${trace.barcode} ${trace.variant} ${trace.size} ${trace.format}`,
                  trace.ip,
                  when(trace.issuedAt),
                  when(trace.expiresAt),
                  trace.redeemed ? `yes, ${when(trace.redeemedAt)} from ${trace.redeemedIp ?? '?'}` : 'no',
                ],
              ]}
            />
          ) : null}
        </>
      )}
    </Section>
  );
}

type Identification = Awaited<ReturnType<typeof identify>>;
const identify = async (base64: string) => (await gql(Identify, { imageBase64: base64 })).operatorIdentifyImage;

/** The file's bytes, scaled down (JPEG) when it is over the limit. */
async function bytesOf(file: File): Promise<Uint8Array> {
  if (file.size <= MAX_BYTES) return new Uint8Array(await file.arrayBuffer());
  const bitmap = await createImageBitmap(file);
  for (const side of [2048, 1600, 1200, 900]) {
    const scale = Math.min(1, side / Math.max(bitmap.width, bitmap.height));
    const canvas = new OffscreenCanvas(Math.round(bitmap.width * scale), Math.round(bitmap.height * scale));
    canvas.getContext('2d')!.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    const blob = await canvas.convertToBlob({ type: 'image/jpeg', quality: 0.92 });
    if (blob.size <= MAX_BYTES) return new Uint8Array(await blob.arrayBuffer());
  }
  throw new Error('The image is too large even when scaled down; use POST /admin/v1/identify.');
}

export function base64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

export function IdentifyPage() {
  const [over, setOver] = useState(false);
  const [result, setResult] = useState<{ name: string; r: Identification } | null>(null);
  const { busy, error, act } = useAction(async (file: File) => {
    if (!/^image\//.test(file.type)) throw new Error(`${file.name} is not an image.`);
    setResult({ name: file.name, r: await identify(base64(await bytesOf(file))) });
  });
  const take = (files: FileList | null | undefined) => {
    const f = files?.[0];
    if (f) act(f);
  };
  return (
    <Section title="Identify a leaked image">
      {() => (
        <>
          <section
            class={over ? 'drop over' : 'drop'}
            aria-label="Drop zone for a leaked image"
            onDragOver={(e) => {
              e.preventDefault();
              setOver(true);
            }}
            onDragLeave={() => setOver(false)}
            onDrop={(e) => {
              e.preventDefault();
              setOver(false);
              take(e.dataTransfer?.files);
            }}
          >
            <p>Drop an image file here (resized or re-encoded copies work), or choose one:</p>
            <label for="leak-file">Image file</label>{' '}
            <input
              id="leak-file"
              type="file"
              accept="image/*"
              onChange={(e) => take((e.currentTarget as HTMLInputElement).files)}
            />
            {busy ? <p aria-busy="true">Reading the mark…</p> : null}
          </section>
          <ErrorNote error={error} />
          {result ? (
            <div role="status" data-testid="identification">
              {result.r.clientId ? (
                <Table
                  caption={`${result.name} was delivered to`}
                  head={['Client', 'Account', 'Grant', 'Image', 'Confidence']}
                  rows={[
                    [
                      <code key="c">{result.r.clientId}</code>,
                      result.r.accountId ?? '—',
                      result.r.grantId ? <code key="g">{result.r.grantId}</code> : '—',
                      `${result.r.barcode ?? '?'} ${result.r.variant ?? ''}`,
                      result.r.confidence === null || result.r.confidence === undefined
                        ? '—'
                        : `${Math.round(result.r.confidence * 1000) / 10} %`,
                    ],
                  ]}
                />
              ) : (
                <p>
                  No mark found in {result.name}
                  {result.r.barcode ? ` (it looks like ${result.r.barcode} ${result.r.variant ?? ''})` : ''}.
                </p>
              )}
            </div>
          ) : null}
        </>
      )}
    </Section>
  );
}
