// The baseline relay for `bench/run fanout`: what people deploy today for WebSocket video,
// in the manner of JSMpeg's websocket-relay.js. One publisher socket per stream; every
// binary message it sends goes to every subscriber of that stream with send(): no
// backpressure, no GOP cache, no parsing. It accepts Tunnelcast's paths so the benchmark
// uses the same publisher and the same subscriber client for both relays.
//
//   node relay.js PORT [HOST]     (PORT 0 picks a free port; prints "listening PORT")
'use strict';
const http = require('http');
const { WebSocketServer, WebSocket } = require('ws');

const port = Number(process.argv[2] || 0);
const host = process.argv[3] || '127.0.0.1';
const subscribers = new Map(); // stream name -> Set of sockets

const server = http.createServer((req, res) => {
  res.writeHead(req.url === '/healthz' ? 200 : 404).end();
});
const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });

server.on('upgrade', (req, socket, head) => {
  const m = /^\/ws\/(publish|play)\/([^/?]+)/.exec(req.url);
  if (!m) return socket.destroy();
  wss.handleUpgrade(req, socket, head, (ws) => (m[1] === 'publish' ? publish(ws, m[2]) : play(ws, m[2])));
});

function publish(ws, stream) {
  ws.on('message', (data, isBinary) => {
    const set = subscribers.get(stream);
    if (!set) return;
    set.forEach((client) => {
      if (client.readyState === WebSocket.OPEN) client.send(data, { binary: isBinary });
    });
  });
}

function play(ws, stream) {
  if (!subscribers.has(stream)) subscribers.set(stream, new Set());
  subscribers.get(stream).add(ws);
  ws.on('close', () => subscribers.get(stream).delete(ws));
  ws.on('error', () => {}); // a reset client is removed by 'close'
}

server.listen(port, host, () => console.log('listening ' + server.address().port));
process.on('SIGTERM', () => process.exit(0));
