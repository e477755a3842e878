// npm run fakes: starts every provider fake on loopback and prints the environment that points
// Atelier at them, for trying the CLI (or the app) by hand without any account. Ctrl-C stops;
// so do SIGTERM (kill, a process manager) and SIGHUP (the terminal closed).
import { startProviderFakes } from '../support/provider-fakes';

const fakes = await startProviderFakes();
// The signals are handled before anything is printed: whoever reads the addresses and then stops
// the fakes at once (a script, a test) must never meet the default action (killed, servers left).
let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    void fakes.close().then(() => process.exit(0));
  });
}
console.log('# Provider fakes are running. In another shell:');
for (const [name, value] of Object.entries(fakes.env)) console.log(`export ${name}='${value}'`);
console.log(`# and add the custom endpoint once: atelier endpoints add school ${fakes.school.url}/v1`);
