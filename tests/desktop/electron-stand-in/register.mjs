// `node --import ./register.mjs main.js`: resolves `electron` to the stand-in next to this file.
import { register } from 'node:module';

register(
  `data:text/javascript,${encodeURIComponent(`
    const standIn = ${JSON.stringify(new URL('./electron.mjs', import.meta.url).href)};
    export async function resolve(specifier, context, next) {
      if (specifier === 'electron') return { url: standIn, shortCircuit: true };
      return next(specifier, context);
    }
  `)}`,
);
