'use strict';
// A TCP relay in its own process (the CLI helpers block the test's event loop while they run):
// forwards to 127.0.0.1:<target> and appends every byte it carries to <capture file>.
const net = require('node:net');
const fs = require('node:fs');
const [target, file] = process.argv.slice(2);
const out = fs.openSync(file, 'a');
const server = net.createServer((inbound) => {
  const outbound = net.connect({ host: '127.0.0.1', port: Number(target) });
  const pipe = (from, to) => from.on('data', (d) => { fs.writeSync(out, d); to.write(d); });
  pipe(inbound, outbound); pipe(outbound, inbound);
  for (const s of [inbound, outbound]) s.on('error', () => {});
  inbound.on('close', () => outbound.destroy());
  outbound.on('close', () => inbound.destroy());
});
server.listen(0, '127.0.0.1', () => process.stdout.write(JSON.stringify({ port: server.address().port }) + '\n'));
