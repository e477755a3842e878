// `node --import ./register.mjs out/main/index.js`: every import of 'electron' gets the
// recording stand-in beside this file instead of the npm package (which only names the binary).
import { registerHooks } from 'node:module';

const standIn = new URL('./electron.mjs', import.meta.url).href;

registerHooks({
  resolve(specifier, context, nextResolve) {
    if (specifier === 'electron') return { url: standIn, format: 'module', shortCircuit: true };
    return nextResolve(specifier, context);
  },
});
