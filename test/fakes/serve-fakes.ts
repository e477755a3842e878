// npm run fakes: starts every provider fake on loopback and prints the environment that points
// Atelier at them, for trying the CLI (or the app) by hand without any account. Ctrl-C stops.
import { startProviderFakes } from '../support/provider-fakes';

const fakes = await startProviderFakes();
console.log('# Provider fakes are running. In another shell:');
for (const [name, value] of Object.entries(fakes.env)) console.log(`export ${name}='${value}'`);
console.log(`# and add the custom endpoint once: atelier endpoints add school ${fakes.school.url}/v1`);
process.on('SIGINT', () => {
  void fakes.close().then(() => process.exit(0));
});
