// Graceful shutdown: a request in flight when the service is told to stop still gets its whole answer;
// afterwards the port no longer accepts connections.
import { describe, expect, it } from 'vitest';
import { startTestApp } from '../helpers/app.ts';
import { call } from '../helpers/http.ts';
import { picture, seed } from '../helpers/testkit.ts';

describe('graceful shutdown', () => {
  it('finishes an in-flight request, then refuses new connections', async () => {
    const app = await startTestApp();
    let closed = false;
    try {
      const p = await seed(app).product({ images: { front: await picture(1000, 1000, 'jpeg') } });
      const client = await seed(app).client({ credits: 10 });
      const read = await call(
        app.url,
        `/api/v1/products/${p.barcode}?include=images&variants=front&image_format=avif`,
        { token: client.accessToken },
      );
      expect(read.status).toBe(200);
      // A first AVIF render takes hundreds of milliseconds: the request is still running when stop() starts.
      const inFlight = fetch(read.body.images.front).then(async (r) => ({
        status: r.status,
        type: r.headers.get('content-type'),
        size: (await r.arrayBuffer()).byteLength,
      }));
      await new Promise((r) => setTimeout(r, 30));
      const stopping = app.close().then(() => {
        closed = true;
      });
      const res = await inFlight;
      expect(res).toMatchObject({ status: 200, type: 'image/avif' });
      expect(res.size).toBeGreaterThan(100);
      await stopping;
      await expect(fetch(`${app.url}/api/v1/health`)).rejects.toThrow();
    } finally {
      if (!closed) await app.close().catch(() => {});
    }
  });
});
