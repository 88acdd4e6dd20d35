/**
 * The flood's clients, run in a process of their own by controlBench.ts (as other machines would
 * be: the show's event loop and CPU share are not theirs): 4 OSC and 4 WebSocket clients at
 * `rate` messages a second each for `seconds`, faders (gain, filter) and one in ten a generative
 * change (imprint strength) unless GENERATIVE is 0. Usage: node floodClients.js OSC_PORT WEB_PORT
 * SECONDS RATE GENERATIVE; prints
 * one JSON line with what was sent and acknowledged.
 */
import { type BenchClient, oscClient, webClient } from './controlClients.js';

const [oscPort, webPort, seconds, rate, generativeShare] = process.argv.slice(2).map(Number) as [number, number, number, number, number];
const webClients: Array<Awaited<ReturnType<typeof webClient>>> = [];
const clients: BenchClient[] = [];
for (let i = 0; i < 4; i++) {
  clients.push(await oscClient(oscPort));
  webClients.push(await webClient(webPort));
}
clients.push(...webClients);
let sent = 0;
let tick = 0;
const started = performance.now();
// one timer drives all clients: each sends its share every 10 ms, so the rates hold on a loaded machine
await new Promise<void>((resolve) => {
  const timer = setInterval(() => {
    const due = Math.floor(((performance.now() - started) / 1000) * rate);
    for (; tick < due; tick++) {
      clients.forEach((c, k) => {
        const phase = (tick + k * 7) % 10;
        const v = 0.5 + 0.4 * Math.sin((tick + k) / 20);
        if (phase === 0 && generativeShare > 0) c.strength(v);
        else if (phase % 2 === 0) c.gain(v);
        else c.filter(v - 0.5);
        sent++;
      });
    }
    if (performance.now() - started >= seconds * 1000) {
      clearInterval(timer);
      resolve();
    }
  }, 10);
});
await new Promise((r) => setTimeout(r, 500)); // the last acks
const cpu = process.cpuUsage();
console.log(JSON.stringify({
  clients: clients.map((c) => c.surface).join(','), messagesSent: sent, webAcks: webClients.map((c) => c.acks),
  webClientsDropped: webClients.filter((c) => c.closed()).length, clientsCpuShareOfOneCore: Math.round(((cpu.user + cpu.system) / 1e6 / seconds) * 1000) / 1000,
}));
for (const c of clients) await c.close();
process.exit(0);
