// The GraphQL peer of `npm run bench`: PostGraphile 5 (amber preset) over the bench catalog, unbilled, reading
// the same product, hechsher and front-image columns as the API's billed product query, by GTIN with a variable:
//   query($gtin: String!) { productByGtin(gtin: $gtin) { barcode brand productName netWeight bracha hechshers frontBlobKey } }
// The view lives in its own schema (PEER_SCHEMA_SQL, applied by the bench after each reset) so PostGraphile
// sees nothing else. Plain JavaScript on plain Node 22, as PostGraphile's users run it:
//   node test/bench/postgraphile-peer.mjs <port> <database url>
import { createServer } from 'node:http';
import { postgraphile } from 'postgraphile';
import { makePgService } from 'postgraphile/adaptors/pg';
import { grafserv } from 'postgraphile/grafserv/node';
import { PostGraphileAmberPreset } from 'postgraphile/presets/amber';

const [port, dbUrl] = process.argv.slice(2);
const pgl = postgraphile({
  extends: [PostGraphileAmberPreset],
  pgServices: [makePgService({ connectionString: dbUrl, schemas: ['bench_peer'], poolConfig: { max: 16 } })],
  grafserv: { graphiql: false, watch: false },
  grafast: { explain: false },
});
const serv = pgl.createServ(grafserv);
const server = createServer();
server.on('error', (e) => {
  process.stderr.write(`postgraphile peer: ${e.message}\n`);
  process.exit(1);
});
await serv.addTo(server);
server.listen(Number(port), '127.0.0.1', () => process.stdout.write('postgraphile peer listening\n'));
process.on('SIGTERM', () => {
  server.close();
  void Promise.resolve(pgl.release()).then(() => process.exit(0));
});
