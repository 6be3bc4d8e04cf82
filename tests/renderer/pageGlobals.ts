// The few page globals the renderer's modules read when they load (the address, for ?compact=1),
// for tests that import components in Node. Import it before them.
const g = globalThis as Record<string, unknown>;
g.location ??= new URL('http://beseda.test/');
// Node 20 has no navigator: the UI language is then detected from this one.
g.navigator ??= { language: 'ru-RU', languages: ['ru-RU'] };
